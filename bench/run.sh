#!/usr/bin/env bash
# Timed benchmark driver: generates the inputs (bench/gen_hierarchy.py), compiles each with
# `cmnetc build` to every target (or --targets) under /usr/bin/time -v, and prints Markdown
# tables for docs/performance.md: end to end (wall, CPU, peak memory, output, and the write
# floor: what creating the same files costs with nothing else, cmnet_write_floor), time per stage
# and pass (--stats: frontend, each pass, each target's render, the commit of the files), and
# with --stages the per-stage Google Benchmark timings (cmnet_bench).
#
#   bench/run.sh [--build DIR] [--inputs "small medium max flat1000 ..."] [--targets LIST]
#                [--stages] [--keep] [--share-rulesets]
#
# --share-rulesets passes that option to `cmnetc build` (one file per set of hosts that need
# the same rules; docs/backends.md).
#
# Build DIR first with -DCMAKE_BUILD_TYPE=Release (default DIR: build-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build-perf
INPUTS="small medium max flat1000 flat10000 flat100000"
TARGETS=all
STAGES=0
KEEP=0
BUILD_FLAGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --inputs) INPUTS=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --stages) STAGES=1; shift ;;
    --keep) KEEP=1; shift ;;
    --share-rulesets) BUILD_FLAGS+=(--share-rulesets); shift ;;
    *) echo "usage: bench/run.sh [--build DIR] [--inputs LIST] [--targets LIST] [--stages] [--keep] [--share-rulesets]" >&2; exit 2 ;;
  esac
done
CMNETC=$BUILD/bin/cmnetc
[ -x "$CMNETC" ] || { echo "bench/run.sh: no $CMNETC; build it first (cmake -DCMAKE_BUILD_TYPE=Release)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cmnet-bench.XXXXXX") # TMPDIR=/dev/shm: outputs in memory, no disk
[ $KEEP = 1 ] || trap 'rm -rf "$WORK"' EXIT

generate() { # NAME -> $WORK/NAME.cmnet
  case $1 in
    flat*) python3 bench/gen_hierarchy.py --flat "${1#flat}" -o "$WORK/$1.cmnet" 2>/dev/null ;;
    # The firewall compilers' workload (bench/gen_gateway.py) in its three forms: gwN, hostsN, fwN.
    gw[0-9]*) python3 bench/gen_gateway.py --form gateway --terms "${1#gw}" -o "$WORK/$1.cmnet" ;;
    hosts[0-9]*) python3 bench/gen_gateway.py --form hosts --terms "${1#hosts}" -o "$WORK/$1.cmnet" ;;
    fw[0-9]*) python3 bench/gen_gateway.py --form firewall --terms "${1#fw}" -o "$WORK/$1.cmnet" ;;
    # pN: the maximum hierarchy cut to N primaries (for the growth curve; p25 is max).
    p[0-9]*) python3 bench/gen_hierarchy.py --preset max --primaries "${1#p}" -o "$WORK/$1.cmnet" 2>/dev/null ;;
    *) python3 bench/gen_hierarchy.py --preset "$1" -o "$WORK/$1.cmnet" 2>/dev/null ;;
  esac
}

# One line of `time -v` output, by its label.
field() { grep -F "$1" "$2" | head -1 | sed 's/.*: //'; }
# The rules-out column of one pass in the --stats table.
rulesOut() { awk -v p="$1" '$1 == p { print $3; exit }' "$2"; }

# Native allow statements per target in DIR, "TARGET COUNT" per line: what a device or host
# firewall has to hold (per-host boilerplate such as established/loopback included).
countRules() {
  local dir=$1 target pattern
  for target in nftables iptables windows cisco-asa juniper-srx azure-nsg aws-sg; do
    case $target in
      nftables) pattern=' accept( comment ".*")?$' ;;
      iptables) pattern='-j ACCEPT$' ;;
      windows) pattern='^New-NetFirewallRule' ;;
      cisco-asa) pattern=' extended permit ' ;;
      juniper-srx) pattern=' then permit$' ;;
      azure-nsg) pattern='"access": "Allow"' ;;
      aws-sg) pattern='"IpProtocol":' ;;
    esac
    [ -d "$dir/$target" ] || continue
    echo "$target $(find "$dir/$target" -type f -print0 | xargs -0 cat | grep -cE -e "$pattern" || true)"
  done
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (+ uncommitted changes)'); targets: $TARGETS"
echo
echo "| input | bytes | flows (instantiated) | rules placed | files | wall s | write floor s | CPU s | CPU µs per flow | peak MiB | exit |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in $INPUTS; do
  generate "$name"
  in=$WORK/$name.cmnet
  rm -rf "$WORK/out-$name"
  set +e
  /usr/bin/time -v -o "$WORK/$name.time" "$CMNETC" build "$in" -o "$WORK/out-$name" --target="$TARGETS" --stats \
    ${BUILD_FLAGS[@]+"${BUILD_FLAGS[@]}"} >/dev/null 2>"$WORK/$name.stderr"
  status=$?
  set -e
  grep -E '^[a-z-]+ +[0-9]+ +[0-9]+' "$WORK/$name.stderr" > "$WORK/$name.stats" || true
  grep -E '^[a-z/-]+ +[0-9]+\.[0-9]+$' "$WORK/$name.stderr" > "$WORK/$name.stages" || true
  wall=$(field "Elapsed (wall clock)" "$WORK/$name.time" | awk -F: '{ s = 0; for (i = 1; i <= NF; ++i) s = s * 60 + $i; printf "%.2f", s }')
  cpu=$(awk -v u="$(field 'User time' "$WORK/$name.time")" -v s="$(field 'System time' "$WORK/$name.time")" 'BEGIN { printf "%.2f", u + s }')
  rss=$(awk -v k="$(field 'Maximum resident set size' "$WORK/$name.time")" 'BEGIN { printf "%.0f", k / 1024 }')
  files=$(find "$WORK/out-$name" -type f 2>/dev/null | wc -l)
  # The least time this machine takes to create the same files, whatever writes them.
  floor=-
  if [ -d "$WORK/out-$name" ]; then
    floor=$("$BUILD/bin/cmnet_write_floor" "$WORK/out-$name" --threads "$(nproc)" --repeat 2 --scratch "$WORK/floor" |
      sed -n 's/.* \([0-9.]*\) s$/\1/p')
  fi
  flows=$(rulesOut instantiate-hierarchy "$WORK/$name.stats")
  [ "${flows:-0}" != 0 ] || flows=$(rulesOut apply-policy "$WORK/$name.stats") # flat: statements only
  perflow=$(awk -v c="$cpu" -v f="${flows:-0}" 'BEGIN { if (f > 0) printf "%.1f", c * 1e6 / f; else print "-" }')
  echo "| $name | $(stat -c %s "$in") | $flows | $(rulesOut place "$WORK/$name.stats") | $files | $wall | $floor | $cpu | $perflow | $rss | $status |"
  countRules "$WORK/out-$name" > "$WORK/$name.emitted"
  rm -rf "$WORK/out-$name"
done

echo
echo "Time per stage and pass, ms (cmnetc build --stats):"
echo
first=$(echo $INPUTS | cut -d' ' -f1)
rows="frontend $(awk '{ print $1 }' "$WORK/$first.stats" | tr '\n' ' ')$(grep -v '^frontend' "$WORK/$first.stages" | awk '{ print $1 }' | tr '\n' ' ')"
printf "| stage |"; for name in $INPUTS; do printf " %s |" "$name"; done; echo
printf "|---|"; for name in $INPUTS; do printf -- "---:|"; done; echo
for p in $rows; do
  printf "| %s |" "$p"
  for name in $INPUTS; do
    printf " %s |" "$(cat "$WORK/$name.stats" "$WORK/$name.stages" | awk -v p="$p" '$1 == p { print $NF; exit }')"
  done
  echo
done

echo
echo "Emitted allow statements per target (flows: as instantiated, then after aggregate-addresses; rules: placed per enforcement point):"
echo
printf "| target |"; for name in $INPUTS; do printf " %s |" "$name"; done; echo
printf "|---|"; for name in $INPUTS; do printf -- "---:|"; done; echo
printf "| flows instantiated |"; for name in $INPUTS; do printf " %s |" "$(rulesOut instantiate-hierarchy "$WORK/$name.stats")"; done; echo
printf "| flows optimized |"; for name in $INPUTS; do printf " %s |" "$(rulesOut aggregate-addresses "$WORK/$name.stats")"; done; echo
printf "| rules placed |"; for name in $INPUTS; do printf " %s |" "$(rulesOut place "$WORK/$name.stats")"; done; echo
for target in nftables iptables windows cisco-asa juniper-srx azure-nsg aws-sg; do
  printf "| %s |" "$target"
  for name in $INPUTS; do printf " %s |" "$(awk -v t="$target" '$1 == t { print $2 }' "$WORK/$name.emitted")"; done
  echo
done

if [ $STAGES = 1 ]; then
  echo
  echo "Per stage, CPU ms (cmnet_bench, Google Benchmark; passes timed alone, backends render in memory):"
  echo
  files=""
  for name in $INPUTS; do files="$files $WORK/$name.cmnet"; done
  "$BUILD/bin/cmnet_bench" --benchmark_format=csv $files 2>/dev/null |
    awk -F, 'NR > 1 && $1 ~ /"/ { gsub(/"/, "", $1); sub(/\/process_time\/real_time$/, "", $1); printf "| %s | %.1f | %.1f |\n", $1, $3, $4 }' |
    { echo "| benchmark | wall ms | CPU ms |"; echo "|---|---:|---:|"; cat; }
fi
