#!/usr/bin/env python3
"""Differential test: `cmnetc explain` against every target's enforcement, tuple by tuple.

    run_differential.py --seed S --count N [--tuples K] [--kernel] [--check-provenance]
                        [--vendor-models] [--cmnetc PATH] [--keep DIR]

For each of N random valid hierarchies (gen_hierarchy.py, seeds S*100000+i) it builds every
target (nftables, iptables, windows, cisco-asa, juniper-srx, azure-nsg, aws-sg, ir-json), with
or without --outbound, then samples (source address, destination, protocol, port) tuples: a
client address, another host's address, an external endpoint's address and an address outside
everything, towards one or two hosts, on the ports at and around every edge (one below, the
first, the last, one above) of every range the explanation or a reader names, plus random
ports. For each tuple it compares:

- explain's verdict at each enforcement point on the path (`--format=json`) with the verdict
  of each target's reader (tests/backends/readers) at the same point: a host's inbound rules
  for the destination host, its outbound rules for a source host, the zone-pair rules of a
  declared firewall (cisco-asa, juniper-srx), or the stand-in perimeter device per host when
  none is declared; a host with no outbound point on the path must let its traffic out;
- with --kernel (root), the destination host's nftables and iptables rulesets loaded into a
  real kernel in two network namespaces (tests/kernel/netns_probe.py's machinery), probed with
  real TCP connects and UDP datagrams from every sampled source address;
- with --check-provenance, that every provenance id on every placed rule (ir-json) names a
  flow after apply-policy (`--print-after=apply-policy`) that intersects the rule;
- with --vendor-models, the aws-sg and azure-nsg outputs against the vendors' SDK models
  (tests/backends/vendor_models.py, with /usr/bin/python3).

Prints each disagreement with the hierarchy's seed (regenerate it with gen_hierarchy.py
--seed), and a summary: hierarchies, tuples, verdicts compared, disagreements. Exits 1 on any
disagreement or failure.
"""

import argparse
import fcntl
import glob
import importlib
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "backends", "readers"))
sys.path.insert(0, os.path.join(ROOT, "tests", "kernel"))
sys.path.insert(0, HERE)

import gen_hierarchy  # noqa: E402
from flowspace import ReadError  # noqa: E402

HOST_TARGETS = ("nftables", "iptables", "windows", "azure-nsg", "aws-sg")
PERIMETER_TARGETS = ("cisco-asa", "juniper-srx")
TARGETS = HOST_TARGETS + PERIMETER_TARGETS
OUTSIDE = {4: "198.51.100.77", 6: "2001:db8:ffff::77"}
PROBE_TIMEOUT = 0.3


class Stats:
    def __init__(self):
        self.hierarchies = self.tuples = self.compared = self.kernel = self.kernel6 = self.rules = 0
        self.kernel_hierarchies = 0
        self.problems = []
        self.provenance = 0  # of the problems, provenance ones
        self.skipped = {}

    def problem(self, seed, text):
        self.problems.append(f"seed {seed}: {text}")
        self.provenance += text.startswith("provenance:")
        print(f"DISAGREE seed {seed}: {text}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300, **kw)


# --- readers ------------------------------------------------------------------------------

def first_match(boxes, family, proto, src, dst, port):
    """The action of the first box holding the tuple; a rule set drops what no rule names."""
    def inside(intervals, value):
        return any(lo <= value <= hi for lo, hi in intervals)
    for b in boxes:
        if b.family == family and b.proto == proto and inside(b.src, src) and inside(b.dst, dst) \
                and inside(b.ports, port):
            return b.action == "allow"
    return False


def read_targets(outdir):
    got = {}
    for target in TARGETS:
        directory = os.path.join(outdir, target)
        if not os.path.isdir(directory):
            continue
        reader = importlib.import_module(target.replace("-", "_"))
        got[target] = reader.read(directory)
    return got


# --- explain -------------------------------------------------------------------------------

def explain(cmnetc, path, src, dst, outbound):
    cmd = [cmnetc, "explain", path, "--from", src, "--to", dst, "--format=json"] + (["--outbound"] if outbound else [])
    p = run(cmd)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[:500]}")
    return json.loads(p.stdout)


def port_ranges(text):
    out = []
    for item in text.split(","):
        if item:
            lo, _, hi = item.partition("-")
            out.append((int(lo), int(hi or lo)))
    return out


def explained_verdicts(answer, proto, port):
    """Per path point, explain's verdict on (proto, port): the run that holds it, else closed."""
    for run_ in answer["runs"]:
        if run_["protocol"] == proto and any(lo <= port <= hi for lo, hi in port_ranges(run_["ports"])):
            return [p["verdict"] == "open" for p in run_["points"]]
    return [False] * len(answer["path"])


# --- sampling ------------------------------------------------------------------------------

def family_of(address):
    return ipaddress.ip_address(address).version


def random_in(prefix, r):
    net = ipaddress.ip_network(prefix)
    if net.num_addresses <= 2:
        return str(net.network_address)
    return str(net.network_address + r.randint(1, min(net.num_addresses - 2, 1 << 20)))


def sources_for(info, dest, r):
    """(label, address) sources of each family the destination has: a client, another host, an
    external endpoint, an address outside everything."""
    families = {family_of(a) for a in dest["addresses"]}
    out = []
    clients = [p for c in info["clients"] for p in c["prefixes"]]
    hosts = [h for h in info["hosts"] if h is not dest]
    externals = [a for _, addrs in info["externals"] for a in addrs if a != "any"]
    for family in sorted(families):
        pool = [("client", random_in(p, r)) for p in clients if ipaddress.ip_network(p).version == family]
        pool += [(h["name"], a) for h in hosts for a in h["addresses"] if family_of(a) == family]
        pool += [("external", a) for a in externals if family_of(a) == family]
        r.shuffle(pool)
        kinds, picked = set(), []
        for label, a in pool:
            kind = "host" if label not in ("client", "external") else label
            if kind not in kinds:
                kinds.add(kind)
                picked.append((label, a))
        picked.append(("outside", OUTSIDE[family]))
        out.extend(picked)
    return out


def edges(ranges):
    for lo, hi in ranges:
        for p in (lo - 1, lo, hi, hi + 1):
            if 1 <= p <= 65535:
                yield p


def sample_ports(answer, reader_boxes, r, limit):
    """{proto: ports}: the edges of every range explain or a reader names, thinned to limit,
    plus two random ports per protocol."""
    named = {"tcp": set(), "udp": set()}
    for run_ in answer["runs"]:
        if run_["protocol"] in named:
            named[run_["protocol"]].update(edges(port_ranges(run_["ports"])))
    for boxes in reader_boxes:
        for b in boxes:
            if b.proto in named:
                named[b.proto].update(edges(b.ports))
    out = {}
    for proto, ports in named.items():
        ports = sorted(ports)
        if len(ports) > limit:
            ports = sorted(r.sample(ports, limit))
        out[proto] = sorted(set(ports) | {r.randint(1, 65535), r.randint(1, 65535)})
    return out


# --- provenance ----------------------------------------------------------------------------

# Reasons print as " [kind: text]" each; a catalog row's text may hold brackets itself
# ("LDAP (Secure Sockets Layer [SSL] connection)"), so the list is split on "] [".
FLOW_LINE = re.compile(r"^flow (.*) \((.*?)\) -> (.*) \((.*?)\) (tcp|udp|icmp) (.*?) (allow|deny)((?: \[.*\])?)$")


def addr_set(texts):
    out = {4: [], 6: []}
    for t in texts:
        t = t.strip()
        if t in ("", "none"):
            continue
        if t == "any":
            out[4].append(ipaddress.ip_network("0.0.0.0/0"))
            out[6].append(ipaddress.ip_network("::/0"))
            continue
        n = ipaddress.ip_network(t)
        out[n.version].append(n)
    return out


def addrs_intersect(a, b):
    return any(x.overlaps(y) for f in (4, 6) for x in a[f] for y in b[f])


def parse_flows(dump):
    flows = []
    for line in dump.splitlines():
        if not line.startswith("flow "):
            continue
        m = FLOW_LINE.match(line)
        if not m:
            raise RuntimeError(f"unparsed flow line: {line[:200]}")
        if m.group(7) != "allow":
            continue
        proto, ports = m.group(5), m.group(6)
        reasons = m.group(8).strip()
        why = {tuple(r.split(": ", 1)) for r in reasons[1:-1].split("] [")} if reasons else set()
        flows.append({"src": addr_set(m.group(2).split(",")), "dst": addr_set(m.group(4).split(",")),
                      "proto": proto, "ports": [] if proto == "icmp" else port_ranges(ports), "why": why})
    return flows


def check_provenance(ir, flows, seed, stats):
    """Every placed rule, on hosts and on declared firewalls, cites only reasons of allow flows
    (as apply-policy leaves them) that share a tuple with it; a firewall's zone-pair rule, which
    every allow flow reaches, also every reason of each flow that meets it."""
    def ports_meet(a, b):
        return any(lo <= y_hi and x_lo <= hi for lo, hi in a for x_lo, y_hi in b)
    rules = []  # (point, rule, whether every allow flow meeting it is placed there)
    for point in ir["points"]:
        # A host holds only the flows whose own end is placed on it: one toward an external
        # role bound to any meets the host's address yet is not behind its rules.
        for key in ("inbound", "outbound"):
            rules += [(point["name"], r, False) for r in point.get(key, [])]
        for pair in point.get("zone_pairs", []):
            rules += [(point["name"], r, True) for r in pair["rules"]]
    bad = 0

    def report(name, rule, what):
        nonlocal bad
        bad += 1
        if bad <= 3:
            stats.problem(seed, f"provenance: {name}: rule {rule['protocol']} {rule.get('ports', '')} "
                                f"{','.join(rule['source'])} -> {','.join(rule['destination'])} {what}")

    for name, rule, complete in rules:
        if rule.get("action", "allow") != "allow":
            continue
        src, dst = addr_set(rule["source"]), addr_set(rule["destination"])
        ports = port_ranges(rule.get("ports", ""))
        meeting = [f for f in flows if f["proto"] == rule["protocol"] and addrs_intersect(f["src"], src)
                   and addrs_intersect(f["dst"], dst) and (rule["protocol"] == "icmp" or ports_meet(f["ports"], ports))]
        cited = {(why["kind"], why["text"]) for why in rule["why"]}
        for kind, text in sorted(cited):
            if not any((kind, text) in f["why"] for f in meeting):
                report(name, rule, f"cites {kind}: {text!r}, which no intersecting flow carries")
        for kind, text in sorted(set().union(*(f["why"] for f in meeting)) - cited if complete else ()):
            report(name, rule, f"does not cite {kind}: {text!r}, which an intersecting flow carries")
    stats.rules += len(rules)
    return bad


# --- kernel --------------------------------------------------------------------------------

class Kernel:
    """One pair of namespaces per Linux target, reused across hierarchies: each hierarchy
    flushes the ruleset and addresses, adds the destination's and every source's addresses,
    loads the destination's rules, binds a listener on every probed port and probes."""

    def __init__(self, lock):
        import netns_probe
        self.np = netns_probe
        self.lock = lock
        self.labs = {}
        for target in ("nftables", "iptables"):
            lab = netns_probe.Lab()
            tag = f"{os.getpid()}-{target[:3]}"
            lab.srv, lab.cli = f"cmnet-diff-srv-{tag}", f"cmnet-diff-cli-{tag}"
            lab.create(ipaddress.ip_interface("198.18.0.1/32"), ipaddress.ip_interface("198.18.0.2/32"),
                       ipaddress.ip_interface("2001:db8:fffe::1/128"), ipaddress.ip_interface("2001:db8:fffe::2/128"))
            self.labs[target] = lab

    def close(self):
        for lab in self.labs.values():
            lab.cleanup()

    def batch(self, ns, commands):
        p = run(["ip", "-n", ns, "-force", "-batch", "-"], input="\n".join(commands) + "\n")
        if p.returncode != 0:
            raise RuntimeError(f"ip -batch in {ns}: {p.stderr.strip()[:400]}")

    def probe(self, target, outdir, host, dest_addrs, probes, timeout=PROBE_TIMEOUT):
        """probes: [(src, dst, proto, port)] -> [open?], under the machine-wide kernel-test lock
        (held per batch, so a long campaign does not shut other kernel tests out)."""
        with open(self.lock, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self.probe_locked(target, outdir, host, dest_addrs, probes, timeout)

    def probe_locked(self, target, outdir, host, dest_addrs, probes, timeout):
        np, lab = self.np, self.labs[target]
        srv_if, cli_if, cli_mac = np.SRV_IF, np.CLI_IF, np.CLI_MAC
        sources = sorted({p[0] for p in probes})
        run(["ip", "netns", "exec", lab.srv, "nft", "flush", "ruleset"])
        server = [f"addr flush dev {srv_if} scope global"]
        server += [f"addr add {a}/{32 if family_of(a) == 4 else 128} dev {srv_if}"
                   + ("" if family_of(a) == 4 else " nodad") for a in dest_addrs]
        # ip -batch takes no -6 per line: the address says the family.
        for s in sources:
            server += [f"route replace {s} dev {srv_if}",
                       f"neigh replace {s} lladdr {cli_mac} dev {srv_if} nud permanent"]
        client = [f"addr flush dev {cli_if} scope global"]
        client += [f"addr add {s}/{32 if family_of(s) == 4 else 128} dev {cli_if}"
                   + ("" if family_of(s) == 4 else " nodad") for s in sources]
        for a in dest_addrs:
            client += [f"route replace {a} dev {cli_if}",
                       f"neigh replace {a} lladdr {np.SRV_MAC} dev {cli_if} nud permanent"]
        self.batch(lab.srv, server)
        self.batch(lab.cli, client)
        if target == "nftables":
            args = argparse.Namespace(backend="nftables", ruleset=os.path.join(outdir, "nftables", host + ".nft"))
        else:
            base = os.path.join(outdir, "iptables", host)
            args = argparse.Namespace(backend="iptables", ruleset=base + ".rules", ruleset6=base + ".rules6",
                                      iptables_variant="nft")
        ok, message = np.load_ruleset(lab, args)
        if not ok:
            raise RuntimeError(message)
        endpoints = sorted({(proto, family_of(dst), dst, port) for _, dst, proto, port in probes})
        listener = lab.start(lab.srv, [sys.executable, np.__file__, "__listen__", "300"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            listener.stdin.write((json.dumps([list(e) for e in endpoints]) + "\n").encode())
            listener.stdin.flush()
            np.wait_ready(listener, 15)
            request = json.dumps([list(p) for p in probes])
            p = run(["ip", "netns", "exec", lab.cli, sys.executable, __file__, "__probe__", str(timeout)],
                    input=request)
            if p.returncode != 0:
                raise RuntimeError(f"probe: {p.stderr.strip()[:400]}")
            return json.loads(p.stdout)
        finally:
            listener.stdin.close()
            listener.kill()
            listener.wait()
            if listener in lab.procs:  # cleanup() on a signal may have emptied the list
                lab.procs.remove(listener)


def role_probe(timeout):
    """Inside the client namespace: [[src, dst, proto, port], ...] on stdin -> [open?]."""
    from concurrent.futures import ThreadPoolExecutor
    import netns_probe
    probes = json.loads(sys.stdin.read())

    def one(item):
        i, (src, dst, proto, port) = item
        _, verdict, _ = netns_probe._probe_one((i, proto, family_of(dst), dst, port), {family_of(dst): src}, timeout)
        return verdict == "open"
    with ThreadPoolExecutor(max_workers=256) as ex:
        json.dump(list(ex.map(one, enumerate(probes))), sys.stdout)
    return 0


# --- one hierarchy -------------------------------------------------------------------------

def build(cmnetc, path, outdir, outbound, seed, stats):
    """Build every target; a target that refuses the hierarchy with a capability error is left
    out (counted), anything else is a failure."""
    targets = list(TARGETS)
    while True:
        cmd = [cmnetc, "build", path, "-o", outdir, "--target=" + ",".join(targets + ["ir-json"]),
               "--print-after=apply-policy"] + (["--outbound"] if outbound else [])
        p = run(cmd)
        if p.returncode == 0:
            return p.stdout, targets
        refused = [t for t in targets if re.search(rf"\b{re.escape(t)}\b", p.stderr)]
        if p.returncode != 1 or not refused:
            stats.problem(seed, f"cmnetc build failed ({p.returncode}): {p.stderr.strip()[:600]}")
            return None, []
        for t in refused:
            stats.skipped[t] = stats.skipped.get(t, 0) + 1
            targets.remove(t)


def check_hierarchy(seed, args, stats, kernel, workdir):
    r = random.Random(seed)
    text, info = gen_hierarchy.generate(seed)
    path = os.path.join(workdir, f"h{seed}.cmnet")
    with open(path, "w") as f:
        f.write(text)
    outdir = os.path.join(workdir, f"out{seed}")
    outbound = r.random() < 0.35
    dump, targets = build(args.cmnetc, path, outdir, outbound, seed, stats)
    if dump is None:
        return
    stats.hierarchies += 1
    with open(os.path.join(outdir, "ir-json", "policy.json")) as f:
        ir = json.load(f)
    if args.check_provenance:
        check_provenance(ir, parse_flows(dump), seed, stats)
    if args.vendor_models:
        for target in ("aws-sg", "azure-nsg"):
            if target in targets and glob.glob(os.path.join(outdir, target, "*.json")):
                p = run(["/usr/bin/python3", os.path.join(ROOT, "tests", "backends", "vendor_models.py"),
                         "--backend", target, os.path.join(outdir, target)])
                if p.returncode != 0:
                    stats.problem(seed, f"vendor models: {p.stdout.strip()[:600]}")
    try:
        got = read_targets(outdir)
    except (ReadError, ValueError, KeyError) as e:
        stats.problem(seed, f"a reader cannot read the output: {type(e).__name__}: {e}")
        return
    firewalls = [p for p in ir["points"] if p["kind"] == "firewall"]
    dests = r.sample(info["hosts"], min(len(info["hosts"]), args.destinations))
    for d, dest in enumerate(dests):
        kernel_probes, kernel_expect = [], []
        for label, src in sources_for(info, dest, r):
            dst = next(a for a in dest["addresses"] if family_of(a) == family_of(src))
            # A host by name when that names exactly this address, else the address.
            to_text = dest["name"] if len(dest["addresses"]) == 1 else dst
            src_host = next((h for h in info["hosts"] if src in h["addresses"]), None)
            from_text = src_host["name"] if src_host and len(src_host["addresses"]) == 1 and r.random() < 0.5 else src
            answer = explain(args.cmnetc, path, from_text, to_text, outbound)
            path_points = answer["path"]
            inbound = [i for i, p in enumerate(path_points) if p.get("direction") == "inbound"]
            if [path_points[i]["name"] for i in inbound] != [dest["name"]]:
                stats.problem(seed, f"explain --from {from_text} --to {to_text}: the path {path_points} does not "
                                    f"end at {dest['name']}'s inbound rules")
                continue
            boxes = [got[t].get((dest["name"], "in"), []) for t in targets if t in HOST_TARGETS]
            ports = sample_ports(answer, boxes, r, args.tuples)
            family = family_of(src)
            s_int, d_int = int(ipaddress.ip_address(src)), int(ipaddress.ip_address(dst))
            for proto, plist in ports.items():
                for port in plist:
                    stats.tuples += 1
                    verdicts = explained_verdicts(answer, proto, port)
                    where = f"{proto} {port} from {src} ({label}) to {dst} ({dest['name']})"
                    for i, point in enumerate(path_points):
                        for target, key in reader_keys(point, dest, firewalls, targets):
                            if key not in got[target] and point["kind"] == "host":
                                continue  # a host with no rules of that direction in that target
                            said = first_match(got[target].get(key, []), family, proto, s_int, d_int, port)
                            stats.compared += 1
                            if said != verdicts[i]:
                                stats.problem(seed, f"{where}: explain says {point['label']} "
                                                    f"{'open' if verdicts[i] else 'closed'}, {target} "
                                                    f"{'/'.join(key)} {'opens' if said else 'drops'} it")
                    if src_host and not any(p.get("direction") == "outbound" for p in path_points):
                        for target in targets:
                            key = (src_host["name"], "out")
                            if target in HOST_TARGETS and key in got[target]:
                                stats.compared += 1
                                if not first_match(got[target][key], family, proto, s_int, d_int, port):
                                    stats.problem(seed, f"{where}: explain puts no outbound filter on "
                                                        f"{src_host['name']}, {target} drops it there")
                    if kernel and d < args.kernel_destinations and seed % args.kernel_every == 0:
                        kernel_probes.append((src, dst, proto, port))
                        kernel_expect.append((where, verdicts[inbound[0]]))
        if len(kernel_probes) > args.kernel_tuples:
            keep = sorted(r.sample(range(len(kernel_probes)), args.kernel_tuples))
            kernel_probes = [kernel_probes[i] for i in keep]
            kernel_expect = [kernel_expect[i] for i in keep]
        linux = [t for t in ("nftables", "iptables") if kernel_probes and t in targets]
        stats.kernel_hierarchies += bool(linux)
        results = {}

        def probe_with(target):
            try:
                results[target] = kernel.probe(target, outdir, dest["name"], dest["addresses"], kernel_probes)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                results[target] = e
        threads = [threading.Thread(target=probe_with, args=(t,)) for t in linux]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for target in linux:
            said = results[target]
            if isinstance(said, Exception):
                raise RuntimeError(f"{target}: {said}")
            # Confirm each disagreement with a patient timeout before reporting it.
            differ = [i for i, (opened, (_, want)) in enumerate(zip(said, kernel_expect)) if opened != want]
            again = kernel.probe(target, outdir, dest["name"], dest["addresses"],
                                 [kernel_probes[i] for i in differ], timeout=3) if differ else []
            stats.kernel += len(said)
            stats.kernel6 += sum(family_of(p[1]) == 6 for p in kernel_probes)
            stats.compared += len(said)
            for i, opened in zip(differ, again):
                where, want = kernel_expect[i]
                if opened != want:
                    stats.problem(seed, f"{where}: explain says {dest['name']} inbound "
                                        f"{'open' if want else 'closed'}, the kernel with {target} "
                                        f"{'opens' if opened else 'drops'} it")
    if not args.keep:
        shutil.rmtree(outdir, ignore_errors=True)
        os.remove(path)


def reader_keys(point, dest, firewalls, targets):
    """(target, reader key) pairs that enforce one path point."""
    out = []
    if point["kind"] == "firewall":
        for t in PERIMETER_TARGETS:
            if t in targets:
                out.append((t, (point["name"], point["from_zone"]) if t == "cisco-asa"
                            else (point["name"], point["from_zone"], point["to_zone"])))
        return out
    direction = "in" if point["direction"] == "inbound" else "out"
    out += [(t, (point["name"], direction)) for t in HOST_TARGETS if t in targets]
    if not firewalls:  # the stand-in perimeter device per host
        zone = "outside" if direction == "in" else "inside"
        other = "inside" if zone == "outside" else "outside"
        for t in PERIMETER_TARGETS:
            if t in targets:
                out.append((t, (point["name"], zone) if t == "cisco-asa" else (point["name"], zone, other)))
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "__probe__":
        return role_probe(float(sys.argv[2]))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmnetc", default=os.path.join(ROOT, "build", "bin", "cmnetc"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=10, help="hierarchies")
    ap.add_argument("--tuples", type=int, default=24, help="port edges sampled per protocol and source")
    ap.add_argument("--destinations", type=int, default=2, help="destination hosts per hierarchy")
    ap.add_argument("--kernel-destinations", type=int, default=1, help="of those, probed in a kernel")
    ap.add_argument("--kernel-every", type=int, default=1, help="probe in a kernel every Nth hierarchy (by seed)")
    ap.add_argument("--kernel-tuples", type=int, default=1000, help="of a destination's tuples, probed in a kernel")
    ap.add_argument("--kernel", action="store_true", help="probe nftables and iptables in network namespaces")
    ap.add_argument("--lock", default="/tmp/cmnet-kernel.lock", help="the machine-wide kernel-test lock, held "
                    "while probing")
    ap.add_argument("--check-provenance", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--vendor-models", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep every hierarchy and its outputs")
    ap.add_argument("--workdir")
    args = ap.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="cmnet-differential.")
    os.makedirs(workdir, exist_ok=True)
    stats = Stats()
    kernel = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        if args.kernel:
            kernel = Kernel(args.lock)
        for i in range(args.count):
            seed = args.seed * 100000 + i
            try:
                check_hierarchy(seed, args, stats, kernel, workdir)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                stats.problem(seed, f"{type(e).__name__}: {e}")
            if (i + 1) % 50 == 0:
                print(f"... {i + 1} hierarchies, {stats.tuples} tuples, {stats.compared} verdicts, "
                      f"{len(stats.problems)} disagreements ({stats.provenance} of provenance)", flush=True)
    finally:
        if kernel:
            kernel.close()
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    skipped = ", ".join(f"{t} refused {n}" for t, n in sorted(stats.skipped.items())) or "no target refused any"
    print(f"differential: {stats.hierarchies} hierarchies, {stats.tuples} tuples, {stats.compared} verdicts compared "
          f"({stats.kernel} in a kernel, {stats.kernel6} of them IPv6, from {stats.kernel_hierarchies} hierarchies), {stats.rules} placed rules' provenance checked"
          f"{'' if args.check_provenance else ' (off)'}; {skipped}; {len(stats.problems)} disagreements "
          f"({stats.provenance} of provenance)")
    return 1 if stats.problems or stats.hierarchies < args.count else 0


if __name__ == "__main__":
    sys.exit(main())
