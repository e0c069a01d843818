// The helpers the vendor backends share: address families, ICMP types, ports, object names and
// the stand-in perimeter devices.
#include "backends/ObjectNames.h"
#include "backends/PerimeterView.h"
#include "backends/RuleFormat.h"

#include "gtest/gtest.h"

using namespace cmnet;
using namespace cmnet::backends;
using ir::AddressSet;
using ir::Family;

namespace {

AddressSet addrs(llvm::StringRef a, llvm::StringRef b = "") {
  AddressSet set = *AddressSet::parse(a);
  if (!b.empty())
    set = set.unite(*AddressSet::parse(b));
  return set;
}

ir::PlacedRule rule(AddressSet src, AddressSet dst, ir::Protocol proto = ir::Protocol::TCP, int icmpType = -1) {
  ir::PlacedRule r;
  r.src = std::move(src);
  r.dst = std::move(dst);
  r.proto = proto;
  r.icmpType = icmpType;
  if (proto != ir::Protocol::ICMP)
    r.ports = ir::PortSet(443, 443);
  return r;
}

TEST(BackendRuleFormat, IcmpTypesMapToIcmpv6Equivalents) {
  EXPECT_EQ(icmpTypeIn(8, Family::V4), 8);
  EXPECT_EQ(icmpTypeIn(8, Family::V6), 128);
  EXPECT_EQ(icmpTypeIn(0, Family::V6), 129);
  EXPECT_EQ(icmpTypeIn(-1, Family::V6), -1);
  EXPECT_FALSE(icmpTypeIn(3, Family::V6).has_value());
}

TEST(BackendRuleFormat, RuleFamiliesNeedBothEnds) {
  auto dual = addrs("10.0.0.1", "fd00::1");
  EXPECT_EQ(ruleFamilies(rule(dual, dual)), (std::vector<Family>{Family::V4, Family::V6}));
  EXPECT_EQ(ruleFamilies(rule(addrs("10.0.0.0/8"), dual)), std::vector<Family>{Family::V4});
  EXPECT_TRUE(ruleFamilies(rule(addrs("10.0.0.0/8"), addrs("fd00::1"))).empty());
  // ICMP type 3 has no ICMPv6 equivalent: the rule cannot match IPv6 packets.
  EXPECT_EQ(ruleFamilies(rule(dual, dual, ir::Protocol::ICMP, 3)), std::vector<Family>{Family::V4});
}

TEST(BackendRuleFormat, MatchableRuleDropsTheUnmatchableFamily) {
  ir::PlacedRule m = matchableRule(rule(addrs("10.0.0.0/8"), addrs("10.1.0.1", "fd00::1")));
  EXPECT_EQ(m.src, addrs("10.0.0.0/8"));
  EXPECT_EQ(m.dst, addrs("10.1.0.1"));
}

TEST(BackendRuleFormat, PortsAndCidrs) {
  EXPECT_TRUE(coversAllPorts(ir::PortSet()));
  EXPECT_TRUE(coversAllPorts(ir::PortSet(1, 65535)));
  EXPECT_FALSE(coversAllPorts(ir::PortSet(1, 65534)));
  ir::PortSet ports(80, 80);
  ports.add(8530, 8531);
  EXPECT_EQ(joinPorts(ports, ":", ","), "80,8530:8531");
  EXPECT_EQ(joinCidrs(addrs("10.0.0.0/24", "10.0.1.0/24"), Family::V4, ", "), "10.0.0.0/23");
  EXPECT_TRUE(coversFamily(AddressSet::any(), Family::V6));
  EXPECT_EQ(familyPart(addrs("10.0.0.1", "fd00::1"), Family::V6), addrs("fd00::1"));
}

TEST(BackendRuleFormat, ObjectNamesShareEqualContentInFirstUseOrder) {
  ObjectNames<AddressSet> names("G");
  EXPECT_EQ(names.intern(addrs("10.0.0.1")), std::make_pair(std::string("G1"), true));
  EXPECT_EQ(names.intern(addrs("10.0.0.2")), std::make_pair(std::string("G2"), true));
  EXPECT_EQ(names.intern(addrs("10.0.0.1")), std::make_pair(std::string("G1"), false));
}

std::vector<PerimeterDevice> perimeterDevices(const ir::PlacedPolicy &placed) {
  std::vector<PerimeterDevice> devices;
  forEachPerimeterDevice(placed, [&](const PerimeterDevice &d) {
    devices.push_back(d);
    return true;
  });
  return devices;
}

TEST(BackendRuleFormat, HostsGetStandInPerimeterDevicesWithoutFirewalls) {
  ir::PlacedPolicy placed;
  ir::EnforcementPoint host;
  host.name = "p01";
  host.addresses = addrs("10.1.0.10");
  host.inbound.push_back(rule(addrs("10.1.16.0/20"), host.addresses));
  placed.points.push_back(host);
  std::vector<PerimeterDevice> devices = perimeterDevices(placed);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].zone("outside").addresses, AddressSet::any());
  EXPECT_EQ(devices[0].zone("inside").addresses, host.addresses);
  ASSERT_EQ(devices[0].pairs.size(), 1u);
  EXPECT_EQ(devices[0].pairs[0].from, "outside");
  // No outbound rules: what the host sends is not filtered.
  EXPECT_EQ(devices[0].unfilteredPairs, (std::vector<std::pair<std::string, std::string>>{{"inside", "outside"}}));

  ir::EnforcementPoint fw;
  fw.kind = ir::EnforcementPoint::NetworkFirewall;
  fw.name = "edge";
  placed.points.push_back(fw);
  devices = perimeterDevices(placed);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].point->name, "edge");

  // A false from the callback stops the walk and is passed on.
  placed.points.push_back(fw);
  placed.points.back().name = "core";
  unsigned seen = 0;
  EXPECT_FALSE(forEachPerimeterDevice(placed, [&](const PerimeterDevice &) { return ++seen < 1; }));
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(perimeterDevices(placed).size(), 2u);
}

} // namespace
