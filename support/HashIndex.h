// HashIndex: finding an equal earlier item of a list the caller keeps, by hash.
#pragma once

#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace cmnet {

/// Indexes the items 0, 1, 2 … of a list that the caller keeps (flows, documentation rows),
/// by a 64-bit hash of each. It holds no keys: per hash the newest item, and per item the one
/// before it with the same hash (almost always none); the caller compares candidates itself.
/// So an index of millions of large items costs about 20 bytes per item, in two flat arrays,
/// where a map keyed by the items (or by strings made from them) cost several times that.
class HashIndex {
public:
  static constexpr unsigned None = ~0u;

  void reserve(size_t items) {
    newestOfHash.reserve(items);
    sameHashBefore.reserve(items);
  }
  size_t size() const { return sameHashBefore.size(); }

  /// The item with hash \p hash for which \p equal(item) holds; when there is none, the next
  /// item (numbered size()) is added with that hash. The bool says whether it was added.
  template <typename Equal> std::pair<unsigned, bool> findOrAdd(uint64_t hash, Equal equal) {
    // DenseMap reserves its two largest keys (empty and tombstone).
    if (hash >= llvm::DenseMapInfo<uint64_t>::getTombstoneKey())
      hash -= 2;
    auto [slot, inserted] = newestOfHash.try_emplace(hash, None);
    for (unsigned item = slot->second; item != None; item = sameHashBefore[item])
      if (equal(item))
        return {item, false};
    unsigned added = unsigned(sameHashBefore.size());
    sameHashBefore.push_back(slot->second);
    slot->second = added;
    return {added, true};
  }

private:
  llvm::DenseMap<uint64_t, unsigned> newestOfHash;
  std::vector<unsigned> sameHashBefore;
};

} // namespace cmnet
