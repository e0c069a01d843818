#!/usr/bin/env python3
"""full_disk.py CMNETC WORK FROM:TO:STEP -- BUILD ARGS... [--then BUILD ARGS...]: run under
`unshare -m`. For disk sizes FROM to TO KiB in steps of STEP, mount a tmpfs that small on
WORK/disk and build into
WORK/disk/o with `cmnetc build BUILD ARGS`; with --then, rebuild over that with the second
arguments (skipping the sizes where the first build does not fit). Each build must either
succeed and leave what a build with room to spare leaves, or exit 1 and leave the disk as it
was: empty, or the first build's tree. Prints one line per outcome and exits 1 on any other."""
import hashlib
import os
import shutil
import subprocess
import sys

cmnetc, work = sys.argv[1], sys.argv[2]
sizes = range(*map(int, sys.argv[3].split(":")))
args = sys.argv[5:]
first, then = (args[:args.index("--then")], args[args.index("--then") + 1:]) if "--then" in args else (args, None)
disk = os.path.join(work, "disk")
os.makedirs(disk, exist_ok=True)


def tree(root):
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + dirnames:
            path = os.path.join(dirpath, name)
            if os.path.isdir(path):
                files[os.path.relpath(path, root)] = "dir"
                continue
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return files


def build(build_args, out):
    return subprocess.run([cmnetc, "build", *build_args, "-o", out], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE).returncode


def reference(build_args):
    out = os.path.join(work, "room")
    shutil.rmtree(out, ignore_errors=True)
    assert build(build_args, out) == 0
    return tree(out)


want_first = reference(first)
want_then = reference(then) if then else None
outcomes, bad = set(), []
for kib in sizes:
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", disk], check=True)
    try:
        out = os.path.join(disk, "o")
        status = build(first, out)
        before, want = {}, want_first
        if then:
            if status != 0:
                continue
            before, want = tree(out), want_then
            status = build(then, out)
        left = tree(out) if os.path.exists(out) else {}
        if status == 0 and left == want:
            outcomes.add("built")
        elif status == 1 and left == before and os.listdir(disk) == (["o"] if then else []):
            outcomes.add("failed, unchanged")
        else:
            bad.append(f"{kib} KiB: exit {status}, {len(left)} entries left, of them "
                       f"{sum(1 for k, v in left.items() if want.get(k) == v and before.get(k) != v)} new")
    finally:
        subprocess.run(["umount", disk], check=True)
for outcome in sorted(outcomes):
    print(outcome)
for line in bad:
    print("MIXED", line)
sys.exit(1 if bad else 0)
