// AddressIndex: which of many address sets intersect a query set, without scanning them all.
#pragma once

#include "ir/AddressSet.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace cmnet::analysis {

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

/// Boxes (a source and a destination set per id) indexed by both ends: overlapping() asks both
/// indexes with a growing cap and keeps the smaller answer, so a query costs about the fewer of
/// the boxes sharing its sources or its destinations. 100,000 statements to 16 hosts share
/// destinations, not sources; a statement from `*` shares every source.
class BoxIndex {
public:
  void add(const ir::AddressSet &src, const ir::AddressSet &dst, unsigned id) {
    bySource.add(src, id);
    byDestination.add(dst, id);
  }
  void build() {
    bySource.build();
    byDestination.build();
  }
  /// The ids whose sources, or whose destinations, intersect the query's (a superset of those
  /// whose boxes meet it), ascending.
  std::vector<unsigned> overlapping(const ir::AddressSet &src, const ir::AddressSet &dst) const;

private:
  AddressIndex bySource, byDestination;
};

} // namespace cmnet::analysis
