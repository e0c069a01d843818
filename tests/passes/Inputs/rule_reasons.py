#!/usr/bin/env python3
"""Print the reasons ("kind: text", one a line) of the inbound rules of one host in an
ir-json policy that match a protocol and port list exactly: rule_reasons.py JSON HOST PROTO PORTS"""
import json
import sys

path, host, proto, ports = sys.argv[1:5]
with open(path) as f:
    policy = json.load(f)
for point in policy["points"]:
    if point["name"] != host:
        continue
    for rule in point.get("inbound", []):
        if rule["protocol"] == proto and rule.get("ports") == ports:
            for why in rule["why"]:
                print(f"{why['kind']}: {why['text']}")
