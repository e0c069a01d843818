// lint::Coverage (what a flow table allows, box by box) and diff::diffPolicies (semantic
// policy diff): the interval arithmetic the missing-opening checks and `cmnetc diff` rest on.
#include "lint/Coverage.h"
#include "diff/PolicyDiff.h"

#include <gtest/gtest.h>

using namespace cmnet;
using namespace cmnet::ir;
using lint::makeBox;

namespace {

AddressSet addrs(llvm::StringRef text) { return *AddressSet::parse(text); }

Flow tcp(llvm::StringRef src, llvm::StringRef dst, uint16_t lo, uint16_t hi) {
  return makeBox(addrs(src), addrs(dst), Protocol::TCP, PortSet(lo, hi));
}

TEST(LintCoverage, UncoveredIsExactlyWhatNoAllowedFlowHolds) {
  std::vector<Flow> flows{tcp("10.1.16.0/21", "10.1.0.10", 80, 80), tcp("10.1.24.0/21", "10.1.0.10", 80, 443)};
  lint::Coverage allowed(flows);
  EXPECT_TRUE(allowed.uncovered(tcp("10.1.16.0/20", "10.1.0.10", 80, 80)).empty());
  std::vector<Flow> left = allowed.uncovered(tcp("10.1.16.0/20", "10.1.0.10", 80, 443));
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].srcAddrs, addrs("10.1.16.0/21"));
  EXPECT_EQ(left[0].ports, PortSet(81, 443));
  // Another protocol is not covered, and a deny flow covers nothing.
  Flow udp = makeBox(addrs("10.1.16.0/21"), addrs("10.1.0.10"), Protocol::UDP, PortSet(80, 80));
  EXPECT_EQ(allowed.uncovered(udp).size(), 1u);
  std::vector<Flow> denies{tcp("10.0.0.0/8", "10.0.0.0/8", 1, 65535)};
  denies[0].action = FlowAction::Deny;
  EXPECT_EQ(lint::Coverage(denies).uncovered(tcp("10.1.0.0/16", "10.1.0.10", 22, 22)).size(), 1u);
}

TEST(LintCoverage, IcmpTypesCoverOnlyThemselves) {
  std::vector<Flow> flows{makeBox(addrs("10.0.0.0/8"), addrs("10.1.0.10"), Protocol::ICMP, PortSet(), 8)};
  lint::Coverage allowed(flows);
  EXPECT_TRUE(
      allowed.uncovered(makeBox(addrs("10.1.0.0/16"), addrs("10.1.0.10"), Protocol::ICMP, PortSet(), 8)).empty());
  EXPECT_FALSE(
      allowed.uncovered(makeBox(addrs("10.1.0.0/16"), addrs("10.1.0.10"), Protocol::ICMP, PortSet(), 0)).empty());
  // Every type is more than type 8, but it does share type 8 with it.
  Flow anyType = makeBox(addrs("10.1.0.0/16"), addrs("10.1.0.10"), Protocol::ICMP, PortSet());
  EXPECT_FALSE(allowed.uncovered(anyType).empty());
  EXPECT_TRUE(allowed.intersects(anyType));
}

TEST(LintCoverage, OverlappingFindsOnlyFlowsSharingATuple) {
  std::vector<Flow> flows{tcp("10.1.0.0/16", "10.2.0.1", 443, 443), tcp("10.1.0.0/16", "10.2.0.2", 443, 443),
                          tcp("10.9.0.0/16", "10.2.0.1", 443, 443)};
  lint::Coverage allowed(flows);
  std::vector<unsigned> hits = allowed.overlapping(tcp("10.1.5.0/24", "10.2.0.0/24", 1, 1024));
  EXPECT_EQ(hits, (std::vector<unsigned>{0, 1}));
}

PlacedRule rule(llvm::StringRef src, llvm::StringRef dst, uint16_t lo, uint16_t hi,
                FlowAction action = FlowAction::Allow) {
  PlacedRule r;
  r.src = addrs(src);
  r.dst = addrs(dst);
  r.ports = PortSet(lo, hi);
  r.action = action;
  return r;
}

PlacedPolicy hostPolicy(std::vector<PlacedRule> inbound) {
  PlacedPolicy p;
  EnforcementPoint host;
  host.name = "p01";
  host.inbound = std::move(inbound);
  p.points.push_back(std::move(host));
  return p;
}

TEST(LintPolicyDiff, SameTuplesInOtherRulesAreNoChange) {
  PlacedPolicy before = hostPolicy({rule("10.1.16.0/20", "10.1.0.10", 80, 443)});
  // Split by source and by port, in another order, with a duplicate: the same tuples.
  PlacedPolicy after =
      hostPolicy({rule("10.1.24.0/21", "10.1.0.10", 80, 443), rule("10.1.16.0/21", "10.1.0.10", 100, 443),
                  rule("10.1.16.0/21", "10.1.0.10", 80, 99), rule("10.1.16.0/21", "10.1.0.10", 80, 80)});
  EXPECT_FALSE(diff::diffPolicies(before, after).changed());
  EXPECT_FALSE(diff::diffPolicies(after, before).changed());
}

TEST(LintPolicyDiff, ReportsTheAddedAndRemovedParts) {
  PlacedPolicy before = hostPolicy({rule("10.1.16.0/20", "10.1.0.10", 80, 80)});
  PlacedPolicy after =
      hostPolicy({rule("10.1.16.0/21", "10.1.0.10", 80, 80), rule("10.0.5.0/24", "10.1.0.10", 22, 22)});
  diff::PolicyDiff diff = diff::diffPolicies(before, after);
  ASSERT_EQ(diff.points.size(), 1u);
  const diff::PointDiff &p = diff.points[0];
  EXPECT_EQ(p.name, "p01");
  EXPECT_EQ(p.direction, "inbound");
  ASSERT_EQ(p.added.size(), 1u);
  EXPECT_EQ(p.added[0].src, addrs("10.0.5.0/24"));
  EXPECT_EQ(p.added[0].ports, PortSet(22, 22));
  ASSERT_EQ(p.removed.size(), 1u);
  EXPECT_EQ(p.removed[0].src, addrs("10.1.24.0/21"));
}

TEST(LintPolicyDiff, DenyRulesWinOverAllows) {
  PlacedPolicy before = hostPolicy({rule("10.0.5.0/24", "10.1.0.10", 22, 23)});
  PlacedPolicy after =
      hostPolicy({rule("10.0.5.0/24", "10.1.0.10", 22, 23), rule("10.0.0.0/8", "10.1.0.10", 23, 23, FlowAction::Deny)});
  diff::PolicyDiff diff = diff::diffPolicies(before, after);
  ASSERT_EQ(diff.points.size(), 1u);
  ASSERT_EQ(diff.points[0].removed.size(), 1u);
  EXPECT_EQ(diff.points[0].removed[0].ports, PortSet(23, 23));
  EXPECT_TRUE(diff.points[0].added.empty());
}

TEST(LintPolicyDiff, AHostThatAppearsOrGoesIsAllAddedOrRemoved) {
  PlacedPolicy before;
  PlacedPolicy after = hostPolicy({rule("10.1.16.0/20", "10.1.0.10", 80, 80)});
  diff::PolicyDiff diff = diff::diffPolicies(before, after);
  EXPECT_EQ(diff.addedCount(), 1u);
  EXPECT_EQ(diff::diffPolicies(after, before).removedCount(), 1u);
}

} // namespace
