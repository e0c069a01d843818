#!/usr/bin/env python3
"""Print the reasons ("kind: text", one a line) of the rules of one enforcement point in an
ir-json policy that match a protocol and port list exactly:
rule_reasons.py JSON POINT PROTO PORTS, where POINT is a host (its inbound rules) or
FIREWALL:FROM>TO (the rules of one of its zone pairs)."""
import json
import sys

path, point_name, proto, ports = sys.argv[1:5]
name, _, pair = point_name.partition(":")
with open(path) as f:
    policy = json.load(f)
for point in policy["points"]:
    if point["name"] != name:
        continue
    if pair:
        zone_from, zone_to = pair.split(">")
        rules = [r for zp in point.get("zone_pairs", []) if (zp["from"], zp["to"]) == (zone_from, zone_to)
                 for r in zp["rules"]]
    else:
        rules = point.get("inbound", [])
    for rule in rules:
        if rule["protocol"] == proto and rule.get("ports") == ports:
            for why in rule["why"]:
                print(f"{why['kind']}: {why['text']}")
