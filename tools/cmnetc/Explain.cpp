// Explain: open ports by sweeping the matching flows' ports; closed ports by replaying the
// catalog's decisions (scope, conditions, ports, note rules, denies) for the endpoints' roles.
#include "Explain.h"

#include "passes/FlowEvaluation.h"
#include "passes/PolicyMatch.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace cmnet::ir;

namespace cmnet::driver {
namespace {

bool reaches(const Flow &f, const ExplainEndpoint &from, const ExplainEndpoint &to) {
  return f.action == FlowAction::Allow && f.srcAddrs.intersects(from.addresses) && f.dstAddrs.intersects(to.addresses);
}

/// Flows covering one ICMP type, or sweeping TCP/UDP ports into runs opened by the same flows.
void collectRuns(llvm::ArrayRef<const Flow *> flows, Protocol proto, std::vector<OpenPorts> &out) {
  std::map<uint32_t, std::vector<std::pair<bool, const Flow *>>> events; // port -> (starts, flow)
  for (const Flow *f : flows)
    for (const auto &r : f->ports.intervals()) {
      events[r.lo].push_back({true, f});
      events[uint32_t(r.hi) + 1].push_back({false, f});
    }
  std::vector<const Flow *> active, previous;
  for (auto it = events.begin(); it != events.end(); ++it) {
    for (auto [starts, f] : it->second) {
      if (starts)
        active.push_back(f);
      else
        active.erase(llvm::find(active, f));
    }
    auto next = std::next(it);
    if (active.empty() || next == events.end())
      continue;
    std::vector<const Flow *> sorted = active;
    llvm::sort(sorted);
    if (!out.empty() && sorted == previous && out.back().ports.intervals().back().hi + 1u == it->first) {
      out.back().ports.add(uint16_t(it->first), uint16_t(next->first - 1));
      continue;
    }
    OpenPorts run{proto, -1, PortSet(uint16_t(it->first), uint16_t(next->first - 1)), {}, {}, {}};
    for (const Flow *f : sorted)
      mergeWhy(run.why, f->why);
    out.push_back(std::move(run));
    previous = std::move(sorted);
  }
}

std::string where(const passes::CompileContext &ctx, llvm::SMRange range) {
  return ctx.diags.describe(range.Start);
}

std::string roleNames(const passes::CompileContext &ctx, const ExplainEndpoint &e) {
  std::vector<std::string> names;
  for (unsigned b : e.bindings) {
    const Binding &binding = ctx.flows.bindings[b];
    if (binding.role != Binding::None && !llvm::is_contained(names, ctx.model.roles[binding.role].name))
      names.push_back(ctx.model.roles[binding.role].name);
  }
  return names.empty() ? "no role" : llvm::join(names, ", ");
}

std::string siteName(const Hierarchy &h, unsigned site) {
  return site == Binding::None ? "no site" : "site " + h.sites[site].name;
}

/// nullopt when \p scope pairs \p a (initiating) with \p b; else why it does not.
std::optional<std::string> scopeMismatch(const Hierarchy &h, Scope scope, const Binding &a, const Binding &b,
                                         bool reverse) {
  auto parentOf = [&](unsigned site) -> unsigned {
    return site != Binding::None && h.sites[site].parent ? *h.sites[site].parent : Binding::None;
  };
  auto sites = fmt::format("{} is in {}, {} in {}", a.label, siteName(h, a.site), b.label, siteName(h, b.site));
  switch (scope) {
  case Scope::Site:
    if (a.site != Binding::None && a.site == b.site)
      return std::nullopt;
    return "scope site pairs roles within one site; " + sites;
  case Scope::Parent: {
    bool paired = reverse ? parentOf(b.site) == a.site && a.site != Binding::None
                          : parentOf(a.site) == b.site && b.site != Binding::None;
    if (paired)
      return std::nullopt;
    return fmt::format("scope parent pairs {}; {}", reverse ? "a site with its children" : "a site with its parent",
                       sites);
  }
  case Scope::Adjacent:
    if ((parentOf(a.site) == b.site || parentOf(b.site) == a.site) && a.site != Binding::None &&
        b.site != Binding::None)
      return std::nullopt;
    return "scope adjacent pairs a site with its parent and its children; " + sites;
  case Scope::Top: {
    const Binding &inSite = reverse ? b : a;
    if (inSite.site != Binding::None && parentOf(inSite.site) == Binding::None)
      return std::nullopt;
    return fmt::format("scope top applies only to the top-level site; {} is in {}", inSite.label,
                       siteName(h, inSite.site));
  }
  case Scope::Hierarchy:
  case Scope::External:
    return std::nullopt;
  }
  return std::nullopt;
}

/// Why one catalog link, in one direction, opens nothing on \p proto \p port between \p a and \p b.
std::string linkVerdict(passes::CompileContext &ctx, const Link &link, bool reverse, const Binding &a,
                        const Binding &b, Protocol proto, uint16_t port) {
  const Hierarchy &h = *ctx.model.hierarchy;
  std::string head = fmt::format("{}{} ({}), {} -> {}: ", link.section, reverse ? " (reverse direction)" : "",
                                 where(ctx, link.loc), a.label, b.label);
  if (a.kind == Binding::HostRole && b.kind == Binding::HostRole && a.owner == b.owner)
    return head + "a host never needs an opening to itself";
  if (auto mismatch = scopeMismatch(h, link.scope, a, b, reverse))
    return head + *mismatch;
  passes::FlowEvaluation eval(ctx);
  bool failed = false;
  if (!eval.condition(link.when.get(), &a, &b, failed))
    return head + fmt::format("its condition 'when {}' is false", printExpr(*link.when));
  std::vector<std::string> rows;
  for (const Entry &e : link.entries) {
    if (!llvm::is_contained(e.protocols, proto))
      continue;
    std::string name = e.description.empty() ? "(no description)" : e.description;
    if (e.advisory) {
      rows.push_back(fmt::format("'{}' is not needed ({})", name, *e.advisory));
      continue;
    }
    if (!eval.condition(e.when.get(), &a, &b, failed)) {
      rows.push_back(fmt::format("'{}' has 'when {}', which is false", name, printExpr(*e.when)));
      continue;
    }
    llvm::SmallVector<ProvId, 2> unused;
    std::optional<PortSet> ports = eval.ports(e, &a, &b, unused);
    if (!ports)
      continue;
    if (!ports->contains(port)) {
      rows.push_back(fmt::format("'{}' opens {} {}", name, protocolName(proto).str(), ports->str()));
      continue;
    }
    rows.push_back(fmt::format("'{}' opens it, but a catalog note rule (oneway) removed this direction", name));
  }
  if (rows.empty())
    return head + fmt::format("it has no {} row", protocolName(proto).str());
  return head + llvm::join(rows, "; ");
}

} // namespace

std::string ExplainEndpoint::describe(const passes::CompileContext &ctx) const {
  const Hierarchy &h = *ctx.model.hierarchy;
  if (host)
    return fmt::format("{} ({}): {} in site {}", text, addresses.str(), roleNames(ctx, *this),
                       h.sites[h.hosts[*host].site].name);
  std::vector<std::string> labels;
  for (unsigned b : bindings)
    if (!llvm::is_contained(labels, ctx.flows.bindings[b].label))
      labels.push_back(ctx.flows.bindings[b].label);
  return labels.empty() ? text : fmt::format("{} ({})", text, llvm::join(labels, ", "));
}

std::optional<ExplainEndpoint> resolveEndpoint(const passes::CompileContext &ctx, llvm::StringRef text) {
  const Hierarchy &h = *ctx.model.hierarchy;
  ExplainEndpoint e;
  e.text = text.str();
  for (unsigned i = 0; i < h.hosts.size() && !e.host; ++i)
    if (h.hosts[i].name == text) {
      e.host = i;
      e.addresses = h.hosts[i].addresses;
    }
  if (!e.host) {
    auto parsed = AddressSet::parse(text);
    if (!parsed || text == "any")
      return std::nullopt;
    e.addresses = *parsed;
  }
  for (unsigned b = 0; b < ctx.flows.bindings.size(); ++b) {
    const Binding &binding = ctx.flows.bindings[b];
    bool mine = e.host ? binding.kind == Binding::HostRole && binding.owner == *e.host
                       : binding.addresses.contains(e.addresses) && !binding.addresses.isAny();
    if (mine)
      e.bindings.push_back(b);
  }
  return e;
}

std::vector<OpenPorts> openPorts(llvm::ArrayRef<Flow> flows, const ExplainEndpoint &from, const ExplainEndpoint &to) {
  std::map<std::pair<Protocol, int>, std::vector<const Flow *>> groups; // (protocol, ICMP type)
  for (const Flow &f : flows)
    if (reaches(f, from, to))
      groups[{f.proto, f.proto == Protocol::ICMP ? f.icmpType : -1}].push_back(&f);
  std::vector<OpenPorts> out;
  for (auto &[key, members] : groups) {
    size_t first = out.size();
    if (key.first == Protocol::ICMP) {
      out.push_back({Protocol::ICMP, key.second, {}, {}, {}, {}});
      for (const Flow *f : members)
        mergeWhy(out.back().why, f->why);
    } else {
      collectRuns(members, key.first, out);
    }
    for (size_t i = first; i < out.size(); ++i)
      for (const Flow *f : members)
        if (key.first == Protocol::ICMP || f->ports.intersects(out[i].ports)) {
          out[i].fromCovered = out[i].fromCovered.unite(f->srcAddrs.intersect(from.addresses));
          out[i].toCovered = out[i].toCovered.unite(f->dstAddrs.intersect(to.addresses));
        }
  }
  return out;
}

std::vector<std::string> closedReasons(passes::CompileContext &ctx, llvm::ArrayRef<Flow> beforePolicy,
                                       const ExplainEndpoint &from, const ExplainEndpoint &to, Protocol proto,
                                       uint16_t port) {
  const Hierarchy &h = *ctx.model.hierarchy;
  std::vector<std::string> out;
  // Opened before apply-policy: a deny took it away.
  std::vector<const Flow *> opened;
  for (const Flow &f : beforePolicy)
    if (reaches(f, from, to) && f.proto == proto && f.ports.contains(port))
      opened.push_back(&f);
  if (!opened.empty()) {
    for (const PolicyStatement &st : h.statements) {
      if (st.action != PolicyStatement::Deny ||
          !passes::policyEndpointAddresses(ctx, st.src).intersects(from.addresses) ||
          !passes::policyEndpointAddresses(ctx, st.dst).intersects(to.addresses))
        continue;
      bool matches = llvm::any_of(opened, [&](const Flow *f) {
        if (!passes::serviceMatches(st.service, *f))
          return false;
        return !st.service.tag.empty() || st.service.ports.empty() || st.service.ports.contains(port);
      });
      if (matches)
        out.push_back(fmt::format("denied by '{}' ({})", st.reason.empty() ? "deny" : st.reason, where(ctx, st.loc)));
    }
    for (const Flow *f : opened)
      for (ProvId id : f->why)
        if (ctx.flows.provenance(id).kind == Provenance::CatalogEntry)
          out.push_back("which closes what " + ctx.flows.describe(id) + " opens");
    return out;
  }
  // Never opened: which links join the two endpoints' roles, and why none of them applies.
  for (const Link &link : ctx.model.links)
    for (bool reverse : {false, true}) {
      if (reverse && !link.bidirectional)
        continue;
      unsigned srcRole = reverse ? link.dstRole : link.srcRole, dstRole = reverse ? link.srcRole : link.dstRole;
      for (unsigned a : from.bindings)
        for (unsigned b : to.bindings)
          if (ctx.flows.bindings[a].role == srcRole && ctx.flows.bindings[b].role == dstRole)
            out.push_back(linkVerdict(ctx, link, reverse, ctx.flows.bindings[a], ctx.flows.bindings[b], proto, port));
    }
  if (out.empty())
    out.push_back(fmt::format("no catalog link connects {} ({}) to {} ({})", from.text, roleNames(ctx, from), to.text,
                              roleNames(ctx, to)));
  else
    out.insert(out.begin(), "no catalog row opens it; the links between their roles:");
  return out;
}

} // namespace cmnet::driver
