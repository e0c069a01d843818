#!/usr/bin/env python3
"""concurrent_builds.py CMNETC A.cmnet B.cmnet WORK: five times, build A into a directory,
then build A and B into it at the same time; each tree left must be exactly what a build of
A alone or of B alone leaves (file names and contents, manifests included, nothing else).
Prints one line per round and exits 1 if any tree mixes the two or any build failed."""
import hashlib
import os
import subprocess
import sys

cmnetc, a, b, work = sys.argv[1:5]


def tree(root):
    files = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return files


def build(policy, out):
    return subprocess.Popen([cmnetc, "build", policy, "-o", out], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


refs = {}
for name, policy in (("A", a), ("B", b)):
    out = os.path.join(work, "ref-" + name)
    assert build(policy, out).wait() == 0
    refs[name] = tree(out)
assert refs["A"] != refs["B"]

failed = False
for round in range(5):
    out = os.path.join(work, f"round{round}")
    assert build(a, out).wait() == 0
    builds = [build(a, out), build(b, out)]
    statuses = [p.wait() for p in builds]
    left = tree(out)
    whole = [name for name, ref in refs.items() if left == ref]
    differ = {name: sum(1 for k in set(left) | set(ref) if left.get(k) != ref.get(k)) for name, ref in refs.items()}
    print(f"round {round}: exit {statuses}, tree {whole[0] if whole else 'MIXED'}"
          + ("" if whole else f" ({differ['A']} files differ from A's tree, {differ['B']} from B's)"))
    failed |= not whole or statuses != [0, 0]
sys.exit(1 if failed else 0)
