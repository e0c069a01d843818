"""Checks the quoting invariant of a build of the injection corpus (corpus.cmnet).

Every output file must be valid UTF-8 (a Windows script: a byte-order mark, then ASCII only),
and every comment, remark and description of the corpus's rules must read back, with the
target's own quoting rules, as one token holding the rule's reason: the text as the backend
documents it (docs/backends.md, "Quoting"), cut on a character boundary. Prints one line per
target; exits 1 when any target fails.

usage: check_quoting.py CORPUS.cmnet OUTPUT_DIR
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "readers"))
import windows  # noqa: E402  (the Windows reader's tokenizer)


class Failure(Exception):
    pass


def reasons(corpus):
    """{port: reason} of the corpus's `allow 10.9.N.0/24 -> gyr01 tcp PORT "..."` lines."""
    with open(corpus, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for m in re.finditer(r'allow 10\.9\.\d+\.0/24 -> gyr01 tcp (\d+) "((?:\\.|[^"\\])*)";', text, re.S):
        out[int(m.group(1))] = re.sub(r"\\(.)", r"\1", m.group(2), flags=re.S)
    return out


def plain(text, mapping=None):
    """The backends' plainText: control characters a space, then the target's mapping."""
    out = []
    for c in text:
        o = ord(c)
        if o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F or o in (0x2028, 0x2029):
            out.append(" ")
        else:
            out.append((mapping or {}).get(c, c))
    return "".join(out)


def cut(text, max_bytes):
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    n = max_bytes - 3
    while n > 0 and data[n] & 0xC0 == 0x80:
        n -= 1
    return data[:n].decode("utf-8") + "..."


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".ps1"):
        if not data.startswith(b"\xef\xbb\xbf"):
            raise Failure(f"{path}: no UTF-8 byte-order mark")
        data = data[3:]
        if any(b >= 0x80 for b in data):
            raise Failure(f"{path}: a byte outside ASCII after the byte-order mark")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Failure(f"{path}: not valid UTF-8 at byte {e.start}")


def expect(got, want, where):
    if got != want:
        raise Failure(f"{where}: read back {got!r}, expected {want!r}")


def backslash_quoted(line, i):
    """The double-quoted string at line[i] with backslash escapes (iptables-restore, Junos)."""
    if line[i] != '"':
        raise Failure(f"no string at {line[i:i + 20]!r}")
    word, j = "", i + 1
    while j < len(line):
        if line[j] == "\\" and j + 1 < len(line):
            word, j = word + line[j + 1], j + 2
        elif line[j] == '"':
            return word, j + 1
        else:
            word, j = word + line[j], j + 1
    raise Failure(f"unterminated string in {line!r}")


def check_nftables(text, want):
    seen = set()
    for line in text.splitlines():
        if " comment " not in line:
            continue
        m = re.fullmatch(r'(.*) comment "([^"]*)"', line)
        if not m:
            raise Failure(f"nftables: comment is not one string: {line!r}")
        port = re.search(r"saddr 10\.9\.\d+\.0/24 tcp dport (\d+) ", m.group(1))
        if port:
            p = int(port.group(1))
            expect(m.group(2), cut(plain(want[p], {'"': "'"}), 120), f"nftables port {p}")
            seen.add(p)
    return seen


def check_iptables(text, want):
    seen = set()
    for line in text.splitlines():
        if "--comment" not in line:
            continue
        i = line.index("--comment ") + len("--comment ")
        comment, j = backslash_quoted(line, i)
        if not re.fullmatch(r" -j [A-Z0-9-]+", line[j:]):
            raise Failure(f"iptables: text after the comment: {line[j:]!r}")
        port = re.search(r"-s 10\.9\.\d+\.0/24 -p tcp (?:-m tcp )?--dport (\d+) ", line)
        if port:
            p = int(port.group(1))
            expect(comment, cut(plain(want[p]), 200), f"iptables port {p}")
            seen.add(p)
    return seen


def check_windows(text, want):
    seen = set()
    for line in text.splitlines():
        if not line.startswith("New-NetFirewallRule"):
            continue
        params, _ = windows.parameters(windows.tokenize(line))
        m = re.fullmatch(r"cmnet-gyr01-(in|out)-(\d+)", params["Name"])
        if not m:
            raise Failure(f"windows: unexpected rule name {params['Name']!r}")
        port = params.get("LocalPort", "")
        if params.get("RemoteAddress", "").startswith("10.9.") and port.isdigit():
            p = int(port)
            ps = plain(want[p], {"|": "/"})
            expect(params["DisplayName"], f"cmnet gyr01 {m.group(1)} {m.group(2)}: {cut(ps, 100)}", f"windows port {p}")
            if ps not in params["Description"]:
                raise Failure(f"windows port {p}: description {params['Description']!r} lacks {ps!r}")
            seen.add(p)
    return seen


def check_cisco_asa(text, want):
    seen, remark = set(), None
    for line in text.splitlines():
        m = re.fullmatch(r"access-list \S+ remark (.*)", line)
        if m:
            remark = m.group(1)
            if "?" in remark:
                raise Failure(f"cisco-asa: '?' in a remark: {line!r}")
            continue
        port = re.search(r"extended permit tcp 10\.9\.\d+\.0 255\.255\.255\.0 .* eq (\d+)$", line)
        if port:
            p = int(port.group(1))
            expect(remark, cut(plain(want[p], {"?": "."}), 100), f"cisco-asa port {p}")
            seen.add(p)
    return seen


def check_juniper_srx(text, want):
    seen, descriptions = set(), {}
    for line in text.splitlines():
        m = re.match(r"(set groups cmnet security policies .* policy \S+) description ", line)
        if m:
            word, j = backslash_quoted(line, m.end())
            if j != len(line):
                raise Failure(f"juniper-srx: text after the description: {line[j:]!r}")
            descriptions[m.group(1)] = word
        m = re.fullmatch(r"(set groups cmnet security policies .* policy \S+) match application cmnet-tcp-(\d+)", line)
        if m and int(m.group(2)) in want and re.search(r"cmnet-10\.9\.\d+\.0_24", text):
            p = int(m.group(2))
            expect(descriptions[m.group(1)], cut(plain(want[p]), 200), f"juniper-srx port {p}")
            seen.add(p)
    return seen


def check_azure_nsg(text, want):
    seen = set()
    for resource in json.loads(text)["resources"]:
        for rule in resource["properties"]["securityRules"]:
            props = rule["properties"]
            ports = props.get("destinationPortRanges", [])
            if len(ports) == 1 and int(ports[0]) in want and props["sourceAddressPrefixes"][0].startswith("10.9."):
                p = int(ports[0])
                expect(props["description"], cut(plain(want[p]), 140), f"azure-nsg port {p}")
                seen.add(p)
    return seen


def check_json(text, want):
    json.loads(text)
    return set(want)


def check_doc_dot(text, want):
    for line in text.splitlines():
        if re.search(r'(?<!\\)(?:\\\\)*"', line) and len(re.findall(r'(?<!\\)(?:\\\\)*"', line)) % 2:
            raise Failure(f"doc-dot: a string does not end on its line: {line!r}")
    return set(want)


def check_doc_md(text, want):
    if re.search(r"[\x00-\x09\x0b-\x1f\x7f]", text):
        raise Failure("doc-md: a control character")
    return set(want)


CHECKS = {
    "nftables": check_nftables, "iptables": check_iptables, "windows": check_windows,
    "cisco-asa": check_cisco_asa, "juniper-srx": check_juniper_srx, "azure-nsg": check_azure_nsg,
    "aws-sg": check_json, "ir-json": check_json, "doc-md": check_doc_md, "doc-dot": check_doc_dot,
}


def main():
    want = reasons(sys.argv[1])
    out_dir = sys.argv[2]
    failed = False
    for target, check in CHECKS.items():
        try:
            seen = set()
            directory = os.path.join(out_dir, target)
            for name in sorted(n for n in os.listdir(directory) if not n.startswith(".")):
                seen |= check(read_text(os.path.join(directory, name)), want)
            if seen != set(want):
                raise Failure(f"{target}: no rule read for ports {sorted(set(want) - seen)}")
            print(f"quoting: {target}: {len(want)} reasons read back")
        except (Failure, ValueError, KeyError) as e:
            print(f"quoting: {target}: {type(e).__name__}: {e}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
