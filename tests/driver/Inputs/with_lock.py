#!/usr/bin/env python3
"""with_lock.py DIR SECONDS -- CMD ARGS...: hold the build lock of output directory DIR (flock
on DIR/.cmnet-lock, as a build does) for SECONDS while CMD runs, then release it; pass CMD's
output through and exit with its status."""
import fcntl
import os
import subprocess
import sys
import threading

out_dir, seconds = sys.argv[1], float(sys.argv[2])
assert sys.argv[3] == "--", "usage: with_lock.py DIR SECONDS -- CMD ARGS..."
os.makedirs(out_dir, exist_ok=True)
fd = os.open(os.path.join(out_dir, ".cmnet-lock"), os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
timer = threading.Timer(seconds, lambda: fcntl.flock(fd, fcntl.LOCK_UN))
timer.start()
status = subprocess.call(sys.argv[4:])
timer.cancel()
sys.exit(status)
