#!/usr/bin/env python3
"""Print a hierarchy of 1 central, 4 primary and 12 secondary sites with 3 hosts each (51 hosts,
more than the diagram draws one by one), after the doc tests' small catalog (copied in, so the
output can live anywhere). An argument sets the secondary sites per primary (3 by default)."""
import os
import sys

catalog = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mini_catalog.cmnet")
print(open(catalog, encoding="utf-8").read())
print("hierarchy big {")
print("  external domain_controller 10.255.0.2;")
sites = [("CAS", "central", None)]
for p in range(4):
    sites.append((f"P{p}", "primary", "CAS"))
    for s in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        sites.append((f"S{p}{s}", "secondary", f"P{p}"))
for i, (name, kind, parent) in enumerate(sites):
    print(f"  site {name} {kind}{' parent ' + parent if parent else ''} {{")
    print(f"    host {name.lower()}ss 10.{i}.0.10 : site_server, management_point;")
    print(f"    host {name.lower()}db 10.{i}.0.11 : site_database;")
    print(f"    host {name.lower()}mp 10.{i}.0.12 : management_point, site_server;")
    print(f"    clients 10.{i}.16.0/20;")
    print("  }")
print("}")
