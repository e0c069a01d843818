"""Reads Windows Defender Firewall scripts (HOST.ps1) back into flows.

Understands the NetSecurity cmdlets the backend writes: New-NetFirewallRule (direction, action,
protocol, ports, ICMP type, local and remote addresses), Set-NetFirewallProfile (the default
actions) and the remove-then-create scaffolding, which it checks is there. Windows applies block
rules before allow rules whatever their order, so denies are evaluated first.
"""

import re

from flowspace import (ALL_ICMP, ALL_PORTS, Box, ReadError, address_sets, everything, family_all, header_addresses,
                       port_ranges, read_hosts, restrict)


def single_quoted(line, i):
    """The single-quoted string at line[i] ('' is a quote) and the index after it."""
    j, word = i + 1, ""
    while True:
        if j >= len(line):
            raise ReadError(f"unterminated string in {line!r}")
        if line[j] == "'":
            if j + 1 < len(line) and line[j + 1] == "'":
                word, j = word + "'", j + 2
                continue
            return word, j + 1
        word, j = word + line[j], j + 1


CHAR_CODE = re.compile(r"\[char\]0x([0-9A-F]{4})")


def concatenation(line, i):
    """The backend's form of non-ASCII text at line[i]: ('Gy' + [char]0x0151 + 'r'), strings and
    UTF-16 code units joined by ' + '. Returns the text and the index after the ')'."""
    units, j = [], i + 1
    while True:
        if line[j] == "'":
            word, j = single_quoted(line, j)
            units += [ord(c) for c in word]
        else:
            m = CHAR_CODE.match(line, j)
            if not m:
                raise ReadError(f"unexpected expression at {line[j:j + 20]!r}")
            units.append(int(m.group(1), 16))
            j = m.end()
        if line.startswith(" + ", j):
            j += 3
        elif line.startswith(")", j):
            break
        else:
            raise ReadError(f"unexpected text in a string expression at {line[j:j + 20]!r}")
    data = b"".join(u.to_bytes(2, "little") for u in units)
    return data.decode("utf-16-le"), j + 1


def tokenize(line):
    """PowerShell words: bare words, single-quoted strings ('' is a quote) and the parenthesised
    concatenations the backend writes for non-ASCII text."""
    tokens, i = [], 0
    while i < len(line):
        c = line[i]
        if c == " ":
            i += 1
        elif c == "'":
            word, i = single_quoted(line, i)
            tokens.append(word)
        elif line.startswith("('", i) or line.startswith("([char]", i):
            word, i = concatenation(line, i)
            tokens.append(word)
        else:
            j = line.find(" ", i)
            j = len(line) if j < 0 else j
            tokens.append(line[i:j])
            i = j
    return tokens


def parameters(tokens):
    """'-Name value' pairs (a parameter without a value maps to True); @splats and pipes kept apart."""
    params, rest, i = {}, [], 1
    while i < len(tokens):
        t = tokens[i]
        if t.startswith("-") and len(t) > 1 and not t[1].isdigit():
            if i + 1 < len(tokens) and not tokens[i + 1].startswith("-"):
                params[t[1:]] = tokens[i + 1]
                i += 2
                continue
            params[t[1:]] = True
        else:
            rest.append(t)
        i += 1
    return params, rest


def address_list(value):
    if value == "Any":
        return {4: family_all(4), 6: family_all(6)}
    return address_sets(value.split(","))


def rule_boxes(params):
    inbound = params["Direction"] == "Inbound"
    action = {"Allow": "allow", "Block": "deny"}[params["Action"]]
    local = address_list(params.get("LocalAddress", "Any"))
    remote = address_list(params.get("RemoteAddress", "Any"))
    src, dst = (remote, local) if inbound else (local, remote)
    proto = params.get("Protocol", "Any")
    if proto in ("TCP", "UDP"):
        port_param = "LocalPort" if inbound else "RemotePort"
        other = "RemotePort" if inbound else "LocalPort"
        if other in params:
            raise ReadError(f"unexpected -{other} (source ports are never filtered)")
        ports = port_ranges(params[port_param].split(",")) if port_param in params else ALL_PORTS
        families = {4: ports, 6: ports}
        proto = proto.lower()
    elif proto in ("ICMPv4", "ICMPv6"):
        t = params.get("IcmpType")
        types = ALL_ICMP if t is None else ((int(t), int(t)),)
        families = {4: types} if proto == "ICMPv4" else {6: types}
        proto = "icmp"
    else:
        raise ReadError(f"unexpected -Protocol {proto}")
    out = []
    for family, ports in families.items():
        if src.get(family) and dst.get(family):
            out.append(Box(action, family, proto, src[family], dst[family], ports))
    return inbound, out


def read_script(path):
    with open(path, "rb") as f:
        data = f.read()
    # Windows PowerShell 5.1 reads a script without a byte-order mark in the ANSI code page.
    if not data.startswith(b"\xef\xbb\xbf"):
        raise ReadError(f"{path}: no UTF-8 byte-order mark")
    text = data[3:].decode("utf-8")
    host_addrs = header_addresses(text)
    boxes = {True: [], False: []}
    defaults = {}
    removed = False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        tokens = tokenize(line)
        params, rest = parameters(tokens)
        if tokens[0] == "Remove-NetFirewallRule" and params.get("Group") == "$group":
            removed = True
        elif tokens[0] == "Set-NetFirewallProfile":
            defaults = params
        elif tokens[0] == "New-NetFirewallRule":
            if not removed:
                raise ReadError(f"{path}: a rule is created before the group's old rules are removed")
            if params.get("Group") != "$group" or "@store" not in rest:
                raise ReadError(f"{path}: rule outside the group or store: {line[:80]}")
            if params.get("Enabled", "True") != "True":
                continue
            inbound, rule = rule_boxes(params)
            boxes[inbound] += rule
    if defaults.get("Enabled") != "True":
        raise ReadError(f"{path}: the script does not enable the firewall")
    out = {}
    for inbound, direction, own in ((True, "in", "dst"), (False, "out", "src")):
        # Block rules win over allow rules in Windows Firewall, whatever their order.
        ordered = [b for b in boxes[inbound] if b.action == "deny"] + [b for b in boxes[inbound] if b.action == "allow"]
        default = defaults.get("DefaultInboundAction" if inbound else "DefaultOutboundAction")
        if default == "Allow":
            ordered += everything()
        elif default != "Block":
            raise ReadError(f"{path}: no default {direction}bound action")
        out[direction] = restrict(ordered, host_addrs, own)
    return out


def read(directory):
    return read_hosts(directory, ".ps1", read_script)
