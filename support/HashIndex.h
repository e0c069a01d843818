// HashIndex: finding an equal earlier item of a list the caller keeps, by hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cmnet {

/// Indexes the items 0, 1, 2 … of a list that the caller keeps (flows, documentation rows),
/// by a 64-bit hash of each. It holds no keys: per hash the newest item, and per item the one
/// before it with the same hash (almost always none); the caller compares candidates itself.
/// So an index of millions of large items costs 20 to 36 bytes per item, in two flat arrays,
/// where a map keyed by the items (or by strings made from them) cost several times that.
///
/// The slots are an open-addressing table of 8 bytes each (linear probing, at most half
/// full) rather than a DenseMap: with millions of items every lookup is a cache miss, and a
/// caller that knows its next hashes hides those misses with prefetch().
class HashIndex {
public:
  static constexpr unsigned None = ~0u;

  /// Room for \p items distinct hashes without growing the table.
  void reserve(size_t items) {
    sameHashBefore.reserve(items);
    if (2 * items > slots.size())
      rehash(2 * items);
  }
  size_t size() const { return sameHashBefore.size(); }

  /// Start loading the slot where \p hash begins its probe; a caller with many lookups to make
  /// calls this some lookups ahead, so that the slot is in cache when findOrAdd needs it.
  /// Always inlined: GCC deems a function whose only effect is a prefetch free of side effects
  /// and drops calls to it.
  __attribute__((always_inline)) void prefetch(uint64_t hash) const {
    if (!slots.empty())
      __builtin_prefetch(&slots[uint32_t(hash) & mask]);
  }

  /// The item with hash \p hash for which \p equal(item) holds; when there is none, the next
  /// item (numbered size()) is added with that hash. The bool says whether it was added.
  template <typename Equal> std::pair<unsigned, bool> findOrAdd(uint64_t hash, Equal equal) {
    if (2 * (used + 1) > slots.size())
      rehash(2 * (used + 1));
    // A slot keeps the low half of its hash, which places it (tables stay below 2^32 slots)
    // and tells it from the others on the probe. Hashes that agree there share one chain, and
    // the caller's comparison tells their items apart like any other collision.
    uint32_t low = uint32_t(hash);
    size_t at = low & mask;
    for (; slots[at].newest != None; at = (at + 1) & mask)
      if (slots[at].low == low) {
        for (unsigned item = slots[at].newest; item != None; item = sameHashBefore[item])
          if (equal(item))
            return {item, false};
        return {append(slots[at]), true};
      }
    slots[at].low = low;
    ++used;
    return {append(slots[at]), true};
  }

private:
  struct Slot {
    uint32_t low = 0;
    unsigned newest = None;
  };

  unsigned append(Slot &slot) {
    unsigned added = unsigned(sameHashBefore.size());
    sameHashBefore.push_back(slot.newest);
    slot.newest = added;
    return added;
  }

  /// A table of the first power of two from 16 up that holds \p atLeast slots, each chain
  /// moved whole.
  void rehash(size_t atLeast) {
    size_t size = 16;
    while (size < atLeast)
      size *= 2;
    std::vector<Slot> old = std::move(slots);
    slots.assign(size, Slot());
    mask = size - 1;
    for (const Slot &s : old) {
      if (s.newest == None)
        continue;
      size_t at = s.low & mask;
      while (slots[at].newest != None)
        at = (at + 1) & mask;
      slots[at] = s;
    }
  }

  std::vector<Slot> slots;
  size_t mask = 0, used = 0; // used: slots holding a chain
  std::vector<unsigned> sameHashBefore;
};

} // namespace cmnet
