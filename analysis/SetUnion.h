// SetUnion: the union of many interval sets at once, in O(n log n) rather than O(n^2).
#pragma once

#include "ir/AddressSet.h"
#include "ir/IntervalSet.h"

#include "llvm/ADT/ArrayRef.h"

#include <algorithm>
#include <vector>

namespace cmnet::analysis {

/// The union of every set in \p sets. Uniting them one by one copies the growing result each
/// time (quadratic when thousands of client subnets merge into one source set); this sorts all
/// intervals once and appends them in ascending order, coalescing as it goes.
template <typename T>
ir::IntervalSet<T> uniteAll(llvm::ArrayRef<const ir::IntervalSet<T> *> sets) {
  using Interval = typename ir::IntervalSet<T>::Interval;
  std::vector<Interval> all;
  for (const ir::IntervalSet<T> *s : sets)
    all.insert(all.end(), s->intervals().begin(), s->intervals().end());
  std::sort(all.begin(), all.end());
  ir::IntervalSet<T> out;
  size_t i = 0;
  while (i < all.size()) {
    Interval run = all[i++];
    // Swallow every interval that overlaps the run, so add() only ever appends.
    while (i < all.size() && all[i].lo <= run.hi) {
      run.hi = std::max(run.hi, all[i].hi);
      ++i;
    }
    out.add(run.lo, run.hi);
  }
  return out;
}

/// The union of address sets, family by family.
inline ir::AddressSet uniteAll(llvm::ArrayRef<const ir::AddressSet *> sets) {
  std::vector<const ir::V4Set *> four;
  std::vector<const ir::V6Set *> six;
  for (const ir::AddressSet *s : sets) {
    four.push_back(&s->v4());
    six.push_back(&s->v6());
  }
  ir::AddressSet out;
  out.v4() = uniteAll<uint32_t>(four);
  out.v6() = uniteAll<ir::uint128>(six);
  return out;
}

} // namespace cmnet::analysis
