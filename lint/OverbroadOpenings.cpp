// Overbroad openings: any-source openings to hosts, wide client exposure, SMB and SQL from
// the Internet side, and ports the documents say are not needed.
#include "lint/Checks.h"

#include "analysis/AddressIndex.h"
#include "analysis/SetUnion.h"

#include "fmt/format.h"

#include <numeric>
#include <set>

using namespace cmnet::ir;

namespace cmnet::lint {
namespace {

/// Where an opening comes from, for a finding's location: the allow statements among the
/// allowed flows that overlap \p box (notes for all but the first), else \p fallback.
llvm::SMRange originOf(const LintContext &lc, const Flow &box, llvm::SMRange fallback, std::vector<DiagNote> &notes) {
  std::vector<const StatementBox *> allows;
  for (unsigned i : lc.allowed.overlapping(box))
    appendNew<const StatementBox *>(allows, lc.allowsOf(lc.allowed.flow(i)));
  std::sort(allows.begin(), allows.end(), [](auto *a, auto *b) { return a->index < b->index; });
  if (allows.empty())
    return fallback;
  for (size_t i = 1; i < allows.size(); ++i)
    notes.push_back({allows[i]->statement->loc, "also opened by this allow"});
  return allows.front()->statement->loc;
}

/// The addresses that are not "the Internet side": special-purpose and private ranges, and
/// every address the hierarchy declares (hosts, clients, zones, externals bound to addresses
/// other than the `internet` role).
AddressSet internalAddresses(const LintContext &lc) {
  static const char *special[] = {"0.0.0.0/8",      "10.0.0.0/8",    "100.64.0.0/10",  "127.0.0.0/8",
                                  "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3",
                                  "::/127",         "fc00::/7",      "fe80::/10",      "ff00::/8"};
  std::vector<AddressSet> prefixes;
  for (const char *prefix : special)
    prefixes.push_back(*AddressSet::parse(prefix));
  std::vector<const AddressSet *> sets;
  for (const AddressSet &p : prefixes)
    sets.push_back(&p);
  for (const Host &h : lc.hierarchy.hosts)
    sets.push_back(&h.addresses);
  for (const ClientGroup &g : lc.hierarchy.clientGroups)
    sets.push_back(&g.addresses);
  for (const Firewall &fw : lc.hierarchy.firewalls)
    for (const Zone &z : fw.zones)
      sets.push_back(&z.addresses);
  for (const ExternalBinding &e : lc.hierarchy.externals)
    if (!isWholeFamily(e.addresses) && lc.model.roles[e.role].name != "internet")
      sets.push_back(&e.addresses);
  return analysis::uniteAll(sets);
}

/// The TCP and UDP ports of SMB and SQL Server, with every sql_port the policy resolved.
std::pair<PortSet, PortSet> smbAndSqlPorts(const LintContext &lc) {
  PortSet tcp, udp;
  for (uint16_t p : {139, 445, 1433, 1434, 4022})
    tcp.add(p);
  udp.add(1434);
  for (const Binding &b : lc.table.bindings)
    if (auto v = lc.value(b, "sql_port"); v && v->isNumeric() && v->number >= 1 && v->number <= 65535)
      tcp.add(uint16_t(v->number));
  return {tcp, udp};
}

std::string hostNames(const LintContext &lc, const AddressSet &addrs) {
  std::vector<std::string> names;
  for (const Host &h : lc.hierarchy.hosts)
    if (h.addresses.intersects(addrs))
      names.push_back("'" + h.name + "'");
  return listSome(names);
}

AddressSet allHostAddresses(const LintContext &lc) {
  std::vector<unsigned> all(lc.hierarchy.hosts.size());
  std::iota(all.begin(), all.end(), 0u);
  return lc.addressesOf(all);
}

/// CM011 / CM012 for one (clients, host, ports) question: report when the whole box is open.
void checkExposure(LintContext &lc, RuleId rule, unsigned group, unsigned host, const PortSet &ports, bool fromClients,
                   llvm::StringRef what) {
  const ClientGroup &g = lc.hierarchy.clientGroups[group];
  const Host &h = lc.hierarchy.hosts[host];
  Flow box = fromClients ? makeBox(g.addresses, h.addresses, Protocol::TCP, ports)
                         : makeBox(h.addresses, g.addresses, Protocol::TCP, ports);
  if (!lc.allowed.uncovered(box).empty())
    return;
  std::vector<DiagNote> notes;
  llvm::SMRange at = originOf(lc, box, g.loc, notes);
  std::string clients =
      fmt::format("every client in {} (site '{}')", g.addresses.str(), lc.hierarchy.sites[g.site].name);
  std::string message = fromClients
                            ? fmt::format("{} (tcp {}) on '{}' is open to {}", what, ports.str(), h.name, clients)
                            : fmt::format("'{}' may reach {} (tcp {}) on {}", h.name, what, ports.str(), clients);
  message += rule == RuleId::DynamicRpcToClients ? "; open only the ports the service needs"
                                                 : "; allow it from jump hosts or console subnets only";
  lc.report(rule, at, std::move(message),
            fmt::format("{}|{}|{}|{}", h.name, g.addresses.str(), ports.str(), fromClients ? "in" : "out"),
            std::move(notes));
}

} // namespace

void checkAnySource(LintContext &lc) {
  AddressSet hosts = allHostAddresses(lc);
  for (const StatementBox &s : lc.statements()) {
    if (s.statement->action != PolicyStatement::Allow || !lc.allowSurvives(s.index) || !isWholeFamily(s.srcs) ||
        !s.dsts.intersects(hosts))
      continue;
    lc.report(RuleId::AnySourceToInternal, s.statement->loc,
              fmt::format("allow from every address ('{}') to {}: anything that can route here may connect; "
                          "narrow the source",
                          s.statement->src.text, hostNames(lc, s.dsts)),
              LintContext::statementText(*s.statement));
  }
  // Catalog openings from external roles that stand for every address.
  std::map<unsigned, std::pair<std::vector<std::string>, std::vector<std::string>>> reach; // binding -> hosts, services
  for (const Flow &f : lc.required) {
    const Binding *src = lc.binding(f.src), *dst = lc.binding(f.dst);
    if (!src || !dst || src->kind != Binding::External || dst->kind != Binding::HostRole ||
        !isWholeFamily(src->addresses) || !lc.allowed.intersects(f))
      continue;
    auto &[names, services] = reach[f.src];
    appendNew<std::string>(names, {"'" + dst->label + "'"});
    appendNew<std::string>(services, {serviceText(f)});
  }
  for (const auto &[b, found] : reach) {
    const Binding &binding = lc.table.bindings[b];
    bool bound = binding.owner < lc.hierarchy.externals.size();
    const std::string &role = lc.model.roles[binding.role].name;
    lc.report(RuleId::AnySourceToInternal, lc.declarationOf(binding),
              fmt::format("external role '{}' {}, so every address may reach {} ({}); bind it to the addresses "
                          "it has with 'external {} ADDRESSES;'",
                          role, bound ? "is bound to every address" : "is never bound and stands for every address",
                          listSome(found.first), listSome(found.second), role),
              "external|" + role);
  }
}

void checkClientExposure(LintContext &lc) {
  PortSet dynamic(49152, 65535);
  if (auto g = lc.model.findGlobal("dynamic_rpc");
      g && *g < lc.table.globals.size() && !lc.table.globals[*g].ports().empty())
    dynamic = lc.table.globals[*g].ports();
  const PortSet remoteControl(2701, 2701), rdp(3389, 3389);
  // Candidates from the allowed flows that touch these ports; each is then checked whole.
  std::set<std::tuple<unsigned, unsigned, int>> candidates; // (group, host, kind: 0 rpc in, 1 rpc out, 2 rc, 3 rdp)
  analysis::AddressIndex groupIndex, hostIndex;
  for (unsigned g = 0; g < lc.hierarchy.clientGroups.size(); ++g)
    groupIndex.add(lc.hierarchy.clientGroups[g].addresses, g);
  for (unsigned h = 0; h < lc.hierarchy.hosts.size(); ++h)
    hostIndex.add(lc.hierarchy.hosts[h].addresses, h);
  groupIndex.build();
  hostIndex.build();
  for (const Flow &f : lc.table.flows) {
    if (f.action != FlowAction::Allow || f.proto != Protocol::TCP)
      continue;
    bool rpc = f.ports.intersects(dynamic), rc = f.ports.intersects(remoteControl), rd = f.ports.intersects(rdp);
    if (!rpc && !rc && !rd)
      continue;
    // Clients to hosts: every kind; hosts to clients: only the RPC range.
    for (unsigned g : groupIndex.query(f.srcAddrs))
      for (unsigned h : hostIndex.query(f.dstAddrs))
        for (int kind : {rpc ? 0 : -1, rc ? 2 : -1, rd ? 3 : -1})
          if (kind >= 0)
            candidates.insert({g, h, kind});
    if (rpc)
      for (unsigned g : groupIndex.query(f.dstAddrs))
        for (unsigned h : hostIndex.query(f.srcAddrs))
          candidates.insert({g, h, 1});
  }
  for (const auto &[g, h, kind] : candidates) {
    if (kind < 2)
      checkExposure(lc, RuleId::DynamicRpcToClients, g, h, dynamic, kind == 0, "the whole dynamic RPC range");
    else
      checkExposure(lc, RuleId::RemoteControlFromClients, g, h, kind == 2 ? remoteControl : rdp, true,
                    kind == 2 ? "remote control" : "RDP");
  }
}

void checkInternetExposure(LintContext &lc) {
  AddressSet internal = internalAddresses(lc), hosts = allHostAddresses(lc);
  // Not a structured binding: C++17 lets no lambda capture one, and clang enforces it.
  std::pair<PortSet, PortSet> smbSql = smbAndSqlPorts(lc);
  auto sensitive = [&](Protocol p) {
    return p == Protocol::TCP ? smbSql.first : p == Protocol::UDP ? smbSql.second : PortSet();
  };
  // \p everyone: the opening's source was every address, not some public prefixes.
  auto report = [&](llvm::SMRange at, const Flow &open, bool everyone, std::string origin, std::string key) {
    lc.report(RuleId::SmbSqlFromInternet, at,
              fmt::format("{} opens SMB/SQL ({}) on {} to the Internet side ({}); restrict the source to the "
                          "hierarchy's own subnets",
                          origin, serviceText(open), hostNames(lc, open.dstAddrs),
                          everyone ? "every address" : addressesText(open.srcAddrs)),
              std::move(key));
  };
  for (const StatementBox &s : lc.statements()) {
    const PolicyStatement &st = *s.statement;
    if (st.action != PolicyStatement::Allow || !lc.allowSurvives(s.index))
      continue;
    for (Protocol p : st.service.protocols) {
      PortSet ports = (st.service.ports.empty() ? PortSet(1, 65535) : st.service.ports).intersect(sensitive(p));
      Flow open = makeBox(s.srcs.subtract(internal), s.dsts.intersect(hosts), p, ports);
      if (!ports.empty() && !open.srcAddrs.empty() && !open.dstAddrs.empty() && lc.allowed.intersects(open))
        report(st.loc, open, isWholeFamily(s.srcs), "this allow",
               LintContext::statementText(st) + "|" + protocolName(p).str());
    }
  }
  // Among the catalog's flows only an external role's can start outside the hierarchy.
  for (const Flow &f : lc.required) {
    const Binding *src = lc.binding(f.src);
    if (!src || src->kind != Binding::External)
      continue;
    PortSet ports = f.ports.intersect(sensitive(f.proto));
    Flow open = makeBox(f.srcAddrs.subtract(internal), f.dstAddrs.intersect(hosts), f.proto, ports);
    if (ports.empty() || open.srcAddrs.empty() || open.dstAddrs.empty() || !lc.allowed.intersects(open))
      continue;
    report(lc.declarationOf(*src), open, isWholeFamily(f.srcAddrs), fmt::format("'{}' ({})", entryText(f), src->label),
           fmt::format("{}|{}|{}", pairText(lc.table, f), entryText(f), protocolName(f.proto).str()));
  }
}

void checkAdvisoryPorts(LintContext &lc) {
  for (const Link &link : lc.model.links)
    for (const Entry &entry : link.entries) {
      if (!entry.advisory)
        continue;
      PortSet ports;
      for (const PortItem &item : entry.ports)
        if (item.kind == PortItem::Literal)
          ports.add(item.lo, item.hi);
      llvm::SmallVector<unsigned, 2> roles{link.dstRole};
      if (link.bidirectional && link.srcRole != link.dstRole)
        roles.push_back(link.srcRole);
      for (unsigned role : roles)
        for (unsigned host : lc.hostsWithRole(role))
          for (Protocol p : entry.protocols) {
            const Host &h = lc.hierarchy.hosts[host];
            Flow box = makeBox(AddressSet::any(), h.addresses, p, ports, entry.icmpType);
            if (!lc.allowed.intersects(box))
              continue;
            std::vector<DiagNote> notes{{entry.loc, fmt::format("the catalog: {}", *entry.advisory)}};
            llvm::SMRange at = originOf(lc, box, h.loc, notes);
            lc.report(RuleId::AdvisoryPortOpened, at,
                      fmt::format("'{}' ({} {}) is open on '{}', but the document says Configuration Manager "
                                  "doesn't need it; remove the opening",
                                  entry.description, protocolName(p).str(), ports.str(), h.name),
                      fmt::format("{}|{}|{}|{}", h.name, link.section, entry.description, protocolName(p).str()),
                      std::move(notes));
          }
    }
}

} // namespace cmnet::lint
