#!/usr/bin/env bash
# The HTML report of the example in headless Chromium: no console errors, nothing fetched, the
# diagram drawn, tables sortable, a screenshot that is not blank. SCREENSHOT=PATH keeps the
# screenshot (docs/images/example-report.png is made this way).
set -euo pipefail
cd "$(dirname "$0")/../.."
CMNETC=${CMNETC:-${BUILD_DIR:-build}/bin/cmnetc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$CMNETC" doc examples/contoso.cmnet --format=html -o "$work/report.html" 2>"$work/stderr" ||
  { cat "$work/stderr"; exit 1; }
# The example has 7 hosts, 2 client groups and its external endpoints; 30 connections at least.
python3 tools/test.d/doc_browser.py "$work/report.html" --min-nodes 12 --min-edges 30 \
  ${SCREENSHOT:+--screenshot "$SCREENSHOT"}
