"""Reads iptables-restore / ip6tables-restore files (HOST.rules, HOST.rules6) back into flows.

Follows jumps into user chains (a sub-chain's rules are intersected with the jump's matches),
applies first-match order and the built-in chain policy, and limits INPUT to packets addressed
to the host (OUTPUT: sent by it). Connection-tracking, loopback and neighbour-discovery lines
are the fixed baseline and are recognised, not counted as policy flows.
"""

import glob
import os
import shlex

from flowspace import (ALL_ICMP, ALL_PORTS, Box, ReadError, family_all, header_addresses, normalize,
                       intersect, parse_net, restrict, PROTOCOLS)

ICMP_NAMES = {"echo-reply": 0, "echo-request": 8, "router-solicitation": 133, "router-advertisement": 134,
              "neighbour-solicitation": 135, "neighbour-advertisement": 136}
ND_TYPES = {133, 134, 135, 136}


def parse_ports(text):
    out = []
    for item in text.split(","):
        lo, _, hi = item.partition(":")
        out.append((int(lo), int(hi or lo)))
    return normalize(out)


class Match:
    """The conjunction of a rule's matches: None means unconstrained."""

    def __init__(self, family):
        self.family = family
        self.proto = None
        self.src = family_all(family)
        self.dst = family_all(family)
        self.ports = None
        self.baseline = False

    def both(self, other):
        """The intersection of two matches, or None when it is empty."""
        m = Match(self.family)
        if self.proto and other.proto and self.proto != other.proto:
            return None
        m.proto = self.proto or other.proto
        m.src, m.dst = intersect(self.src, other.src), intersect(self.dst, other.dst)
        if self.ports is None or other.ports is None:
            m.ports = self.ports if other.ports is None else other.ports
        else:
            m.ports = intersect(self.ports, other.ports)
        if not m.src or not m.dst or (m.ports is not None and not m.ports):
            return None
        return m

    def boxes(self, action):
        out = []
        for proto in [self.proto] if self.proto else PROTOCOLS:
            ports = self.ports if self.ports is not None else (ALL_ICMP if proto == "icmp" else ALL_PORTS)
            out.append(Box(action, self.family, proto, self.src, self.dst, ports))
        return out


def parse_rule(tokens, family):
    """'-A CHAIN …' tokens -> (chain, Match, target)."""
    m = Match(family)
    chain = target = None
    i = 0
    while i < len(tokens):
        opt = tokens[i]
        arg = tokens[i + 1] if i + 1 < len(tokens) else None
        i += 2
        if opt == "-A":
            chain = arg
        elif opt in ("-s", "-d"):
            fam, iv = parse_net(arg)
            if fam != family:
                raise ReadError(f"IPv{fam} address {arg} in an IPv{family} file")
            setattr(m, "src" if opt == "-s" else "dst", (iv,))
        elif opt == "-p":
            m.proto = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "ipv6-icmp": "icmp"}[arg]
            if (arg == "icmp" and family == 6) or (arg == "ipv6-icmp" and family == 4):
                raise ReadError(f"-p {arg} in an IPv{family} file")
        elif opt == "-m":
            if arg not in ("multiport", "comment", "conntrack", "tcp", "udp", "icmp", "icmp6"):
                raise ReadError(f"unknown match -m {arg}")
        elif opt in ("--dport", "--dports"):
            m.ports = parse_ports(arg)
        elif opt in ("--icmp-type", "--icmpv6-type"):
            t = ICMP_NAMES[arg] if arg in ICMP_NAMES else int(arg)
            m.ports = ((t, t),)
            m.baseline = family == 6 and t in ND_TYPES and m.src == family_all(6)
        elif opt == "--comment":
            pass
        elif opt == "--ctstate":
            if arg not in ("RELATED,ESTABLISHED", "ESTABLISHED,RELATED", "INVALID"):
                raise ReadError(f"unexpected --ctstate {arg}")
            m.baseline = True  # return traffic and invalid packets: not new flows
        elif opt in ("-i", "-o"):
            if arg != "lo":
                raise ReadError(f"unexpected interface match {opt} {arg}")
            m.baseline = True
        elif opt == "-j":
            target = arg
        else:
            raise ReadError(f"unknown option {opt}")
    if not chain or not target:
        raise ReadError("rule without -A or -j: " + " ".join(tokens))
    return chain, m, target


def parse_file(path, family):
    chains, policies, order = {}, {}, []
    with open(path) as f:
        text = f.read()
    table = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):
            table = line[1:]
        elif line == "COMMIT":
            table = None
        elif line.startswith(":"):
            name, policy = line[1:].split()[:2]
            policies[name] = policy
            chains.setdefault(name, [])
        elif line.startswith("-A"):
            if table != "filter":
                raise ReadError(f"{path}: rule outside *filter")
            chain, match, target = parse_rule(shlex.split(line), family)
            if chain not in chains:
                raise ReadError(f"{path}: rule in undeclared chain {chain}")
            chains[chain].append((match, target))
        else:
            raise ReadError(f"{path}: cannot read line {line!r}")
    return text, chains, policies


def walk(chains, name, constraint, depth=0):
    """The ordered boxes of chain `name` under `constraint` (the matches of the jumps so far)."""
    if depth > 8:
        raise ReadError("chain jumps nest too deeply")
    out = []
    for match, target in chains[name]:
        if match.baseline:
            continue
        m = constraint.both(match)
        if m is None:
            continue
        if target in ("ACCEPT", "DROP", "REJECT"):
            out += m.boxes("allow" if target == "ACCEPT" else "deny")
        elif target in chains:
            out += walk(chains, target, m, depth + 1)
        else:
            raise ReadError(f"unknown target {target}")
    return out


def read(directory):
    result = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.rules"))):
        host = os.path.basename(path)[: -len(".rules")]
        for family, file in ((4, path), (6, path + "6")):
            text, chains, policies = parse_file(file, family)
            addrs = header_addresses(text)
            for direction, builtin, own in (("in", "INPUT", "dst"), ("out", "OUTPUT", "src")):
                boxes = walk(chains, builtin, Match(family)) if builtin in chains else []
                if policies.get(builtin, "ACCEPT") == "ACCEPT":
                    boxes += Match(family).boxes("allow")
                result.setdefault((host, direction), []).extend(restrict(boxes, addrs, own))
    return result
