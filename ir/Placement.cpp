// PlacedPolicy helpers.
#include "ir/Placement.h"

#include "fmt/format.h"

namespace cmnet::ir {

std::string PlacedPolicy::describe(ProvId id) const {
  const PlacedReason &r = reasons[id];
  return r.where.empty() ? fmt::format("{}: {}", provenanceKindName(r.kind).str(), r.text)
                         : fmt::format("{}: {} ({})", provenanceKindName(r.kind).str(), r.text, r.where);
}

std::string PlacedPolicy::describeWhy(llvm::ArrayRef<ProvId> why) const {
  std::string out;
  for (ProvId id : why) {
    if (!out.empty())
      out += "; ";
    out += describe(id);
  }
  return out;
}

} // namespace cmnet::ir
