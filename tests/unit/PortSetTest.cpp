// PortSet basics: canonical form and printing.
#include "ir/PortSet.h"

#include <gtest/gtest.h>

using cmnet::ir::PortSet;

TEST(PortSet, AdjacentRangesCoalesce) {
  PortSet s;
  s.add(80);
  s.add(81, 90);
  s.add(443);
  EXPECT_EQ(s.str(), "80-90,443");
  EXPECT_EQ(s.intervals().size(), 2u);
}

TEST(PortSet, TopPortDoesNotOverflow) {
  PortSet s(65530, 65535);
  s.add(65535);
  s.add(1, 65529);
  EXPECT_EQ(s.str(), "1-65535");
  EXPECT_TRUE(s.contains(65535));
  EXPECT_FALSE(s.contains(0));
}
