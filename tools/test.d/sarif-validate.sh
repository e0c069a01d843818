#!/usr/bin/env bash
# Validate `cmnetc lint --format=sarif` with Microsoft's SARIF Multitool: every log it writes
# must validate with no errors. The Multitool is an npm package, installed on first use into
# tests/lint/node_modules (ignored by git; needs node and npm from the README's install list and
# access to the npm registry). BUILD_DIR selects the build (default: build).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
CMNETC=$BUILD_DIR/bin/cmnetc
TOOL_DIR=tests/lint
MULTITOOL_VERSION=5.7.0
# The validator is a .NET program: run it without ICU so that it needs nothing beyond libc.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

if [ ! -x "$TOOL_DIR/node_modules/.bin/sarif-multitool" ]; then
  echo "installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $TOOL_DIR/node_modules"
  npm install --prefix "$TOOL_DIR" --no-save --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$MULTITOOL_VERSION"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints the validator's error lines for $1; succeeds when there are none.
validate() {
  local log=$1 out
  out=$(cd "$TOOL_DIR" && npx --no-install sarif-multitool validate "$log" 2>&1) || true
  if grep -E ': error [A-Z]+[0-9]+' <<<"$out"; then return 1; fi
  grep -q 'Analysis completed successfully' <<<"$out" || { echo "$out"; return 1; }
}

# Logs to check: the bundled example, every lint test policy in one multi-file run (all rules,
# notes, related locations), and a policy that does not compile (compiler findings).
status=0
"$CMNETC" lint examples/contoso.cmnet --format=sarif -o "$work/contoso.sarif" 2>/dev/null || true
"$CMNETC" lint tests/lint/cm0*.cmnet --enable=all --format=sarif -o "$work/rules.sarif" 2>/dev/null || true
"$CMNETC" lint tests/lint/cm000_compiler_diagnostic.cmnet --format=sarif -o "$work/broken.sarif" 2>/dev/null || true
for log in "$work"/*.sarif; do
  results=$(grep -c '"ruleId"' "$log" || true)
  if validate "$log"; then
    echo "valid: $(basename "$log") ($results results)"
  else
    echo "INVALID: $(basename "$log")"
    status=1
  fi
done

# The check must be able to fail: a log with a zero start line has to be rejected.
sed 's/"startLine": [0-9]*/"startLine": 0/' "$work/rules.sarif" >"$work/corrupt.json"
if validate "$work/corrupt.json" >/dev/null; then
  echo "the validator accepted a corrupt log; the check is not working"
  status=1
else
  echo "rejected: a corrupt log, as it should"
fi
exit $status
