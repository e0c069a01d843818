// PortSet printing.
#include "ir/PortSet.h"

#include "fmt/format.h"

namespace cmnet::ir {

std::string PortSet::str() const {
  std::string out;
  for (const Interval &r : intervals()) {
    if (!out.empty())
      out += ',';
    out += r.lo == r.hi ? fmt::format("{}", r.lo) : fmt::format("{}-{}", r.lo, r.hi);
  }
  return out;
}

} // namespace cmnet::ir
