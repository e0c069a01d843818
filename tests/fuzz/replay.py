#!/usr/bin/env python3
"""Replay every input the fuzzer once crashed or hung on through `cmnetc build` to every target:
each must now end with exit 0 (compiled) or 1 (diagnostics), in time, with no sanitizer report.

  replay.py CMNETC REGRESSIONS_DIR SCRATCH_DIR
"""
import os
import shutil
import subprocess
import sys

cmnetc, regressions, scratch = sys.argv[1:4]
failures = []
names = sorted(n for n in os.listdir(regressions) if not n.startswith("."))
for name in names:
    out = os.path.join(scratch, name)
    shutil.rmtree(out, ignore_errors=True)
    command = [cmnetc, "build", os.path.join(regressions, name), "-o", out]
    try:
        p = subprocess.run(command, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        failures.append(f"{name}: hang (still running after 60 s)")
        continue
    stderr = p.stderr.decode("utf-8", "replace")
    if p.returncode not in (0, 1):
        failures.append(f"{name}: exit status {p.returncode}\n{stderr[-2000:]}")
    elif "Sanitizer" in stderr or "runtime error:" in stderr:
        failures.append(f"{name}: sanitizer report\n{stderr[-2000:]}")
    else:
        print(f"{name}: exit {p.returncode}")
for f in failures:
    print("FAIL " + f)
print(f"replayed {len(names)} inputs, {len(failures)} failed")
sys.exit(1 if failures or not names else 0)
