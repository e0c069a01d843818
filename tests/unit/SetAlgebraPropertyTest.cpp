// Property tests for IntervalSet and AddressSet: every operation against a brute-force model,
// on random sets (fixed seeds), with the edges of each universe (0, 65535, ::/0, all-ones).
#include "ir/AddressSet.h"
#include "ir/IntervalSet.h"
#include "ir/PortSet.h"

#include <gtest/gtest.h>

#include <bitset>
#include <random>
#include <vector>

using namespace cmnet::ir;

namespace {

constexpr int iterations = 300;

/// The canonical form every IntervalSet promises: sorted, disjoint, not even touching.
template <typename T> void expectCanonical(const IntervalSet<T> &s) {
  auto r = s.intervals();
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_LE(r[i].lo, r[i].hi);
    if (i) {
      EXPECT_GT(r[i].lo, r[i - 1].hi + T(1)) << "intervals " << i - 1 << " and " << i << " touch";
    }
  }
}

// ---- 8-bit universe: every element checked against a bitset ----

using Bits = std::bitset<256>;
using Set8 = IntervalSet<uint8_t>;

/// A random set built by random add() calls (any order, overlapping, touching 0 and 255).
std::pair<Set8, Bits> randomSet8(std::mt19937 &rng) {
  Set8 set;
  Bits bits;
  int n = std::uniform_int_distribution<int>(0, 6)(rng);
  for (int i = 0; i < n; ++i) {
    int lo = std::uniform_int_distribution<int>(0, 255)(rng);
    int len = std::uniform_int_distribution<int>(0, 1)(rng) ? std::uniform_int_distribution<int>(0, 3)(rng)
                                                              : std::uniform_int_distribution<int>(0, 80)(rng);
    int hi = std::min(255, lo + len);
    set.add(uint8_t(lo), uint8_t(hi));
    for (int v = lo; v <= hi; ++v)
      bits.set(v);
  }
  return {set, bits};
}

Bits bitsOf(const Set8 &s) {
  Bits b;
  for (int v = 0; v < 256; ++v)
    b[v] = s.contains(uint8_t(v));
  return b;
}

TEST(SetAlgebraProperty, EightBitOperationsMatchBitsets) {
  std::mt19937 rng(20240601);
  for (int it = 0; it < iterations; ++it) {
    auto [a, abits] = randomSet8(rng);
    auto [b, bbits] = randomSet8(rng);
    ASSERT_EQ(bitsOf(a), abits);
    expectCanonical(a);
    Set8 u = a.unite(b), i = a.intersect(b), d = a.subtract(b);
    expectCanonical(u);
    expectCanonical(i);
    expectCanonical(d);
    EXPECT_EQ(bitsOf(u), abits | bbits);
    EXPECT_EQ(bitsOf(i), abits & bbits);
    EXPECT_EQ(bitsOf(d), abits & ~bbits);
    EXPECT_EQ(a.contains(b), (bbits & ~abits).none());
    EXPECT_EQ(a.intersects(b), (abits & bbits).any());
    EXPECT_EQ(a.empty(), abits.none());
    EXPECT_EQ(a.isAll(), abits.all());
    EXPECT_EQ(a.size(), double(abits.count()));
    EXPECT_EQ(a == b, abits == bbits) << "canonical form makes equality structural";
  }
}

// ---- 16-bit ports, biased towards 0 and 65535 ----

TEST(SetAlgebraProperty, PortSetsAtTheTopOfTheRange) {
  std::mt19937 rng(7);
  auto randomPorts = [&](std::vector<bool> &bits) {
    PortSet s;
    int n = std::uniform_int_distribution<int>(0, 4)(rng);
    for (int i = 0; i < n; ++i) {
      bool top = std::uniform_int_distribution<int>(0, 1)(rng);
      int lo = top ? std::uniform_int_distribution<int>(65500, 65535)(rng)
                   : std::uniform_int_distribution<int>(0, 40)(rng);
      int hi = std::min(65535, lo + std::uniform_int_distribution<int>(0, 50)(rng));
      s.add(uint16_t(lo), uint16_t(hi));
      for (int v = lo; v <= hi; ++v)
        bits[v] = true;
    }
    return s;
  };
  for (int it = 0; it < iterations; ++it) {
    std::vector<bool> abits(65536), bbits(65536);
    PortSet a = randomPorts(abits), b = randomPorts(bbits);
    PortSet u = a.unite(b), i = a.intersect(b), d = a.subtract(b);
    expectCanonical(u);
    expectCanonical(d);
    for (int v : {0, 1, 2, 39, 40, 41, 89, 90, 91, 65499, 65500, 65501, 65534, 65535}) {
      EXPECT_EQ(u.contains(uint16_t(v)), abits[v] || bbits[v]) << v;
      EXPECT_EQ(i.contains(uint16_t(v)), abits[v] && bbits[v]) << v;
      EXPECT_EQ(d.contains(uint16_t(v)), abits[v] && !bbits[v]) << v;
    }
    PortSet all = PortSet::all();
    EXPECT_TRUE(all.subtract(a).unite(a).isAll());
    EXPECT_TRUE(a.subtract(all).empty());
  }
  PortSet top(65535, 65535);
  top.add(0, 65534);
  EXPECT_TRUE(top.isAll());
  EXPECT_EQ(top.str(), "0-65535");
}

// ---- IPv6: intervals as a naive list, membership at every endpoint +-1 ----

struct NaiveSet {
  std::vector<std::pair<uint128, uint128>> ranges;
  bool contains(uint128 v) const {
    for (auto [lo, hi] : ranges)
      if (lo <= v && v <= hi)
        return true;
    return false;
  }
};

constexpr uint128 maxV6 = ~uint128(0);

uint128 randomV6(std::mt19937_64 &rng) {
  // Near 0, near the top, or anywhere: the edges are where carries and overflows hide.
  uint128 small = rng() % 64;
  switch (rng() % 3) {
  case 0: return small;
  case 1: return maxV6 - small;
  default: return (uint128(rng()) << 64) | rng();
  }
}

AddressSet randomV6Set(std::mt19937_64 &rng, NaiveSet &naive) {
  AddressSet s;
  int n = int(rng() % 4);
  for (int i = 0; i < n; ++i) {
    uint128 a = randomV6(rng), b = randomV6(rng);
    if (a > b)
      std::swap(a, b);
    if (rng() % 8 == 0) { // the whole space: ::/0
      a = 0;
      b = maxV6;
    }
    s.v6().add(a, b);
    naive.ranges.push_back({a, b});
  }
  return s;
}

std::vector<uint128> probes(const NaiveSet &a, const NaiveSet &b) {
  std::vector<uint128> out{0, 1, maxV6, maxV6 - 1};
  for (const NaiveSet *s : {&a, &b})
    for (auto [lo, hi] : s->ranges)
      for (uint128 v : {lo, hi})
        for (uint128 p : {v - 1, v, v + 1}) // wraps at the edges on purpose
          out.push_back(p);
  return out;
}

TEST(SetAlgebraProperty, Ipv6OperationsAtEveryEndpoint) {
  std::mt19937_64 rng(99);
  for (int it = 0; it < iterations; ++it) {
    NaiveSet na, nb;
    AddressSet a = randomV6Set(rng, na), b = randomV6Set(rng, nb);
    AddressSet u = a.unite(b), i = a.intersect(b), d = a.subtract(b);
    expectCanonical(u.v6());
    expectCanonical(d.v6());
    bool subset = true, overlap = false;
    for (uint128 p : probes(na, nb)) {
      bool inA = na.contains(p), inB = nb.contains(p);
      EXPECT_EQ(a.v6().contains(p), inA);
      EXPECT_EQ(u.v6().contains(p), inA || inB);
      EXPECT_EQ(i.v6().contains(p), inA && inB);
      EXPECT_EQ(d.v6().contains(p), inA && !inB);
      subset &= !inB || inA;
      overlap |= inA && inB;
    }
    // Endpoints +-1 decide containment and overlap of interval sets exactly.
    EXPECT_EQ(a.contains(b), subset);
    EXPECT_EQ(a.intersects(b), overlap);
  }
  AddressSet any = AddressSet::any();
  EXPECT_TRUE(any.isAny());
  EXPECT_EQ(any.str(), "any");
  EXPECT_EQ(any.cidrs(Family::V6).size(), 1u);
  EXPECT_EQ(any.cidrs(Family::V6)[0].str(), "::/0");
  EXPECT_EQ(any.cidrs(Family::V4)[0].str(), "0.0.0.0/0");
}

// ---- CIDR covers: exact and minimal ----

/// The fewest aligned blocks whose union is [lo, hi], by dynamic programming over positions
/// (a minimal cover never needs overlapping blocks: two CIDR blocks nest or are disjoint).
unsigned minimalBlocks(uint64_t lo, uint64_t hi) {
  std::vector<unsigned> best(hi - lo + 2, ~0u);
  best[0] = 0;
  for (uint64_t at = lo; at <= hi; ++at) {
    unsigned here = best[at - lo];
    if (here == ~0u)
      continue;
    for (uint64_t size = 1; (at % size) == 0 && at + size - 1 <= hi; size *= 2)
      best[at + size - lo] = std::min(best[at + size - lo], here + 1);
  }
  return best[hi - lo + 1];
}

TEST(SetAlgebraProperty, CidrCoverIsExactAndMinimal) {
  std::mt19937 rng(4242);
  for (int it = 0; it < iterations; ++it) {
    // A few intervals inside one /22 somewhere in the IPv4 space (or at its very top).
    uint32_t base = it % 10 == 0 ? 0xFFFFFC00u : (uint32_t(rng()) & 0xFFFFFC00u);
    AddressSet s;
    unsigned expected = 0;
    uint32_t cursor = 0;
    for (int k = 0; k < 3 && cursor < 1000; ++k) {
      uint32_t lo = cursor + std::uniform_int_distribution<uint32_t>(1, 200)(rng);
      uint32_t hi = std::min<uint32_t>(1023, lo + std::uniform_int_distribution<uint32_t>(0, 300)(rng));
      if (lo > 1023)
        break;
      s.v4().add(base + lo, base + hi);
      expected += minimalBlocks(base + uint64_t(lo), base + uint64_t(hi));
      cursor = hi + 1; // the next interval starts past a gap, so intervals stay separate
    }
    std::vector<Cidr> cover = s.cidrs(Family::V4);
    EXPECT_EQ(cover.size(), expected) << s.str();
    AddressSet back;
    for (const Cidr &c : cover) {
      AddressSet block = AddressSet::fromCidr(c);
      EXPECT_FALSE(back.intersects(block)) << "blocks of a minimal cover never overlap";
      back = back.unite(block);
      EXPECT_EQ(AddressSet::parse(c.str()), block) << c.str() << " is aligned";
    }
    EXPECT_EQ(back, s);
  }
}

TEST(SetAlgebraProperty, Ipv6CoversAtTheEdges) {
  AddressSet top;
  top.v6().add(maxV6 - 5, maxV6); // ...fffa-ffff: /127 + /126 at the very top
  std::vector<Cidr> cover = top.cidrs(Family::V6);
  ASSERT_EQ(cover.size(), 2u);
  EXPECT_EQ(cover[0].str(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffa/127");
  EXPECT_EQ(cover[1].str(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126");
  AddressSet allButZero;
  allButZero.v6().add(1, maxV6); // 128 blocks: ::1/128, ::2/127, …, 8000::/1
  EXPECT_EQ(allButZero.cidrs(Family::V6).size(), 128u);
}

} // namespace
