#!/usr/bin/env python3
"""Prove that a backend's output means what the placed IR says.

    check_meaning.py --backend iptables --ir policy.json OUTDIR/iptables

Reads the emitted configuration back with tests/backends/readers/<backend>.py, computes from
the IR (`cmnetc build --emit=ir-json`) the flows each enforcement point should allow, and
compares the two as sets of (family, protocol, source, destination, port) tuples with interval
arithmetic. Prints one line per point direction that differs, with a sample tuple on each side,
and a summary; exits 1 on any difference or read error.
"""

import argparse
import importlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "readers"))

from flowspace import (ALL_ICMP, ALL_PORTS, ReadError, address_sets, boxes_for, canonical, difference,  # noqa: E402
                       everything, port_ranges, restrict, witness)

HOST_BACKENDS = ("iptables", "windows", "azure-nsg", "aws-sg", "nftables")
PERIMETER_BACKENDS = ("cisco-asa", "juniper-srx")
ICMPV6_EQUIVALENT = {8: 128, 0: 129}


def parse_ports(text):
    """'80,443,8530-8531' -> intervals; '' (no ports) means every port."""
    if not text:
        return ALL_PORTS
    return port_ranges(text.split(","))


def rule_boxes(rule):
    """The boxes of one placed IR rule. ICMP types are ICMPv4 numbers; IPv6 gets the ICMPv6
    equivalent (8 -> 128, 0 -> 129) and no rule where there is none, as every backend does."""
    proto = rule["protocol"]
    if proto == "icmp":
        t = rule.get("icmp_type", -1)
        per_family = {4: ALL_ICMP if t < 0 else ((t, t),)}
        if t < 0:
            per_family[6] = ALL_ICMP
        elif t in ICMPV6_EQUIVALENT:
            t6 = ICMPV6_EQUIVALENT[t]
            per_family[6] = ((t6, t6),)
    else:
        ports = parse_ports(rule.get("ports", ""))
        per_family = {4: ports, 6: ports}
    return boxes_for(rule["action"], address_sets(rule["source"]), address_sets(rule["destination"]), proto,
                     per_family)


def rules_boxes(rules):
    # Denies come before allows in the IR (deny wins), so first-match order is the list order.
    return [b for r in rules for b in rule_boxes(r)]


def host_expectation(point):
    """Host firewall points: inbound rules; outbound rules, or every flow when there are none
    (without outbound rules the host's own traffic is not filtered)."""
    own = address_sets(point["addresses"])
    out = rules_boxes(point["outbound"]) if point["outbound"] else restrict(everything(), own, "src")
    return {(point["name"], "in"): rules_boxes(point["inbound"]), (point["name"], "out"): out}


def expected(ir, backend):
    points = ir["points"]
    firewalls = [p for p in points if p["kind"] == "firewall"]
    # The clients' own rulesets are host-style points too, except on azure-nsg and aws-sg, which
    # write none (Capabilities::clientRulesets).
    hosts = [p for p in points
             if p["kind"] == "host" or (p["kind"] == "clients" and backend not in ("azure-nsg", "aws-sg"))]
    out = {}
    if backend in HOST_BACKENDS:
        for p in hosts:
            out.update(host_expectation(p))
        return out
    if firewalls:
        for fw in firewalls:
            for pair in fw["zone_pairs"]:
                key = (fw["name"], pair["from"]) if backend == "cisco-asa" else (fw["name"], pair["from"], pair["to"])
                out.setdefault(key, []).extend(rules_boxes(pair["rules"]))
        return out
    # No firewall: one stand-in perimeter device per host (zones outside and inside).
    for p in hosts:
        h = host_expectation(p)
        inbound, outbound = h[(p["name"], "in")], h[(p["name"], "out")]
        if backend == "cisco-asa":
            out[(p["name"], "outside")], out[(p["name"], "inside")] = inbound, outbound
        else:
            out[(p["name"], "outside", "inside")], out[(p["name"], "inside", "outside")] = inbound, outbound
    return out


def compare(want, got):
    """Lines describing each key whose allowed flows differ (empty list: equal)."""
    problems = []
    for key in sorted(set(want) | set(got)):
        a, b = canonical(want.get(key, [])), canonical(got.get(key, []))
        if a == b:
            continue
        missing, extra = difference(a, b), difference(b, a)
        line = f"{'/'.join(key)}: differs"
        if missing:
            line += f"; the IR allows but the output does not: {witness(missing)}"
        if extra:
            line += f"; the output allows but the IR does not: {witness(extra)}"
        problems.append(line)
    return problems, len(set(want) | set(got))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", required=True, choices=HOST_BACKENDS + PERIMETER_BACKENDS)
    ap.add_argument("--ir", required=True, help="cmnetc build --emit=ir-json output")
    ap.add_argument("directory", help="the backend's output directory")
    args = ap.parse_args()
    with open(args.ir) as f:
        ir = json.load(f)
    reader = importlib.import_module(args.backend.replace("-", "_"))
    try:
        got = reader.read(args.directory)
    except (ReadError, ValueError, KeyError) as e:
        print(f"meaning: {args.backend}: cannot read {args.directory}: {type(e).__name__}: {e}")
        return 1
    want = expected(ir, args.backend)
    if not got and want:
        print(f"meaning: {args.backend}: nothing read from {args.directory}")
        return 1
    problems, count = compare(want, got)
    for p in problems:
        print(f"meaning: {args.backend}: {p}")
    print(f"meaning: {args.backend}: {count - len(problems)} of {count} point directions equal")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
