#!/usr/bin/env python3
"""exit_status.py WANT -- CMD ARGS...: run CMD with its output passed through, and succeed only
when it exits with status WANT (lit's `not` accepts any failure; exit codes are part of
cmnetc's interface: 0 ok, 1 errors in the input, 2 bad command line)."""
import subprocess
import sys

want = int(sys.argv[1])
assert sys.argv[2] == "--", "usage: exit_status.py WANT -- CMD ARGS..."
status = subprocess.call(sys.argv[3:])
if status != want:
    sys.stderr.write(f"exit_status.py: expected exit status {want}, got {status}\n")
    sys.exit(1)
