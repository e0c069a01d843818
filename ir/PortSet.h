// PortSet: TCP/UDP port numbers 0-65535 as an interval set.
#pragma once

#include "ir/IntervalSet.h"

#include <cstdint>
#include <string>

namespace cmnet::ir {

class PortSet : public IntervalSet<uint16_t> {
public:
  using IntervalSet::IntervalSet;
  PortSet() = default;
  PortSet(const IntervalSet<uint16_t> &set) : IntervalSet(set) {}

  /// "80,443,8530-8531" (empty set: "").
  std::string str() const;
};

} // namespace cmnet::ir
