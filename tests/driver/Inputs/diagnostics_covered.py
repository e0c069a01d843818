#!/usr/bin/env python3
"""diagnostics_covered.py TESTS_DIR < LIST: every diagnostic kind that `cmnetc
--list-diagnostics` prints must be checked, as `[name]`, by at least one test under TESTS_DIR
(Inputs folders do not count). Prints the kinds no test checks and exits 1 if there are any."""
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
names = [line.split()[0] for line in sys.stdin if line.strip()]
texts = [p.read_text(encoding="utf-8", errors="replace")
         for p in root.rglob("*") if p.suffix in (".cmnet", ".test") and "Inputs" not in p.parts]
missing = [n for n in names if not any(f"[{n}]" in t for t in texts)]
for n in missing:
    print(f"no test checks diagnostic [{n}]")
print(f"{len(names) - len(missing)} of {len(names)} diagnostic kinds are checked by a test")
sys.exit(1 if missing or not names else 0)
