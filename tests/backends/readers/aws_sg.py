"""Reads AWS security group CloudFormation templates (HOST.json) back into flows.

A security group only allows, applies to the whole instance (the destination of ingress, the
source of egress, taken from the template's metadata) and, without SecurityGroupEgress, keeps
AWS's allow-all egress rule. Understands IpProtocol tcp/udp/icmp/icmpv6/-1, FromPort/ToPort
(ICMP: type and code, -1 for all), CidrIp/CidrIpv6 and prefix lists defined in the template.
Checks descriptions against the characters AWS accepts. Key: (host, "in"/"out").
"""

import json
import re

from flowspace import (ALL_ICMP, ALL_PORTS, PROTOCOLS, Box, ReadError, address_sets, everything, family_all,
                       read_hosts, restrict)

DESCRIPTION = re.compile(r"^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}$")


def peer(entry, resources, prefix_key):
    if "CidrIp" in entry:
        return address_sets([entry["CidrIp"]])
    if "CidrIpv6" in entry:
        return address_sets([entry["CidrIpv6"]])
    if prefix_key in entry:
        ref = entry[prefix_key]["Ref"]
        props = resources[ref]["Properties"]
        cidrs = [e["Cidr"] for e in props["Entries"]]
        if len(cidrs) > props["MaxEntries"]:
            raise ReadError(f"prefix list {ref} has more entries than MaxEntries")
        sets = address_sets(cidrs)
        if sets[6 if props["AddressFamily"] == "IPv4" else 4]:
            raise ReadError(f"prefix list {ref} holds the wrong address family")
        return sets
    raise ReadError(f"entry without a peer: {entry}")


def entry_boxes(entry, resources, own, inbound):
    if not DESCRIPTION.match(entry.get("Description", "")):
        raise ReadError(f"description AWS would reject: {entry['Description']!r}")
    others = peer(entry, resources, "SourcePrefixListId" if inbound else "DestinationPrefixListId")
    proto, lo, hi = str(entry["IpProtocol"]), int(entry["FromPort"]), int(entry["ToPort"])
    if proto == "-1":
        per_proto = {p: ALL_ICMP if p == "icmp" else ALL_PORTS for p in PROTOCOLS}
        families = (4, 6)
    elif proto in ("tcp", "udp"):
        per_proto, families = {proto: ((lo, hi),)}, (4, 6)
    elif proto in ("icmp", "icmpv6"):
        if hi != -1:
            raise ReadError("ICMP entries here open every code (ToPort -1)")
        per_proto = {"icmp": ALL_ICMP if lo == -1 else ((lo, lo),)}
        families = (4,) if proto == "icmp" else (6,)
    else:
        raise ReadError(f"unknown IpProtocol {proto}")
    out = []
    for p, ports in per_proto.items():
        for family in families:
            src, dst = (others, own) if inbound else (own, others)
            if src[family] and dst[family]:
                out.append(Box("allow", family, p, src[family], dst[family], ports))
    return out


def read_template(path):
    with open(path) as f:
        doc = json.load(f)
    resources = doc["Resources"]
    own = address_sets(doc["Metadata"]["cmnet"]["addresses"])
    props = resources["SecurityGroup"]["Properties"]
    if not DESCRIPTION.match(props["GroupDescription"]):
        raise ReadError(f"{path}: group description AWS would reject")
    whole = {4: family_all(4), 6: family_all(6)}
    inbound = [b for e in props.get("SecurityGroupIngress", []) for b in entry_boxes(e, resources, whole, True)]
    if "SecurityGroupEgress" in props:
        outbound = [b for e in props["SecurityGroupEgress"] for b in entry_boxes(e, resources, whole, False)]
    else:
        outbound = everything()
    return {"in": restrict(inbound, own, "dst"), "out": restrict(outbound, own, "src")}


def read(directory):
    return read_hosts(directory, ".json", read_template)
