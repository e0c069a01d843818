// Explain: the verdict of each enforcement point on the way by sweeping its placed rules'
// ports; what the policy allows by sweeping the matching flows' ports; closed ports by
// replaying the catalog's decisions (scope, conditions, ports, note rules, denies).
#include "Explain.h"

#include "ir/Printer.h"
#include "analysis/FlowEvaluation.h"
#include "analysis/PolicyMatch.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

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
    OpenPorts run{proto, -1, PortSet(uint16_t(it->first), uint16_t(next->first - 1)), {}, {}, {}, sorted};
    for (const Flow *f : sorted)
      mergeWhy(run.why, f->why);
    out.push_back(std::move(run));
    previous = std::move(sorted);
  }
}

std::string where(const analysis::CompileContext &ctx, llvm::SMRange range) {
  return ctx.diags.describe(range.Start);
}

std::string roleNames(const analysis::CompileContext &ctx, const ExplainEndpoint &e) {
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
std::string linkVerdict(analysis::CompileContext &ctx, const Link &link, bool reverse, const Binding &a,
                        const Binding &b, Protocol proto, uint16_t port) {
  const Hierarchy &h = *ctx.model.hierarchy;
  std::string head = fmt::format("{}{} ({}), {} -> {}: ", link.section, reverse ? " (reverse direction)" : "",
                                 where(ctx, link.loc), a.label, b.label);
  if (a.kind == Binding::HostRole && b.kind == Binding::HostRole && a.owner == b.owner)
    return head + "a host never needs an opening to itself";
  if (auto mismatch = scopeMismatch(h, link.scope, a, b, reverse))
    return head + *mismatch;
  analysis::FlowEvaluation eval(ctx);
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

std::string ExplainEndpoint::describe(const analysis::CompileContext &ctx) const {
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

std::optional<ExplainEndpoint> resolveEndpoint(const analysis::CompileContext &ctx, llvm::StringRef text,
                                               size_t bindingCount) {
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
  for (unsigned b = 0; b < bindingCount; ++b) {
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
      out.push_back({Protocol::ICMP, key.second, {}, {}, {}, {}, members});
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

std::vector<std::string> closedReasons(analysis::CompileContext &ctx, llvm::ArrayRef<Flow> beforePolicy,
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
          !analysis::policyEndpointAddresses(ctx, st.src).intersects(from.addresses) ||
          !analysis::policyEndpointAddresses(ctx, st.dst).intersects(to.addresses))
        continue;
      bool matches = llvm::any_of(opened, [&](const Flow *f) {
        if (!analysis::serviceMatches(st.service, *f))
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

std::string PathPoint::label() const {
  switch (kind) {
  case SourceOutbound:
    return point->name + " outbound";
  case DestinationInbound:
    return point->name + " inbound";
  case Perimeter:
    break;
  }
  return fmt::format("{} {} -> {}", point->name, fromZone, toZone);
}

std::vector<PathPoint> enforcementPath(const analysis::CompileContext &ctx, const ExplainEndpoint &from,
                                       const ExplainEndpoint &to) {
  std::vector<PathPoint> path;
  // A host whose outbound list is empty has no outbound filter at all (every backend accepts
  // its own traffic then), so it is no point on the way.
  for (const EnforcementPoint &p : ctx.placed.points)
    if (p.kind == EnforcementPoint::HostFirewall && !p.outbound.empty() && p.addresses.intersects(from.addresses))
      path.push_back({PathPoint::SourceOutbound, &p, &p.outbound, "", "", from.addresses.intersect(p.addresses),
                      to.addresses});
  for (const EnforcementPoint &p : ctx.placed.points) {
    if (p.kind != EnforcementPoint::NetworkFirewall)
      continue;
    for (const Zone &a : p.zones)
      for (const Zone &b : p.zones) {
        AddressSet src = from.addresses.intersect(a.addresses), dst = to.addresses.intersect(b.addresses);
        if (&a == &b || src.empty() || dst.empty())
          continue;
        auto pair = llvm::find_if(p.zonePairs, [&](const ZonePair &z) { return z.from == a.name && z.to == b.name; });
        path.push_back({PathPoint::Perimeter, &p, pair == p.zonePairs.end() ? nullptr : &pair->rules, a.name, b.name,
                        std::move(src), std::move(dst)});
      }
  }
  for (const EnforcementPoint &p : ctx.placed.points)
    if (p.kind == EnforcementPoint::HostFirewall && p.addresses.intersects(to.addresses))
      path.push_back({PathPoint::DestinationInbound, &p, &p.inbound, "", "", from.addresses,
                      to.addresses.intersect(p.addresses)});
  return path;
}

bool PathRun::open() const {
  return llvm::all_of(verdicts, [](const PointVerdict &v) { return v.open; });
}

namespace {

/// The rules of \p p that can match traffic between its two parts of the endpoints on \p proto.
std::vector<const PlacedRule *> candidateRules(const PathPoint &p, Protocol proto) {
  std::vector<const PlacedRule *> out;
  if (p.rules)
    for (const PlacedRule &r : *p.rules)
      if (r.proto == proto && r.src.intersects(p.src) && r.dst.intersects(p.dst))
        out.push_back(&r);
  return out;
}

/// One point's verdict from the rules that match, in list order: the first decides, so a deny
/// before every allow closes; otherwise every matching allow admits its part of the endpoints.
PointVerdict decide(const PathPoint &p, llvm::ArrayRef<const PlacedRule *> matching) {
  PointVerdict v;
  for (const PlacedRule *r : matching) {
    if (r->action == FlowAction::Deny) {
      if (v.rules.empty())
        v.rules.push_back(r);
      if (!v.open)
        return v;
      continue;
    }
    v.open = true;
    v.rules.push_back(r);
    v.fromCovered = v.fromCovered.unite(r->src.intersect(p.src));
    v.toCovered = v.toCovered.unite(r->dst.intersect(p.dst));
  }
  return v;
}

bool sameVerdicts(const PathRun &a, const PathRun &b) {
  return std::equal(a.verdicts.begin(), a.verdicts.end(), b.verdicts.begin(), b.verdicts.end(),
                    [](const PointVerdict &x, const PointVerdict &y) {
                      return x.open == y.open && x.rules == y.rules && x.fromCovered == y.fromCovered &&
                             x.toCovered == y.toCovered;
                    });
}

/// Cut the ports at every edge of every candidate rule's ranges; each piece that some rule names
/// (or the queried port) joins the run whose points all answer the same, or starts one.
void sweepPorts(llvm::ArrayRef<PathPoint> path, Protocol proto, std::optional<PortQuery> query,
                std::vector<PathRun> &out) {
  std::vector<std::vector<const PlacedRule *>> rules;
  std::vector<uint32_t> cuts;
  for (const PathPoint &p : path) {
    rules.push_back(candidateRules(p, proto));
    for (const PlacedRule *r : rules.back())
      for (const auto &range : r->ports.intervals()) {
        cuts.push_back(range.lo);
        cuts.push_back(uint32_t(range.hi) + 1);
      }
  }
  if (query)
    cuts = {query->port, uint32_t(query->port) + 1};
  llvm::sort(cuts);
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  size_t first = out.size();
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    uint16_t lo = uint16_t(cuts[k]), hi = uint16_t(cuts[k + 1] - 1);
    PathRun run{proto, -1, PortSet(lo, hi), {}};
    bool named = false;
    for (size_t i = 0; i < path.size(); ++i) {
      llvm::SmallVector<const PlacedRule *, 4> matching;
      for (const PlacedRule *r : rules[i])
        if (r->ports.contains(lo))
          matching.push_back(r);
      named |= !matching.empty();
      run.verdicts.push_back(decide(path[i], matching));
    }
    if (!named && !query)
      continue;
    auto same = std::find_if(out.begin() + first, out.end(), [&](const PathRun &r) { return sameVerdicts(r, run); });
    if (same != out.end()) {
      same->ports.add(lo, hi);
      continue;
    }
    out.push_back(std::move(run));
  }
}

/// One run per ICMP type some candidate rule names (-1: the rules for every type).
void sweepIcmp(llvm::ArrayRef<PathPoint> path, std::vector<PathRun> &out) {
  std::vector<std::vector<const PlacedRule *>> rules;
  std::vector<int> types;
  for (const PathPoint &p : path) {
    rules.push_back(candidateRules(p, Protocol::ICMP));
    for (const PlacedRule *r : rules.back())
      types.push_back(r->icmpType);
  }
  llvm::sort(types);
  types.erase(std::unique(types.begin(), types.end()), types.end());
  for (int type : types) {
    PathRun run{Protocol::ICMP, type, {}, {}};
    for (size_t i = 0; i < path.size(); ++i) {
      llvm::SmallVector<const PlacedRule *, 4> matching;
      for (const PlacedRule *r : rules[i])
        if (r->icmpType < 0 || r->icmpType == type)
          matching.push_back(r);
      run.verdicts.push_back(decide(path[i], matching));
    }
    out.push_back(std::move(run));
  }
}

/// \p runs less the ports (or ICMP types) that \p path opens; all of them when no point is on
/// the way.
std::vector<OpenPorts> notOpenOnPath(std::vector<OpenPorts> runs, llvm::ArrayRef<PathPoint> path,
                                     llvm::ArrayRef<PathRun> pathRuns) {
  if (path.empty())
    return runs;
  std::vector<OpenPorts> out;
  for (OpenPorts &run : runs) {
    bool icmpOpen = false;
    for (const PathRun &p : pathRuns) {
      if (p.proto != run.proto || !p.open())
        continue;
      if (run.proto == Protocol::ICMP)
        icmpOpen |= p.icmpType == run.icmpType;
      else
        run.ports = run.ports.subtract(p.ports);
    }
    if (run.proto == Protocol::ICMP ? !icmpOpen : !run.ports.empty())
      out.push_back(std::move(run));
  }
  return out;
}

std::string runText(Protocol proto, int icmpType, const PortSet &ports) {
  if (proto == Protocol::ICMP)
    return icmpType < 0 ? "icmp (any type)" : fmt::format("icmp type {}", icmpType);
  return fmt::format("{} {}", protocolName(proto).str(), ports.str());
}

void printWhy(const analysis::CompileContext &ctx, llvm::ArrayRef<ProvId> why, llvm::StringRef indent,
              llvm::raw_ostream &os) {
  // A deny in an open rule's history carved a hole elsewhere in the same flow.
  for (ProvId id : why)
    os << indent << (ctx.flows.provenance(id).kind == Provenance::Deny ? "narrowed by " : "")
       << ctx.flows.describe(id) << "\n";
}

void printPointVerdict(const analysis::CompileContext &ctx, const PathPoint &p, const PointVerdict &v,
                       llvm::raw_ostream &os) {
  os << "    " << p.label() << ": ";
  if (v.rules.empty()) {
    os << "closed: no rule admits it\n";
    return;
  }
  os << (v.open ? "open" : "closed");
  if (v.open && v.fromCovered != p.src)
    os << " (only from " << v.fromCovered.str() << ")";
  if (v.open && v.toCovered != p.dst)
    os << " (only to " << v.toCovered.str() << ")";
  os << "\n";
  for (const PlacedRule *r : v.rules) {
    os << "      rule " << placedRuleText(*r) << "\n";
    printWhy(ctx, r->why, "        ", os);
  }
}

void printRun(const analysis::CompileContext &ctx, const Explanation &e, const PathRun &run, llvm::raw_ostream &os) {
  os << "  " << runText(run.proto, run.icmpType, run.ports) << "\n";
  for (size_t i = 0; i < e.path.size(); ++i)
    printPointVerdict(ctx, e.path[i], run.verdicts[i], os);
}

void printPolicyOnly(const analysis::CompileContext &ctx, const Explanation &e, llvm::raw_ostream &os) {
  if (e.policyOnly.empty())
    return;
  os << (e.path.empty() ? "allowed by the policy, filtered by no point on this path:\n"
                        : "allowed by the policy between wider endpoints, admitted by no rule on this path:\n");
  for (const OpenPorts &run : e.policyOnly) {
    os << "  " << runText(run.proto, run.icmpType, run.ports) << "\n";
    for (const Flow *f : run.flows) {
      os << fmt::format("    {} ({}) -> {} ({})\n", ctx.flows.endpointLabel(*f, true), f->srcAddrs.str(),
                        ctx.flows.endpointLabel(*f, false), f->dstAddrs.str());
      printWhy(ctx, f->why, "      ", os);
    }
  }
}

void whyJson(llvm::json::OStream &json, const analysis::CompileContext &ctx, llvm::ArrayRef<ProvId> why) {
  json.attributeArray("why", [&] {
    for (ProvId id : why)
      json.object([&] {
        json.attribute("at", ctx.flows.where(id));
        json.attribute("kind", provenanceKindName(ctx.flows.provenance(id).kind));
        json.attribute("text", ctx.flows.provenance(id).text);
      });
  });
}

void runKeysJson(llvm::json::OStream &json, Protocol proto, int icmpType, const PortSet &ports) {
  if (proto == Protocol::ICMP)
    json.attribute("icmp_type", icmpType);
  else
    json.attribute("ports", ports.str());
  json.attribute("protocol", protocolName(proto));
}

void endpointJson(llvm::json::OStream &json, const analysis::CompileContext &ctx, llvm::StringRef key,
                  const ExplainEndpoint &e) {
  json.attributeObject(key, [&] {
    json.attributeArray("addresses", [&] {
      for (const Cidr &c : e.addresses.cidrs())
        json.value(c.str());
    });
    json.attribute("description", e.describe(ctx));
    json.attribute("text", e.text);
  });
}

const char *runVerdict(const Explanation &e, const PathRun &run) {
  if (e.path.empty())
    return "unfiltered";
  return run.open() ? "open" : "closed";
}

} // namespace

std::vector<PathRun> pathRuns(llvm::ArrayRef<PathPoint> path, std::optional<PortQuery> query) {
  std::vector<PathRun> out;
  for (Protocol proto : {Protocol::TCP, Protocol::UDP})
    if (!query || query->proto == proto)
      sweepPorts(path, proto, query, out);
  if (!query)
    sweepIcmp(path, out);
  return out;
}

Explanation explain(analysis::CompileContext &ctx, llvm::ArrayRef<Flow> policyFlows, llvm::ArrayRef<Flow> beforePolicy,
                    ExplainEndpoint from, ExplainEndpoint to, std::optional<PortQuery> query) {
  Explanation e;
  e.path = enforcementPath(ctx, from, to);
  e.runs = pathRuns(e.path, query);
  std::vector<OpenPorts> allowed = openPorts(policyFlows, from, to);
  if (query) {
    llvm::erase_if(allowed, [&](const OpenPorts &run) {
      return run.proto != query->proto || !run.ports.contains(query->port);
    });
    for (OpenPorts &run : allowed)
      run.ports = PortSet(query->port, query->port);
  }
  e.policyOnly = notOpenOnPath(std::move(allowed), e.path, e.runs);
  if (query && (e.path.empty() || !e.runs.front().open()) && e.policyOnly.empty())
    e.closedReasons = closedReasons(ctx, beforePolicy, from, to, query->proto, query->port);
  e.from = std::move(from);
  e.to = std::move(to);
  e.query = query;
  return e;
}

void printExplanationText(const analysis::CompileContext &ctx, const Explanation &e, llvm::raw_ostream &os) {
  os << "from " << e.from.describe(ctx) << "\n";
  os << "to   " << e.to.describe(ctx) << "\n";
  if (e.path.empty()) {
    os << "path: no enforcement point of this policy filters this traffic\n";
  } else {
    std::vector<std::string> labels;
    for (const PathPoint &p : e.path)
      labels.push_back(p.label());
    os << "path: " << llvm::join(labels, ", ") << "\n";
  }
  if (e.query) {
    const PathRun &run = e.runs.front();
    os << fmt::format("{}: {}\n", run.open() && !e.path.empty() ? "open" : "closed",
                      runText(run.proto, run.icmpType, run.ports));
    for (size_t i = 0; i < e.path.size(); ++i)
      printPointVerdict(ctx, e.path[i], run.verdicts[i], os);
    printPolicyOnly(ctx, e, os);
    for (const std::string &reason : e.closedReasons)
      os << "  " << reason << "\n";
    return;
  }
  bool anyOpen = false, anyClosed = false;
  for (const PathRun &run : e.runs)
    (run.open() ? anyOpen : anyClosed) = true;
  if (!e.path.empty()) {
    os << (anyOpen ? "open:\n" : "open: nothing\n");
    for (const PathRun &run : e.runs)
      if (run.open())
        printRun(ctx, e, run, os);
  }
  if (anyClosed) {
    os << "closed on the way (admitted by some point, dropped by another):\n";
    for (const PathRun &run : e.runs)
      if (!run.open())
        printRun(ctx, e, run, os);
  }
  printPolicyOnly(ctx, e, os);
}

void printExplanationJson(const analysis::CompileContext &ctx, const Explanation &e, llvm::raw_ostream &os) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    if (!e.closedReasons.empty())
      json.attributeArray("closed_reasons", [&] {
        for (const std::string &reason : e.closedReasons)
          json.value(reason);
      });
    endpointJson(json, ctx, "from", e.from);
    json.attributeArray("path", [&] {
      for (const PathPoint &p : e.path)
        json.object([&] {
          json.attribute("kind", p.kind == PathPoint::Perimeter ? "firewall" : "host");
          json.attribute("label", p.label());
          json.attribute("name", p.point->name);
          if (p.kind == PathPoint::Perimeter) {
            json.attribute("from_zone", p.fromZone);
            json.attribute("to_zone", p.toZone);
          } else {
            json.attribute("direction", p.kind == PathPoint::SourceOutbound ? "outbound" : "inbound");
          }
        });
    });
    json.attributeArray("policy_only", [&] {
      for (const OpenPorts &run : e.policyOnly)
        json.object([&] {
          json.attributeArray("flows", [&] {
            for (const Flow *f : run.flows)
              json.object([&] {
                json.attribute("from", ctx.flows.endpointLabel(*f, true));
                json.attribute("from_addresses", f->srcAddrs.str());
                json.attribute("to", ctx.flows.endpointLabel(*f, false));
                json.attribute("to_addresses", f->dstAddrs.str());
                whyJson(json, ctx, f->why);
              });
          });
          runKeysJson(json, run.proto, run.icmpType, run.ports);
        });
    });
    json.attributeArray("runs", [&] {
      for (const PathRun &run : e.runs)
        json.object([&] {
          json.attributeArray("points", [&] {
            for (size_t i = 0; i < e.path.size(); ++i)
              json.object([&] {
                const PointVerdict &v = run.verdicts[i];
                json.attributeArray("rules", [&] {
                  for (const PlacedRule *r : v.rules)
                    ir::writePlacedRuleJson(json, ctx.placed, *r);
                });
                json.attribute("verdict", v.open ? "open" : "closed");
              });
          });
          runKeysJson(json, run.proto, run.icmpType, run.ports);
          json.attribute("verdict", runVerdict(e, run));
        });
    });
    endpointJson(json, ctx, "to", e.to);
  });
  os << "\n";
}

} // namespace cmnet::driver
