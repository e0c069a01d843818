#!/usr/bin/env python3
"""Print every file under a directory with its size and SHA-256, sorted, so two snapshots can
be compared with diff: any created, removed or changed file (temporaries included) shows."""
import hashlib
import os
import sys

root = sys.argv[1]
for dirpath, dirnames, filenames in sorted(os.walk(root)):
    dirnames.sort()
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(os.path.relpath(path, root), os.path.getsize(path), digest)
