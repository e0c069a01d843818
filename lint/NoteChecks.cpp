// Note violations on the final policy: ports a note requires together, the PXE TFTP range,
// the WSUS port pair and SQL Server named instances.
#include "lint/Checks.h"

#include "fmt/format.h"

#include <map>

using namespace cmnet::ir;

namespace cmnet::lint {
namespace {

/// \p flow cut down to the sources and destinations of \p piece.
Flow restrictTo(const Flow &flow, const Flow &piece) {
  return makeBox(flow.srcAddrs.intersect(piece.srcAddrs), flow.dstAddrs.intersect(piece.dstAddrs), flow.proto,
                 flow.ports, flow.icmpType);
}

/// True when some port item of \p entry is the global parameter \p name.
bool usesGlobal(const Model &model, const Entry &entry, llvm::StringRef name) {
  return llvm::any_of(entry.ports, [&](const PortItem &item) {
    if (!item.ref || !item.ref->getTarget() || !item.ref->getTarget()->isGlobal())
      return false;
    unsigned g = item.ref->getTarget()->param;
    return g < model.globals.size() && model.globals[g].name == name;
  });
}

/// Where a finding about required flow \p index goes: the first deny that cuts it, else the
/// destination's declaration.
llvm::SMRange lossLocation(LintContext &lc, unsigned index, std::vector<DiagNote> &notes) {
  std::vector<const StatementBox *> culprits = lc.culpritsOf(index);
  for (size_t i = 1; i < culprits.size(); ++i)
    notes.push_back({culprits[i]->statement->loc, "also blocked by this deny"});
  if (!culprits.empty())
    return culprits.front()->statement->loc;
  return lc.declarationOf(lc.table.bindings[lc.required[index].dst]);
}

/// The role instance a note finding is about: the binding's host-role declaration.
llvm::SMLoc subjectOf(const LintContext &lc, const Binding &b) { return lc.declarationOf(b).Start; }

using PairIndex = std::map<std::tuple<const Link *, unsigned, unsigned>, std::vector<unsigned>>;

/// CM006 for one `require TAG alongside COMPANION` action: the TAG flow lost a part whose
/// sources and destinations still have the COMPANION flow open. \p byPair (required flows by
/// link and ends) is built on first need: most policies lose no tagged flow at all.
void checkRequire(LintContext &lc, const CatalogRule &rule, const RuleAction &action, PairIndex &byPair) {
  for (unsigned b = 0; b < lc.required.size(); ++b) {
    const Flow &needed = lc.required[b];
    if (!needed.entry || needed.entry->tag != action.tag || lc.isClaimed(b) || lc.missing(b).empty())
      continue;
    if (rule.role && !lc.hasRole(lc.binding(needed.src), rule.role) && !lc.hasRole(lc.binding(needed.dst), rule.role))
      continue;
    if (byPair.empty())
      for (unsigned i = 0; i < lc.required.size(); ++i)
        if (lc.required[i].entry)
          byPair[{lc.required[i].link, lc.required[i].src, lc.required[i].dst}].push_back(i);
    for (unsigned a : byPair[{needed.link, needed.src, needed.dst}]) {
      const Flow &companion = lc.required[a];
      if (companion.entry->tag != action.alongside)
        continue;
      bool stillOpen = llvm::any_of(lc.missing(b), [&](const Flow &piece) {
        Flow part = restrictTo(companion, piece);
        return !part.srcAddrs.empty() && !part.dstAddrs.empty() && lc.allowed.intersects(part);
      });
      if (!stillOpen)
        continue;
      lc.claim(b);
      std::vector<DiagNote> notes{{rule.loc, fmt::format("catalog rule '{}' requires it", rule.name)},
                                  {needed.entry->loc, "the required entry"}};
      llvm::SMRange at = lossLocation(lc, b, notes);
      lc.report(RuleId::CompanionPortClosed, at,
                fmt::format("'{}' ({}) is open for {} but '{}' ({}), which must be open alongside it, is closed; "
                            "open both or neither",
                            companion.entry->description, serviceText(companion), pairText(lc.table, needed),
                            needed.entry->description, serviceText(needed)),
                fmt::format("{}|{}|{}", rule.name, pairText(lc.table, needed), needed.entry->description),
                std::move(notes));
      break;
    }
  }
}

} // namespace

void checkCompanionPorts(LintContext &lc) {
  PairIndex byPair;
  for (const CatalogRule &rule : lc.model.rules)
    for (const RuleAction &action : rule.actions)
      if (action.kind == RuleAction::Require)
        checkRequire(lc, rule, action, byPair);
}

void checkPxeTftpRange(LintContext &lc) {
  for (unsigned i = 0; i < lc.required.size(); ++i) {
    const Flow &f = lc.required[i];
    if (!f.entry || !usesGlobal(lc.model, *f.entry, "tftp_high_ports") || lc.missing(i).empty())
      continue;
    lc.claim(i);
    std::vector<DiagNote> notes{{f.entry->loc, "the catalog's TFTP data-transfer entry"}};
    llvm::SMRange at = lossLocation(lc, i, notes);
    AddressSet blocked;
    for (const Flow &piece : lc.missing(i))
      blocked = blocked.unite(piece.srcAddrs);
    lc.report(RuleId::PxeWithoutTftpRange, at,
              fmt::format("PXE on '{}' cannot finish: the TFTP high-port range ({}) is closed from {} ({}); TFTP "
                          "answers from a dynamically allocated port in that range",
                          lc.table.endpointLabel(f, false), serviceText(f), lc.table.endpointLabel(f, true),
                          blocked.str()),
              fmt::format("{}|{}", pairText(lc.table, f), serviceText(f)), std::move(notes));
  }
}

void checkWsusPortPair(LintContext &lc) {
  std::optional<unsigned> sup = lc.role("software_update_point");
  if (!sup)
    return;
  // Only software update points that HTTPS flows reach: the pair matters where HTTPS is used.
  std::vector<bool> usesHttps(lc.table.bindings.size());
  for (const Flow &f : lc.required)
    if (f.entry && f.entry->tag == "https" && f.dst < usesHttps.size())
      usesHttps[f.dst] = true;
  for (unsigned b = 0; b < lc.table.bindings.size(); ++b) {
    const Binding &binding = lc.table.bindings[b];
    if (binding.role != *sup || binding.kind != Binding::HostRole || !usesHttps[b])
      continue;
    std::optional<Value> http = lc.value(binding, "http_port"), https = lc.value(binding, "https_port");
    if (!http || !https || !http->isNumeric() || !https->isNumeric())
      continue;
    int64_t paired = http->number == 80 ? 443 : http->number + 1;
    if (https->number == paired)
      continue;
    llvm::SMRange declared = lc.declarationOf(binding);
    llvm::SMRange at = lc.valueSourceRange(binding, "https_port", lc.valueSourceRange(binding, "http_port", declared));
    lc.report(RuleId::WsusPortPair, at,
              fmt::format("software update point '{}' opens HTTPS {} with HTTP {}, but WSUS pairs HTTP {} with HTTPS "
                          "{}; set https_port = {} or drop the https_port override",
                          binding.label, https->number, http->number, http->number, paired, paired),
              fmt::format("{}|{}|{}", binding.label, http->number, https->number),
              {{declared, fmt::format("'{}' is a software update point here", binding.label)}}, subjectOf(lc, binding));
  }
}

void checkWsusHttpsOff(LintContext &lc) {
  std::optional<unsigned> sup = lc.role("software_update_point");
  if (!sup)
    return;
  for (const Binding &binding : lc.table.bindings) {
    if (binding.role != *sup || binding.kind != Binding::HostRole)
      continue;
    std::optional<Value> https = lc.value(binding, "https");
    if (!https || https->type != TypeKind::Bool || https->boolean)
      continue;
    // The slip is a port set by hand, to WSUS's own ports rather than IIS's 80/443.
    llvm::SMRange none;
    const char *overridden = nullptr;
    for (const char *param : {"http_port", "https_port"})
      if (!overridden && lc.valueSourceRange(binding, param, none).Start.isValid())
        overridden = param;
    std::optional<Value> http = lc.value(binding, "http_port"), httpsPort = lc.value(binding, "https_port");
    if (!overridden || !http || !httpsPort || !http->isNumeric() || !httpsPort->isNumeric() || http->number == 80)
      continue;
    llvm::SMRange declared = lc.declarationOf(binding);
    lc.report(RuleId::WsusHttpsOff, lc.valueSourceRange(binding, overridden, declared),
              fmt::format("software update point '{}' sets {} for WSUS (HTTP {}, HTTPS {}) but https is false, so "
                          "HTTPS {} stays closed; set https = true if WSUS uses SSL",
                          binding.label, overridden, http->number, httpsPort->number, httpsPort->number),
              fmt::format("{}|https-off", binding.label),
              {{declared, fmt::format("'{}' is a software update point here", binding.label)}}, subjectOf(lc, binding));
  }
}

void checkSqlNamedInstance(LintContext &lc) {
  std::optional<unsigned> db = lc.role("site_database");
  if (!db)
    return;
  for (const Binding &binding : lc.table.bindings) {
    if (binding.role != *db || binding.kind != Binding::HostRole)
      continue;
    std::optional<Value> named = lc.value(binding, "named_instance");
    if (!named || named->type != TypeKind::Bool || !named->boolean)
      continue;
    llvm::SMRange declared = lc.declarationOf(binding);
    llvm::SMRange namedAt = lc.valueSourceRange(binding, "named_instance", declared);
    std::optional<Value> dynamic = lc.value(binding, "sql_dynamic_ports");
    std::string key = fmt::format("{}|named-instance", binding.label);
    if (dynamic && dynamic->type == TypeKind::Bool && dynamic->boolean) {
      lc.report(RuleId::SqlNamedInstanceDynamicPorts, lc.valueSourceRange(binding, "sql_dynamic_ports", namedAt),
                fmt::format("the SQL Server named instance on '{}' is left on dynamic ports, which Configuration "
                            "Manager doesn't support; configure a static port, set sql_port to it and "
                            "sql_dynamic_ports = false",
                            binding.label),
                key, {{namedAt, "a named instance"}}, subjectOf(lc, binding));
      continue;
    }
    if (lc.valueSourceRange(binding, "sql_port", llvm::SMRange()).Start.isValid())
      continue; // a static port is configured
    std::optional<Value> port = lc.value(binding, "sql_port");
    lc.report(RuleId::SqlNamedInstanceDynamicPorts, namedAt,
              fmt::format("the SQL Server named instance on '{}' has no static port configured, so it listens on a "
                          "dynamic port, not the {} the policy opens; set sql_port to the instance's static port",
                          binding.label, port ? port->str() : "default"),
              key, {}, subjectOf(lc, binding));
  }
}

} // namespace cmnet::lint
