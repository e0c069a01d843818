// HashIndex: equal items are found through their hash, colliding ones told apart by the
// caller's comparison, every 64-bit value a usable hash, and items found again after the
// table grows.
#include "support/HashIndex.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

namespace {

using cmnet::HashIndex;

/// Adds \p item to \p items unless an equal one is indexed; returns its index.
unsigned intern(HashIndex &index, std::vector<std::string> &items, const std::string &item, uint64_t hash) {
  auto [at, added] = index.findOrAdd(hash, [&](unsigned i) { return items[i] == item; });
  if (added) {
    EXPECT_EQ(at, items.size());
    items.push_back(item);
  }
  return at;
}

TEST(HashIndex, FindsEqualItemsAndNumbersNewOnes) {
  HashIndex index;
  std::vector<std::string> items;
  EXPECT_EQ(intern(index, items, "a", 1), 0u);
  EXPECT_EQ(intern(index, items, "b", 2), 1u);
  EXPECT_EQ(intern(index, items, "a", 1), 0u);
  EXPECT_EQ(index.size(), 2u);
}

TEST(HashIndex, CollidingHashesAreToldApartByTheComparison) {
  HashIndex index;
  std::vector<std::string> items;
  for (const char *s : {"x", "y", "z"})
    intern(index, items, s, 7);
  EXPECT_EQ(items, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(intern(index, items, "x", 7), 0u);
  EXPECT_EQ(intern(index, items, "y", 7), 1u);
  EXPECT_EQ(intern(index, items, "z", 7), 2u);
  // The same item under another hash is another entry: the hash is the caller's to get right.
  EXPECT_EQ(intern(index, items, "x", 8), 3u);
}

TEST(HashIndex, ExtremeHashesAreUsable) {
  HashIndex index;
  std::vector<std::string> items;
  EXPECT_EQ(intern(index, items, "empty", ~uint64_t(0)), 0u);
  EXPECT_EQ(intern(index, items, "tombstone", ~uint64_t(0) - 1), 1u);
  EXPECT_EQ(intern(index, items, "empty", ~uint64_t(0)), 0u);
  EXPECT_EQ(intern(index, items, "tombstone", ~uint64_t(0) - 1), 1u);
  EXPECT_EQ(index.size(), 2u);
}

// Hashes that agree in their low half share a slot; hashes that differ only there spread
// over the table. Both kinds are found again after the table has grown many times over.
TEST(HashIndex, ItemsAreFoundAgainAfterTheTableGrows) {
  HashIndex index;
  std::vector<std::string> items;
  constexpr unsigned n = 2000;
  for (unsigned i = 0; i < n; ++i) {
    EXPECT_EQ(intern(index, items, "same-low-" + std::to_string(i), uint64_t(i) << 32 | 42), 2 * i);
    EXPECT_EQ(intern(index, items, "spread-" + std::to_string(i), i), 2 * i + 1);
  }
  for (unsigned i = 0; i < n; ++i) {
    EXPECT_EQ(intern(index, items, "same-low-" + std::to_string(i), uint64_t(i) << 32 | 42), 2 * i);
    EXPECT_EQ(intern(index, items, "spread-" + std::to_string(i), i), 2 * i + 1);
  }
  EXPECT_EQ(index.size(), 2 * n);
}

} // namespace
