#!/usr/bin/env python3
"""Writes the export fixtures of tests/import from the documented WMI property names (run
once; the JSON files are checked in): all_roles.json (every role the importer maps, every
boundary type, every setting), errors.json (everything it cannot map) and proxy_*.json (the
proxy settings that cannot become the hierarchy's proxy)."""
import json


def props(*items):
    """(PropertyName, Value, Value1[, Value2]) tuples as SMS_EmbeddedProperty objects."""
    return [{"PropertyName": i[0], "Value": i[1], "Value1": i[2], "Value2": i[3] if len(i) > 3 else ""}
            for i in items]


def role(site, server, name, p=(), lists=()):
    out = {"SiteCode": site, "NetworkOSPath": "\\\\" + server, "RoleName": name, "Props": props(*p)}
    if lists:
        out["PropLists"] = [{"PropertyListName": n, "Values": list(v)} for n, v in lists]
    return out


def site(code, type_, parent):
    return {"SiteCode": code, "SiteName": code + " site", "Type": type_, "ReportingSiteCode": parent,
            "ServerName": code.lower() + ".contoso.com", "BuildNumber": 9135, "Version": "5.00.9135.1000"}


def nal_path(server, code):
    return '["Display=\\\\%s\\"]MSWNET:["SMS_SITE=%s"]\\\\%s\\' % (server, code, server)


def nal(server, code):
    return {"ServerNALPath": nal_path(server, code), "SiteCode": code}


def pull_dp(sources, pull=1):
    """An SMS Distribution Point role that pulls from sources [(server, site code)]."""
    return ("SMS Distribution Point", [("IsPullDP", pull, "")],
            [("SourceDistributionPoints", [nal_path(s, c) for s, c in sources]), ("SourceDPRanks", ["1"] * len(sources))])


def proxy(name, port, use=1):
    """The proxy settings of an SMS Site System role."""
    return [("UseProxy", use, ""), ("ProxyName", 0, "", name), ("ProxyServerPort", port, ""),
            ("AnonymousProxyAccess", 1, "")]


def sql_ports(code, sql, ssb):
    return {"SiteCode": code, "Props": props(("SQlServicePort", sql, ""), ("SSBPort", ssb, ""))}


def mp_ports(code, http, https):
    return {"SiteCode": code, "ComponentName": "SMS_MP_CONTROL_MANAGER",
            "Props": props(("IISPortsList", 0, http), ("IISSSLPortsList", 0, https))}


def boundary(id_, type_, value, name):
    return {"BoundaryID": id_, "BoundaryType": type_, "Value": value, "DisplayName": name}


def group(id_, name, code, members, systems=()):
    return {"GroupID": id_, "Name": name, "DefaultSiteCode": code, "Boundaries": list(members),
            "SiteSystems": list(systems)}


def export(sites, roles, components, boundaries, groups, definitions=()):
    out = {"Schema": "cmnet-configmgr-export", "SchemaVersion": 1, "ExportedAt": "2026-12-02T08:00:00Z",
           "ProviderSiteCode": "CAS", "Sites": sites,
           "SiteSystemServers": sorted(({"SiteCode": r["SiteCode"], "NetworkOSPath": r["NetworkOSPath"]}
                                        for r in roles if r["RoleName"] == "SMS Site System"),
                                       key=lambda s: (s["SiteCode"], s["NetworkOSPath"])),
           "SiteSystemRoles": roles, "SiteComponents": components}
    if definitions:
        out["SiteDefinitions"] = list(definitions)
    out.update({"Boundaries": boundaries, "BoundaryGroups": groups})
    return out


def server(site_code, name, *roles_, system=()):
    """A site system server: its SMS Site System role (with the props \p system) and roles_."""
    out = [role(site_code, name, "SMS Site System", system)]
    for r in roles_:
        out.append(role(site_code, name, *r) if isinstance(r, tuple) else role(site_code, name, r))
    return out


d = ".contoso.com"
# Every site system that reaches the Internet through the proxy (site servers, software update
# points) uses the same one.
via_proxy = proxy("proxy" + d, 3128)
all_roles = export(
    [site("CAS", 4, ""), site("P01", 2, "CAS"), site("P02", 2, "CAS"), site("S01", 1, "P01")],
    server("CAS", "cas01" + d, "SMS Component Server", "SMS Site Server", "SMS Provider", system=via_proxy)
    + server("CAS", "cassql" + d, "SMS SQL Server")
    + server("CAS", "casscp" + d, "SMS Dmp Connector")
    + server("CAS", "casdw" + d, "SMS Data Warehouse Service Point")
    + server("CAS", "casai" + d, "AI Update Service Point")
    + server("P01", "p01" + d, "SMS Component Server", "SMS Site Server", "SMS Management Point", system=via_proxy)
    + server("P01", "p01sql" + d, "SMS SQL Server")
    + server("P01", "p01dp" + d, ("SMS Distribution Point", [("IsPXE", 1, ""), ("IsMulticast", 0, "")]))
    + server("P01", "p01pdp" + d, pull_dp([("p01dp" + d, "P01"), ("s01" + d, "S01")]))
    + server("P01", "p01sup" + d, ("SMS Software Update Point",
                                   [("WSUSIISPort", 80, ""), ("WSUSIISSSLPort", 443, ""), ("SSLWSUS", 0, "")]),
             system=via_proxy)
    + server("P01", "p01smp" + d, "SMS State Migration Point")
    + server("P01", "p01fsp" + d, "SMS Fallback Status Point")
    + server("P01", "p01rsp" + d, "SMS SRS Reporting Point")
    + server("P01", "p01crp" + d, "SMS Certificate Registration Point")
    + server("P01", "p01cmg" + d, "SMS Cloud Proxy Connector")
    + server("P01", "p01ep" + d, "SMS Endpoint Protection Point")
    + server("P01", "p01enr" + d, "SMS Enrollment Server")
    + server("P01", "p01enw" + d, "SMS Enrollment Web Site")
    + server("P01", "p01app" + d, "SMS Application Web Service", "SMS Portal Web Site")
    + server("P02", "p02" + d, "SMS Component Server", "SMS Site Server", "SMS Management Point",
             ("SMS Distribution Point", [("IsPXE", 0, ""), ("IsMulticast", 1, ""), ("IsPullDP", 0, "")]),
             system=via_proxy)
    + server("P02", "p02sql" + d, "SMS SQL Server")
    + server("P02", "p02sup" + d, ("SMS Software Update Point",
                                   [("WSUSIISPort", 8530, ""), ("WSUSIISSSLPort", 8532, ""), ("SSLWSUS", 1, "")]),
             system=via_proxy)
    + server("P02", "p02dw" + d, "Data Warehouse Service Point", system=proxy("other-proxy" + d, 8080))
    + server("S01", "s01" + d, "SMS Component Server", "SMS Site Server", "SMS Management Point",
             "SMS Distribution Point", system=via_proxy),
    [mp_ports("CAS", "80", "443"), mp_ports("P01", "80", "443"), mp_ports("P02", "8080", "8443")],
    [boundary(1, 0, "10.10.0.0/16", "P01 head office"),
     boundary(2, 0, "10.11.0.0", "P01 warehouse"),
     boundary(3, 3, "10.20.0.5-10.20.0.20", "P02 lab bench"),
     boundary(4, 2, "fd00:2:0:1", "P02 IPv6 office"),
     boundary(5, 2, "fd00:3::/48", "S01 IPv6"),
     boundary(6, 1, "Contoso-HQ", "HQ Active Directory site"),
     boundary(7, 3, "fd00:4::-fd00:4::ff", "S01 IPv6 lab"),
     boundary(8, 0, "10.30.0.0/16", "S01 branch")],
    [group(1, "P01 clients", "P01", [1, 2, 6], [nal("p01" + d, "P01"), nal("p01dp" + d, "P01")]),
     group(2, "P02 clients", "P02", [3, 4], [nal("p02" + d, "P02")]),
     group(3, "S01 branch", "P01", [5, 7, 8], [nal("s01" + d, "S01")])],
    [sql_ports("CAS", 1433, 4022), sql_ports("P01", 1433, 4023), sql_ports("P02", 1533, 4022),
     sql_ports("S01", 1433, 4022)])

errors = export(
    [site("P01", 2, ""), site("P01", 2, ""), site('X"9', 2, ""), site("P09", 3, ""),
     site("S09", 1, "P77"), site("P05", 2, "C99")],
    server("P01", "p01" + d, "SMS Site Server", "SMS Management Point", system=proxy("proxy" + d, 8080))
    + server("P01", "web-01" + d, ("SMS Distribution Point", [("IsPXE", None, "yes")]))
    + server("P01", "tcp" + d, ("SMS Software Update Point", [("WSUSIISPort", 70000, "")]),
             system=proxy("", 0, use=0))
    + server("P01", "1dp" + d, ("SMS Distribution Point", [("IsPullDP", None, "yes")]))
    + server("P01", "pull" + d, pull_dp([("nomap" + d, "P01"), ("p01" + d, "P01")]))
    + server("P01", "portal" + d, "SMS Portal Web Site", "SMS Application Web Service")
    + server("P01", "odd" + d, "SMS Management Point", "SMS Made Up Role\nallow * -> * tcp 1-65535;")
    + server("P01", "evil\n}\nallow * -> * tcp 1-65535;" + d, "SMS Management Point")
    + server("P01", "nomap" + d, "SMS Management Point")
    + server("P05", "p05" + d, "SMS Site Server") + server("P01", "p05" + d, "SMS Distribution Point")
    + server("S09", "s09" + d, "SMS Site Server"),
    [mp_ports("P01", "http", "443")],
    [boundary(1, 0, "10.1.0.0", "no prefix for this subnet ID"),
     boundary(2, 3, "10.0.0.9-10.0.0.1", "reversed range"),
     boundary(3, 9, "10.2.0.0/16", "unknown type"),
     boundary(4, 0, "10.4.0.0/16", "in no group"),
     boundary(5, 0, "10.5.0.0/16", "its group assigns no site"),
     boundary(6, 1, "Branch\nsite", "Active Directory site")],
    [group(1, "P01 clients", "P01", [1, 2, 3, 6, 99]),
     group(2, "unassigned", "", [5]),
     group(3, "gone", "P77", [5])],
    [sql_ports("P01", 1433, 0), sql_ports("P77", 1500, 4022)])


def proxy_case(system):
    """One site server with the proxy settings \p system."""
    return export([site("P01", 2, "")], server("P01", "p01" + d, "SMS Site Server", system=system), [], [], [])


proxy_cases = {
    "proxy_port.json": proxy_case(proxy("proxy" + d, 0)),
    "proxy_no_name.json": proxy_case(proxy("", 8080)),
    "proxy_no_address.json": proxy_case(proxy("unknown-proxy" + d, 8080)),
    "proxy_two_addresses.json": proxy_case(proxy("proxy" + d, 8080)),
    "proxy_literal.json": proxy_case(proxy("10.9.0.5", 80)),
}

for name, data in [("all_roles.json", all_roles), ("errors.json", errors)] + list(proxy_cases.items()):
    with open(name, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2) + "\n")
