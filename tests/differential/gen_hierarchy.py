#!/usr/bin/env python3
"""Random valid cmnet hierarchies for the differential test, deterministic per seed.

    gen_hierarchy.py --seed N [--stdlib DIR]      -> one .cmnet topology on stdout

The roles, their parameters and their types are read from the catalog the hierarchy imports
(stdlib/cm/*.cmnet), so the generator follows the catalog as it changes. A hierarchy has sites of
every kind (central, primary, secondary, standalone primaries), hosts with one to three roles
(IPv4, some dual stack), client subnets in both families, external roles bound to addresses, to
`any` or left unbound, overrides of globals and of role parameters at the hierarchy, site and
host level, allow and deny statements over every kind of endpoint, and sometimes a perimeter
firewall. Everything it writes is valid: hosts and client subnets never overlap, ports stay
clear of 65535 (a default `http_port + 1` must still be a port), and the parameter pairs that
catalog rules reject are left alone.

Address plan, per site number s: hosts 10.s.0.10+i (and fd00:s::10+i), clients 10.s.16.0/20
(and fd00:s:16::/64); external endpoints under 10.200.0.0/16 and 2001:db8:200::/48.
generate() returns the text and a description of what it made (sites, hosts, clients,
externals) that run_differential.py uses to pick addresses.
"""

import argparse
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Parameters a catalog rule constrains against others, or whose value must be consistent with
# another: overriding them alone would make the hierarchy invalid (or only warn); kept at the
# default.
LEFT_ALONE = {"https_port", "sql_dynamic_ports", "named_instance", "proxy", "proxy_port", "vms"}
PORT_CHOICES = (80, 443, 8080, 8443, 8530, 8531, 1433, 2000, 10123, 22)


def read_catalog(path):
    """{role: (kind, [(param, type)])}, [(global param, type)] and the entry tags of a catalog."""
    text = open(path, encoding="utf-8").read()
    roles, globals_ = {}, []
    current = None
    for line in text.splitlines():
        line = line.split("//")[0].strip()
        m = re.match(r'role (\w+) "[^"]*"\s*(client|external)?\s*(\{)?\s*;?', line)
        if m:
            roles[m.group(1)] = (m.group(2) or "host", [])
            current = m.group(1) if m.group(3) else None
            continue
        m = re.match(r"param (\w+)\s*:\s*(\w+)\s*=.*?(fixed)?\s*;", line)
        if m and not m.group(3):
            (roles[current][1] if current else globals_).append((m.group(1), m.group(2)))
        elif line.startswith("}"):
            current = None
    return roles, globals_, sorted(set(re.findall(r"\btag (\w+)", text)))


class Generator:
    def __init__(self, seed, catalog):
        self.r = random.Random(seed)
        self.catalog = catalog
        self.roles, self.globals, self.tags = read_catalog(os.path.join(ROOT, "stdlib", "cm", catalog + ".cmnet"))
        self.host_roles = sorted(n for n, (k, _) in self.roles.items() if k == "host")
        self.external_roles = sorted(n for n, (k, _) in self.roles.items() if k == "external")
        self.client_role = next(n for n, (k, _) in self.roles.items() if k == "client")

    def value(self, ptype):
        r = self.r
        if ptype == "bool":
            return r.choice(("true", "false"))
        if ptype == "port":
            return str(r.choice(PORT_CHOICES) if r.random() < 0.6 else r.randint(1024, 60000))
        if ptype == "ports":
            lo = r.randint(20000, 60000)
            return f"{lo}-{lo + r.randint(0, 3000)}" if r.random() < 0.8 else str(lo)
        if ptype == "int":
            return str(r.randint(1, 3))
        return None  # strings and addresses: left at the default

    def overridable(self, role):
        return [(p, t) for p, t in self.roles[role][1] if p not in LEFT_ALONE and self.value_type_ok(t)]

    @staticmethod
    def value_type_ok(ptype):
        return ptype in ("bool", "port", "ports", "int")

    def assignment(self, role, qualified, taken):
        """One override of a parameter of \p role not yet in \p taken (the names given in this
        scope: a second override of one name is an error); ports are chosen more often than the
        site_server_initiated_only flag that nearly every role has."""
        params = [(p, t) for p, t in self.overridable(role) if (role, p) not in taken]
        if not params:
            return None
        common = [pt for pt in params if pt[0] == "site_server_initiated_only"]
        rest = [pt for pt in params if pt not in common]
        p, t = self.r.choice(rest if rest and (not common or self.r.random() < 0.75) else common)
        taken.add((role, p))
        name = f"{role}.{p}" if qualified else p
        return f"{name} = {self.value(t)};"

    def generate(self):
        r = self.r
        lines, info = [f"import cm.{self.catalog};", "", "hierarchy h {"], {"sites": [], "hosts": [], "clients": [],
                                                                            "externals": [], "firewall": None}
        for name, ptype in self.globals:
            if name not in LEFT_ALONE and self.value_type_ok(ptype) and r.random() < 0.4:
                lines.append(f"  {name} = {self.value(ptype)};")
        taken = set()
        for _ in range(r.randint(0, 3)):
            role = r.choice(self.host_roles + [self.client_role])
            a = self.assignment(role, True, taken)
            if a:
                lines.append("  " + a)
        for i, role in enumerate(r.sample(self.external_roles, r.randint(1, len(self.external_roles)))):
            choice = r.random()
            if choice < 0.3:
                continue  # unbound: resolves to any, with a warning
            if choice < 0.55:
                lines.append(f"  external {role} any;")
                info["externals"].append((role, ["any"]))
                continue
            addrs = [f"10.200.{i}.{r.randint(1, 250)}"]
            if r.random() < 0.3:
                addrs.append(f"2001:db8:200:{i:x}::{r.randint(1, 250):x}")
            lines.append(f"  external {role} {', '.join(addrs)};")
            info["externals"].append((role, addrs))

        sites = []  # (name, kind, parent)
        central = r.random() < 0.6
        if central:
            sites.append(("CAS", "central", None))
        for p in range(r.randint(1, 3)):
            sites.append((f"P0{p + 1}", "primary", "CAS" if central else None))
        primaries = [s[0] for s in sites if s[1] == "primary"]
        for s in range(r.randint(0, 2)):
            sites.append((f"S0{s + 1}", "secondary", r.choice(primaries)))
        host_count = 0
        for number, (name, kind, parent) in enumerate(sites, start=1):
            lines.append(f"  site {name} {kind}{' parent ' + parent if parent else ''} {{")
            info["sites"].append(name)
            for i in range(r.randint(1, 3)):
                host_count += 1
                hname = f"h{host_count}"
                addrs = [f"10.{number}.0.{10 + i}"]
                if r.random() < 0.35:
                    addrs.append(f"fd00:{number}::{10 + i:x}")
                roles = r.sample(self.host_roles, r.randint(1, 3))
                parts = []
                for role in roles:
                    block = ""
                    if r.random() < 0.3:
                        a = self.assignment(role, False, set())
                        if a:
                            block = " { " + a + " }"
                    parts.append(role + block)
                lines.append(f"    host {hname} {', '.join(addrs)} : {', '.join(parts)};")
                info["hosts"].append({"name": hname, "site": name, "addresses": addrs, "roles": roles})
            if r.random() < 0.85:
                nets = [f"10.{number}.16.0/20"]
                if r.random() < 0.4:
                    nets.append(f"fd00:{number}:16::/64")
                block = ""
                if r.random() < 0.3:
                    a = self.assignment(self.client_role, False, set())
                    if a:
                        block = " { " + a + " }"
                lines.append(f"    clients {', '.join(nets)}{block};")
                info["clients"].append({"site": name, "prefixes": nets})
            taken = set()
            for _ in range(r.randint(0, 2)):
                a = self.assignment(r.choice(self.host_roles), True, taken)
                if a:
                    lines.append("    " + a)
            lines.append("  }")

        for _ in range(r.randint(0, 4)):
            lines.append("  " + self.statement(info))
        if r.random() < 0.35:
            zones = [f"zone s{n} = 10.{n}.0.0/16, fd00:{n}::/32;" for n in range(1, len(sites) + 1)
                     if r.random() < 0.7]
            zones.append("zone outside = any;")
            lines.append(f"  firewall edge {{ {' '.join(zones)} }}")
            info["firewall"] = "edge"
        lines.append("}")
        return "\n".join(lines) + "\n", info

    def endpoint(self, info):
        r = self.r
        kind = r.random()
        if kind < 0.15:
            return "*"
        if kind < 0.4 and info["hosts"]:
            return r.choice(info["hosts"])["name"]
        if kind < 0.55:
            return r.choice(self.host_roles + [self.client_role])
        if kind < 0.7:
            return r.choice(info["sites"])
        site = r.randint(1, max(1, len(info["sites"])))
        return r.choice((f"10.{site}.16.0/24", f"10.{site}.0.0/24", f"10.{site}.16.{r.randint(1, 250)}",
                         f"fd00:{site}:16::/64", "192.0.2.0/24"))

    def statement(self, info):
        r = self.r
        src, dst = self.endpoint(info), self.endpoint(info)
        proto = r.choice(("tcp", "udp"))
        lo = r.choice(PORT_CHOICES) if r.random() < 0.5 else r.randint(1, 60000)
        ports = f"{lo}-{lo + r.randint(1, 50)}" if r.random() < 0.3 else str(lo)
        if r.random() < 0.5:
            return f'allow {src} -> {dst} {proto} {ports} "generated allow";'
        tags = [" " + t for t in self.tags[:3]]
        service = r.choice([f" {proto} {ports}", f" {proto} {ports}", ""] + tags)
        return f'deny {src} -> {dst}{service} "generated deny";'


def generate(seed, catalog=None):
    catalog = catalog or ("current_branch" if random.Random(seed).random() < 0.8 else "cm2007")
    return Generator(seed, catalog).generate()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--catalog", choices=("current_branch", "cm2007"))
    args = ap.parse_args()
    sys.stdout.write(generate(args.seed, args.catalog)[0])


if __name__ == "__main__":
    main()
