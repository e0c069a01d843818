// AddressIndex: which of many address sets intersect a query set, without scanning them all.
#pragma once

#include "ir/AddressSet.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace cmnet::passes {

/// A static index over (AddressSet, id) pairs: intervals sorted by their low end, with a
/// segment tree of the highest high end below each node, so a query visits only subtrees that
/// can hold an overlapping interval. Building is O(n log n) in the total number of intervals;
/// a query is O((k + 1) log n) for k intervals found. place uses it to find the hosts a flow
/// reaches, detect-shadowing to find the flows that overlap a statement.
class AddressIndex {
public:
  void add(const ir::AddressSet &set, unsigned id);
  /// Sort and build the trees; call once after the last add() and before any query.
  void build();
  /// The ids whose sets intersect \p query, ascending and without repeats.
  std::vector<unsigned> query(const ir::AddressSet &query) const;
  /// Like query(), but gives up (returns false) as soon as more than \p cap intervals match, so
  /// a caller holding two indexes can ask the one with fewer matches at the cost of the fewer.
  bool queryAtMost(const ir::AddressSet &query, size_t cap, std::vector<unsigned> &out) const;

private:
  template <typename T> struct Tree {
    struct Item {
      T lo, hi;
      unsigned id;
    };
    std::vector<Item> items;
    std::vector<T> maxHi; // segment tree over items, 1-based
    void build();
    void query(T lo, T hi, size_t cap, std::vector<unsigned> &out) const;
    void visit(size_t node, size_t begin, size_t end, size_t limit, T lo, size_t cap,
               std::vector<unsigned> &out) const;
  };
  Tree<uint32_t> four;
  Tree<ir::uint128> six;
};

} // namespace cmnet::passes
