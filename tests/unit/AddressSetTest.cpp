// AddressSet by example: parsing (and its errors), minimal CIDR covers, both families, and the
// edges of each address space.
#include "ir/AddressSet.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using namespace cmnet::ir;

namespace {

AddressSet parsed(const char *text) {
  std::string error;
  auto set = AddressSet::parse(text, &error);
  EXPECT_TRUE(set.has_value()) << text << ": " << error;
  return set ? *set : AddressSet();
}

std::string parseError(const char *text) {
  std::string error;
  EXPECT_FALSE(AddressSet::parse(text, &error).has_value()) << text << " parsed";
  return error;
}

std::vector<std::string> cidrTexts(const AddressSet &set) {
  std::vector<std::string> out;
  for (const Cidr &c : set.cidrs())
    out.push_back(c.str());
  return out;
}

/// The set of IPv4 addresses lo..hi (written as dotted quads).
AddressSet v4Range(const char *lo, const char *hi) {
  AddressSet out;
  out.v4().add(parsed(lo).v4().intervals()[0].lo, parsed(hi).v4().intervals()[0].lo);
  return out;
}

using Strings = std::vector<std::string>;

// ---- parsing ----

TEST(AddressSet, ParsesEachForm) {
  EXPECT_EQ(parsed("10.1.0.10").str(), "10.1.0.10");
  EXPECT_EQ(parsed("10.1.16.0/20").str(), "10.1.16.0/20");
  EXPECT_EQ(parsed("fd00::10").str(), "fd00::10");
  EXPECT_EQ(parsed("fd00:1::/64").str(), "fd00:1::/64");
  EXPECT_EQ(parsed("FD00:0000:0000:0000:0000:0000:0000:0001").str(), "fd00::1");
  EXPECT_EQ(parsed("::ffff:10.0.0.1").str(), "::ffff:10.0.0.1"); // IPv4-mapped is IPv6
  EXPECT_TRUE(parsed("any").isAny());
}

TEST(AddressSet, FormatsIPv4AsInetNtopDoes) {
  std::vector<uint32_t> values = {0, 0xffffffff, 0x0a000001, 0x09630a64, 0xc7c8fffe, 0x01020304, 0x636465ff};
  std::mt19937 random(20261122);
  for (int i = 0; i < 20000; ++i)
    values.push_back(uint32_t(random()));
  for (uint32_t value : values) {
    in_addr a;
    a.s_addr = htonl(value);
    char expected[INET_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET, &a, expected, sizeof expected), nullptr);
    ASSERT_EQ(formatAddress(Family::V4, value), expected);
  }
}

TEST(AddressSet, ParsesTheEdgesOfBothSpaces) {
  EXPECT_TRUE(parsed("0.0.0.0/0").v4().isAll());
  EXPECT_TRUE(parsed("0.0.0.0/0").v6().empty());
  EXPECT_EQ(parsed("0.0.0.0").str(), "0.0.0.0");
  EXPECT_EQ(parsed("255.255.255.255").str(), "255.255.255.255");
  EXPECT_EQ(parsed("255.255.255.255/32").str(), "255.255.255.255");
  EXPECT_TRUE(parsed("::/0").v6().isAll());
  EXPECT_TRUE(parsed("::/0").v4().empty());
  EXPECT_EQ(parsed("::").str(), "::");
  EXPECT_EQ(parsed("::/128").str(), "::");
  EXPECT_EQ(parsed("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128").str(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(parsed("8000::/1").str(), "8000::/1");
}

TEST(AddressSet, ParseErrorsSayWhatIsWrong) {
  const std::pair<const char *, const char *> cases[] = {
      {"10.0.0.256", "'10.0.0.256' is not an IPv4 address"},
      {"1.2.3", "'1.2.3' is not an IPv4 address"},
      {"1.2.3.4.5", "'1.2.3.4.5' is not an IPv4 address"},
      {"10.0.0.1/8", "'10.0.0.1/8' has host bits set; the network is 10.0.0.0/8"},
      {"10.0.0.0/33", "prefix length '/33' is not between 0 and 32"},
      {"10.0.0.0/", "prefix length '/' is not between 0 and 32"},
      {"10.0.0.0/x", "prefix length '/x' is not between 0 and 32"},
      {"fd00:::1", "'fd00:::1' is not an IPv6 address"},
      {"1:2:3:4:5:6:7:8:9", "'1:2:3:4:5:6:7:8:9' is not an IPv6 address"},
      {"fd00::/129", "prefix length '/129' is not between 0 and 128"},
      {"fd00::1/64", "'fd00::1/64' has host bits set; the network is fd00::/64"},
      {"::1/0", "'::1/0' has host bits set; the network is ::/0"},
  };
  for (const auto &[text, message] : cases)
    EXPECT_EQ(parseError(text), message);
  EXPECT_FALSE(AddressSet::parse("").has_value());
}

// ---- minimal CIDR covers ----

TEST(AddressSet, CoverOfARangeIsMinimal) {
  // 10.0.0.1-10.0.0.6: .1/32, .2/31, .4/31, .6/32 — no cover with fewer blocks exists.
  EXPECT_EQ(cidrTexts(v4Range("10.0.0.1", "10.0.0.6")),
            (Strings{"10.0.0.1", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6"}));
  EXPECT_EQ(cidrTexts(v4Range("10.0.0.0", "10.0.0.255")), (Strings{"10.0.0.0/24"}));
  EXPECT_EQ(cidrTexts(v4Range("10.0.0.0", "10.0.1.255")), (Strings{"10.0.0.0/23"}));
  EXPECT_EQ(cidrTexts(v4Range("10.0.0.255", "10.0.1.0")), (Strings{"10.0.0.255", "10.0.1.0"}));
  EXPECT_EQ(cidrTexts(v4Range("0.0.0.1", "255.255.255.254")).size(), 62u); // 31 blocks each side
}

TEST(AddressSet, CoverOfTheWholeSpaces) {
  EXPECT_EQ(cidrTexts(parsed("0.0.0.0/0")), (Strings{"0.0.0.0/0"}));
  EXPECT_EQ(cidrTexts(parsed("::/0")), (Strings{"::/0"}));
  EXPECT_EQ(parsed("any").cidrs().size(), 2u);
  EXPECT_EQ(parsed("any").str(), "any");
  EXPECT_EQ(AddressSet().str(), "none");
}

TEST(AddressSet, CoverWithoutOneEndOfTheSpace) {
  AddressSet noZero = parsed("::/0").subtract(parsed("::"));
  Strings cover = cidrTexts(noZero);
  ASSERT_EQ(cover.size(), 128u); // ::1/128, ::2/127, …, 8000::/1
  EXPECT_EQ(cover.front(), "::1");
  EXPECT_EQ(cover.back(), "8000::/1");
  AddressSet noTop = parsed("0.0.0.0/0").subtract(parsed("255.255.255.255"));
  Strings cover4 = cidrTexts(noTop);
  ASSERT_EQ(cover4.size(), 32u);
  EXPECT_EQ(cover4.front(), "0.0.0.0/1");
  EXPECT_EQ(cover4.back(), "255.255.255.254");
}

TEST(AddressSet, AdjacentPrefixesMergeInTheCover) {
  AddressSet s = parsed("10.1.32.0/24").unite(parsed("10.1.33.0/24"));
  EXPECT_EQ(s.str(), "10.1.32.0/23");
  // Adjacent but not aligned: two blocks stay two.
  EXPECT_EQ(parsed("10.1.33.0/24").unite(parsed("10.1.34.0/24")).str(), "10.1.33.0/24, 10.1.34.0/24");
}

// ---- set algebra across the two families ----

TEST(AddressSet, FamiliesStaySeparate) {
  AddressSet both = parsed("10.0.0.0/8").unite(parsed("fd00::/8"));
  EXPECT_EQ(both.str(), "10.0.0.0/8, fd00::/8"); // IPv4 first
  EXPECT_EQ(both.subtract(parsed("::/0")).str(), "10.0.0.0/8");
  EXPECT_EQ(both.intersect(parsed("fd00:1::/32")).str(), "fd00:1::/32");
  EXPECT_FALSE(parsed("10.0.0.1").intersects(parsed("::ffff:10.0.0.1")));
}

TEST(AddressSet, SubtractSplitsAPrefix) {
  AddressSet s = parsed("10.0.0.0/24").subtract(parsed("10.0.0.128/32"));
  EXPECT_EQ(s.str(), "10.0.0.0/25, 10.0.0.129, 10.0.0.130/31, 10.0.0.132/30, 10.0.0.136/29, 10.0.0.144/28, "
                     "10.0.0.160/27, 10.0.0.192/26");
}

TEST(AddressSet, ContainsAndIntersects) {
  AddressSet site = parsed("10.1.0.0/16");
  EXPECT_TRUE(site.contains(parsed("10.1.16.0/20")));
  EXPECT_TRUE(site.contains(AddressSet()));
  EXPECT_FALSE(site.contains(parsed("10.0.0.0/8")));
  EXPECT_TRUE(site.intersects(parsed("10.0.0.0/8")));
  EXPECT_FALSE(site.intersects(parsed("10.2.0.0/16")));
  EXPECT_TRUE(parsed("any").contains(site.unite(parsed("fd00::1"))));
}

TEST(AddressSet, FromCidrCoversTheBlock) {
  AddressSet s = AddressSet::fromCidr({Family::V4, 0x0A000000u, 8});
  EXPECT_EQ(s.str(), "10.0.0.0/8");
  EXPECT_EQ(s.v4().intervals()[0].hi, 0x0AFFFFFFu);
  EXPECT_TRUE(AddressSet::fromCidr({Family::V6, 0, 0}).v6().isAll());
}

TEST(AddressSet, FormatsBothFamilies) {
  EXPECT_EQ(formatAddress(Family::V4, 0), "0.0.0.0");
  EXPECT_EQ(formatAddress(Family::V4, 0xFFFFFFFFu), "255.255.255.255");
  EXPECT_EQ(formatAddress(Family::V6, 1), "::1");
  EXPECT_EQ(formatAddress(Family::V6, ~uint128(0)), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

} // namespace
