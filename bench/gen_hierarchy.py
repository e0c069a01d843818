#!/usr/bin/env python3
"""Generate .cmnet inputs for benchmarks: Configuration Manager hierarchies up to Microsoft's
published limits, and flat policies of N explicit allow rules.

Hierarchy mode writes a topology that imports cm.current_branch:

  1 central administration site (CAS) with its site server, SMS Provider, site database,
    top-level software update point, service connection point and an admin console host;
  P primary sites under it, each with a site server + SMS Provider, a site database, M
    management points, a software update point, a fallback status point, D distribution
    points, and client subnets;
  S secondary sites under each primary, each with a site server that is also management point,
    distribution point and (SQL Server Express) site database, plus E more distribution points
    and a client subnet.

The `max` preset is Microsoft's published maximum for current branch ("Size and scale
numbers"): 25 child primaries under one CAS, 250 secondaries per primary, 250 distribution
points per site and 5,000 per primary including its secondaries (250 at the primary, 19 at
each secondary: 250 + 250 * 19 = 5,000), 15 management points per primary, and client subnets
for 700,000 clients (see the header the tool writes for the exact count).

Flat mode writes N `allow ADDRESS -> HOST tcp PORT;` statements against a small site: the
shape general-purpose firewall compilers (ferm, Capirca, Aerleon) are benchmarked with.

Output is deterministic: the same arguments always give byte-identical text.

  bench/gen_hierarchy.py --preset max -o max.cmnet
  bench/gen_hierarchy.py --flat 100000 -o flat100k.cmnet
  bench/gen_hierarchy.py --primaries 3 --secondaries 10 -o custom.cmnet
"""

import argparse
import random
import sys

# primaries, secondaries per primary, DPs at each primary, extra DPs at each secondary (besides
# the site server's own), MPs per primary, client /20s per primary, client prefix length per
# secondary.
PRESETS = {
    "small": dict(primaries=2, secondaries=3, primary_dps=3, secondary_dps=1, mps=2,
                  primary_client_blocks=1, secondary_client_prefix=25, pull_sources=1),
    # No pull-distribution source in medium and max: every distribution point of the hierarchy
    # pulls from a source (the catalog's scope), 125,000 peers whose addresses no Azure NSG or
    # AWS security group can hold, so those two targets rightly refuse; --pull-sources 1 adds it.
    "medium": dict(primaries=5, secondaries=40, primary_dps=50, secondary_dps=4, mps=5,
                   primary_client_blocks=2, secondary_client_prefix=25, pull_sources=0),
    # 250 + 250 * (1 + 18) = 5,000 DPs per primary; clients: 25 * 3 * 4096 + 6,250 * 64 = 707,200.
    "max": dict(primaries=25, secondaries=250, primary_dps=250, secondary_dps=18, mps=15,
                primary_client_blocks=3, secondary_client_prefix=26, pull_sources=0),
}

LIMITS = dict(primaries=25, secondaries=250, dps_per_site=250, dps_per_primary=5000, mps=15)


class Writer:
    def __init__(self, out):
        self.out = out
        self.hosts = 0
        self.client_addresses = 0

    def line(self, text=""):
        self.out.write(text + "\n")

    def host(self, indent, name, address, roles):
        self.hosts += 1
        self.line(f"{indent}host {name} {address} : {roles};")

    def clients(self, indent, prefixes):
        for p in prefixes:
            self.client_addresses += 1 << (32 - int(p.split("/")[1]))
        self.line(f"{indent}clients {', '.join(prefixes)};")


def check_limits(a):
    problems = []
    if a.primaries > LIMITS["primaries"]:
        problems.append(f"{a.primaries} primaries (a CAS supports {LIMITS['primaries']})")
    if a.secondaries > LIMITS["secondaries"]:
        problems.append(f"{a.secondaries} secondaries per primary (limit {LIMITS['secondaries']})")
    if a.primary_dps > LIMITS["dps_per_site"] or a.secondary_dps + 1 > LIMITS["dps_per_site"]:
        problems.append(f"more than {LIMITS['dps_per_site']} distribution points in one site")
    per_primary = a.primary_dps + a.secondaries * (a.secondary_dps + 1)
    if per_primary > LIMITS["dps_per_primary"]:
        problems.append(f"{per_primary} distribution points per primary (limit {LIMITS['dps_per_primary']})")
    if a.mps > LIMITS["mps"]:
        problems.append(f"{a.mps} management points per primary (limit {LIMITS['mps']})")
    if a.primary_client_blocks > 15 or not 25 <= a.secondary_client_prefix <= 28:
        problems.append("client subnets do not fit the address plan (<= 15 /20s per primary, /25-/28 per secondary)")
    return problems


def nth_address(base_a, base_b, index):
    """The index-th address of 10.A.B.0 upwards (spilling into following /24s)."""
    return f"10.{base_a}.{base_b + index // 256}.{index % 256}"


def write_hierarchy(a, w):
    # Address plan: CAS 10.0.0.0/24; primary p (1-based) servers 10.p.0.0/22 and clients
    # 10.p.16.0/20, 10.p.32.0/20, ...; its secondary s: 10.(100+p).s.0/24 with servers from .1
    # and clients in the top half.
    w.line("import cm.current_branch;")
    w.line()
    w.line(f"hierarchy bench {{")
    w.line("  dynamic_rpc = 49152-65535;")
    w.line("  external domain_controller 10.0.0.2, 10.0.0.3;")
    w.line("  external global_catalog 10.0.0.2;")
    w.line("  external issuing_ca 10.0.0.4;")
    w.line("  external internet any;")
    w.line()
    w.line("  site CAS central {")
    w.host("    ", "cas01", "10.0.0.10", "site_server, sms_provider")
    w.host("    ", "cassql", "10.0.0.11", "site_database")
    w.host("    ", "cassup", "10.0.0.12", "software_update_point { https = true; }")
    w.host("    ", "cassvc", "10.0.0.13", "service_connection_point")
    w.host("    ", "admin01", "10.0.0.20", "console")
    w.line("  }")
    pull_left = a.pull_sources
    for p in range(1, a.primaries + 1):
        site = f"P{p:02d}"
        w.line()
        w.line(f"  site {site} primary parent CAS {{")
        w.host("    ", f"p{p:02d}ss", f"10.{p}.0.10", "site_server, sms_provider")
        w.host("    ", f"p{p:02d}sql", f"10.{p}.0.11", "site_database")
        w.host("    ", f"p{p:02d}sup", f"10.{p}.0.12", "software_update_point")
        w.host("    ", f"p{p:02d}fsp", f"10.{p}.0.13", "fallback_status_point")
        for m in range(a.mps):
            w.host("    ", f"p{p:02d}mp{m + 1:02d}", f"10.{p}.0.{20 + m}", "management_point")
        for d in range(a.primary_dps):
            role = "distribution_point"
            if pull_left > 0 and d == 0:
                role += " { pull_source = true; }"
                pull_left -= 1
            elif d % 10 == 1:
                role += " { pxe = true; multicast = true; }"
            w.host("    ", f"p{p:02d}dp{d + 1:03d}", nth_address(p, 1, d), role)
        w.clients("    ", [f"10.{p}.{16 * (b + 1)}.0/20" for b in range(a.primary_client_blocks)])
        w.line("  }")
        for s in range(a.secondaries):
            sec = f"S{p:02d}{s + 1:03d}"
            octet = 100 + p
            w.line(f"  site {sec} secondary parent {site} {{")
            w.host("    ", f"s{p:02d}{s + 1:03d}ss", f"10.{octet}.{s}.1",
                   "site_server, management_point, distribution_point, site_database")
            for d in range(a.secondary_dps):
                w.host("    ", f"s{p:02d}{s + 1:03d}dp{d + 1:02d}", f"10.{octet}.{s}.{2 + d}", "distribution_point")
            w.clients("    ", [f"10.{octet}.{s}.128/{a.secondary_client_prefix}"])
            w.line("  }")
    w.line()
    w.line('  deny 10.255.0.0/16 -> * tcp 3389 "quarantined lab";')
    w.line('  allow 10.0.5.0/24 -> cas01 tcp 3389 "jump hosts";')
    w.line("}")


def write_flat(n, seed, w):
    """N allow rules from distinct sources to 16 hosts on varied TCP/UDP ports."""
    rng = random.Random(seed)
    w.line("import cm.current_branch;")
    w.line()
    w.line("hierarchy flat {")
    w.line("  site S central {")
    hosts = [f"srv{i:02d}" for i in range(16)]
    for i, name in enumerate(hosts):
        w.host("    ", name, f"192.168.0.{i + 1}", "file_server")
    w.line("  }")
    for i in range(n):
        src = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
        if rng.random() < 0.25:
            src += "/32"
        proto = "udp" if rng.random() < 0.2 else "tcp"
        port = rng.randrange(1, 65536)
        ports = f"{port}" if rng.random() < 0.9 else f"{port}-{min(65535, port + rng.randrange(1, 100))}"
        w.line(f"  allow {src} -> {hosts[rng.randrange(len(hosts))]} {proto} {ports};")
    w.line("}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), help="hierarchy preset (default: small)")
    ap.add_argument("--flat", type=int, metavar="N", help="write N explicit allow rules instead of a hierarchy")
    ap.add_argument("--seed", type=int, default=1, help="random seed of flat mode (default 1)")
    for key in PRESETS["small"]:
        ap.add_argument("--" + key.replace("_", "-"), type=int, dest=key, help="override the preset's value")
    ap.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    a = ap.parse_args()

    if a.flat is not None and not 0 <= a.flat <= 1 << 24:
        ap.error("--flat N needs 0 <= N <= 16777216 (the address plan)")
    preset = PRESETS[a.preset or "small"]
    for key, value in preset.items():
        if getattr(a, key) is None:
            setattr(a, key, value)
    if a.flat is None:
        problems = check_limits(a)
        if problems:
            ap.error("beyond Microsoft's published limits: " + "; ".join(problems))

    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8", newline="\n")
    w = Writer(out)
    if a.flat is not None:
        w.line(f"// Generated by bench/gen_hierarchy.py --flat {a.flat} --seed {a.seed}")
        write_flat(a.flat, a.seed, w)
    else:
        w.line(f"// Generated by bench/gen_hierarchy.py --preset {a.preset or 'small'}")
        write_hierarchy(a, w)
    if out is not sys.stdout:
        out.close()
    kind = f"{a.flat} allow rules" if a.flat is not None else \
        f"{1 + a.primaries * (1 + a.secondaries)} sites, {w.hosts} hosts, {w.client_addresses} client addresses"
    print(f"gen_hierarchy: {kind}", file=sys.stderr)


if __name__ == "__main__":
    main()
