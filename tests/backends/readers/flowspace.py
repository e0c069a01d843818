"""Flow space: what a rule set allows, as (family, protocol, source, destination, port) boxes.

A Box is one rule: an action and, per dimension, a list of closed integer intervals (addresses
as integers, ports 1-65535, ICMP types 0-255; ICMPv6 boxes carry ICMPv6 type numbers). A rule
set is an ordered list of boxes evaluated first-match, like every firewall here. canonical()
turns such a list into a normal form of the allowed region, so that two rule sets allow the
same tuples exactly when their canonical forms are equal: interval arithmetic, never text.
"""

import bisect
import glob
import ipaddress
import os
from dataclasses import dataclass

PROTOCOLS = ("tcp", "udp", "icmp")
BITS = {4: 32, 6: 128}
ALL_PORTS = ((1, 65535),)
ALL_ICMP = ((0, 255),)


class ReadError(Exception):
    """The emitted configuration is not what the reader understands (a test failure)."""


def family_all(family):
    return ((0, (1 << BITS[family]) - 1),)


def normalize(intervals):
    """Sorted, merged tuple of (lo, hi) intervals."""
    out = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def port_ranges(items):
    """['80', '8530-8531'] -> sorted, merged port intervals."""
    return normalize((int(lo), int(hi or lo)) for lo, _, hi in (item.partition("-") for item in items))


def intersect(a, b):
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract(a, b):
    out = []
    for lo, hi in a:
        for blo, bhi in b:
            if bhi < lo or blo > hi:
                continue
            if blo > lo:
                out.append((lo, blo - 1))
            lo = bhi + 1
            if lo > hi:
                break
        if lo <= hi:
            out.append((lo, hi))
    return normalize(out)


def parse_net(text):
    """'10.0.0.1', '10.0.0.0/8', 'fd00::/8' or a range 'a-b' -> (family, (lo, hi))."""
    text = text.strip()
    if "-" in text and "/" not in text:
        lo_text, hi_text = text.split("-", 1)
        lo, hi = ipaddress.ip_address(lo_text), ipaddress.ip_address(hi_text)
        if lo.version != hi.version or int(lo) > int(hi):
            raise ReadError(f"bad address range {text!r}")
        return lo.version, (int(lo), int(hi))
    net = ipaddress.ip_network(text, strict=True)
    return net.version, (int(net.network_address), int(net.broadcast_address))


def address_sets(texts):
    """A list of address texts -> {family: normalized intervals}."""
    out = {4: [], 6: []}
    for t in texts:
        family, iv = parse_net(t)
        out[family].append(iv)
    return {f: normalize(v) for f, v in out.items()}


@dataclass
class Box:
    action: str  # "allow" or "deny"
    family: int
    proto: str
    src: tuple
    dst: tuple
    ports: tuple  # ports, or ICMP types

    def dims(self):
        return (self.src, self.dst, self.ports)


def boxes_for(action, addrs_src, addrs_dst, proto, ports_by_family):
    """Boxes of a rule whose ends may hold both families; ports_by_family maps family to the
    port (or ICMP type) intervals, or None where the rule does not apply to that family."""
    out = []
    for family in (4, 6):
        ports = ports_by_family.get(family)
        src, dst = addrs_src.get(family, ()), addrs_dst.get(family, ())
        if ports is None or not src or not dst or not ports:
            continue
        out.append(Box(action, family, proto, normalize(src), normalize(dst), normalize(ports)))
    return out


def everything(action="allow"):
    """Boxes for every tuple of every family and protocol (an unfiltered direction)."""
    out = []
    for family in (4, 6):
        for proto in PROTOCOLS:
            ports = ALL_ICMP if proto == "icmp" else ALL_PORTS
            out.append(Box(action, family, proto, family_all(family), family_all(family), ports))
    return out


def clamp_ports(box):
    """Port 0 is no port: compare TCP/UDP over 1-65535 only."""
    if box.proto != "icmp":
        box.ports = intersect(box.ports, ALL_PORTS)
    return box


def _covers(intervals, lo, hi):
    i = bisect.bisect_right(intervals, (lo, float("inf"))) - 1
    return i >= 0 and intervals[i][0] <= lo and intervals[i][1] >= hi


def _canon(boxes, dim):
    """Normal form of the allowed region of ordered boxes over dimensions dim.. (first match)."""
    if dim == 2:
        decided, allowed = (), ()
        for action, dims in boxes:
            if action == "allow":
                allowed = normalize(allowed + subtract(dims[2], decided))
            decided = normalize(decided + dims[2])
        return allowed
    cuts = sorted({c for _, dims in boxes for lo, hi in dims[dim] for c in (lo, hi + 1)})
    out = []
    for lo, nxt in zip(cuts, cuts[1:]):
        hi = nxt - 1
        inner = [b for b in boxes if _covers(b[1][dim], lo, hi)]
        sub = _canon(inner, dim + 1) if inner else ()
        if not sub:
            continue
        if out and out[-1][1] + 1 == lo and out[-1][2] == sub:
            out[-1] = (out[-1][0], hi, sub)
        else:
            out.append((lo, hi, sub))
    return tuple(out)


def canonical(boxes):
    """{(family, proto): normal form} of the region an ordered box list allows."""
    groups = {}
    for b in boxes:
        b = clamp_ports(Box(b.action, b.family, b.proto, normalize(b.src), normalize(b.dst), normalize(b.ports)))
        groups.setdefault((b.family, b.proto), []).append((b.action, b.dims()))
    out = {}
    for key, items in groups.items():
        form = _canon(items, 0)
        if form:
            out[key] = form
    return out


def region_boxes(form, family, proto):
    """Disjoint allow boxes of one canonical group (the inverse of canonical)."""
    for slo, shi, dsts in form:
        for dlo, dhi, ports in dsts:
            yield Box("allow", family, proto, ((slo, shi),), ((dlo, dhi),), ports)


def difference(a, b):
    """Canonical form of what canonical form a allows and b does not."""
    boxes = []
    for (family, proto), form in b.items():
        boxes += [Box("deny", f.family, f.proto, f.src, f.dst, f.ports) for f in region_boxes(form, family, proto)]
    for (family, proto), form in a.items():
        boxes += list(region_boxes(form, family, proto))
    return canonical(boxes)


def format_int(family, value):
    return str(ipaddress.ip_address(value) if family == 4 else ipaddress.IPv6Address(value))


def witness(form):
    """One human-readable sample of a non-empty canonical form."""
    (family, proto), groups = sorted(form.items())[0]
    slo, shi, dsts = groups[0]
    dlo, dhi, ports = dsts[0]
    plo, phi = ports[0]
    what = "type" if proto == "icmp" else "port"
    return (f"IPv{family} {proto} {format_int(family, slo)}-{format_int(family, shi)} -> "
            f"{format_int(family, dlo)}-{format_int(family, dhi)} {what} {plo}-{phi}")


def header_addresses(text, leader="#"):
    """The host addresses a generated file names in its '<leader> Addresses: …' header line."""
    for line in text.splitlines():
        if line.startswith(leader + " Addresses: "):
            items = [a.strip() for a in line.split(":", 1)[1].split(",")]
            return address_sets([a for a in items if a and a != "none"])
    raise ReadError("no 'Addresses:' header line")


def restrict(boxes, addrs, end):
    """Cut every box's source ('src') or destination ('dst') end down to addrs[family]: what a
    host's INPUT chain sees is addressed to the host, whatever the rule says."""
    out = []
    for b in boxes:
        own = intersect(getattr(b, end), addrs.get(b.family, ()))
        if own:
            fields = {"src": b.src, "dst": b.dst, end: own}
            out.append(Box(b.action, b.family, b.proto, fields["src"], fields["dst"], b.ports))
    return out


def read_hosts(directory, suffix, read_one):
    """{(host, direction): boxes} over every DIRECTORY/HOST<suffix>, where read_one(path) gives
    {direction: boxes} for one host's file."""
    result = {}
    for path in sorted(glob.glob(os.path.join(directory, "*" + suffix))):
        host = os.path.basename(path)[: -len(suffix)]
        for direction, boxes in read_one(path).items():
            result[(host, direction)] = boxes
    return result
