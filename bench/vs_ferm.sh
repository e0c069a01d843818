#!/usr/bin/env bash
# cmnetc against ferm on the firewall compilers' workload (bench/gen_gateway.py), alternated in
# one run: for each size and form, R rounds of `cmnetc build --target=nftables` then
# `ferm --noexec --lines` on the same terms, each under /usr/bin/time. Prints a Markdown table
# of the median wall time and the peak memory of each, and their ratio.
#
#   bench/vs_ferm.sh [--build DIR] [--sizes "1000 10000 100000"] [--forms "gateway hosts firewall"]
#                    [--rounds R] [--timeout S]
#
# Installs ferm (a Debian package) when it is missing: the benchmark's setup, not the README's.
# A run that exceeds --timeout seconds (default 600) is reported as ">S".
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build-perf
SIZES="1000 10000 100000"
FORMS="gateway hosts firewall"
ROUNDS=3
TIMEOUT=600
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --forms) FORMS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    *) echo "usage: bench/vs_ferm.sh [--build DIR] [--sizes LIST] [--forms LIST] [--rounds R] [--timeout S]" >&2; exit 2 ;;
  esac
done
CMNETC=$BUILD/bin/cmnetc
[ -x "$CMNETC" ] || { echo "bench/vs_ferm.sh: no $CMNETC; build it first (cmake -DCMAKE_BUILD_TYPE=Release)" >&2; exit 2; }
command -v ferm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ferm >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cmnet-vs-ferm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# run LOG COMMAND...: "WALL_S PEAK_MIB" of one run, ">TIMEOUT -" when it timed out, "failed -"
# when it failed.
run() {
  local log=$1 status=0; shift
  /usr/bin/time -f '%e %M' -o "$log" timeout "$TIMEOUT" "$@" >/dev/null 2>"$log.err" || status=$?
  case $status in
    0) tail -1 "$log" | awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' ;;
    124) echo ">$TIMEOUT -" ;;
    *) echo "failed -" ;;
  esac
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); ferm $(ferm --version 2>&1 | head -1 | awk '{ print $NF }'); $ROUNDS rounds, alternated"
echo
echo "| terms | form | cmnetc s | ferm s | cmnetc / ferm | cmnetc peak MiB | ferm peak MiB |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  python3 bench/gen_gateway.py --terms "$n" --ferm -o "$WORK/$n.ferm"
  for form in $FORMS; do
    python3 bench/gen_gateway.py --terms "$n" --form "$form" -o "$WORK/$n-$form.cmnet"
    : > "$WORK/c.times"; : > "$WORK/f.times"
    for _ in $(seq "$ROUNDS"); do
      rm -rf "$WORK/out"
      run "$WORK/c.log" "$CMNETC" build "$WORK/$n-$form.cmnet" --target=nftables -o "$WORK/out" >> "$WORK/c.times"
      run "$WORK/f.log" ferm --noexec --lines "$WORK/$n.ferm" >> "$WORK/f.times"
    done
    ct=$(cut -d' ' -f1 "$WORK/c.times" | median); ft=$(cut -d' ' -f1 "$WORK/f.times" | median)
    cm=$(cut -d' ' -f2 "$WORK/c.times" | sort -g | tail -1); fm=$(cut -d' ' -f2 "$WORK/f.times" | sort -g | tail -1)
    ratio=$(awk -v c="$ct" -v f="$ft" 'BEGIN { if (c + 0 > 0 && f + 0 > 0) printf "%.2f", c / f; else print "-" }')
    echo "| $n | $form | $ct | $ft | $ratio | $cm | $fm |"
  done
done
