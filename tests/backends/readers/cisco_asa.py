"""Reads Cisco ASA configurations (NAME.cfg) back into flows per interface access-list.

Understands network and service object-groups, extended access-list entries (ip, tcp, udp,
icmp, icmp6 with any/any4/any6, host, address-mask, IPv6 prefix and object-group operands;
eq, range and object-group ports; ICMP types) and access-group bindings. Each bound list is
evaluated first-match with the implicit deny at its end. Key: (device, interface).
"""

import glob
import ipaddress
import os

from flowspace import ALL_ICMP, ALL_PORTS, PROTOCOLS, Box, ReadError, address_sets, family_all, normalize


def net_item(tokens, i):
    """One address operand at tokens[i] -> ({family: intervals}, next index)."""
    t = tokens[i]
    if t == "any":
        return {4: family_all(4), 6: family_all(6)}, i + 1
    if t == "any4":
        return {4: family_all(4)}, i + 1
    if t == "any6":
        return {6: family_all(6)}, i + 1
    if t == "host":
        return address_sets([tokens[i + 1]]), i + 2
    if "/" in t:
        return address_sets([t]), i + 1
    mask = ipaddress.IPv4Address(tokens[i + 1])
    net = ipaddress.IPv4Network(f"{t}/{mask}", strict=True)
    return address_sets([str(net)]), i + 2


class Config:
    def __init__(self):
        self.networks, self.services, self.acls, self.bindings = {}, {}, {}, {}

    def operand(self, tokens, i):
        if tokens[i] == "object-group":
            name = tokens[i + 1]
            if name not in self.networks:
                raise ReadError(f"unknown network object-group {name}")
            return self.networks[name], i + 2
        return net_item(tokens, i)

    def ace(self, acl, tokens):
        """'permit tcp SRC DST [eq P | range A B | object-group S]' -> boxes appended to acl."""
        action = {"permit": "allow", "deny": "deny"}[tokens[0]]
        proto = tokens[1]
        src, i = self.operand(tokens, 2)
        dst, i = self.operand(tokens, i)
        rest = tokens[i:]
        if proto == "ip":
            if rest:
                raise ReadError("ports on an ip entry")
            per_proto = {p: {4: ALL_ICMP if p == "icmp" else ALL_PORTS, 6: ALL_ICMP if p == "icmp" else ALL_PORTS}
                         for p in PROTOCOLS}
        elif proto in ("tcp", "udp"):
            per_proto = {proto: {4: self.ports(proto, rest), 6: self.ports(proto, rest)}}
        elif proto in ("icmp", "icmp6"):
            types = ALL_ICMP if not rest else ((int(rest[0]), int(rest[0])),)
            per_proto = {"icmp": {4: types} if proto == "icmp" else {6: types}}
        else:
            raise ReadError(f"unknown protocol {proto}")
        for p, families in per_proto.items():
            for family, ports in families.items():
                if src.get(family) and dst.get(family):
                    self.acls.setdefault(acl, []).append(Box(action, family, p, src[family], dst[family], ports))

    def ports(self, proto, rest):
        if not rest:
            return ALL_PORTS
        if rest[0] == "eq":
            return ((int(rest[1]), int(rest[1])),)
        if rest[0] == "range":
            return ((int(rest[1]), int(rest[2])),)
        if rest[0] == "object-group":
            group_proto, ports = self.services[rest[1]]
            if group_proto != proto:
                raise ReadError(f"service group {rest[1]} is {group_proto}, used with {proto}")
            return ports
        raise ReadError(f"unknown port operand {' '.join(rest)}")


def parse(path):
    cfg = Config()
    group = None  # (kind, name) of the object-group being defined
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        if not line or line.startswith("!"):
            continue
        tokens = line.split()
        if line.startswith(" "):
            if group is None:
                raise ReadError(f"indented line outside an object-group: {line!r}")
            kind, name = group
            if kind == "network" and tokens[0] == "network-object":
                addrs, _ = net_item(tokens, 1)
                merged = cfg.networks[name]
                for family, ivs in addrs.items():
                    merged[family] = normalize(merged.get(family, ()) + ivs)
            elif kind == "service" and tokens[0] == "port-object":
                proto, ports = cfg.services[name]
                cfg.services[name] = (proto, normalize(ports + cfg.ports(proto, tokens[1:])))
            elif tokens[0] != "description":
                raise ReadError(f"unexpected group member {line!r}")
            continue
        group = None
        if tokens[:2] == ["clear", "configure"] or tokens[:2] == ["no", "object-group"]:
            continue
        if tokens[0] == "object-group" and tokens[1] == "network":
            group = ("network", tokens[2])
            cfg.networks[tokens[2]] = {}
        elif tokens[0] == "object-group" and tokens[1] == "service":
            group = ("service", tokens[2])
            cfg.services[tokens[2]] = (tokens[3], ())
        elif tokens[0] == "access-list" and tokens[2] == "remark":
            continue
        elif tokens[0] == "access-list" and tokens[2] == "extended":
            cfg.ace(tokens[1], tokens[3:])
        elif tokens[0] == "access-group" and tokens[2:4] == ["in", "interface"]:
            cfg.bindings[tokens[4]] = tokens[1]
        else:
            raise ReadError(f"{path}: cannot read line {line!r}")
    return cfg


def read(directory):
    result = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.cfg"))):
        device = os.path.basename(path)[: -len(".cfg")]
        cfg = parse(path)
        for interface, acl in cfg.bindings.items():
            if acl not in cfg.acls:
                raise ReadError(f"{path}: access-group names missing access-list {acl}")
            result[(device, interface)] = cfg.acls[acl]
    return result
