// AddressIndex: sorted intervals plus a max-high segment tree (an interval tree, flattened).
#include "analysis/AddressIndex.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cstdint>

using namespace cmnet::ir;

namespace cmnet::analysis {

void AddressIndex::add(const AddressSet &set, unsigned id) {
  for (const auto &r : set.v4().intervals())
    four.items.push_back({r.lo, r.hi, id});
  for (const auto &r : set.v6().intervals())
    six.items.push_back({r.lo, r.hi, id});
}

void AddressIndex::build() {
  four.build();
  six.build();
}

std::vector<unsigned> AddressIndex::query(const AddressSet &q) const {
  std::vector<unsigned> out;
  queryAtMost(q, SIZE_MAX, out);
  return out;
}

bool AddressIndex::queryAtMost(const AddressSet &q, size_t cap, std::vector<unsigned> &out) const {
  out.clear();
  for (const auto &r : q.v4().intervals())
    four.query(r.lo, r.hi, cap, out);
  for (const auto &r : q.v6().intervals())
    six.query(r.lo, r.hi, cap, out);
  if (out.size() > cap)
    return false;
  llvm::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return true;
}

std::vector<unsigned> BoxIndex::overlapping(const AddressSet &src, const AddressSet &dst) const {
  std::vector<unsigned> out;
  for (size_t cap = 64;; cap *= 8)
    if (bySource.queryAtMost(src, cap, out) || byDestination.queryAtMost(dst, cap, out))
      return out;
}

template <typename T> void AddressIndex::Tree<T>::build() {
  llvm::sort(items, [](const Item &a, const Item &b) { return a.lo < b.lo || (a.lo == b.lo && a.id < b.id); });
  size_t n = items.size();
  maxHi.assign(4 * std::max<size_t>(n, 1), 0);
  // Bottom-up over the same recursive split that visit() walks.
  auto fill = [&](auto &self, size_t node, size_t begin, size_t end) -> T {
    if (end - begin == 1)
      return maxHi[node] = items[begin].hi;
    size_t mid = begin + (end - begin) / 2;
    return maxHi[node] = std::max(self(self, 2 * node, begin, mid), self(self, 2 * node + 1, mid, end));
  };
  if (n)
    fill(fill, 1, 0, n);
}

template <typename T>
void AddressIndex::Tree<T>::visit(size_t node, size_t begin, size_t end, size_t limit, T lo, size_t cap,
                                  std::vector<unsigned> &out) const {
  if (begin >= limit || maxHi[node] < lo || out.size() > cap)
    return;
  if (end - begin == 1) {
    out.push_back(items[begin].id);
    return;
  }
  size_t mid = begin + (end - begin) / 2;
  visit(2 * node, begin, mid, limit, lo, cap, out);
  visit(2 * node + 1, mid, end, limit, lo, cap, out);
}

template <typename T>
void AddressIndex::Tree<T>::query(T lo, T hi, size_t cap, std::vector<unsigned> &out) const {
  // Items starting after hi cannot overlap; among the rest, those ending at or after lo do.
  size_t limit = size_t(std::upper_bound(items.begin(), items.end(), hi,
                                         [](T v, const Item &it) { return v < it.lo; }) -
                        items.begin());
  if (limit)
    visit(1, 0, items.size(), limit, lo, cap, out);
}

} // namespace cmnet::analysis
