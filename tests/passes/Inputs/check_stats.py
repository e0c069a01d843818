#!/usr/bin/env python3
"""Read the `--stats` table (stderr of cmnetc) on stdin and check the optimizing passes: each
row's rules-out is at most its rules-in, detect-shadowing changes nothing, every row's out
count is the next row's in count, and the optimizing passes shrink the flows at all.

Prints `optimized: N flows -> M flows, A address blocks -> B` on success."""
import re
import sys

OPTIMIZING = ["dedup", "merge-port-ranges", "aggregate-addresses"]


def main():
    rows = {}
    order = []
    for line in sys.stdin:
        m = re.match(r"^([a-z-]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+$", line.strip())
        if m:
            name = m.group(1)
            rows[name] = tuple(int(g) for g in m.groups()[1:])
            order.append(name)
    errors = []
    for name in OPTIMIZING + ["detect-shadowing", "place"]:
        if name not in rows:
            errors.append(f"no --stats row for {name}")
    for prev, cur in zip(order, order[1:]):
        if rows[prev][1] != rows[cur][0] or rows[prev][3] != rows[cur][2]:
            errors.append(f"{cur} starts from {rows[cur][0]} rules/{rows[cur][2]} blocks, "
                          f"{prev} ended with {rows[prev][1]}/{rows[prev][3]}")
    for name in OPTIMIZING:
        if name in rows and rows[name][1] > rows[name][0]:
            errors.append(f"{name} grew the flows: {rows[name][0]} -> {rows[name][1]}")
    if "detect-shadowing" in rows and rows["detect-shadowing"][0] != rows["detect-shadowing"][1]:
        errors.append("detect-shadowing changed the flows")
    if not errors:
        before, after = rows["dedup"][0], rows["aggregate-addresses"][1]
        if after >= before:
            errors.append(f"the optimizing passes did not shrink anything ({before} -> {after})")
    for e in errors:
        print("error:", e)
    if errors:
        return 1
    print(f"optimized: {rows['dedup'][0]} flows -> {rows['aggregate-addresses'][1]} flows, "
          f"{rows['dedup'][2]} address blocks -> {rows['aggregate-addresses'][3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
