#!/usr/bin/env python3
"""stderr_on_tty.py CMD ARGS...: run CMD with its stderr on a new pseudo-terminal (stdout
discarded) and print what it wrote there, as cmnetc behaves differently on a terminal. Exits
with CMD's status."""
import os
import pty
import subprocess
import sys

controller, terminal = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal)
os.close(terminal)
chunks = []
while True:
    try:
        data = os.read(controller, 65536)
    except OSError:  # EIO: the terminal closed with the process
        break
    if not data:
        break
    chunks.append(data)
status = proc.wait(timeout=120)
sys.stdout.write(b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))
sys.exit(status)
