#!/usr/bin/env python3
"""exit_code.py N CMD...: run CMD (output discarded) and succeed only if it exits with N."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if got != want:
    print(f"expected exit status {want}, got {got}: {' '.join(sys.argv[2:])}")
sys.exit(0 if got == want else 1)
