"""Reads nftables scripts (HOST.nft) back into flows.

Understands the `inet` table the backend writes: named interval sets of addresses and ports,
base chains `input` / `output` with their policy, and rules matching `ip`/`ip6` saddr/daddr
(literal or @set), `meta nfproto`, `tcp`/`udp dport` (literal, range or @set),
`meta l4proto`, `icmp type` / `icmpv6 type`, ending in accept or drop. Connection-tracking,
loopback and neighbour-discovery rules are the fixed baseline and are not counted as flows.
"""

import glob
import os
import shlex

from flowspace import (ALL_ICMP, ALL_PORTS, PROTOCOLS, Box, ReadError, address_sets, family_all, header_addresses,
                       normalize, port_ranges, restrict)

ND_NAMES = {"nd-neighbor-solicit", "nd-neighbor-advert", "nd-router-advert", "nd-router-solicit"}


def elements(text):
    """'a, b-c' or '{ a, b }' -> list of items."""
    return [e.strip() for e in text.strip().strip("{}").split(",") if e.strip()]


class Rule:
    def __init__(self, tokens, sets):
        self.families = {4, 6}
        self.proto = None
        self.addrs = {"saddr": None, "daddr": None}
        self.ports = None
        self.verdict = None
        self.baseline = False
        self.parse(tokens, sets)

    def value(self, token, sets):
        return sets[token[1:]] if token.startswith("@") else elements(token)

    def restrict_family(self, family):
        if family not in self.families:
            raise ReadError("rule matches two address families")
        self.families = {family}

    def parse(self, tokens, sets):
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if t in ("ip", "ip6") and tokens[i + 1] in ("saddr", "daddr"):
                self.restrict_family(4 if t == "ip" else 6)
                self.addrs[tokens[i + 1]] = address_sets(self.value(tokens[i + 2], sets))
                i += 3
            elif t == "meta" and tokens[i + 1] == "nfproto":
                self.restrict_family({"ipv4": 4, "ipv6": 6}[tokens[i + 2]])
                i += 3
            elif t == "meta" and tokens[i + 1] == "l4proto":
                self.proto = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "ipv6-icmp": "icmp"}[tokens[i + 2]]
                if tokens[i + 2] in ("icmp", "ipv6-icmp"):
                    self.restrict_family(4 if tokens[i + 2] == "icmp" else 6)
                i += 3
            elif t in ("tcp", "udp") and tokens[i + 1] == "dport":
                self.proto = t
                self.ports = port_ranges(self.value(tokens[i + 2], sets))
                i += 3
            elif t in ("icmp", "icmpv6") and tokens[i + 1] == "type":
                self.restrict_family(4 if t == "icmp" else 6)
                self.proto = "icmp"
                items = elements(tokens[i + 2])
                if all(x in ND_NAMES for x in items):
                    self.baseline = True
                else:
                    self.ports = normalize((int(x), int(x)) for x in items)
                i += 3
            elif t == "ct" and tokens[i + 1] == "state":
                self.baseline = True  # return traffic and invalid packets: not new flows
                i += 3
            elif t in ("iif", "oif"):
                if tokens[i + 1] != "lo":
                    raise ReadError(f"unexpected interface match {t} {tokens[i + 1]}")
                self.baseline = True
                i += 2
            elif t == "comment":
                i += 2
            elif t in ("accept", "drop"):
                self.verdict = "allow" if t == "accept" else "deny"
                i += 1
            else:
                raise ReadError(f"cannot read rule token {t!r} in {' '.join(tokens)}")
        if self.verdict is None:
            raise ReadError(f"rule without verdict: {' '.join(tokens)}")

    def boxes(self):
        out = []
        for family in sorted(self.families):
            src = (self.addrs["saddr"] or {family: family_all(family)}).get(family, ())
            dst = (self.addrs["daddr"] or {family: family_all(family)}).get(family, ())
            for proto in [self.proto] if self.proto else PROTOCOLS:
                ports = self.ports if self.ports is not None else (ALL_ICMP if proto == "icmp" else ALL_PORTS)
                if src and dst:
                    out.append(Box(self.verdict, family, proto, src, dst, ports))
        return out


def tokenize(line):
    # Braced lists ("{ a, b }") are one token.
    out, depth, cur = [], 0, ""
    for word in shlex.split(line, posix=True):
        if depth or word.startswith("{"):
            cur = (cur + " " + word).strip()
            depth += word.count("{") - word.count("}")
            if depth == 0:
                out.append(cur)
                cur = ""
        else:
            out.append(word)
    return out


def parse(path):
    with open(path) as f:
        text = f.read()
    sets, chains, policies = {}, {}, {}
    lines = [ln.strip() for ln in text.splitlines()]
    i, chain = 0, None
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line or line.startswith("#") or line.startswith("table ") or line.startswith("delete table"):
            continue
        if line.startswith("set "):
            name, items = line.split()[1], []
            while not lines[i].startswith("}"):
                if lines[i].startswith("elements"):
                    items = elements(lines[i].split("=", 1)[1])
                i += 1
            i += 1
            sets[name] = items
        elif line.startswith("chain "):
            chain = line.split()[1]
            chains[chain] = []
        elif line.startswith("type filter hook"):
            policies[chain] = line.rstrip(";").split("policy")[1].strip(" ;")
        elif line == "}":
            chain = None
        elif chain:
            rule = Rule(tokenize(line), sets)
            if not rule.baseline:
                chains[chain] += rule.boxes()
        else:
            raise ReadError(f"{path}: cannot read line {line!r}")
    return text, chains, policies


def read(directory):
    result = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.nft"))):
        host = os.path.basename(path)[: -len(".nft")]
        text, chains, policies = parse(path)
        addrs = header_addresses(text)
        for direction, chain, own in (("in", "input", "dst"), ("out", "output", "src")):
            boxes = list(chains.get(chain, []))
            if policies.get(chain, "accept") == "accept":
                boxes += [b for f in (4, 6) for b in Rule(["meta", "nfproto", f"ipv{f}", "accept"], {}).boxes()]
            result[(host, direction)] = restrict(boxes, addrs, own)
    return result
