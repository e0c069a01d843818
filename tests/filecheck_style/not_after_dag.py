#!/usr/bin/env python3
"""Fails when a test has a PREFIX-NOT line after a PREFIX-DAG line of the same prefix.

FileCheck scans a CHECK-NOT only between the matches around it; after a group of CHECK-DAGs
that range is whatever lies past the last DAG match, often nothing, so the negative check can
never fail. Negative checks belong in their own RUN line with their own prefix, which then
scans the whole output.

Usage: not_after_dag.py PATH...  A directory is searched for the files lit runs (*.cmnet and
*.test outside Inputs/ folders); a file is checked whatever its name. Exit 0 when no file has
the shape, 1 when one does, 2 on bad arguments.
"""
import os
import re
import sys

# A check directive: the prefix must not continue a longer word (FileCheck's own rule).
DIRECTIVE = re.compile(r"(?<![\w-])([A-Za-z][\w-]*?)-(DAG|NOT)(?:\{LITERAL\})?:")
TEST_SUFFIXES = (".cmnet", ".test")


def test_files(path):
    if not os.path.isdir(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "Inputs")
        for name in sorted(files):
            if name.endswith(TEST_SUFFIXES):
                yield os.path.join(root, name)


def problems(path):
    first_dag = {}  # prefix -> line of its first -DAG
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            for match in DIRECTIVE.finditer(line):
                prefix, kind = match.groups()
                if kind == "DAG":
                    first_dag.setdefault(prefix, number)
                elif prefix in first_dag:
                    yield (f"{path}:{number}:{match.start() + 1}: error: {prefix}-NOT after "
                           f"{prefix}-DAG (line {first_dag[prefix]}) scans only past the last DAG "
                           f"match; check it in its own RUN line with its own prefix")


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found = files = 0
    for path in argv[1:]:
        if not os.path.exists(path):
            print(f"{path}: error: no such file or directory", file=sys.stderr)
            return 2
        for file in test_files(path):
            files += 1
            for message in problems(file):
                print(message)
                found += 1
    if not files:
        print("error: no test files found", file=sys.stderr)
        return 2
    print(f"{files} files checked, {found} negative checks after DAGs")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
