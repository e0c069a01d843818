#!/usr/bin/env bash
# CI: the unit and lit tests again, on a build with AddressSanitizer and UndefinedBehaviorSanitizer
# (any report aborts the test that triggered it). The generated ANTLR parser is compiled without
# them (grammar/CMakeLists.txt): it is the slowest file to build and is not our code.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
BUILD_DIR=$BUILD_DIR bash tools/build.sh -DCMNET_SANITIZE=ON -DCMNET_BENCH=OFF
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j2
