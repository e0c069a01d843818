// RandomSets: the small random address and port sets the property tests build flows from.
#pragma once

#include "ir/AddressSet.h"
#include "ir/Flow.h"

#include <algorithm>
#include <random>

namespace cmnet::unittest {

/// Sixteen IPv4 and sixteen IPv6 addresses and ports near both ends of the range: few enough
/// that random flows overlap and merge, spread enough to reach the edges of each set.
class RandomSets {
public:
  explicit RandomSets(unsigned seed) : rng(seed) {}

  static constexpr uint32_t v4Base = 0x0A000000; // 10.0.0.0
  static constexpr ir::uint128 v6Base = ir::uint128(0xfd00) << 112;

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

  /// One to three ranges of the sixteen addresses (a third IPv6); `any` one time in
  /// \p anyOneIn (never when 0).
  ir::AddressSet randomAddresses(int anyOneIn) {
    ir::AddressSet s;
    if (anyOneIn && pick(anyOneIn) == 0)
      return ir::AddressSet::any();
    int n = 1 + pick(3);
    for (int i = 0; i < n; ++i) {
      uint32_t lo = pick(16), hi = std::min<uint32_t>(15, lo + pick(4));
      if (pick(3) == 0)
        s.v6().add(v6Base + lo, v6Base + hi);
      else
        s.v4().add(v4Base + lo, v4Base + hi);
    }
    return s;
  }

  /// One to three short port ranges, each near 1 or near 65535.
  ir::PortSet randomPorts() {
    ir::PortSet p;
    int n = 1 + pick(3);
    for (int i = 0; i < n; ++i) {
      int lo = pick(2) ? 1 + pick(30) : 65520 + pick(16);
      p.add(uint16_t(lo), uint16_t(std::min(65535, lo + pick(8))));
    }
    return p;
  }

private:
  std::mt19937 rng;
};

} // namespace cmnet::unittest
