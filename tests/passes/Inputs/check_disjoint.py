#!/usr/bin/env python3
"""Read `cmnetc build --emit=ir-json` on stdin; fail if two rules of one host firewall, in one
direction, share a (source, destination, protocol, port or ICMP type) tuple.

Prints `checked N hosts, M rules: no overlaps` on success."""
import ipaddress
import json
import sys


def networks(cidrs):
    return [ipaddress.ip_network(c) for c in cidrs]


def addresses_overlap(a, b):
    return any(x.version == y.version and x.overlaps(y) for x in a for y in b)


def port_ranges(text):
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.append((int(lo), int(hi or lo)))
    return out


def services_overlap(a, b):
    if a["protocol"] != b["protocol"]:
        return False
    if a["protocol"] == "icmp":
        return a["icmp_type"] < 0 or b["icmp_type"] < 0 or a["icmp_type"] == b["icmp_type"]
    return any(lo1 <= hi2 and lo2 <= hi1
               for lo1, hi1 in port_ranges(a["ports"]) for lo2, hi2 in port_ranges(b["ports"]))


def main():
    policy = json.load(sys.stdin)
    hosts = rules = 0
    failures = []
    for point in policy["points"]:
        if point["kind"] != "host":
            continue
        hosts += 1
        for direction in ("inbound", "outbound"):
            placed = point[direction]
            rules += len(placed)
            parsed = [(r, networks(r["source"]), networks(r["destination"])) for r in placed]
            for i, (a, asrc, adst) in enumerate(parsed):
                for b, bsrc, bdst in parsed[i + 1:]:
                    if (services_overlap(a, b) and addresses_overlap(asrc, bsrc)
                            and addresses_overlap(adst, bdst)):
                        failures.append(f"{point['name']} {direction}: {a['source']} {a['ports'] if 'ports' in a else ''}"
                                        f" overlaps {b['source']} {b['ports'] if 'ports' in b else ''}")
    for f in failures:
        print("overlap:", f)
    if failures or rules == 0:
        print(f"FAILED: {len(failures)} overlaps in {rules} rules")
        return 1
    print(f"checked {hosts} hosts, {rules} rules: no overlaps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
