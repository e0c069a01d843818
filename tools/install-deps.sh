#!/usr/bin/env bash
# Install every Debian package cmnet needs to build, run and test. Idempotent and quiet when
# everything is already there.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config python3
  antlr4 libantlr4-runtime-dev
  llvm-14-dev llvm-14-tools clang-14 libclang-rt-14-dev
  libfmt-dev googletest libgtest-dev libbenchmark-dev
  nftables iptables iproute2
  graphviz chromium
  python3-botocore python3-azure   # test only: the vendors' models (tools/test.d/vendor-models.sh)
)
# Commands any provider may satisfy (a machine may carry Node.js from nodesource, whose
# nodejs package bundles npm and conflicts with Debian's npm package, or a JRE other than
# default-jre-headless): install the Debian package only when the command is missing.
declare -A COMMANDS=([java]=default-jre-headless [node]=nodejs [npm]=npm)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for c in java node npm; do
  command -v "$c" >/dev/null 2>&1 || missing+=("${COMMANDS[$c]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
