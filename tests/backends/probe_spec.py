#!/usr/bin/env python3
"""Derive a netns_probe.py expectation file for one host from the placed IR.

    probe_spec.py --ir policy.json --host p01 --addresses      -> "SERVER4 CLIENT4 SERVER6 CLIENT6"
    probe_spec.py --ir policy.json --host p01 [--max N]        -> spec lines on stdout

The client is an address inside the first client subnet the host's inbound rules name (per
family; '-' where there is none). For that client the spec expects every opened TCP/UDP port
range open at both ends, and closed: the port just below and just above each range and the
other protocol on each opened port, unless the policy opens those too. --outside picks a client
outside every source instead and expects all of those probes closed. Probes are thinned evenly
to at most --max so a run stays short.
"""

import argparse
import ipaddress
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "readers"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from check_meaning import rule_boxes  # noqa: E402
from flowspace import normalize  # noqa: E402


def host_point(ir, name):
    for p in ir["points"]:
        if p["kind"] == "host" and p["name"] == name:
            return p
    sys.exit(f"probe_spec: no host {name!r} in the IR")


def first_network(version, texts, min_size=1):
    for t in texts:
        net = ipaddress.ip_network(t)
        if net.version == version and net.num_addresses >= min_size:
            return net
    return None


def pick_addresses(point, outside, hosts):
    """(server, client) per family: the client sits in a client subnet of the host's inbound
    rules, on no host's address (or, with outside, outside every source)."""
    out = {}
    for version in (4, 6):
        server = first_network(version, point["addresses"])
        client_net = None
        for rule in point["inbound"]:
            if "clients" in rule["peer"]:
                client_net = client_net or first_network(version, rule["source"], min_size=256)
        if server is None or client_net is None:
            continue
        if outside:
            sources = [ipaddress.ip_network(s) for r in point["inbound"] for s in r["source"]]
            candidate = client_net.broadcast_address + 11
            while any(candidate in s for s in sources if s.version == version):
                candidate += 1 << 8
            client = candidate
        else:
            client = client_net.network_address + 10
            while any(client in h for h in hosts):
                client += 1
        out[version] = (server.network_address, client)
    return out


def allowed_ports(point, version, server, client):
    """{proto: intervals} the policy opens from client to server."""
    ports = {"tcp": [], "udp": []}
    for rule in point["inbound"]:
        for box in rule_boxes(rule):
            if box.family != version or box.proto not in ports or box.action != "allow":
                continue
            if any(lo <= int(client) <= hi for lo, hi in box.src) and any(lo <= int(server) <= hi for lo, hi in box.dst):
                ports[box.proto] += box.ports
    return {p: normalize(v) for p, v in ports.items()}


def contains(intervals, port):
    return any(lo <= port <= hi for lo, hi in intervals)


def probes(allowed, family_tag, expect_open):
    opened, closed = [], []
    other = {"tcp": "udp", "udp": "tcp"}
    for proto, intervals in allowed.items():
        for lo, hi in intervals:
            lo, hi = max(lo, 1), min(hi, 65535)
            for port in sorted({lo, hi}):
                opened.append(f"{'open' if expect_open else 'closed'} {proto} {port}{family_tag}")
                if not contains(allowed[other[proto]], port):
                    closed.append(f"closed {other[proto]} {port}{family_tag}")
            for port in (lo - 1, hi + 1):
                if 1 <= port <= 65535 and not contains(intervals, port):
                    closed.append(f"closed {proto} {port}{family_tag}")
    return opened, closed


def thin(lines, limit):
    if len(lines) <= limit:
        return lines
    step = len(lines) / limit
    return [lines[int(i * step)] for i in range(limit)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ir", required=True)
    ap.add_argument("--host", required=True)
    ap.add_argument("--max", type=int, default=60)
    ap.add_argument("--outside", action="store_true", help="probe from outside every source: all closed")
    ap.add_argument("--addresses", action="store_true", help="print SERVER4 CLIENT4 SERVER6 CLIENT6")
    args = ap.parse_args()
    with open(args.ir) as f:
        ir = json.load(f)
    point = host_point(ir, args.host)
    hosts = [ipaddress.ip_network(a) for p in ir["points"] if p["kind"] == "host" for a in p["addresses"]]
    picked = pick_addresses(point, args.outside, hosts)
    if args.addresses:
        words = []
        for version in (4, 6):
            words += [str(a) for a in picked[version]] if version in picked else ["-", "-"]
        print(" ".join(words))
        return 0
    opened, closed = [], []
    for version, (server, client) in sorted(picked.items()):
        if args.outside:
            # What the subnet clients may reach must stay shut for an address outside them.
            inside = pick_addresses(point, False, hosts)[version]
            allowed = allowed_ports(point, version, *inside)
        else:
            allowed = allowed_ports(point, version, server, client)
        o, c = probes(allowed, "" if version == 4 else " v6", not args.outside)
        opened += o
        closed += c
    if not opened:
        sys.exit(f"probe_spec: the policy opens no TCP/UDP port to {args.host} from its clients")
    closed = list(dict.fromkeys(closed))  # 444 is both 443+1 and 445-1
    half = args.max // 2
    lines = thin(opened, max(half, args.max - len(closed))) + thin(closed, half)
    print(f"# {args.host}: {'outside client, everything closed' if args.outside else 'from a client subnet'}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
