"""Reads Azure NSG ARM templates (HOST.json) back into flows.

Evaluates the security rules per direction in priority order (first match), followed by Azure's
built-in defaults (AllowVnetInBound / AllowVnetOutBound / AllowInternetOutBound, modelled as
allowing everything, then DenyAll), so a template without its own deny-all reads as open.
Checks what Azure itself would reject: priorities outside 100-4096 or repeated in a direction,
repeated names, one rule mixing IPv4 and IPv6, a prefix and a prefix list in one rule. The
AzureLoadBalancer service-tag rule is the fixed baseline and is not counted as a policy flow.
Key: (host, "in"/"out").
"""

import json

from flowspace import (ALL_ICMP, ALL_PORTS, PROTOCOLS, Box, ReadError, address_sets, everything, family_all,
                       port_ranges, read_hosts, restrict)

BASELINE_TAGS = {"AzureLoadBalancer"}


def one_or_many(props, singular):
    plural = singular + "es" if singular.endswith("Prefix") else singular + "s"
    if (singular in props) == (plural in props):
        raise ReadError(f"a rule needs exactly one of {singular} and {plural}")
    return [props[singular]] if singular in props else list(props[plural])


def addresses(items):
    if items == ["*"]:
        return {4: family_all(4), 6: family_all(6)}, None
    if len(items) == 1 and items[0] in BASELINE_TAGS:
        return None, items[0]
    sets = address_sets(items)
    if sets[4] and sets[6]:
        raise ReadError(f"rule mixes IPv4 and IPv6 prefixes: {items}")
    return sets, None


def ports(items):
    if items == ["*"]:
        return ALL_PORTS
    return port_ranges(items)


def rule_boxes(props):
    src, tag = addresses(one_or_many(props, "sourceAddressPrefix"))
    if tag:
        return []  # the baseline health-probe rule
    dst, _ = addresses(one_or_many(props, "destinationAddressPrefix"))
    if one_or_many(props, "sourcePortRange") != ["*"]:
        raise ReadError("unexpected source port filter")
    dports = ports(one_or_many(props, "destinationPortRange"))
    action = {"Allow": "allow", "Deny": "deny"}[props["access"]]
    protos = {"Tcp": ["tcp"], "Udp": ["udp"], "Icmp": ["icmp"], "*": list(PROTOCOLS)}[props["protocol"]]
    out = []
    for proto in protos:
        if proto == "icmp" and dports != ALL_PORTS:
            raise ReadError("ports on an ICMP rule")
        for family in (4, 6):
            if src[family] and dst[family]:
                out.append(Box(action, family, proto, src[family], dst[family],
                               ALL_ICMP if proto == "icmp" else dports))
    return out


def read_template(path):
    with open(path) as f:
        doc = json.load(f)
    host_addrs = address_sets(doc["metadata"]["addresses"])
    (nsg,) = [r for r in doc["resources"] if r["type"] == "Microsoft.Network/networkSecurityGroups"]
    names, by_direction = set(), {"Inbound": [], "Outbound": []}
    for rule in nsg["properties"]["securityRules"]:
        props = rule["properties"]
        if rule["name"] in names:
            raise ReadError(f"{path}: rule name {rule['name']} repeated")
        names.add(rule["name"])
        if not 100 <= props["priority"] <= 4096:
            raise ReadError(f"{path}: priority {props['priority']} outside 100-4096")
        by_direction[props["direction"]].append(props)
    out = {}
    for direction, key, own in (("Inbound", "in", "dst"), ("Outbound", "out", "src")):
        rules = sorted(by_direction[direction], key=lambda p: p["priority"])
        priorities = [p["priority"] for p in rules]
        if len(set(priorities)) != len(priorities):
            raise ReadError(f"{path}: {direction} priorities repeat")
        boxes = [b for p in rules for b in rule_boxes(p)] + everything()  # Azure's allow-VNet defaults
        out[key] = restrict(boxes, host_addrs, own)
    return out


def read(directory):
    return read_hosts(directory, ".json", read_template)
