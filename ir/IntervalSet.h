// IntervalSet: a set of unsigned integers kept as sorted, disjoint, non-adjacent closed ranges.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <limits>

namespace cmnet::ir {

/// A set of values of unsigned type T (uint16_t ports, uint32_t IPv4, unsigned __int128 IPv6),
/// stored canonically: sorted closed intervals, no two overlapping or touching. Canonical form
/// makes equality structural and every operation linear in the number of intervals.
/// llvm::IntervalMap was considered; it maps intervals to values and does not coalesce
/// adjacent ranges or offer set algebra, which is what every pass here needs.
template <typename T> class IntervalSet {
public:
  struct Interval {
    T lo, hi;
    bool operator==(const Interval &o) const { return lo == o.lo && hi == o.hi; }
    bool operator<(const Interval &o) const { return lo < o.lo || (lo == o.lo && hi < o.hi); }
  };
  static constexpr T maxValue = std::numeric_limits<T>::max();

  IntervalSet() = default;
  IntervalSet(T lo, T hi) { add(lo, hi); }
  IntervalSet(const IntervalSet &) = default;
  IntervalSet &operator=(const IntervalSet &) = default;
  // Moves are noexcept (SmallVector's are not declared so), which lets std::vector move rather
  // than copy the many structs that hold sets, and lets move-only structs hold them at all.
  IntervalSet(IntervalSet &&o) noexcept : ranges(std::move(o.ranges)) {}
  IntervalSet &operator=(IntervalSet &&o) noexcept {
    ranges = std::move(o.ranges);
    return *this;
  }
  static IntervalSet all() { return IntervalSet(T(0), maxValue); }

  /// Add [lo, hi] (lo <= hi). Amortised O(1) when ranges arrive in ascending order.
  void add(T lo, T hi) {
    if (ranges.empty() || lo > ranges.back().hi) {
      if (!ranges.empty() && ranges.back().hi != maxValue && ranges.back().hi + 1 == lo)
        ranges.back().hi = hi;
      else
        ranges.push_back({lo, hi});
      return;
    }
    IntervalSet other;
    other.ranges.push_back({lo, hi});
    *this = unite(other);
  }
  void add(T value) { add(value, value); }

  IntervalSet unite(const IntervalSet &other) const {
    IntervalSet out;
    auto a = ranges.begin(), ae = ranges.end();
    auto b = other.ranges.begin(), be = other.ranges.end();
    while (a != ae || b != be) {
      const Interval *next;
      if (b == be || (a != ae && a->lo <= b->lo))
        next = &*a++;
      else
        next = &*b++;
      out.appendCoalescing(*next);
    }
    return out;
  }

  IntervalSet intersect(const IntervalSet &other) const {
    IntervalSet out;
    auto a = ranges.begin(), ae = ranges.end();
    auto b = other.ranges.begin(), be = other.ranges.end();
    while (a != ae && b != be) {
      T lo = std::max(a->lo, b->lo), hi = std::min(a->hi, b->hi);
      if (lo <= hi)
        out.ranges.push_back({lo, hi});
      if (a->hi < b->hi)
        ++a;
      else
        ++b;
    }
    return out;
  }

  IntervalSet subtract(const IntervalSet &other) const {
    IntervalSet out;
    auto b = other.ranges.begin(), be = other.ranges.end();
    for (Interval cur : ranges) {
      while (b != be && b->hi < cur.lo)
        ++b;
      auto scan = b;
      bool consumed = false;
      while (scan != be && scan->lo <= cur.hi) {
        if (scan->lo > cur.lo)
          out.ranges.push_back({cur.lo, T(scan->lo - 1)});
        if (scan->hi >= cur.hi) {
          consumed = true;
          break;
        }
        cur.lo = scan->hi + 1;
        ++scan;
      }
      if (!consumed)
        out.ranges.push_back(cur);
    }
    return out;
  }

  bool contains(T value) const {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), value,
                               [](T v, const Interval &r) { return v < r.lo; });
    return it != ranges.begin() && std::prev(it)->hi >= value;
  }
  /// True when every element of \p other is in this set.
  bool contains(const IntervalSet &other) const { return other.subtract(*this).empty(); }
  /// Like !intersect(other).empty(), without building the intersection (a hot path in passes).
  bool intersects(const IntervalSet &other) const {
    auto a = ranges.begin(), ae = ranges.end();
    auto b = other.ranges.begin(), be = other.ranges.end();
    while (a != ae && b != be) {
      if (a->hi < b->lo)
        ++a;
      else if (b->hi < a->lo)
        ++b;
      else
        return true;
    }
    return false;
  }

  bool empty() const { return ranges.empty(); }
  bool isAll() const { return ranges.size() == 1 && ranges[0].lo == 0 && ranges[0].hi == maxValue; }
  llvm::ArrayRef<Interval> intervals() const { return ranges; }
  /// Number of elements, saturating (IPv6 sets can exceed 2^64).
  double size() const {
    double n = 0;
    for (const Interval &r : ranges)
      n += double(r.hi - r.lo) + 1.0;
    return n;
  }

  bool operator==(const IntervalSet &o) const {
    return ranges.size() == o.ranges.size() && std::equal(ranges.begin(), ranges.end(), o.ranges.begin());
  }
  bool operator!=(const IntervalSet &o) const { return !(*this == o); }
  /// A total order, so sets can key sorted containers and give deterministic output.
  bool operator<(const IntervalSet &o) const {
    return std::lexicographical_compare(ranges.begin(), ranges.end(), o.ranges.begin(), o.ranges.end());
  }

private:
  void appendCoalescing(const Interval &r) {
    if (!ranges.empty()) {
      Interval &last = ranges.back();
      if (last.hi == maxValue || r.lo <= last.hi + 1) {
        last.hi = std::max(last.hi, r.hi);
        return;
      }
    }
    ranges.push_back(r);
  }

  // Two ranges inline cover most port sets and IPv4 sets; IPv6 sets are rare and 32-byte
  // ranges, so inline room for them would make every flow 128 bytes larger (a third of it).
  llvm::SmallVector<Interval, sizeof(T) <= 4 ? 2 : 0> ranges;
};

/// For llvm::hash_combine, which finds it by argument-dependent lookup.
/// The hash of the intervals' bytes: a set is kept in one canonical form and an interval is two
/// bounds with no padding, so equal sets hash equal. LLVM hashes a byte range in 64-byte
/// blocks, several times faster than combining bound by bound (the flows' address sets are
/// hashed millions of times at Microsoft's published limits).
template <typename T> llvm::hash_code hash_value(const IntervalSet<T> &set) {
  using Interval = typename IntervalSet<T>::Interval;
  static_assert(sizeof(Interval) == 2 * sizeof(T), "intervals must have no padding to hash as bytes");
  llvm::ArrayRef<Interval> intervals = set.intervals();
  const char *bytes = reinterpret_cast<const char *>(intervals.data());
  return llvm::hash_combine_range(bytes, bytes + intervals.size() * sizeof(Interval));
}

} // namespace cmnet::ir
