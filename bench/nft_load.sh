#!/usr/bin/env bash
# Load time of cmnet's nftables output in a real kernel: each host's script is loaded with
# `nft -f` into a network namespace of its own that this script creates (and always removes),
# the way the host would load it at boot. Reports the largest scripts (the site servers and the
# busiest distribution points) and a deterministic sample of the rest.
#
#   bench/nft_load.sh OUTDIR/nftables [SAMPLE]      (root; SAMPLE defaults to 200 files)
set -euo pipefail
dir=${1:?usage: bench/nft_load.sh OUTDIR/nftables [SAMPLE]}
sample=${2:-200}
ns=cmnet-bench-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT

# Milliseconds to load FILE into a fresh namespace, and the rules the kernel then holds.
load() {
  cleanup
  ip netns add "$ns"
  local start end rules
  start=$(date +%s%N)
  ip netns exec "$ns" nft -f "$1"
  end=$(date +%s%N)
  rules=$(ip netns exec "$ns" nft -a list ruleset | grep -c '# handle' || true)
  echo "$(( (end - start) / 1000 )) $rules $(stat -c %s "$1") $(basename "$1")"
}

mapfile -t largest < <(find "$dir" -name '*.nft' -printf '%s %p\n' | sort -k1,1nr -k2 | head -5 | cut -d' ' -f2-)
mapfile -t all < <(find "$dir" -name '*.nft' | sort)
step=$(( ${#all[@]} / sample )); [ "$step" -ge 1 ] || step=1

echo "| script | bytes | kernel objects (handles) | nft -f ms |"
echo "|---|---:|---:|---:|"
for f in "${largest[@]}"; do
  read -r us rules bytes name < <(load "$f")
  awk -v n="$name" -v b="$bytes" -v r="$rules" -v us="$us" 'BEGIN { printf "| %s (largest) | %s | %s | %.1f |\n", n, b, r, us / 1000 }'
done
total=0 n=0 worst=0
for (( i = 0; i < ${#all[@]}; i += step )); do
  read -r us _ _ _ < <(load "${all[$i]}")
  total=$(( total + us )); n=$(( n + 1 )); [ "$us" -gt "$worst" ] && worst=$us
done
awk -v n="$n" -v all="${#all[@]}" -v total="$total" -v worst="$worst" \
  'BEGIN { printf "| %d sampled scripts of %d | | | mean %.1f, max %.1f |\n", n, all, total / n / 1000, worst / 1000 }'
