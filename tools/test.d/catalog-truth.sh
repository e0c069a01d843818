#!/usr/bin/env bash
# Both stdlib catalogs against the ground-truth tables built from Microsoft's documents.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
for c in current_branch cm2007; do
  python3 tests/catalog/compare_truth.py --cmnetc build/bin/cmnetc --catalog "cm.$c" \
    --truth "tests/catalog_truth/$c.tsv" --derived tests/catalog_truth/derived.tsv || status=1
done
exit $status
