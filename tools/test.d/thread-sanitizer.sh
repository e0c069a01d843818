#!/usr/bin/env bash
# CI: the unit and lit tests again, on a build with ThreadSanitizer. `place` builds each host's
# rules on every core and `cmnetc build` renders targets in parallel (-j); a data race between
# them fails the test that ran into it (exit 66; abort_on_error can deadlock GCC 12's TSan
# runtime while it reports). tests/passes/place_parallel.test and tests/driver/parallel_targets.test
# ask for four threads on any machine; every other compile runs one per core.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${TSAN_BUILD_DIR:-build-tsan}
BUILD_DIR=$BUILD_DIR bash tools/build.sh -DCMNET_TSAN=ON -DCMNET_BENCH=OFF
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1} ctest --test-dir "$BUILD_DIR" --output-on-failure -j2
