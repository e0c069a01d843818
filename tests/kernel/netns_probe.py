#!/usr/bin/env python3
"""netns_probe.py - prove a firewall ruleset against a real Linux kernel.

Creates two fresh network namespaces (server and client) joined by a veth
pair, loads the ruleset into the server namespace, starts listeners on every
probed port in the server namespace, and probes them from the client
namespace with real TCP connects / UDP datagrams.

Usage (as root):

  netns_probe.py --backend nftables|iptables --ruleset FILE
                 --server-addr ADDR[/PREFIX] --client-addr ADDR[/PREFIX]
                 --expect SPECFILE
                 [--server-addr6 ADDR6[/PREFIX] --client-addr6 ADDR6[/PREFIX]]
                 [--ruleset6 FILE] [--iptables-variant nft|legacy]
                 [--timeout SECONDS] [--jobs N] [--from-server] [--verbose]

Spec file: one probe per line,

  open|closed  tcp|udp  PORT  [v4|v6]
  open|closed  icmp  8  [v4|v6]

blank lines and '#' comments allowed.  "open" means a TCP connection was
established / a UDP echo came back / an ICMP echo request (type 8, ICMPv6 128
for v6) was answered within --timeout (default 1 s); "closed" means timeout,
connection refused or ICMP unreachable.  A listener is bound on EVERY probed
port (open or closed), so "closed" proves the firewall blocked the traffic,
not that nothing was listening.

--from-server turns the probe around: the listeners run in the client
namespace and the namespace holding the ruleset sends, so the ruleset's output
rules are what is proved (a PXE distribution point answering a client).

Output: "PASS open tcp 445" / "FAIL closed udp 69 (got open)" per probe and a
final "N passed, M failed".  Exit status: 0 all passed, 1 some probe failed or
the ruleset/setup failed, 2 usage or spec error, 77 skipped (not root, no
`ip netns`, namespaces unavailable, loader binary missing).

Safety: the tool only ever creates, uses and deletes its own two namespaces
(cmnet-srv-<pid> / cmnet-cli-<pid>); all traffic stays on the veth pair
between them.  Both namespaces are deleted on every exit path (normal, error,
exception, SIGINT, SIGTERM, SIGHUP).  Every subprocess has a timeout.

Python 3 standard library only.
"""

import argparse
import ipaddress
import json
import os
import random
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_SKIP = 77

SRV_IF = "cmsrv0"
CLI_IF = "cmcli0"
# Locally administered, fixed MACs so we can install permanent neighbour
# entries (see "neighbours" below).
SRV_MAC = "02:c3:6e:00:00:01"
CLI_MAC = "02:c3:6e:00:00:02"

CMD_TIMEOUT = 15          # seconds for each `ip`/loader command
LISTENER_READY_TIMEOUT = 15
UDP_PAYLOAD_PREFIX = b"cmnet-probe:"

VERBOSE = False


def log(msg):
    if VERBOSE:
        print("# " + msg, file=sys.stderr, flush=True)


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__("interrupted by signal %d" % signum)
        self.signum = signum


class SetupError(Exception):
    pass


class SkipError(Exception):
    pass


# ----------------------------------------------------------------------------
# Spec parsing
# ----------------------------------------------------------------------------

class Probe:
    __slots__ = ("expect", "proto", "port", "family", "line")

    def __init__(self, expect, proto, port, family, line):
        self.expect = expect
        self.proto = proto
        self.port = port
        self.family = family
        self.line = line

    def label(self):
        s = "%s %s %d" % (self.expect, self.proto, self.port)
        if self.family == 6:
            s += " v6"
        return s


def parse_spec(path):
    probes = []
    with open(path, "r", encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            toks = line.split()
            where = "%s:%d" % (path, lineno)
            if len(toks) not in (3, 4):
                raise ValueError("%s: expected 'open|closed tcp|udp PORT [v4|v6]', got %r"
                                 % (where, raw.rstrip("\n")))
            expect, proto, port_s = toks[0].lower(), toks[1].lower(), toks[2]
            fam_s = toks[3].lower() if len(toks) == 4 else "v4"
            if expect not in ("open", "closed"):
                raise ValueError("%s: expectation must be 'open' or 'closed', got %r" % (where, toks[0]))
            if proto not in ("tcp", "udp", "icmp"):
                raise ValueError("%s: protocol must be 'tcp', 'udp' or 'icmp', got %r" % (where, toks[1]))
            if proto == "icmp" and port_s != "8":
                raise ValueError("%s: only ICMP echo request (type 8) can be probed, got %r" % (where, port_s))
            if not port_s.isdigit() or not 1 <= int(port_s) <= 65535:
                raise ValueError("%s: port must be 1..65535, got %r" % (where, port_s))
            if fam_s not in ("v4", "v6"):
                raise ValueError("%s: family must be 'v4' or 'v6', got %r" % (where, toks[3]))
            probes.append(Probe(expect, proto, int(port_s), 6 if fam_s == "v6" else 4, lineno))
    return probes


def parse_iface_addr(text, want_version, what):
    """'10.0.0.1/24' or '10.0.0.1' -> ipaddress.ip_interface (host prefix if none)."""
    try:
        if "/" not in text:
            text = text + ("/32" if want_version == 4 else "/128")
        iface = ipaddress.ip_interface(text)
    except ValueError as e:
        raise ValueError("%s: %s" % (what, e))
    if iface.version != want_version:
        raise ValueError("%s: expected an IPv%d address, got %s" % (what, want_version, text))
    ip = iface.ip
    if ip.is_loopback or ip.is_multicast or ip.is_unspecified or ip.is_link_local:
        raise ValueError("%s: %s is not a usable unicast host address" % (what, ip))
    if want_version == 4 and iface.network.prefixlen < 32 and ip in (
            iface.network.network_address, iface.network.broadcast_address) \
            and iface.network.prefixlen < 31:
        raise ValueError("%s: %s is the network/broadcast address of %s" % (what, ip, iface.network))
    return iface


# ----------------------------------------------------------------------------
# Subprocess helpers
# ----------------------------------------------------------------------------

def run(cmd, timeout=CMD_TIMEOUT, check=True, input_bytes=None):
    log("run: " + " ".join(cmd))
    try:
        p = subprocess.run(cmd, input=input_bytes, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SetupError("command timed out after %ss: %s" % (timeout, " ".join(cmd)))
    if check and p.returncode != 0:
        raise SetupError("command failed (rc=%d): %s\n%s" % (
            p.returncode, " ".join(cmd), p.stderr.decode(errors="replace").rstrip()))
    return p


def nsexec(ns, cmd):
    return ["ip", "netns", "exec", ns] + cmd


# ----------------------------------------------------------------------------
# Namespace management
# ----------------------------------------------------------------------------

class Lab:
    """Two namespaces + veth; tracks exactly what it created for cleanup."""

    def __init__(self):
        self.created = []          # namespace names we created (only these get deleted)
        self.procs = []            # subprocesses we started
        pid = os.getpid()
        existing = set(list_netns())
        suffix = str(pid)
        if "cmnet-srv-" + suffix in existing or "cmnet-cli-" + suffix in existing:
            suffix = "%d-%06x" % (pid, random.getrandbits(24))
        self.srv = "cmnet-srv-" + suffix
        self.cli = "cmnet-cli-" + suffix

    def create(self, srv4, cli4, srv6, cli6, static_neigh=True):
        sigs = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        for ns in (self.srv, self.cli):
            # Block signals so that "namespace exists" and "we recorded it for
            # cleanup" cannot be separated by an interrupt.
            signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
            try:
                p = run(["ip", "netns", "add", ns], check=False)
                if p.returncode == 0:
                    self.created.append(ns)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, sigs)
            if p.returncode != 0:
                err = p.stderr.decode(errors="replace").strip()
                raise SkipError("cannot create network namespace %s: %s" % (ns, err))
        # Create the veth pair directly inside the two namespaces: the
        # interfaces never exist in the caller's namespace.
        run(["ip", "link", "add", SRV_IF, "netns", self.srv, "address", SRV_MAC, "type", "veth",
             "peer", "name", CLI_IF, "netns", self.cli, "address", CLI_MAC])
        for ns, dev in ((self.srv, SRV_IF), (self.cli, CLI_IF)):
            if srv6 is not None:
                # Keep the kernel from autoconfiguring anything else (router
                # solicitations etc.) - we assign addresses explicitly.
                run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                     "net.ipv6.conf.%s.accept_ra=0" % dev], check=False)
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
        run(["ip", "-n", self.srv, "addr", "add", str(srv4), "dev", SRV_IF])
        run(["ip", "-n", self.cli, "addr", "add", str(cli4), "dev", CLI_IF])
        if srv6 is not None:
            run(["ip", "-n", self.srv, "-6", "addr", "add", str(srv6), "dev", SRV_IF, "nodad"])
            run(["ip", "-n", self.cli, "-6", "addr", "add", str(cli6), "dev", CLI_IF, "nodad"])
        run(["ip", "-n", self.srv, "link", "set", SRV_IF, "up"])
        run(["ip", "-n", self.cli, "link", "set", CLI_IF, "up"])
        # On-link host routes so the peers reach each other even when their
        # prefixes are in different subnets.  `replace` because the connected
        # route may already cover the peer when both are in one subnet.
        run(["ip", "-n", self.cli, "route", "replace", str(srv4.ip), "dev", CLI_IF])
        run(["ip", "-n", self.srv, "route", "replace", str(cli4.ip), "dev", SRV_IF])
        if srv6 is not None:
            run(["ip", "-n", self.cli, "-6", "route", "replace", str(srv6.ip), "dev", CLI_IF])
            run(["ip", "-n", self.srv, "-6", "route", "replace", str(cli6.ip), "dev", SRV_IF])
        # Permanent neighbour entries.  Without these, IPv6 neighbour discovery
        # (ICMPv6, which traverses the server's input hook) would be dropped by
        # any policy-drop ruleset that does not explicitly allow ND, and every
        # v6 probe would fail for a reason unrelated to the port filter.  ARP is
        # not filtered by ip/ip6/inet tables but we pin it too for determinism.
        # --dynamic-neigh skips this, to check that the ruleset itself lets
        # neighbour discovery through (as a real host needs).
        if not static_neigh:
            return
        run(["ip", "-n", self.cli, "neigh", "replace", str(srv4.ip), "lladdr", SRV_MAC,
             "dev", CLI_IF, "nud", "permanent"])
        run(["ip", "-n", self.srv, "neigh", "replace", str(cli4.ip), "lladdr", CLI_MAC,
             "dev", SRV_IF, "nud", "permanent"])
        if srv6 is not None:
            run(["ip", "-n", self.cli, "-6", "neigh", "replace", str(srv6.ip), "lladdr", SRV_MAC,
                 "dev", CLI_IF, "nud", "permanent"])
            run(["ip", "-n", self.srv, "-6", "neigh", "replace", str(cli6.ip), "lladdr", CLI_MAC,
                 "dev", SRV_IF, "nud", "permanent"])

    def start(self, ns, argv, **kw):
        log("start: " + " ".join(nsexec(ns, argv)))
        p = subprocess.Popen(nsexec(ns, argv), start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            for stream in (p.stdin, p.stdout, p.stderr):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
        self.procs = []
        failed = []
        for ns in reversed(self.created):
            try:
                r = subprocess.run(["ip", "netns", "del", ns], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=CMD_TIMEOUT)
                if r.returncode != 0:
                    failed.append("%s: %s" % (ns, r.stderr.decode(errors="replace").strip()))
                else:
                    log("deleted namespace " + ns)
            except subprocess.TimeoutExpired:
                failed.append("%s: timeout" % ns)
        self.created = []
        for f in failed:
            print("WARNING: could not delete namespace %s" % f, file=sys.stderr)


def list_netns():
    try:
        p = subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=CMD_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [l.split()[0] for l in p.stdout.decode(errors="replace").splitlines() if l.strip()]


# ----------------------------------------------------------------------------
# Ruleset loading
# ----------------------------------------------------------------------------

def load_ruleset(lab, args):
    """Load the ruleset(s) into the server namespace.  Returns (ok, message)."""
    if args.backend == "nftables":
        loads = [(["nft", "-f", os.path.abspath(args.ruleset)], None, args.ruleset)]
    else:
        if args.iptables_variant == "legacy":
            v4 = ["iptables-legacy-restore"]
            v6 = ["ip6tables-legacy-restore"]
        else:
            v4 = ["iptables-nft-restore"] if shutil.which("iptables-nft-restore") else ["iptables-restore"]
            v6 = ["ip6tables-nft-restore"] if shutil.which("ip6tables-nft-restore") else ["ip6tables-restore"]
        with open(args.ruleset, "rb") as f:
            loads = [(v4, f.read(), args.ruleset)]
        rs6 = args.ruleset6
        if rs6 is None and os.path.exists(args.ruleset + ".v6"):
            rs6 = args.ruleset + ".v6"
        if rs6 is not None:
            with open(rs6, "rb") as f:
                loads.append((v6, f.read(), rs6))
    for cmd, data, path in loads:
        if shutil.which(cmd[0]) is None:
            raise SkipError("%s not found in PATH" % cmd[0])
        p = run(nsexec(lab.srv, cmd), check=False, input_bytes=data, timeout=60)
        if p.returncode != 0:
            return False, "%s failed to load %s (rc=%d):\n%s" % (
                cmd[0], path, p.returncode, p.stderr.decode(errors="replace").rstrip())
        log("loaded %s with %s" % (path, cmd[0]))
    if VERBOSE:
        if args.backend == "nftables":
            dumps = [["nft", "list", "ruleset"]]
        else:
            dumps = [[cmd[0].replace("-restore", "-save")] for cmd, _, _ in loads]
        for d in dumps:
            out = run(nsexec(lab.srv, d), check=False).stdout.decode(errors="replace")
            for l in out.splitlines():
                log("ruleset| " + l)
    return True, ""


# ----------------------------------------------------------------------------
# Helper roles run inside the namespaces (same file, hidden sub-commands)
# ----------------------------------------------------------------------------

def role_listen(argv):
    """__listen__ LIFETIME ; stdin: JSON [[proto, family, addr, port], ...].

    Binds every endpoint, prints READY, then serves until stdin closes or
    LIFETIME seconds pass.  TCP: accept and close.  UDP: echo the datagram.
    """
    lifetime = float(argv[0])
    endpoints = json.loads(sys.stdin.readline())
    sel = selectors.DefaultSelector()
    socks = []
    for proto, family, addr, port in endpoints:
        af = socket.AF_INET6 if family == 6 else socket.AF_INET
        st = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        s = socket.socket(af, st)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if af == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            s.bind((addr, port))
        except OSError as e:
            print("BINDFAIL %s %s %s: %s" % (proto, addr, port, e), flush=True)
            return 1
        if st == socket.SOCK_STREAM:
            s.listen(512)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, proto)
        socks.append(s)
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    print("READY", flush=True)
    deadline = time.monotonic() + lifetime
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        for key, _ in sel.select(timeout=min(left, 1.0)):
            kind = key.data
            if kind == "stdin":
                if not sys.stdin.readline():
                    return 0
            elif kind == "tcp":
                try:
                    c, _ = key.fileobj.accept()
                    c.close()
                except OSError:
                    pass
            else:
                try:
                    data, peer = key.fileobj.recvfrom(2048)
                    key.fileobj.sendto(data, peer)
                except OSError:
                    pass


def _icmp_checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _probe_echo(idx, src, family, addr, timeout):
    """ICMP echo request (type 8; ICMPv6 128) and its reply, over a raw socket (the kernel
    fills in the ICMPv6 checksum; ICMPv4's is computed here)."""
    if family == 6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        request, reply = 128, 129
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        request, reply = 8, 0
    ident = (os.getpid() + idx) & 0xFFFF
    body = UDP_PAYLOAD_PREFIX + str(idx).encode()
    header = bytes([request, 0, 0, 0]) + ident.to_bytes(2, "big") + (1).to_bytes(2, "big")
    packet = header + body
    if family == 4:
        csum = _icmp_checksum(packet)
        packet = packet[:2] + csum.to_bytes(2, "big") + packet[4:]
    try:
        s.bind((src[family], 0))
        s.sendto(packet, (addr, 0))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return idx, "closed", "timeout"
            s.settimeout(left)
            data, peer = s.recvfrom(2048)
            if family == 4:
                data = data[(data[0] & 0x0F) * 4:]  # raw IPv4 sockets include the IP header
            if peer[0] == addr and len(data) >= 8 and data[0] == reply and \
                    int.from_bytes(data[4:6], "big") == ident:
                return idx, "open", "echo reply"
    except socket.timeout:
        return idx, "closed", "timeout"
    except OSError as e:
        return idx, "closed", "error: %s" % e.strerror
    finally:
        s.close()


def _probe_one(item, src, timeout):
    """A TCP connect, or a UDP datagram the listener echoes back, from the source address."""
    idx, proto, family, addr, port = item
    af = socket.AF_INET6 if family == 6 else socket.AF_INET
    if proto == "icmp":
        return _probe_echo(idx, src, family, addr, timeout)
    s = socket.socket(af, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.bind((src[family], 0))
        s.connect((addr, port))
        if proto == "tcp":
            return idx, "open", "connected"
        payload = UDP_PAYLOAD_PREFIX + str(idx).encode()
        s.send(payload)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return idx, "closed", "timeout"
            s.settimeout(left)
            data = s.recv(2048)
            if data == payload:
                return idx, "open", "echoed"
    except socket.timeout:
        return idx, "closed", "timeout"
    except ConnectionRefusedError:
        return idx, "closed", "refused" if proto == "tcp" else "refused (icmp unreachable)"
    except OSError as e:
        return idx, "closed", "error: %s" % e.strerror
    finally:
        s.close()


def role_probe(argv):
    """__probe__ TIMEOUT JOBS ; stdin: JSON {"src": {4: a, 6: a}, "probes": [...]}."""
    timeout = float(argv[0])
    jobs = int(argv[1])
    req = json.loads(sys.stdin.read())
    src = {int(k): v for k, v in req["src"].items()}
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        results = list(ex.map(lambda it: _probe_one(it, src, timeout), req["probes"]))
    json.dump(results, sys.stdout)
    sys.stdout.flush()
    return 0


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------

def wait_ready(proc, timeout):
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf = b""
    while time.monotonic() < deadline:
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            continue
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        buf += chunk
        if b"\n" in buf:
            line = buf.split(b"\n", 1)[0].decode(errors="replace")
            if line == "READY":
                return
            raise SetupError("listener: " + line)
    err = b""
    if proc.poll() is not None and proc.stderr is not None:
        err = proc.stderr.read() or b""
    raise SetupError("listener did not become ready within %ss%s" % (
        timeout, (":\n" + err.decode(errors="replace")) if err else ""))


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="netns_probe.py",
        description="Load a firewall ruleset into a throw-away network namespace and "
                    "probe it with real packets from a second namespace.")
    ap.add_argument("--backend", required=True, choices=("nftables", "iptables"))
    ap.add_argument("--ruleset", required=True, metavar="FILE")
    ap.add_argument("--ruleset6", metavar="FILE",
                    help="iptables backend: ip6tables-restore file "
                         "(default: RULESET.v6 if it exists)")
    ap.add_argument("--iptables-variant", choices=("nft", "legacy"), default="nft",
                    help="iptables backend: iptables-nft-restore (default) or iptables-legacy-restore")
    ap.add_argument("--server-addr", required=True, metavar="ADDR[/PREFIX]")
    ap.add_argument("--client-addr", required=True, metavar="ADDR[/PREFIX]")
    ap.add_argument("--server-addr6", metavar="ADDR6[/PREFIX]")
    ap.add_argument("--client-addr6", metavar="ADDR6[/PREFIX]")
    ap.add_argument("--expect", required=True, metavar="SPECFILE")
    ap.add_argument("--timeout", type=float, default=1.0,
                    help="per-probe timeout in seconds (default 1.0)")
    ap.add_argument("--jobs", type=int, default=64, help="concurrent probes (default 64)")
    ap.add_argument("--from-server", action="store_true",
                    help="the namespace holding the ruleset sends and the client namespace "
                         "listens: proves the ruleset's output rules")
    ap.add_argument("--dynamic-neigh", action="store_true",
                    help="do not pin ARP/ND entries; the ruleset must then allow IPv6 "
                         "neighbour discovery itself (as on a real host)")
    ap.add_argument("-v", "--verbose", action="store_true")
    return ap.parse_args(argv)


def main(argv):
    global VERBOSE
    if argv and argv[0] == "__listen__":
        return role_listen(argv[1:])
    if argv and argv[0] == "__probe__":
        return role_probe(argv[1:])

    args = parse_args(argv)
    VERBOSE = args.verbose

    # ---- validate inputs before touching anything ----
    try:
        if not 0.05 <= args.timeout <= 10:
            raise ValueError("--timeout must be between 0.05 and 10 seconds")
        if not 1 <= args.jobs <= 256:
            raise ValueError("--jobs must be between 1 and 256")
        if (args.server_addr6 is None) != (args.client_addr6 is None):
            raise ValueError("--server-addr6 and --client-addr6 must be given together")
        if args.ruleset6 and args.backend != "iptables":
            raise ValueError("--ruleset6 only applies to --backend iptables")
        for f in [args.ruleset, args.expect] + ([args.ruleset6] if args.ruleset6 else []):
            if not os.path.isfile(f):
                raise ValueError("no such file: %s" % f)
        srv4 = parse_iface_addr(args.server_addr, 4, "--server-addr")
        cli4 = parse_iface_addr(args.client_addr, 4, "--client-addr")
        if srv4.ip == cli4.ip:
            raise ValueError("server and client IPv4 addresses must differ")
        srv6 = cli6 = None
        if args.server_addr6 is not None:
            srv6 = parse_iface_addr(args.server_addr6, 6, "--server-addr6")
            cli6 = parse_iface_addr(args.client_addr6, 6, "--client-addr6")
            if srv6.ip == cli6.ip:
                raise ValueError("server and client IPv6 addresses must differ")
        probes = parse_spec(args.expect)
        if not probes:
            raise ValueError("%s contains no probes" % args.expect)
        if any(p.family == 6 for p in probes) and srv6 is None:
            raise ValueError("spec has v6 probes but --server-addr6/--client-addr6 not given")
    except (ValueError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return EXIT_USAGE

    # ---- environment checks ----
    if os.geteuid() != 0:
        print("SKIP: must run as root (network namespaces and netfilter need CAP_NET_ADMIN)")
        return EXIT_SKIP
    if shutil.which("ip") is None:
        print("SKIP: iproute2 'ip' command not found")
        return EXIT_SKIP
    try:
        p = subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=CMD_TIMEOUT)
        if p.returncode != 0:
            print("SKIP: 'ip netns' unavailable: %s" % p.stderr.decode(errors="replace").strip())
            return EXIT_SKIP
    except subprocess.TimeoutExpired:
        print("SKIP: 'ip netns list' timed out")
        return EXIT_SKIP
    if args.backend == "nftables" and shutil.which("nft") is None:
        print("SKIP: nft not found in PATH")
        return EXIT_SKIP
    if args.backend == "iptables" and args.ruleset6 is None and srv6 is not None \
            and not os.path.exists(args.ruleset + ".v6") and any(p.family == 6 for p in probes):
        print("WARNING: v6 probes but no IPv6 ruleset (--ruleset6 / %s.v6); "
              "IPv6 traffic will be unfiltered" % args.ruleset, file=sys.stderr)

    # ---- signals: turn them into an exception so `finally` always runs ----
    def on_signal(signum, _frame):
        raise Interrupted(signum)

    old_handlers = {}
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        old_handlers[sig] = signal.signal(sig, on_signal)

    lab = None
    try:
        lab = Lab()
        log("namespaces: server=%s client=%s" % (lab.srv, lab.cli))
        lab.create(srv4, cli4, srv6, cli6, static_neigh=not args.dynamic_neigh)

        ok, msg = load_ruleset(lab, args)
        if not ok:
            print(msg)
            print("ERROR: ruleset failed to load")
            return EXIT_FAIL

        # Listeners on EVERY probed endpoint (open and closed), started before probing; with
        # --from-server they sit on the client's side. The kernel answers ICMP echo itself.
        listen_ns, send_ns = (lab.cli, lab.srv) if args.from_server else (lab.srv, lab.cli)
        (lst4, lst6), (snd4, snd6) = ((cli4, cli6), (srv4, srv6)) if args.from_server else ((srv4, srv6), (cli4, cli6))
        endpoints = sorted({(p.proto, p.family, str(lst6.ip if p.family == 6 else lst4.ip), p.port)
                            for p in probes if p.proto != "icmp"})
        batches = (len(probes) + args.jobs - 1) // args.jobs
        probe_budget = batches * (args.timeout + 0.5) * 2 + 30
        listener = lab.start(listen_ns, [sys.executable, os.path.abspath(__file__), "__listen__",
                                       str(probe_budget + 60)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        listener.stdin.write((json.dumps(endpoints) + "\n").encode())
        listener.stdin.flush()
        wait_ready(listener, LISTENER_READY_TIMEOUT)
        log("listener ready on %d endpoints" % len(endpoints))

        req = {"src": {"4": str(snd4.ip), "6": str(snd6.ip) if snd6 is not None else None},
               "probes": [(i, p.proto, p.family, str(lst6.ip if p.family == 6 else lst4.ip), p.port)
                          for i, p in enumerate(probes)]}
        prober = lab.start(send_ns, [sys.executable, os.path.abspath(__file__), "__probe__",
                                     str(args.timeout), str(args.jobs)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = prober.communicate(json.dumps(req).encode(), timeout=probe_budget)
        except subprocess.TimeoutExpired:
            raise SetupError("prober did not finish within %.0fs" % probe_budget)
        if prober.returncode != 0:
            raise SetupError("prober failed (rc=%d):\n%s" % (prober.returncode,
                                                             err.decode(errors="replace")))
        results = {idx: (got, why) for idx, got, why in json.loads(out.decode())}
        if listener.poll() is not None:
            raise SetupError("listener exited early (rc=%s)" % listener.returncode)

        npass = nfail = 0
        for i, p in enumerate(probes):
            got, why = results[i]
            if got == p.expect:
                npass += 1
                print("PASS %s" % p.label() + ((" (%s)" % why) if VERBOSE else ""))
            else:
                nfail += 1
                print("FAIL %s (got %s: %s)" % (p.label(), got, why))
        print("%d passed, %d failed" % (npass, nfail))
        sys.stdout.flush()
        return EXIT_OK if nfail == 0 else EXIT_FAIL
    except SkipError as e:
        print("SKIP: %s" % e)
        return EXIT_SKIP
    except SetupError as e:
        print("ERROR: %s" % e)
        return EXIT_FAIL
    except Interrupted as e:
        print("ERROR: %s; cleaning up" % e, file=sys.stderr)
        return 128 + e.signum
    finally:
        # No further interruptions while we tear down.
        for sig in old_handlers:
            signal.signal(sig, signal.SIG_IGN)
        if lab is not None:
            lab.cleanup()
        for sig, h in old_handlers.items():
            signal.signal(sig, h)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
