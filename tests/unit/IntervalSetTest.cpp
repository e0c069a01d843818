// IntervalSet by example: canonical form, every overlap shape of subtract and intersect,
// containment, and the ends of the universe (0 and the maximum).
#include "ir/IntervalSet.h"
#include "ir/PortSet.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

using cmnet::ir::IntervalSet;
using cmnet::ir::PortSet;

namespace {

/// A port set from closed ranges, added in the order given.
PortSet ports(std::initializer_list<std::pair<unsigned, unsigned>> ranges) {
  PortSet s;
  for (auto [lo, hi] : ranges)
    s.add(uint16_t(lo), uint16_t(hi));
  return s;
}

// ---- add / unite: merge and coalesce ----

TEST(IntervalSet, EmptyByDefault) {
  PortSet s;
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.contains(0));
  EXPECT_EQ(s.str(), "");
  EXPECT_EQ(s.size(), 0.0);
}

TEST(IntervalSet, AddOutOfOrderSorts) {
  EXPECT_EQ(ports({{443, 443}, {80, 80}, {8530, 8531}}).str(), "80,443,8530-8531");
}

TEST(IntervalSet, OverlappingRangesMerge) {
  EXPECT_EQ(ports({{100, 200}, {150, 250}}).str(), "100-250");
  EXPECT_EQ(ports({{150, 250}, {100, 200}}).str(), "100-250");
  EXPECT_EQ(ports({{100, 200}, {120, 130}}).str(), "100-200"); // inside
  EXPECT_EQ(ports({{120, 130}, {100, 200}}).str(), "100-200"); // around
}

TEST(IntervalSet, TouchingRangesCoalesce) {
  PortSet s = ports({{10, 19}, {30, 39}, {20, 29}});
  EXPECT_EQ(s.str(), "10-39");
  EXPECT_EQ(s.intervals().size(), 1u);
  // One apart is not touching.
  EXPECT_EQ(ports({{10, 19}, {21, 29}}).str(), "10-19,21-29");
}

TEST(IntervalSet, AddBridgesSeveralRanges) {
  PortSet s = ports({{1, 1}, {3, 3}, {5, 5}, {7, 7}});
  s.add(2, 6);
  EXPECT_EQ(s.str(), "1-7");
}

TEST(IntervalSet, UniteIsCommutativeAndCanonical) {
  PortSet a = ports({{1, 5}, {20, 30}}), b = ports({{6, 10}, {25, 40}, {100, 100}});
  EXPECT_EQ(PortSet(a.unite(b)).str(), "1-10,20-40,100");
  EXPECT_EQ(a.unite(b), b.unite(a));
  EXPECT_EQ(a.unite(PortSet()), a);
}

TEST(IntervalSet, ZeroAndMaximumAreOrdinaryMembers) {
  PortSet s = ports({{0, 0}, {65535, 65535}});
  EXPECT_EQ(s.str(), "0,65535");
  EXPECT_TRUE(s.contains(0));
  EXPECT_TRUE(s.contains(65535));
  EXPECT_FALSE(s.contains(1));
  EXPECT_FALSE(s.contains(65534));
  s.add(1, 65534);
  EXPECT_TRUE(s.isAll());
  EXPECT_EQ(s.size(), 65536.0);
}

TEST(IntervalSet, AllAtTheTopDoesNotWrap) {
  PortSet s(65535, 65535);
  s.add(65535); // adding the maximum again must not compute 65535 + 1
  s.add(0, 0);
  EXPECT_EQ(s.str(), "0,65535");
  EXPECT_EQ(PortSet(PortSet::all()).str(), "0-65535");
}

// ---- subtract: every overlap shape ----

struct SubtractCase {
  const char *shape;
  std::pair<unsigned, unsigned> from, removed;
  const char *expected;
};

TEST(IntervalSet, SubtractEveryOverlapShape) {
  const SubtractCase cases[] = {
      {"disjoint below", {100, 200}, {10, 50}, "100-200"},
      {"disjoint above", {100, 200}, {300, 400}, "100-200"},
      {"touching below", {100, 200}, {50, 99}, "100-200"},
      {"touching above", {100, 200}, {201, 300}, "100-200"},
      {"overlaps the start", {100, 200}, {50, 150}, "151-200"},
      {"overlaps the end", {100, 200}, {150, 250}, "100-149"},
      {"inside (splits)", {100, 200}, {120, 180}, "100-119,181-200"},
      {"same start, inside", {100, 200}, {100, 150}, "151-200"},
      {"same end, inside", {100, 200}, {150, 200}, "100-149"},
      {"equal", {100, 200}, {100, 200}, ""},
      {"covers", {100, 200}, {0, 65535}, ""},
      {"single point inside", {100, 200}, {150, 150}, "100-149,151-200"},
      {"the first point", {100, 200}, {100, 100}, "101-200"},
      {"the last point", {100, 200}, {200, 200}, "100-199"},
      {"at zero", {0, 10}, {0, 0}, "1-10"},
      {"at the maximum", {65530, 65535}, {65535, 65535}, "65530-65534"},
      {"everything but the ends", {0, 65535}, {1, 65534}, "0,65535"},
  };
  for (const SubtractCase &c : cases) {
    PortSet from(uint16_t(c.from.first), uint16_t(c.from.second));
    PortSet removed(uint16_t(c.removed.first), uint16_t(c.removed.second));
    EXPECT_EQ(PortSet(from.subtract(removed)).str(), c.expected) << c.shape;
  }
}

TEST(IntervalSet, SubtractSeveralFromSeveral) {
  PortSet from = ports({{1, 10}, {20, 30}, {40, 50}});
  PortSet removed = ports({{5, 22}, {25, 25}, {29, 45}, {50, 60}});
  EXPECT_EQ(PortSet(from.subtract(removed)).str(), "1-4,23-24,26-28,46-49");
}

TEST(IntervalSet, SubtractFromEmptyAndNothing) {
  PortSet some = ports({{80, 80}});
  EXPECT_TRUE(PortSet().subtract(some).empty());
  EXPECT_EQ(some.subtract(PortSet()), some);
  EXPECT_TRUE(some.subtract(some).empty());
}

// ---- intersect ----

TEST(IntervalSet, IntersectShapes) {
  PortSet a(100, 200);
  EXPECT_TRUE(a.intersect(PortSet(10, 99)).empty());
  EXPECT_EQ(PortSet(a.intersect(PortSet(50, 100))).str(), "100");
  EXPECT_EQ(PortSet(a.intersect(PortSet(150, 250))).str(), "150-200");
  EXPECT_EQ(PortSet(a.intersect(PortSet(120, 130))).str(), "120-130");
  EXPECT_EQ(PortSet(a.intersect(PortSet::all())).str(), "100-200");
}

TEST(IntervalSet, IntersectSeveral) {
  PortSet a = ports({{1, 10}, {20, 30}, {40, 50}});
  PortSet b = ports({{5, 25}, {28, 42}, {50, 65535}});
  EXPECT_EQ(PortSet(a.intersect(b)).str(), "5-10,20-25,28-30,40-42,50");
  EXPECT_EQ(a.intersect(b), b.intersect(a));
  EXPECT_TRUE(a.intersects(b));
  EXPECT_FALSE(a.intersects(ports({{11, 19}, {31, 39}})));
}

// ---- contains ----

TEST(IntervalSet, ContainsValues) {
  PortSet s = ports({{10, 20}, {30, 30}});
  for (unsigned v : {10u, 15u, 20u, 30u})
    EXPECT_TRUE(s.contains(uint16_t(v))) << v;
  for (unsigned v : {0u, 9u, 21u, 29u, 31u, 65535u})
    EXPECT_FALSE(s.contains(uint16_t(v))) << v;
}

TEST(IntervalSet, ContainsSets) {
  PortSet s = ports({{10, 20}, {30, 40}});
  EXPECT_TRUE(s.contains(ports({{12, 18}, {30, 40}})));
  EXPECT_TRUE(s.contains(PortSet()));
  EXPECT_FALSE(s.contains(ports({{19, 31}})));  // spans the gap
  EXPECT_FALSE(s.contains(ports({{40, 41}})));  // runs past the end
  EXPECT_TRUE(PortSet(PortSet::all()).contains(s));
}

// ---- other widths ----

TEST(IntervalSet, ThirtyTwoBitEnds) {
  IntervalSet<uint32_t> s(0xFFFFFFF0u, 0xFFFFFFFFu);
  s.add(0, 0);
  s.add(0xFFFFFFFFu);
  EXPECT_EQ(s.intervals().size(), 2u);
  EXPECT_TRUE(s.contains(0xFFFFFFFFu));
  IntervalSet<uint32_t> rest = IntervalSet<uint32_t>::all().subtract(s);
  ASSERT_EQ(rest.intervals().size(), 1u);
  EXPECT_EQ(rest.intervals()[0].lo, 1u);
  EXPECT_EQ(rest.intervals()[0].hi, 0xFFFFFFEFu);
}

TEST(IntervalSet, OrderIsTotalAndStructural) {
  PortSet a = ports({{1, 5}}), b = ports({{1, 6}}), c = ports({{2, 3}});
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b < c);
  EXPECT_FALSE(a < a);
  EXPECT_EQ(ports({{1, 3}, {4, 5}}), a); // coalesced, so equal
  EXPECT_NE(a, b);
}

} // namespace
