// The facts lint checks share.
#include "lint/LintContext.h"

#include "analysis/PolicyMatch.h"
#include "analysis/SetUnion.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::lint {

LintContext::LintContext(const analysis::CompileContext &ctx, llvm::ArrayRef<Flow> requiredFlows)
    : model(ctx.model), hierarchy(*ctx.model.hierarchy), table(ctx.flows), required(requiredFlows),
      allowed(ctx.flows.flows), missingCache(required.size()), claimed(required.size()) {
  for (unsigned b = 0; b < table.bindings.size(); ++b)
    if (table.bindings[b].kind == Binding::HostRole)
      hostBindings.try_emplace({table.bindings[b].owner, table.bindings[b].role}, b);
  analysis::EndpointAddresses endpoints(ctx);
  for (unsigned i = 0; i < hierarchy.statements.size(); ++i) {
    const PolicyStatement &st = hierarchy.statements[i];
    statementAt[st.loc.Start.getPointer()] = unsigned(statementBoxes.size());
    statementBoxes.push_back({i, &st, endpoints.of(st.src), endpoints.of(st.dst)});
    if (st.action == PolicyStatement::Deny)
      denyDestinations.add(statementBoxes.back().dsts, unsigned(statementBoxes.size() - 1));
  }
  denyDestinations.build();
  requiredBySource.resize(table.bindings.size());
  for (unsigned i = 0; i < required.size(); ++i)
    if (required[i].src < requiredBySource.size())
      requiredBySource[required[i].src].push_back(i);
  surviving.assign(hierarchy.statements.size(), false);
  for (const Flow &f : table.flows)
    for (const StatementBox *s : allowsOf(f))
      surviving[s->index] = true;
}

std::vector<unsigned> LintContext::hostsWithRole(unsigned role) const {
  std::vector<unsigned> out;
  for (unsigned i = 0; i < hierarchy.hosts.size(); ++i)
    for (const HostRole &hr : hierarchy.hosts[i].roles)
      if (hr.role == role) {
        out.push_back(i);
        break;
      }
  return out;
}

AddressSet LintContext::addressesOf(llvm::ArrayRef<unsigned> hosts) const {
  std::vector<const AddressSet *> sets;
  for (unsigned host : hosts)
    sets.push_back(&hierarchy.hosts[host].addresses);
  return analysis::uniteAll(sets);
}

std::optional<Value> LintContext::value(const Binding &b, llvm::StringRef param) const {
  if (b.role == Binding::None)
    return std::nullopt;
  std::optional<unsigned> p = model.roles[b.role].findParam(param);
  if (!p || *p >= b.values.size())
    return std::nullopt;
  return b.values[*p];
}

llvm::SMRange LintContext::valueSourceRange(const Binding &b, llvm::StringRef param, llvm::SMRange fallback) const {
  if (b.role == Binding::None)
    return fallback;
  std::optional<unsigned> p = model.roles[b.role].findParam(param);
  if (!p || *p >= b.valueSource.size() || b.valueSource[*p] == NoSource)
    return fallback;
  return table.provenance(b.valueSource[*p]).loc;
}

std::optional<unsigned> LintContext::hostBinding(unsigned host, unsigned role) const {
  auto it = hostBindings.find({host, role});
  return it == hostBindings.end() ? std::nullopt : std::optional<unsigned>(it->second);
}

llvm::SMRange LintContext::declarationOf(const Binding &b) const {
  if (b.owner == Binding::None) // an external role never bound, or flows the passes merged
    return hierarchy.loc;
  switch (b.kind) {
  case Binding::HostRole:
    for (const HostRole &hr : hierarchy.hosts[b.owner].roles)
      if (hr.role == b.role)
        return hr.loc;
    return hierarchy.hosts[b.owner].loc;
  case Binding::Clients:
    return hierarchy.clientGroups[b.owner].loc;
  case Binding::External:
    return hierarchy.externals[b.owner].loc;
  case Binding::User:
    return hierarchy.loc;
  }
  return hierarchy.loc;
}

Flow LintContext::coveredPart(const StatementBox &s, const Flow &flow) {
  const PolicyService &svc = s.statement->service;
  bool portsNamed = svc.tag.empty() && !svc.protocols.empty() && !svc.ports.empty();
  return makeBox(flow.srcAddrs.intersect(s.srcs), flow.dstAddrs.intersect(s.dsts), flow.proto,
                 portsNamed ? PortSet(flow.ports.intersect(svc.ports)) : flow.ports, flow.icmpType);
}

std::vector<Flow> LintContext::allowFlows(const StatementBox &s) {
  const PolicyService &svc = s.statement->service;
  std::vector<Flow> out;
  for (Protocol p : svc.protocols)
    out.push_back(makeBox(s.srcs, s.dsts, p, svc.ports.empty() ? PortSet(1, 65535) : svc.ports, svc.icmpType));
  return out;
}

std::vector<const StatementBox *> LintContext::denialsOf(const Flow &flow, const Flow &piece) const {
  std::vector<const StatementBox *> out;
  for (unsigned i : denyDestinations.query(piece.dstAddrs)) // ascending: statement order
    if (analysis::serviceMatches(statementBoxes[i].statement->service, flow) &&
        !isEmptyBox(coveredPart(statementBoxes[i], piece)))
      out.push_back(&statementBoxes[i]);
  return out;
}

std::vector<const StatementBox *> LintContext::allowsOf(const Flow &flow) const {
  std::vector<const StatementBox *> out;
  for (ProvId id : flow.why) {
    const Provenance &p = table.provenance(id);
    if (p.kind != Provenance::Allow)
      continue;
    auto it = statementAt.find(p.loc.Start.getPointer());
    if (it != statementAt.end())
      out.push_back(&statementBoxes[it->second]);
  }
  std::sort(out.begin(), out.end(), [](auto *a, auto *b) { return a->index < b->index; });
  return out;
}

std::string LintContext::statementText(const PolicyStatement &st) {
  std::string service;
  if (!st.service.tag.empty())
    service = " " + st.service.tag;
  for (size_t i = 0; i < st.service.protocols.size(); ++i)
    service += (i ? "+" : " ") + protocolName(st.service.protocols[i]).str();
  if (st.service.icmpType >= 0)
    service += fmt::format(" type {}", st.service.icmpType);
  if (!st.service.ports.empty())
    service += " " + st.service.ports.str();
  return fmt::format("{} {} -> {}{}", st.action == PolicyStatement::Allow ? "allow" : "deny", st.src.text, st.dst.text,
                     service);
}

const std::vector<Flow> &LintContext::missing(unsigned index) {
  if (!missingCache[index])
    missingCache[index] =
        denialsOf(required[index], required[index]).empty() ? std::vector<Flow>() : allowed.uncovered(required[index]);
  return *missingCache[index];
}

std::vector<const StatementBox *> LintContext::culpritsOf(unsigned index) {
  std::vector<const StatementBox *> out;
  for (const Flow &piece : missing(index))
    appendNew<const StatementBox *>(out, denialsOf(required[index], piece));
  std::sort(out.begin(), out.end(), [](auto *a, auto *b) { return a->index < b->index; });
  return out;
}

void LintContext::report(RuleId rule, llvm::SMRange range, std::string message, std::string key,
                         std::vector<DiagNote> notes, llvm::SMLoc subject) {
  found.push_back({rule, ruleInfo(rule).level, range, std::move(message), std::move(notes), std::move(key), subject});
}

std::vector<DiagNote> statementNotes(llvm::ArrayRef<const StatementBox *> statements, llvm::StringRef text) {
  std::vector<DiagNote> notes;
  for (const StatementBox *box : statements)
    notes.push_back({box->statement->loc, text.str()});
  return notes;
}

std::string serviceText(const Flow &flow) {
  if (flow.proto == Protocol::ICMP)
    return flow.icmpType < 0 ? "icmp" : fmt::format("icmp type {}", flow.icmpType);
  return fmt::format("{} {}", protocolName(flow.proto).str(), flow.ports.str());
}

std::string pairText(const FlowTable &table, const Flow &flow) {
  return fmt::format("{} -> {}", table.endpointLabel(flow, true), table.endpointLabel(flow, false));
}

std::string entryText(const Flow &flow) {
  if (!flow.link || !flow.entry)
    return "user statement";
  return fmt::format("{}: {}", flow.link->section, flow.entry->description);
}

std::string addressesText(const AddressSet &set, size_t limit) {
  if (set.isAny() || set.empty())
    return set.str();
  std::vector<std::string> blocks;
  for (const Cidr &c : set.cidrs())
    blocks.push_back(c.str());
  return listSome(blocks, limit);
}

std::string listSome(llvm::ArrayRef<std::string> items, size_t limit) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < limit; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > limit)
    out += fmt::format(" and {} more", items.size() - limit);
  return out;
}

} // namespace cmnet::lint
