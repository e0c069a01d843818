// Hygiene of declarations: unused and conflicting overrides, idle hosts, empty sites.
#include "lint/Checks.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseSet.h"

using namespace cmnet::ir;

namespace cmnet::lint {
namespace {

bool isValid(const Assignment &a) { return a.target.isGlobal() ? a.target.param != ~0u : true; }

std::string targetName(const Model &model, const ParamTarget &t) {
  if (t.isGlobal())
    return model.globals[t.param].name;
  const Role &role = model.roles[t.role];
  return role.name + "." + role.params[t.param].name;
}

/// True when a later assignment of \p list sets the same parameter as list[i].
bool setAgainLater(const std::vector<Assignment> &list, size_t i) {
  for (size_t j = i + 1; j < list.size(); ++j)
    if (isValid(list[j]) && list[j].target == list[i].target)
      return true;
  return false;
}

/// CM024 over one block of assignments: each repeat against the one before it.
void checkRepeats(LintContext &lc, const std::vector<Assignment> &list, llvm::StringRef level) {
  for (size_t j = 1; j < list.size(); ++j) {
    if (!isValid(list[j]))
      continue;
    for (size_t i = j; i-- > 0;) {
      if (!isValid(list[i]) || !(list[i].target == list[j].target))
        continue;
      std::string name = targetName(lc.model, list[j].target);
      std::string now = printExpr(*list[j].value), before = printExpr(*list[i].value);
      lc.report(RuleId::ConflictingOverride, list[j].loc,
                fmt::format("'{}' is set twice in {} ({}); the last assignment wins: keep one", name, level,
                            now == before ? "both " + now : now + " here, " + before + " before"),
                fmt::format("{}|{}", level, name), {{list[i].loc, "set before here"}});
      break;
    }
  }
}

bool inScope(const Hierarchy &h, unsigned site, std::optional<unsigned> scope) {
  if (!scope)
    return true;
  for (std::optional<unsigned> s = site; s; s = h.sites[*s].parent)
    if (*s == *scope)
      return true;
  return false;
}

/// CM023 over the overrides of the hierarchy (\p scope nullopt) or of one site.
void checkUnused(LintContext &lc, const std::vector<Assignment> &list, std::optional<unsigned> scope,
                 const llvm::DenseSet<const char *> &used) {
  const Hierarchy &h = lc.hierarchy;
  std::string where = scope ? fmt::format("site '{}'", h.sites[*scope].name) : std::string("the hierarchy");
  for (size_t i = 0; i < list.size(); ++i) {
    const Assignment &a = list[i];
    if (!isValid(a) || setAgainLater(list, i) || used.count(a.loc.Start.getPointer()))
      continue;
    // A global is always read: it can only be set at the hierarchy level (misplaced-override).
    if (a.target.isGlobal())
      continue;
    std::string name = targetName(lc.model, a.target);
    bool instances = llvm::any_of(lc.table.bindings, [&](const Binding &b) {
      return b.role == a.target.role && (!scope || (b.site != Binding::None && inScope(h, b.site, scope)));
    });
    const std::string &role = lc.model.roles[a.target.role].name;
    std::string why = instances
                          ? fmt::format("every '{}' in {} sets its own value closer to it; delete it", role, where)
                          : fmt::format("no host or client in {} has role '{}'; delete it", where, role);
    lc.report(RuleId::UnusedOverride, a.loc, fmt::format("override of '{}' changes nothing: {}", name, why),
              fmt::format("{}|{}", where, name));
  }
}

} // namespace

void checkOverrides(LintContext &lc) {
  const Hierarchy &h = lc.hierarchy;
  llvm::DenseSet<const char *> used;
  auto markUsed = [&](ProvId id) {
    if (id != NoSource)
      used.insert(lc.table.provenance(id).loc.Start.getPointer());
  };
  for (const Binding &b : lc.table.bindings)
    llvm::for_each(b.valueSource, markUsed);
  llvm::for_each(lc.table.globalSource, markUsed);

  checkRepeats(lc, h.overrides, "the hierarchy");
  checkUnused(lc, h.overrides, std::nullopt, used);
  for (unsigned s = 0; s < h.sites.size(); ++s) {
    checkRepeats(lc, h.sites[s].overrides, fmt::format("site '{}'", h.sites[s].name));
    checkUnused(lc, h.sites[s].overrides, s, used);
  }
  for (const Host &host : h.hosts)
    for (const HostRole &hr : host.roles)
      checkRepeats(lc, hr.params, fmt::format("'{}' of host '{}'", lc.model.roles[hr.role].name, host.name));
  for (const ClientGroup &g : h.clientGroups)
    checkRepeats(lc, g.params, fmt::format("clients {}", g.addresses.str()));
}

void checkDeclarations(LintContext &lc) {
  const Hierarchy &h = lc.hierarchy;
  std::vector<bool> connected(h.hosts.size());
  for (const Flow &f : lc.required)
    for (unsigned end : {f.src, f.dst})
      if (const Binding *b = lc.binding(end); b && b->kind == Binding::HostRole)
        connected[b->owner] = true;
  for (unsigned i = 0; i < h.hosts.size(); ++i) {
    if (connected[i])
      continue;
    std::vector<std::string> roles;
    for (const HostRole &hr : h.hosts[i].roles)
      roles.push_back(lc.model.roles[hr.role].name);
    lc.report(RuleId::HostWithoutRoles, h.hosts[i].loc,
              fmt::format("host '{}' takes part in no connection: none of its roles ({}) pairs with anything in this "
                          "hierarchy; give it the roles it runs, or delete it",
                          h.hosts[i].name, listSome(roles, roles.size())),
              h.hosts[i].name);
  }
  for (const Site &site : h.sites)
    if (site.hosts.empty())
      lc.report(
          RuleId::SiteWithoutHosts, site.loc,
          fmt::format("site '{}' has no hosts, so it has no site server; declare its hosts or delete it", site.name),
          site.name);
}

} // namespace cmnet::lint
