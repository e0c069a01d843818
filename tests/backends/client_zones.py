#!/usr/bin/env python3
"""Check that the clients' own rulesets agree with the declared firewalls that see the clients
as a zone.

    client_zones.py policy.json      (cmnetc build --emit=ir-json, with and without --outbound)

For every `clients` point and every firewall zone pair, what the firewall lets across into (out
of) the client group's subnets must be exactly what the group's inbound (outbound) rules allow
from (to) the addresses of the pair's other zone. Both sides are compared as sets of (family,
protocol, source, destination, port) tuples with the interval arithmetic of check_meaning.py.
Prints one line per differing pair and a summary; exits 1 on any difference, or when the IR
has no client group or no firewall zone pair that reaches one (a check of nothing).
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "readers"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from check_meaning import rules_boxes  # noqa: E402
from flowspace import address_sets, canonical, difference, restrict, witness  # noqa: E402


def main():
    with open(sys.argv[1]) as f:
        ir = json.load(f)
    groups = [p for p in ir["points"] if p["kind"] == "clients"]
    firewalls = [p for p in ir["points"] if p["kind"] == "firewall"]
    compared = problems = 0
    for fw in firewalls:
        zones = {z["name"]: address_sets(z["addresses"]) for z in fw["zones"]}
        for group in groups:
            own = address_sets(group["addresses"])
            for pair in fw["zone_pairs"]:
                for direction, own_end, peer_end, peer_zone, rules in (
                        ("in", "dst", "src", pair["from"], group["inbound"]),
                        ("out", "src", "dst", pair["to"], group["outbound"])):
                    if direction == "out" and not group["outbound"]:
                        continue  # without --outbound the clients' own traffic is not filtered
                    firewall = restrict(rules_boxes(pair["rules"]), own, own_end)
                    if not firewall:
                        continue
                    inside = pair["to"] if direction == "in" else pair["from"]
                    host = restrict(restrict(rules_boxes(rules), zones[peer_zone], peer_end), zones[inside], own_end)
                    compared += 1
                    a, b = canonical(firewall), canonical(host)
                    if a == b:
                        continue
                    problems += 1
                    line = f"{fw['name']} {pair['from']}->{pair['to']} vs {group['name']} {direction}: differs"
                    if difference(a, b):
                        line += f"; the firewall allows but the clients do not: {witness(difference(a, b))}"
                    if difference(b, a):
                        line += f"; the clients allow but the firewall does not: {witness(difference(b, a))}"
                    print(line)
    if not compared:
        print("client zones: no firewall zone pair reaches a client group")
        return 1
    print(f"client zones: {compared - problems} of {compared} zone pairs agree with the client rulesets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
