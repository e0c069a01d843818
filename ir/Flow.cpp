// FlowTable provenance interning and labels.
#include "ir/Flow.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>

namespace cmnet::ir {

llvm::StringRef provenanceKindName(Provenance::ProvKind kind) {
  switch (kind) {
  case Provenance::CatalogEntry: return "catalog";
  case Provenance::Note: return "note";
  case Provenance::Override: return "override";
  case Provenance::Rule: return "rule";
  case Provenance::Allow: return "allow";
  case Provenance::Deny: return "deny";
  case Provenance::Default: return "default";
  case Provenance::Pass: return "pass";
  }
  return "?";
}

ProvId FlowTable::addProvenance(Provenance::ProvKind kind, std::string text, llvm::SMRange loc) {
  std::string key = fmt::format("{}|{}|{}|{}", unsigned(kind), text,
                                reinterpret_cast<uintptr_t>(loc.Start.getPointer()),
                                reinterpret_cast<uintptr_t>(loc.End.getPointer()));
  auto [it, inserted] = provIndex.try_emplace(key, ProvId(provTable.size()));
  if (inserted)
    provTable.push_back({kind, std::move(text), loc});
  return it->second;
}

std::string FlowTable::endpointLabel(const Flow &flow, bool source) const {
  unsigned b = source ? flow.src : flow.dst;
  if (b != Flow::Mixed && b < bindings.size())
    return bindings[b].label;
  return (source ? flow.srcAddrs : flow.dstAddrs).str();
}

std::string FlowTable::where(ProvId id) const {
  const Provenance &p = provTable[id];
  if (!sourceMgr || !p.loc.Start.isValid())
    return "";
  unsigned buffer = sourceMgr->FindBufferContainingLoc(p.loc.Start);
  if (!buffer)
    return "";
  unsigned line = sourceMgr->FindLineNumber(p.loc.Start, buffer);
  return fmt::format("{}:{}", sourceMgr->getMemoryBuffer(buffer)->getBufferIdentifier().str(), line);
}

std::string FlowTable::describe(ProvId id) const {
  const Provenance &p = provTable[id];
  std::string at = where(id);
  return at.empty() ? fmt::format("{}: {}", provenanceKindName(p.kind).str(), p.text)
                    : fmt::format("{}: {} ({})", provenanceKindName(p.kind).str(), p.text, at);
}

namespace {
template <typename Set> bool sameSet(const std::shared_ptr<const Set> &a, const std::shared_ptr<const Set> &b) {
  return a == b || (a && b && *a == *b);
}
template <typename Set> llvm::hash_code hashSet(const std::shared_ptr<const Set> &set) {
  return set ? hash_value(*set) : llvm::hash_code(0);
}
} // namespace

bool FlowPart::operator==(const FlowPart &o) const {
  return why == o.why && sameSet(src, o.src) && sameSet(dst, o.dst) && sameSet(ports, o.ports);
}

llvm::hash_code hash_value(const FlowPart &part) {
  return llvm::hash_combine(hashSet(part.src), hashSet(part.dst), hashSet(part.ports),
                            llvm::hash_combine_range(part.why.begin(), part.why.end()));
}

void citeIntersecting(const Flow &flow, const AddressSet *src, const AddressSet *dst, const PortSet *ports,
                      llvm::SmallVectorImpl<ProvId> &cited) {
  if (!flow.parts) {
    cited.append(flow.why.begin(), flow.why.end());
    return;
  }
  // A null dimension of a part is the flow's own, which the box intersects.
  auto meets = [](const auto *query, const auto &partSet) { return !query || !partSet || query->intersects(*partSet); };
  llvm::SmallDenseSet<ProvId, 16> hit;
  for (const FlowPart &part : *flow.parts)
    if (meets(src, part.src) && meets(dst, part.dst) && (flow.proto == Protocol::ICMP || meets(ports, part.ports)))
      hit.insert(part.why.begin(), part.why.end());
  for (ProvId id : flow.why)
    if (hit.count(id))
      cited.push_back(id);
}

void mergeWhy(llvm::SmallVectorImpl<ProvId> &into, llvm::ArrayRef<ProvId> from) {
  for (ProvId id : from)
    if (std::find(into.begin(), into.end(), id) == into.end())
      into.push_back(id);
}

} // namespace cmnet::ir
