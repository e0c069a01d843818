"""Reads Juniper SRX `set` files (NAME.set) back into flows per zone pair.

Understands global address-book addresses and address-sets, applications (tcp/udp with
destination ports, icmp/icmp6 with types) and application-sets, and security policies with
their match and then clauses, evaluated first-match per zone pair (the default policy denies the
rest). Statements may sit under `groups cmnet`, which must then be applied. Key:
(device, from-zone, to-zone).
"""

import glob
import os
import shlex

from flowspace import ALL_ICMP, ALL_PORTS, PROTOCOLS, Box, ReadError, address_sets, family_all, normalize

GROUP = ["groups", "cmnet"]


class Config:
    def __init__(self):
        self.addresses, self.address_sets = {}, {}
        self.applications, self.application_sets = {}, {}
        self.policies = {}  # (from, to) -> {name: {"source": [], "destination": [], "application": [], "then": …}}
        self.applied = self.deleted = False

    def statement(self, words):
        if words[:2] == ["security", "address-book"] and words[2] == "global":
            self.address_book(words[3:])
        elif words[0] == "applications":
            self.application(words[1:])
        elif words[:2] == ["security", "policies"]:
            self.policy(words[2:])
        else:
            raise ReadError(f"cannot read statement {' '.join(words)}")

    def address_book(self, words):
        if words[0] == "address":
            self.addresses[words[1]] = address_sets([words[2]])
        elif words[0] == "address-set" and words[2] == "address":
            self.address_sets.setdefault(words[1], []).append(words[3])
        else:
            raise ReadError(f"cannot read address-book statement {' '.join(words)}")

    def application(self, words):
        if words[0] == "application-set" and words[2] == "application":
            self.application_sets.setdefault(words[1], []).append(words[3])
            return
        if words[0] != "application":
            raise ReadError(f"cannot read application statement {' '.join(words)}")
        app = self.applications.setdefault(words[1], {})
        rest = words[2:]
        for key, value in zip(rest[::2], rest[1::2]):
            app[key] = value

    def policy(self, words):
        if words[0] != "from-zone" or words[2] != "to-zone" or words[4] != "policy":
            raise ReadError(f"cannot read policy statement {' '.join(words)}")
        pair = (words[1], words[3])
        p = self.policies.setdefault(pair, {}).setdefault(words[5], {"source": [], "destination": [],
                                                                    "application": [], "then": None})
        clause = words[6:]
        if clause[0] == "match" and clause[1] in ("source-address", "destination-address", "application"):
            p[clause[1].split("-")[0]].append(clause[2])
        elif clause[0] == "then":
            p["then"] = clause[1]
        elif clause[0] != "description":
            raise ReadError(f"cannot read policy clause {' '.join(clause)}")

    def resolve_addresses(self, names):
        out = {4: (), 6: ()}
        for name in names:
            if name == "any":
                found = {4: family_all(4), 6: family_all(6)}
            elif name == "any-ipv4":
                found = {4: family_all(4)}
            elif name == "any-ipv6":
                found = {6: family_all(6)}
            elif name in self.addresses:
                found = self.addresses[name]
            elif name in self.address_sets:
                found = self.resolve_addresses(self.address_sets[name])
            else:
                raise ReadError(f"unknown address {name}")
            for family, ivs in found.items():
                out[family] = normalize(out[family] + tuple(ivs))
        return out

    def resolve_applications(self, names):
        """-> list of (proto, {family: port or type intervals})."""
        out = []
        for name in names:
            if name == "any":
                out += [(p, {4: ALL_ICMP if p == "icmp" else ALL_PORTS, 6: ALL_ICMP if p == "icmp" else ALL_PORTS})
                        for p in PROTOCOLS]
            elif name in self.application_sets:
                out += self.resolve_applications(self.application_sets[name])
            elif name in self.applications:
                out.append(self.application_match(name, self.applications[name]))
            else:
                raise ReadError(f"unknown application {name}")
        return out

    @staticmethod
    def application_match(name, app):
        proto = app.get("protocol")
        if proto in ("tcp", "udp"):
            lo, _, hi = app.get("destination-port", "0-65535").partition("-")
            ports = ((int(lo), int(hi or lo)),)
            return proto, {4: ports, 6: ports}
        if proto == "icmp":
            t = app.get("icmp-type")
            return "icmp", {4: ALL_ICMP if t is None else ((int(t), int(t)),)}
        if proto == "icmp6":
            t = app.get("icmp6-type")
            return "icmp", {6: ALL_ICMP if t is None else ((int(t), int(t)),)}
        raise ReadError(f"application {name} has unknown protocol {proto}")

    def pair_boxes(self, pair):
        out = []
        for name, p in self.policies[pair].items():
            if p["then"] not in ("permit", "deny", "reject"):
                raise ReadError(f"policy {name} has no then clause")
            action = "allow" if p["then"] == "permit" else "deny"
            src, dst = self.resolve_addresses(p["source"]), self.resolve_addresses(p["destination"])
            for proto, families in self.resolve_applications(p["application"]):
                for family, ports in families.items():
                    if src[family] and dst[family]:
                        out.append(Box(action, family, proto, src[family], dst[family], ports))
        return out


def parse(path):
    cfg = Config()
    with open(path) as f:
        for line in f.read().splitlines():
            if not line or line.startswith("#"):
                continue
            words = shlex.split(line)
            if words == ["delete"] + GROUP:
                cfg.deleted = True
            elif words == ["set", "apply-groups", "cmnet"]:
                cfg.applied = True
            elif words[0] == "set" and words[1:3] == GROUP:
                if not cfg.deleted:
                    raise ReadError(f"{path}: group cmnet is set before it is deleted")
                cfg.statement(words[3:])
            elif words[0] == "set":
                cfg.statement(words[1:])
            else:
                raise ReadError(f"{path}: cannot read line {line!r}")
    if cfg.deleted and not cfg.applied:
        raise ReadError(f"{path}: group cmnet is never applied")
    return cfg


def read(directory):
    result = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.set"))):
        device = os.path.basename(path)[: -len(".set")]
        cfg = parse(path)
        for pair in cfg.policies:
            result[(device,) + pair] = cfg.pair_boxes(pair)
    return result
