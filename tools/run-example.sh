#!/usr/bin/env bash
# The README's first command: install, build, and compile the bundled example hierarchy to
# every backend into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
rm -rf out
./build/bin/cmnetc build examples/contoso.cmnet --target=all -o out
