#!/usr/bin/env python3
"""Run a command and assert how it ends: never a crash or a hang, the expected exit status,
and a bounded amount of output. Prints the command's stderr then stdout for FileCheck.

  run.py --exit 1 [--timeout S] [--max-output BYTES] -- COMMAND ARGS...
"""
import argparse
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--exit", type=int, required=True, help="the expected exit status")
ap.add_argument("--timeout", type=float, default=120, help="seconds before it counts as a hang")
ap.add_argument("--max-output", type=int, default=1 << 20, help="most bytes of stdout + stderr allowed")
ap.add_argument("command", nargs=argparse.REMAINDER)
a = ap.parse_args()
command = a.command[1:] if a.command[:1] == ["--"] else a.command
try:
    p = subprocess.run(command, capture_output=True, timeout=a.timeout)
except subprocess.TimeoutExpired:
    sys.exit(f"run.py: hang: {' '.join(command)} still running after {a.timeout} s")
sys.stdout.write(p.stderr.decode("utf-8", "replace"))
sys.stdout.write(p.stdout.decode("utf-8", "replace"))
if p.returncode < 0:
    sys.exit(f"run.py: crash: killed by signal {-p.returncode}")
if p.returncode != a.exit:
    sys.exit(f"run.py: exit status {p.returncode}, expected {a.exit}")
if len(p.stdout) + len(p.stderr) > a.max_output:
    sys.exit(f"run.py: {len(p.stdout) + len(p.stderr)} bytes of output, more than {a.max_output}")
