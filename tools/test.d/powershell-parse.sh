#!/usr/bin/env bash
# Parse every generated Windows script with a real PowerShell grammar (tree-sitter-powershell
# through web-tree-sitter; tests/backends/powershell/parse.cjs): the contoso example with and
# without --gpo, and the injection corpus decoded both as UTF-8 and as Windows-1252 (what Windows
# PowerShell 5.1 reads when a script has no byte-order mark). The grammar's npm packages, pinned in
# tests/backends/powershell/package.json, are installed on first use into $BUILD_DIR/powershell
# (ignored by git; needs node and npm). BUILD_DIR selects the build (default: build).
# tools/export-configmgr.ps1, written by hand, is parsed too, with no allowance at all
# (powershell_parse_export.cjs beside this script).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
CMNETC=$BUILD_DIR/bin/cmnetc
TOOL_DIR=$BUILD_DIR/powershell

if ! cmp -s tests/backends/powershell/package.json "$TOOL_DIR/package.json" ||
  [ ! -f "$TOOL_DIR/node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm" ]; then
  echo "installing the PowerShell grammar into $TOOL_DIR/node_modules"
  mkdir -p "$TOOL_DIR"
  cp tests/backends/powershell/package.json "$TOOL_DIR/package.json"
  # The grammar's native binding is not needed: web-tree-sitter loads the package's .wasm.
  npm install --prefix "$TOOL_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$CMNETC" build examples/contoso.cmnet --target=windows -o "$work/local" >/dev/null
"$CMNETC" build examples/contoso.cmnet --target=windows --gpo='contoso.com\cmnet firewall' -o "$work/gpo" >/dev/null
"$CMNETC" build tests/backends/quoting/Inputs/corpus.cmnet --target=windows -o "$work/corpus" >/dev/null

parse() { NODE_PATH="$TOOL_DIR/node_modules" node tests/backends/powershell/parse.cjs "$@"; }
status=0
parse "$work"/local/windows/*.ps1 "$work"/gpo/windows/*.ps1 "$work"/corpus/windows/*.ps1 || status=1
parse --ansi "$work"/corpus/windows/*.ps1 || status=1
NODE_PATH="$TOOL_DIR/node_modules" node tools/test.d/powershell_parse_export.cjs tools/export-configmgr.ps1 || status=1
exit $status
