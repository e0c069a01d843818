// PlacedPolicy helpers.
#include "ir/Placement.h"

namespace cmnet::ir {

std::string PlacedPolicy::describeWhy(llvm::ArrayRef<ProvId> why) const {
  std::string out;
  for (ProvId id : why) {
    if (!out.empty())
      out += "; ";
    out += flows ? flows->describe(id) : std::string("?");
  }
  return out;
}

} // namespace cmnet::ir
