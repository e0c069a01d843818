#!/usr/bin/env python3
"""Build the ground-truth port catalogue from a Configuration Manager ports document.

Usage:
    python3 tools/extract_catalog_truth.py SEED --version 2007|current > out.tsv

SEED is the plain-text rendering of either
  * "Ports Used by Configuration Manager" (Configuration Manager 2007), or
  * "Ports used in Configuration Manager" (current branch).

The script is independent of the cmnet compiler.  Every row is derived from the
document text: headings are parsed for roles and arrows, tables are parsed cell
by cell, and the few places where the text extraction lost an arrow, a table
cell or a whole table (the port is only given in prose) are settled by the small
HAND-DECISION tables below.  Every hand decision quotes the source text, and the
script checks that the quoted text really occurs in the seed, so a decision can
never silently invent a connection.

Output: TSV, header line then one line per (connection, description, transport):
    section source_role source_role_id direction destination_role
    destination_role_id description transport ports parameter notes
See tests/catalog_truth/README.md for the column definitions and every
judgement call.  Output is deterministic (document order, no hashing).
"""

import argparse
import re
import sys

COLUMNS = [
    "section", "source_role", "source_role_id", "direction",
    "destination_role", "destination_role_id", "description",
    "transport", "ports", "parameter", "notes",
]

# --------------------------------------------------------------------------
# Role vocabulary: written role name (lower-cased, whitespace collapsed) -> id
# --------------------------------------------------------------------------
ROLE_IDS = {
    # -- shared / both documents
    "site server": "site_server",
    "primary site server": "site_server",          # 2007; written name kept
    "client": "client",
    "configuration manager client": "client",      # 2007 section 37
    "management point": "management_point",
    "distribution point": "distribution_point",
    "software update point": "software_update_point",
    "state migration point": "state_migration_point",
    "fallback status point": "fallback_status_point",
    "domain controller": "domain_controller",
    "global catalog domain controller": "global_catalog",
    "internet": "internet",
    "asset intelligence synchronization point": "asset_intelligence_sync_point",
    "reporting services point": "reporting_services_point",
    "configuration manager console": "console",
    "sql server": "site_database",
    "microsoft sql server": "site_database",
    # -- 2007 only
    "pxe service point": "pxe_service_point",
    "system health validator": "system_health_validator",
    "branch distribution point": "branch_distribution_point",
    "server locator point": "server_locator_point",
    "provider": "sms_provider",
    "reporting point": "reporting_point",
    "wsus synchronization server": "upstream_wsus",
    "system center online": "microsoft",
    "multicast distribution point": "distribution_point",
    "client status reporting host": "client_status_reporting_host",
    "out of band service point": "out_of_band_service_point",
    "amt management controller": "amt_device",
    "out of band management console": "console",
    "windows servers": "windows_server",
    "any computer": "any_host",  # `any` is the address keyword in .cmnet
    # -- current branch only
    "microsoft": "microsoft",
    "configuration manager network device enrollment service (ndes) policy module":
        "ndes_policy_module",
    "cloud distribution point": "cloud_distribution_point",
    "cloud management gateway (cmg)": "cmg",
    "distribution point, both standard and pull": "distribution_point",
    "distribution point configured for multicast, both standard and pull":
        "distribution_point",
    "distribution point configured for pxe, both standard and pull":
        "distribution_point",
    "pull-distribution point": "distribution_point",
    "distribution point configured as source": "distribution_point",
    "cmg connection point": "cmg_connection_point",
    "cmg virtual machine scale set": "cmg_vmss",
    "cmg classic cloud service": "cmg_classic",
    "sms provider": "sms_provider",
    "certificate registration point": "certificate_registration_point",
    "data warehouse service point": "data_warehouse_point",
    "endpoint protection point": "endpoint_protection_point",
    "enrollment proxy point": "enrollment_proxy_point",
    "enrollment point": "enrollment_point",
    "exchange server connector": "exchange_connector",
    "exchange online": "exchange_online",
    "on-premises exchange server": "exchange_server",
    "mac computer": "mac_computer",
    "mobile device": "mobile_device",
    "service connection point": "service_connection_point",
    "azure (cmg)": "azure",
    "azure logic app": "azure_logic_app",
    "issuing certification authority (ca)": "issuing_ca",
    "server hosting remote content library share": "remote_content_library",
    "sql server for wsus": "wsus_sql",
    "upstream wsus server": "upstream_wsus",
    "server shares": "file_server",
    "any device": "any_host",
    "internet-based management point": "management_point",
    "internet-based software update point": "software_update_point",
    "internet-based fallback status point": "fallback_status_point",
}


def role_id(name):
    key = collapse(name).lower()
    if key not in ROLE_IDS:
        die("no role id for written role name %r" % name)
    return ROLE_IDS[key]


# --------------------------------------------------------------------------
# Parameter names.  A port gets a parameter only when the document says it is
# configurable ("Note 2 Alternate port available", "80 or 8530", "443/8531",
# "(configurable)").  Names describe what the port is for the DESTINATION role.
# Order matters: first match wins (HTTPS before HTTP).
# --------------------------------------------------------------------------
PARAMETER_BY_DESCRIPTION = [
    # "Client notification (default communication before falling back to HTTP
    # or HTTPS)" mentions HTTP(S) but is its own port: test it first.
    (r"^Client notification", "client_notification_port"),
    (r"\bHTTPS\b", "https_port"),
    (r"\bHTTP\b", "http_port"),
    (r"^Express updates", "express_port"),
    (r"^Wake on LAN$", "wol_port"),
    (r"^Wake-up proxy$", "wakeup_port"),
    (r"^SQL Server Service Broker$", "service_broker_port"),
    (r"^SQL over TCP$|^SQL Server service$|^TCP/IP Net-Library$", "sql_port"),
    (r"^Provisioning$", "provisioning_port"),
]


def parameter_for(description):
    for pattern, name in PARAMETER_BY_DESCRIPTION:
        if re.search(pattern, description, re.IGNORECASE):
            return name
    die("no parameter name for configurable row %r" % description)


WORD_NOTE_ORDER = ["admin", "install", "example", "sp1", "r2"]


def format_notes(notes):
    nums = sorted({n for n in notes if n.isdigit()}, key=int)
    words = [w for w in WORD_NOTE_ORDER if w in notes]
    unknown = set(notes) - set(nums) - set(words)
    if unknown:
        die("unknown note tokens %r" % sorted(unknown))
    return ";".join(nums + words)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def die(msg):
    sys.stderr.write("extract_catalog_truth: error: %s\n" % msg)
    sys.exit(1)


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def normalise_arrows(text):
    text = collapse(text)
    text = re.sub(r"<\s*-\s*-\s*>", "<-->", text)      # "< -- >", "< -->"
    text = re.sub(r"(?<![<-])-\s*-\s*>", "-->", text)   # "-- >"
    return text


def arrow_direction(arrow):
    return {"-->": "->", "<-->": "<->"}[arrow]


def require_quote(doc_collapsed, quote):
    if collapse(quote) not in doc_collapsed:
        die("hand decision quotes text not found in seed: %r" % quote)


class Conn(object):
    """One connection: source role, arrow, destination role (+ flags)."""

    def __init__(self, src, arrow, dst, words=()):
        self.src = collapse(src)
        self.dst = collapse(dst)
        self.direction = arrow_direction(arrow)
        self.src_id = role_id(self.src)
        self.dst_id = role_id(self.dst)
        self.words = set(words)


def emit(rows, section, conn, description, transport, ports, parameter, notes):
    notes = set(notes) | conn.words
    row = [
        section, conn.src, conn.src_id, conn.direction, conn.dst, conn.dst_id,
        collapse(description), transport, ports, parameter or "",
        format_notes(notes),
    ]
    for value in row:
        if "\t" in value or "\n" in value:
            die("tab/newline in value %r" % value)
    rows.append(row)


# ==========================================================================
# Configuration Manager 2007
# ==========================================================================
# Cell text of the 2007 tables, e.g. "80 (See note 2, Alternate Port Available)"
CELL_2007 = re.compile(r"^(--|n/a|DYNAMIC|\d.*)$")
# The note title may itself contain parentheses: "(See note 5, Trivial FTP (TFTP) Daemon)"
SEE_NOTE = re.compile(r"\s*\(See note (\d+),.*\)$", re.IGNORECASE)
RELEASE_TAG = re.compile(r"\s*\(Configuration Manager 2007 (SP1|R2)\)", re.IGNORECASE)

# Headings of the later 2007 tables that are not numbered connection sections.
NAMED_HEADINGS_2007 = [
    "Notes",
    "Configuration Manager Remote Control Ports",
    "AMT Out of Band Management Ports (Configuration Manager 2007 SP1)",
    "Ports Used by Windows Servers",
    "Connecting with Microsoft SQL Server",
    "Installation Requirements for Internet-Based Site Systems",
]

# HAND DECISION (2007): tables whose heading names no roles.
TABLE_CONNECTIONS_2007 = {
    # "Configuration Manager Remote Control Ports / When you use NetBIOS over
    # TCP/IP for Configuration Manager 2007 Remote Control, the ports described
    # in the following table are used."  Remote control is the console -> client
    # connection of section "34. Configuration Manager Console -- > Client", so
    # the same roles are used.
    "Configuration Manager Remote Control Ports":
        ("Configuration Manager Console", "-->", "Client"),
    # "Ports Used by Windows Servers / The following table lists some of the key
    # ports that Windows Server uses and their respective functions."  No client
    # role is named: any computer -> a Windows server offering the service.
    "Ports Used by Windows Servers":
        ("Any computer", "-->", "Windows Servers"),
}

# HAND DECISION (2007): connections whose ports are given only in prose (no
# table).  Each entry: section, quote (must occur in the seed), connection,
# then rows (description, transport, ports, parameter, notes).  Every port in a
# row must occur in the quote.
PROSE_ROWS_2007 = [
    {
        # Section 11 has no table, only examples of NAP enforcement ports.
        # Decision: emit them, marked "example", against the heading's roles.
        "section": "11",
        "quote": "For example, DHCP enforcement will use ports UDP 67 and 68. "
                 "IPSec enforcement will use ports TCP 80 or 443 to the Health "
                 "Registration Authority, port UDP 500 for IPsec negotiation",
        "conn": None,  # taken from the numbered heading
        "rows": [
            ("DHCP enforcement", "udp", "67,68", "", ["example"]),
            ("IPSec enforcement", "tcp", "80,443", "", ["example"]),
            ("IPsec negotiation", "udp", "500", "", ["example"]),
        ],
    },
    {
        # "Connecting with Microsoft SQL Server / If you use the TCP/IP
        # Net-Library, enable port 1433 on the firewall. ... By default, SQL
        # Server uses TCP (not UDP) port 1433 ... To change the port, run SQL
        # Server Setup ... the client must specify that port".  The port is
        # changeable (text says so), hence parameter sql_port.
        # Named pipes (139) and NetBIOS B-node (UDP 137/138) are advisories.
        "section": "Connecting with Microsoft SQL Server",
        "quote": "If you use the TCP/IP Net-Library, enable port 1433 on the firewall.",
        "conn": ("Any computer", "-->", "Microsoft SQL Server"),
        "rows": [
            ("TCP/IP Net-Library", "tcp", "1433", "sql_port", []),
        ],
    },
]

# HAND DECISION (2007): "Installation Requirements for Internet-Based Site
# Systems": "The Internet-based management point, software update point, and
# fallback status point use the following ports for installation and repair:"
# -- the generic "site system" of the following lines is expanded into those
# three roles.  "distribution point" lines are kept as distribution point.
INSTALL_TARGETS_2007 = {
    "site system": [
        "Internet-based management point",
        "Internet-based software update point",
        "Internet-based fallback status point",
    ],
    "distribution point": ["distribution point"],
}
INSTALL_QUOTE_2007 = ("The Internet-based management point, software update point, "
                      "and fallback status point use the following ports for "
                      "installation and repair:")
INSTALL_LINE_2007 = re.compile(
    r"^Site server (-->|<-->) (site system|distribution point): (.*)\.$")


def parse_2007_connections(heading_text):
    """'Site Server <--> Software Update Point' (already arrow-normalised,
    release tag removed) -> list of Conn; '/' separates several connections."""
    conns = []
    for part in heading_text.split(" / "):
        m = re.match(r"^(.+?) (<-->|-->) (.+)$", part)
        if not m:
            die("cannot split 2007 heading %r" % part)
        conns.append(Conn(m.group(1), m.group(2), m.group(3)))
    return conns


def parse_2007_cell(cell, description):
    """-> (ports, parameter, notes) or None for '--'."""
    if cell == "--":
        return None
    notes = SEE_NOTE.findall(cell)
    value = collapse(SEE_NOTE.sub("", cell))
    parameter = ""
    m = re.match(r"^(\d+) or (\d+)$", value)
    if m:  # WSUS "80 or 8530" / "443 or 8531": current default (the 2nd)
        return m.group(2), parameter_for(description), notes
    m = re.match(r"^(\d+) \(configurable\)$", value)
    if m:
        return m.group(1), parameter_for(description), notes
    m = re.match(r"^(\d+) and (\d+)$", value)
    if m:
        value = "%s,%s" % (m.group(1), m.group(2))
    elif value == "DYNAMIC":
        value = "dynamic"
    elif not re.match(r"^\d+(-\d+)?$", value):
        die("unparsed 2007 cell %r" % cell)
    if "2" in notes:  # Alternate Port Available
        parameter = parameter_for(description)
    return value, parameter, notes


def parse_2007_table(lines, i):
    """lines[i] is the 'Description | UDP | TCP |' header.  Returns (rows, next_i)
    with rows = [(description, udp_cell, tcp_cell)]."""
    if not lines[i + 1].startswith("---|"):
        die("table header without separator at line %d" % (i + 2))
    j = i + 2
    tokens = []
    while j < len(lines) and lines[j].rstrip().endswith("|"):
        tokens.append(lines[j].rstrip()[:-1].strip())
        j += 1
    rows = []
    current = None
    for tok in tokens:
        if tok == "":
            continue  # stray cell of the spurious 4th column (section 6)
        if CELL_2007.match(tok):
            if current is None:
                die("table cell before any description at line %d" % j)
            current[1].append(tok)
        else:
            current = (tok, [])
            rows.append(current)
    out = []
    for desc, cells in rows:
        if len(cells) != 2:
            die("2007 row %r has %d cells" % (desc, len(cells)))
        out.append((desc, cells[0], cells[1]))
    return out, j


def emit_2007_table(rows, section, conns, section_notes, table_rows):
    for conn in conns:
        for desc, udp, tcp in table_rows:
            m = re.match(r"^ICMPv4 Type (\d+)", desc)
            if m:
                if (udp, tcp) != ("n/a", "n/a"):
                    die("ICMP row with port cells %r" % desc)
                emit(rows, section, conn, desc, "icmp", m.group(1), "",
                     section_notes)
                continue
            for transport, cell in (("udp", udp), ("tcp", tcp)):
                parsed = parse_2007_cell(cell, desc)
                if parsed is None:
                    continue
                ports, parameter, notes = parsed
                emit(rows, section, conn, desc, transport, ports, parameter,
                     set(notes) | section_notes)


def extract_2007(text):
    doc_collapsed = collapse(text)
    lines = [collapse(l) for l in text.splitlines()]
    rows = []
    section = None          # section name as written in the output
    section_key = None      # "11", "A", or the named heading
    conns = []
    section_notes = set()
    release_words = set()   # sp1/r2 inherited from an enclosing heading
    seen_numbers = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m_num = re.match(r"^(\d+)\. (.*)$", line)
        m_let = re.match(r"^([A-Z])\. (.*)$", line)
        if m_num or m_let:
            m = m_num or m_let
            key = m.group(1)
            heading = normalise_arrows(m.group(2))
            section = "%s. %s" % (key, heading)
            section_key = key
            if m_num:
                seen_numbers.append(int(key))
                release_words = set()
            words = {t.lower() for t in RELEASE_TAG.findall(heading)}
            bare = RELEASE_TAG.sub("", heading)
            conns = parse_2007_connections(bare)
            for c in conns:
                c.words |= words | release_words
            section_notes = set()
            i += 1
            continue
        if line in NAMED_HEADINGS_2007:
            section = line
            section_key = line
            section_notes = set()
            release_words = {t.lower() for t in RELEASE_TAG.findall(line)}
            conns = []
            if line in TABLE_CONNECTIONS_2007:
                s, a, d = TABLE_CONNECTIONS_2007[line]
                conns = [Conn(s, a, d, release_words)]
            i += 1
            continue
        if section is None:
            i += 1
            continue
        m = re.match(r"^\(See note (\d+),.*\)$", line)
        if m:  # section-level note citation, e.g. note 6
            section_notes.add(m.group(1))
            i += 1
            continue
        # "The reporting point and the Reporting Services point use the same
        # ports. The Reporting Services point is applicable to Configuration
        # Manager 2007 R2 only." -> tag that role's connection r2.
        m = re.search(r"(?:^|\. )The ([^.]+? point) is (?:applicable to |in )?"
                      r"Configuration Manager 2007 (R2|SP1) only", line)
        if m and conns:
            role = m.group(1).lower()
            for c in conns:
                if role in (c.src.lower(), c.dst.lower()):
                    c.words.add(m.group(2).lower())
            i += 1
            continue
        if line.startswith("Description | UDP | TCP |"):
            table_rows, i = parse_2007_table(lines, i)
            if not conns:
                die("table without connection under %r" % section)
            emit_2007_table(rows, section, conns, section_notes, table_rows)
            continue
        m = INSTALL_LINE_2007.match(normalise_arrows(line))
        if m and section_key == "Installation Requirements for Internet-Based Site Systems":
            require_quote(doc_collapsed, INSTALL_QUOTE_2007)
            arrow, target, rest = m.groups()
            m2 = re.match(r"^(.+?) using (UDP and TCP|UDP|TCP) port (\d+)$", rest)
            if m2:
                desc, protos, port = m2.groups()
                transports = [p.lower() for p in protos.split(" and ")]
            elif rest == "RPC dynamic TCP ports":
                desc, transports, port = rest, ["tcp"], "dynamic"
            else:
                die("unparsed installation line %r" % line)
            for dst in INSTALL_TARGETS_2007[target]:
                conn = Conn("Site server", arrow, dst)
                for t in transports:
                    emit(rows, section, conn, desc, t, port, "", {"install"})
            i += 1
            continue
        i += 1
    if seen_numbers != list(range(1, 48)):
        die("2007 numbered sections are not exactly 1..47: %r" % seen_numbers)
    # prose-only rows, inserted after the rows of their section
    for decision in PROSE_ROWS_2007:
        require_quote(doc_collapsed, decision["quote"])
        for _, _, ports, _, _ in decision["rows"]:
            for p in ports.split(","):
                if p not in decision["quote"]:
                    die("port %s not in quote %r" % (p, decision["quote"]))
        key = decision["section"]
        sec_name, sec_conns = None, None
        for li in lines:
            if re.match(r"^%s\. " % re.escape(key), li):
                heading = normalise_arrows(li.split(". ", 1)[1])
                sec_name = "%s. %s" % (key, heading)
                sec_conns = parse_2007_connections(RELEASE_TAG.sub("", heading))
                break
            if li == key:
                sec_name = key
                s, a, d = decision["conn"]
                sec_conns = [Conn(s, a, d)]
                break
        if sec_name is None:
            die("prose decision section %r not found" % key)
        new = []
        for conn in sec_conns:
            for desc, transport, ports, parameter, notes in decision["rows"]:
                emit(new, sec_name, conn, desc, transport, ports, parameter, notes)
        rows = insert_after_section(rows, sec_name, new, lines_order_2007(lines))
    return rows


def lines_order_2007(lines):
    """Section names in document order (for placing prose rows)."""
    order = []
    for line in lines:
        m = re.match(r"^(\d+|[A-Z])\. (.*)$", line)
        if m:
            order.append("%s. %s" % (m.group(1), normalise_arrows(m.group(2))))
        elif line in NAMED_HEADINGS_2007:
            order.append(line)
    return order


def insert_after_section(rows, section, new_rows, order):
    """Insert new_rows after the last row of `section`, or, if the section has
    no rows, after the last row of the nearest preceding section."""
    idx = order.index(section)
    wanted = set(order[: idx + 1])
    pos = 0
    for k, row in enumerate(rows):
        if row[0] in wanted:
            pos = k + 1
    return rows[:pos] + new_rows + rows[pos:]


# ==========================================================================
# Current branch
# ==========================================================================
# HAND DECISION (current): headings whose arrow was lost in the text.  The
# markdown "<-->" was stripped as if it were an HTML tag, while "-->" survived
# elsewhere; all lost arrows are therefore "<-->".  Note 5: "By default,
# communication between the site server and site systems is bi-directional."
# The 2007 document writes the same pairs with "< -- >" (sections 1, 3, 5, 9,
# 10, 12, 35, 39, 45).  Each key is the heading exactly as printed.
LOST_ARROWS = {
    "Management point Site server": ("Management point", "<-->", "Site server"),
    "Site server Asset Intelligence synchronization point":
        ("Site server", "<-->", "Asset Intelligence synchronization point"),
    "Site server Certificate registration point":
        ("Site server", "<-->", "Certificate registration point"),
    "Site server CMG connection point":
        ("Site server", "<-->", "CMG connection point"),
    "Site server Endpoint Protection point":
        ("Site server", "<-->", "Endpoint Protection point"),
    "Site server Enrollment point": ("Site server", "<-->", "Enrollment point"),
    "Site server Enrollment proxy point":
        ("Site server", "<-->", "Enrollment proxy point"),
    "Site server Fallback status point":
        ("Site server", "<-->", "Fallback status point"),
    # Not a site system, so Note 5 does not cover it; the lost arrow is still
    # "<-->" by the stripping argument above.
    "Site server Issuing certification authority (CA)":
        ("Site server", "<-->", "Issuing certification authority (CA)"),
    "Site server Service connection point":
        ("Site server", "<-->", "Service connection point"),
    "Site server Reporting services point":
        ("Site server", "<-->", "Reporting services point"),
    "Site server Site server": ("Site server", "<-->", "Site server"),
    "Site server Software update point":
        ("Site server", "<-->", "Software update point"),
    "Site server State migration point":
        ("Site server", "<-->", "State migration point"),
}

# HAND DECISION (current): "Other ports" headings written in prose form.
OTHER_HEADINGS = {
    # "Client to server shares / Clients use Server Message Block (SMB) whenever
    # they connect to UNC shares."  Written with "to", not an arrow; the
    # section name is kept as printed.
    "Client to server shares": ("Client", "-->", "server shares"),
    # "Connections to SQL Server / For communication to the SQL Server database
    # engine and for intersite replication, you can use the default SQL Server
    # port or specify custom ports:" -- the list that followed was lost and no
    # port is printed; both communications are already rows of the
    # "<role> --> SQL Server" and "SQL Server --> SQL Server" sections.
    # Decision: heading recognised, no rows.
    "Connections to SQL Server": None,
}

# HAND DECISION (current): table rows that lost a cell.
LOST_CELLS = {
    # Section "Client --> Configuration Manager Network Device Enrollment
    # Service (NDES) policy module" prints "HTTP 80" (two cells for three
    # columns) next to "HTTPS -- 443".  HTTP is TCP; the UDP "--" was lost.
    ("Client --> Configuration Manager Network Device Enrollment Service (NDES) "
     "policy module", "HTTP 80"): ("HTTP", "--", "80"),
}

# HAND DECISION (current): rows that exist only in prose.
PROSE_ROWS_CURRENT = [
    {
        # "Wake-up proxy also uses ICMP echo request messages from one client to
        # another client. ... ICMP doesn't have a UDP or TCP protocol number, and
        # so it isn't listed in the below table."  ICMP echo request = type 8.
        "section": "Client --> Client",
        "quote": "Wake-up proxy also uses ICMP echo request messages from one "
                 "client to another client.",
        "conn": None,
        "rows": [("Wake-up proxy ICMP echo request", "icmp", "8", "", [])],
    },
    {
        # "Note for administration service / Any device that makes a call to the
        # administration service on the SMS Provider uses HTTPS port 443."
        "section": "Note for administration service",
        "quote": "Any device that makes a call to the administration service on "
                 "the SMS Provider uses HTTPS port 443.",
        "conn": ("Any device", "-->", "SMS Provider"),
        "rows": [("HTTPS (administration service)", "tcp", "443", "", ["admin"])],
    },
]

# Sentences that turn the table following them into installation-only rows.
INSTALL_INTRO_CURRENT = re.compile(
    r"^During the installation of a site .*open the following ports between")

CELL_RE = (r"(?:--|DYNAMIC|\d+(?:-\d+)?(?: (?:and|or) \d+)?(?:/\d+)?)"
           r"(?: (?:\*Note|Note \d+(?: Alternate port available)?))?")
ROW_CURRENT = re.compile(r"^(?P<desc>.+?) (?P<udp>%s) (?P<tcp>%s)$" % (CELL_RE, CELL_RE))


def parse_current_cell(cell, description):
    """-> (ports, parameter, notes) or None for '--'."""
    notes = []
    m = re.match(r"^(.*?) (\*Note|Note (\d+)(?: Alternate port available)?)$", cell)
    value = cell
    alternate = False
    if m:
        value = m.group(1)
        if m.group(2) == "*Note":
            notes.append("admin")
        else:
            notes.append(m.group(3))
            alternate = m.group(2).endswith("Alternate port available")
    if value == "--":
        if notes:
            die("note on empty cell %r" % cell)
        return None
    m = re.match(r"^(\d+) or (\d+)$", value) or re.match(r"^(\d+)/(\d+)$", value)
    if m:  # "80 or 8530" (Note 3) / "443/8531" (CMG): current WSUS default
        return m.group(2), parameter_for(description), notes
    m = re.match(r"^(\d+) and (\d+)$", value)
    if m:
        value = "%s,%s" % (m.group(1), m.group(2))
    elif value == "DYNAMIC":
        value = "dynamic"
    elif not re.match(r"^\d+(-\d+)?$", value):
        die("unparsed cell %r" % cell)
    parameter = parameter_for(description) if alternate else ""
    return value, parameter, notes


def current_heading(line):
    """-> (section_name, Conn or None) if the line is a section heading."""
    if line in LOST_ARROWS:
        s, a, d = LOST_ARROWS[line]
        return "%s %s %s" % (s, a, d), Conn(s, a, d)
    if line in OTHER_HEADINGS:
        spec = OTHER_HEADINGS[line]
        return line, (Conn(*spec) if spec else None)
    if line == "Note for administration service":
        return line, None
    m = re.match(r"^(.+?) (-->) (.+)$", line)
    if m and not line.endswith((".", ":")) and len(line) < 120:
        return line, Conn(m.group(1), m.group(2), m.group(3))
    return None


def extract_current(text):
    doc_collapsed = collapse(text)
    lines = [collapse(l) for l in text.splitlines()]
    rows = []
    section, conn = None, None
    install = False
    order = []
    in_notes = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line == "Notes for ports used by clients and site systems":
            in_notes = True
        if line == "Other ports":
            in_notes = False
        head = None if in_notes else current_heading(line)
        if head:
            section, conn = head
            order.append(section)
            install = False
            i += 1
            continue
        if section and INSTALL_INTRO_CURRENT.match(line):
            install = True
            i += 1
            continue
        if line == "Description UDP TCP":
            if conn is None:
                die("table without connection under %r (line %d)" % (section, i + 1))
            j = i + 1
            while j < len(lines) and lines[j]:
                row = lines[j]
                fixed = LOST_CELLS.get((section, row))
                if fixed:
                    desc, udp, tcp = fixed
                else:
                    m = ROW_CURRENT.match(row)
                    if not m:
                        die("unparsed table row %r in %r" % (row, section))
                    desc, udp, tcp = m.group("desc"), m.group("udp"), m.group("tcp")
                for transport, cell in (("udp", udp), ("tcp", tcp)):
                    parsed = parse_current_cell(cell, desc)
                    if parsed is None:
                        continue
                    ports, parameter, notes = parsed
                    if install:
                        notes = notes + ["install"]
                    emit(rows, section, conn, desc, transport, ports, parameter, notes)
                j += 1
            i = j
            continue
        i += 1
    for decision in PROSE_ROWS_CURRENT:
        require_quote(doc_collapsed, decision["quote"])
        for _, transport, ports, _, _ in decision["rows"]:
            if transport != "icmp" and ports not in decision["quote"]:
                die("port %s not in quote %r" % (ports, decision["quote"]))
        sec = decision["section"]
        if sec not in order:
            die("prose decision section %r not found" % sec)
        if decision["conn"]:
            c = Conn(*decision["conn"])
        else:
            c = current_heading(sec)[1]
        new = []
        for desc, transport, ports, parameter, notes in decision["rows"]:
            emit(new, sec, c, desc, transport, ports, parameter, notes)
        rows = insert_after_section(rows, sec, new, order)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("seed")
    ap.add_argument("--version", required=True, choices=["2007", "current"])
    args = ap.parse_args()
    with open(args.seed, encoding="utf-8") as f:
        text = f.read()
    rows = extract_2007(text) if args.version == "2007" else extract_current(text)
    out = sys.stdout
    out.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
