// FlowTable provenance interning and labels.
#include "ir/Flow.h"

#include "fmt/format.h"

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

void mergeWhy(llvm::SmallVectorImpl<ProvId> &into, llvm::ArrayRef<ProvId> from) {
  for (ProvId id : from)
    if (std::find(into.begin(), into.end(), id) == into.end())
      into.push_back(id);
}

} // namespace cmnet::ir
