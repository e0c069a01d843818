#!/usr/bin/env python3
"""Compare `cmnetc catalog NAME --format=tsv` with a ground-truth table, row by row.

Rows are compared as multisets of whole lines (order does not matter). Every missing and
every extra row is named. Rows the catalog adds on purpose (notes encoded as behaviour, such
as the TFTP high-port range of Note 4) must be listed, with a reason, in the derived-rows file;
anything else extra is a failure. Exit 0 only when nothing is missing or unexplained.
"""
import argparse
import collections
import subprocess
import sys


def read_rows(text):
    lines = [l for l in text.splitlines() if l.strip()]
    header, rows = lines[0], lines[1:]
    return header, collections.Counter(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cmnetc", required=True)
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--derived", help="TSV of intended extra rows: the catalog name, the 11 columns "
                                      "of the row, then the reason")
    args = ap.parse_args()

    out = subprocess.run([args.cmnetc, "catalog", args.catalog, "--format=tsv"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        print(f"cmnetc catalog {args.catalog} failed with {out.returncode}")
        return 1
    got_header, got = read_rows(out.stdout)
    with open(args.truth, encoding="utf-8") as f:
        want_header, want = read_rows(f.read())
    if got_header != want_header:
        print(f"header differs:\n  got:  {got_header}\n  want: {want_header}")
        return 1
    derived = collections.Counter()
    if args.derived:
        with open(args.derived, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                if fields[0] == args.catalog:
                    derived["\t".join(fields[1:12])] += 1

    missing = want - got
    extra = got - want
    unexplained = extra - derived
    stale = derived - extra
    for row, n in sorted(missing.items()):
        print(f"MISSING ({n}x): {row}")
    for row, n in sorted(unexplained.items()):
        print(f"EXTRA ({n}x): {row}")
    for row, n in sorted(stale.items()):
        print(f"STALE DERIVED ROW (not produced): {row}")
    total_want = sum(want.values())
    matched = total_want - sum(missing.values())
    failed = sum(missing.values()) + sum(unexplained.values()) + sum(stale.values())
    print(f"{args.catalog}: {matched}/{total_want} ground-truth rows present, "
          f"{sum((extra & derived).values())} derived rows, {failed} problems")
    print(f"{matched} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
