// Missing openings: clients without management or distribution points, management points
// without their database, and required connections that deny statements block.
#include "lint/Checks.h"

#include "analysis/AddressIndex.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::lint {
namespace {

/// The required flows from binding \p src to hosts of \p role that lost something; claims them
/// and returns the denies responsible.
std::vector<const StatementBox *> claimLosses(LintContext &lc, unsigned src, unsigned role) {
  std::vector<const StatementBox *> culprits;
  for (unsigned i : lc.requiredFrom(src)) {
    if (!lc.hasRole(lc.binding(lc.required[i].dst), role) || lc.missing(i).empty())
      continue;
    lc.claim(i);
    appendNew<const StatementBox *>(culprits, lc.culpritsOf(i));
  }
  return culprits;
}

/// CM003 / CM004: every client subnet reaches some host of \p roleName over TCP.
void checkClientsReach(LintContext &lc, llvm::StringRef roleName, RuleId rule) {
  std::optional<unsigned> role = lc.role(roleName);
  if (!role)
    return;
  const Role &r = lc.model.roles[*role];
  const std::vector<ClientGroup> &groups = lc.hierarchy.clientGroups;
  std::vector<unsigned> servers = lc.hostsWithRole(*role);
  // What each client subnet reaches: one pass over the allowed TCP flows into the servers.
  analysis::AddressIndex groupIndex;
  for (unsigned g = 0; g < groups.size(); ++g)
    groupIndex.add(groups[g].addresses, g);
  groupIndex.build();
  std::vector<AddressSet> reached(groups.size());
  Flow intoServers = makeBox(AddressSet::any(), lc.addressesOf(servers), Protocol::TCP, PortSet(1, 65535));
  if (!intoServers.dstAddrs.empty())
    for (unsigned i : lc.allowed.overlapping(intoServers)) {
      const AddressSet &from = lc.allowed.flow(i).srcAddrs;
      for (unsigned g : groupIndex.query(from))
        reached[g] = reached[g].unite(from.intersect(groups[g].addresses));
    }
  std::vector<unsigned> clientsBinding(groups.size(), Binding::None);
  for (unsigned b = 0; b < lc.table.bindings.size(); ++b) {
    const Binding &binding = lc.table.bindings[b];
    if (binding.kind == Binding::Clients && binding.owner < groups.size() &&
        clientsBinding[binding.owner] == Binding::None)
      clientsBinding[binding.owner] = b;
  }
  for (unsigned g = 0; g < groups.size(); ++g) {
    const ClientGroup &group = groups[g];
    const Site &site = lc.hierarchy.sites[group.site];
    AddressSet stranded = group.addresses.subtract(reached[g]);
    if (stranded.empty())
      continue;
    bool siteHasOne = llvm::any_of(servers, [&](unsigned h) { return lc.hierarchy.hosts[h].site == group.site; });
    std::vector<const StatementBox *> culprits = claimLosses(lc, clientsBinding[g], *role);
    std::string who = stranded == group.addresses
                          ? fmt::format("clients {} of site '{}'", addressesText(group.addresses), site.name)
                          : fmt::format("{} of the clients of site '{}'", addressesText(stranded), site.name);
    std::string why = !siteHasOne        ? fmt::format("the site has no host with role '{}'; add one", r.name)
                      : culprits.empty() ? "no allowed connection leads to one"
                                         : "a deny blocks them; narrow it";
    lc.report(rule, group.loc, fmt::format("{} reach no {} ({})", who, r.displayName, why),
              fmt::format("{}|{}", site.name, group.addresses.str()), statementNotes(culprits, "blocked by this deny"));
  }
}

/// The SQL port the policy must open to \p host as a site database (1433 when the role has no
/// sql_port parameter).
uint16_t sqlPort(const LintContext &lc, unsigned host, unsigned dbRole) {
  if (auto b = lc.hostBinding(host, dbRole))
    if (auto v = lc.value(lc.table.bindings[*b], "sql_port"); v && v->isNumeric())
      return uint16_t(v->number);
  return 1433;
}

} // namespace

void checkClientsReachServices(LintContext &lc) {
  checkClientsReach(lc, "management_point", RuleId::ClientsWithoutManagementPoint);
  checkClientsReach(lc, "distribution_point", RuleId::ClientsWithoutDistributionPoint);
}

void checkManagementPointDatabase(LintContext &lc) {
  std::optional<unsigned> mp = lc.role("management_point"), db = lc.role("site_database");
  if (!mp || !db)
    return;
  for (unsigned host : lc.hostsWithRole(*mp)) {
    const Host &h = lc.hierarchy.hosts[host];
    const Site &site = lc.hierarchy.sites[h.site];
    std::vector<unsigned> databases;
    for (unsigned other : site.hosts)
      if (lc.hostBinding(other, *db))
        databases.push_back(other);
    if (llvm::is_contained(databases, host))
      continue; // the database is local
    unsigned binding = *lc.hostBinding(host, *mp);
    llvm::SMRange at = lc.declarationOf(lc.table.bindings[binding]);
    std::string key = fmt::format("{}|{}", h.name, site.name);
    if (databases.empty()) {
      // A secondary site's database is SQL Server Express on its site server.
      if (site.kind != SiteKind::Secondary)
        lc.report(RuleId::ManagementPointWithoutDatabase, at,
                  fmt::format("management point '{}' has no site database: site '{}' has no host with role '{}'; "
                              "declare the site's SQL Server",
                              h.name, site.name, lc.model.roles[*db].name),
                  key);
      continue;
    }
    bool reached = llvm::any_of(databases, [&](unsigned d) {
      return lc.allowed
          .uncovered(makeBox(h.addresses, lc.hierarchy.hosts[d].addresses, Protocol::TCP,
                             PortSet(sqlPort(lc, d, *db), sqlPort(lc, d, *db))))
          .empty();
    });
    if (reached)
      continue;
    std::vector<const StatementBox *> culprits = claimLosses(lc, binding, *db);
    std::vector<DiagNote> notes = statementNotes(culprits, "blocked by this deny");
    for (unsigned d : databases)
      notes.push_back({lc.hierarchy.hosts[d].loc,
                       fmt::format("site database '{}' (tcp {})", lc.hierarchy.hosts[d].name, sqlPort(lc, d, *db))});
    lc.report(RuleId::ManagementPointWithoutDatabase, at,
              fmt::format("management point '{}' cannot reach the site database of site '{}' on its SQL port; {}",
                          h.name, site.name, culprits.empty() ? "allow it" : "narrow the deny that blocks it"),
              key, std::move(notes));
  }
}

void checkDeniedRequirements(LintContext &lc) {
  /// One finding: the flows of one catalog entry (and protocol) that one deny blocks.
  struct Group {
    const StatementBox *deny;
    unsigned first; // a required flow of the group, for its entry and destination
    std::vector<std::string> pairs;
    std::vector<const StatementBox *> others;
    bool partial = false;
    AddressSet blocked; // the sources that lose the connection
  };
  std::vector<Group> groups;
  std::map<std::tuple<unsigned, const Entry *, unsigned>, size_t> groupOf;
  for (unsigned i = 0; i < lc.required.size(); ++i) {
    const Flow &f = lc.required[i];
    if (!f.entry || lc.isClaimed(i) || lc.missing(i).empty())
      continue;
    std::vector<const StatementBox *> culprits = lc.culpritsOf(i);
    const StatementBox *deny = culprits.empty() ? nullptr : culprits.front();
    auto [it, inserted] = groupOf.try_emplace({deny ? deny->index : ~0u, f.entry, f.entryItem}, groups.size());
    if (inserted)
      groups.push_back({deny, i, {}, {}, false, {}});
    Group &g = groups[it->second];
    appendNew<std::string>(g.pairs, {pairText(lc.table, f)});
    if (!culprits.empty())
      appendNew<const StatementBox *>(g.others, llvm::ArrayRef<const StatementBox *>(culprits).drop_front());
    const std::vector<Flow> &lost = lc.missing(i);
    g.partial |= lost.size() != 1 || lost[0].srcAddrs != f.srcAddrs || lost[0].dstAddrs != f.dstAddrs ||
                 lost[0].ports != f.ports;
    for (const Flow &piece : lost)
      g.blocked = g.blocked.unite(piece.srcAddrs);
  }
  for (const Group &g : groups) {
    const Flow &f = lc.required[g.first];
    std::string what = fmt::format("'{}' ({}) for {}{}", entryText(f), serviceText(f), listSome(g.pairs),
                                   g.partial ? fmt::format(" (in part: from {})", g.blocked.str()) : "");
    std::vector<DiagNote> notes{{f.entry->loc, "required by this catalog entry"}};
    for (DiagNote &n : statementNotes(g.others, "also blocked by this deny"))
      notes.push_back(std::move(n));
    std::string key = fmt::format("{}|{}|{}", g.deny ? LintContext::statementText(*g.deny->statement) : "",
                                  entryText(f), protocolName(f.proto).str());
    if (g.deny)
      lc.report(RuleId::DeniedRequirement, g.deny->statement->loc,
                fmt::format("deny blocks a connection the catalog requires: {}; narrow the deny if the feature is "
                            "used",
                            what),
                std::move(key), std::move(notes));
    else
      lc.report(RuleId::DeniedRequirement, lc.declarationOf(lc.table.bindings[f.dst]),
                fmt::format("a connection the catalog requires is not open: {}", what), std::move(key),
                std::move(notes));
  }
}

} // namespace cmnet::lint
