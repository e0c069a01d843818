#!/usr/bin/env python3
"""Print a topology whose host `web` (line 5, column 10) needs many cloud rules, for the limit
tests: --allows N gives N sources each on its own port (N rules no pass can merge), --ports N
one source on N separate ports (one rule of N port ranges). It imports catalog.cmnet from its
own directory: copy tests/backends/Inputs/catalog.cmnet next to the output."""
import argparse

ap = argparse.ArgumentParser()
ap.add_argument("--allows", type=int, default=0)
ap.add_argument("--ports", type=int, default=0)
args = ap.parse_args()
lines = ['import "catalog.cmnet";', "", "hierarchy limits {", "  site P01 primary {",
         "    host web 10.1.0.40 : site_database;", "  }"]
for i in range(args.allows):
    lines.append(f'  allow 10.{100 + i // 256}.{i % 256}.0/24 -> web tcp {20000 + 2 * i} "source {i}";')
if args.ports:
    ports = ",".join(str(20000 + 2 * i) for i in range(args.ports))
    lines.append(f'  allow 10.99.0.0/24 -> web tcp {ports} "many ports";')
lines.append("}")
print("\n".join(lines))
