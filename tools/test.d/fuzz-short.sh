#!/usr/bin/env bash
# CI: build the libFuzzer targets (clang-14, ASan + UBSan), fuzz the whole pipeline for 60 s
# from the committed seed corpus and every past regression, then the quoting invariant of every
# output for 30 s from its own seeds and regressions. A crash, sanitizer report, broken quoting,
# hang (> 10 s per input) or memory blow-up (> 2 GB) fails the step; the input is kept in
# $FUZZ_ARTIFACTS (default build-fuzz/artifacts) for tests/fuzz/regressions/ or
# tests/fuzz/regressions-quoting/.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMNET_FUZZ=ON -DCMNET_BENCH=OFF >/dev/null
ninja -C "$BUILD_DIR" cmnet_fuzz cmnet_fuzz_quoting
artifacts=${FUZZ_ARTIFACTS:-$BUILD_DIR/artifacts}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts" "$work/pipeline" "$work/quoting"
"$BUILD_DIR/bin/cmnet_fuzz" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -dict=tests/fuzz/cmnet.dict -artifact_prefix="$artifacts/" -print_final_stats=1 \
  "$work/pipeline" tests/fuzz/corpus tests/fuzz/regressions
"$BUILD_DIR/bin/cmnet_fuzz_quoting" -max_total_time="${FUZZ_QUOTING_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
  -max_len=4096 -entropic=0 -dict=tests/fuzz/quoting.dict -artifact_prefix="$artifacts/quoting-" -print_final_stats=1 \
  "$work/quoting" tests/fuzz/corpus-quoting tests/fuzz/regressions-quoting
