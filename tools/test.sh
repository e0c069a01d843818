#!/usr/bin/env bash
# The README's second command: install, build, and run every test. Each step prints its own
# summary; the script fails if any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh || exit 1
bash tools/build.sh || exit 1

status=0
step() {
  local name=$1; shift
  echo "== $name"
  local start=$SECONDS
  if "$@"; then echo "== $name: ok ($((SECONDS - start)) s)"; else echo "== $name: FAILED ($((SECONDS - start)) s)"; status=1; fi
}

step "unit and lit tests" ctest --test-dir build --output-on-failure -j2
for extra in tools/test.d/*.sh; do
  [ -e "$extra" ] || continue
  step "$(basename "$extra" .sh)" bash "$extra"
done
exit $status
