// Cisco ASA lowering: object-groups, one extended access-list per zone interface, access-groups.
#include "backends/CiscoAsaBackend.h"

#include "backends/ObjectNames.h"
#include "backends/RuleFormat.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

/// ASA remarks hold at most 100 characters.
constexpr size_t maxRemarkBytes = 100;

/// The text of a remark, which runs to the end of its line. The ASA command line answers '?'
/// with help wherever it is typed or pasted, so it becomes '.'.
std::string asaRemark(llvm::StringRef text) {
  return plainText(text, [](char c) -> const char * { return c == '?' ? "." : nullptr; });
}

/// "host 10.1.0.10", "10.1.16.0 255.255.240.0", "host fd00::1" or "fd00:1::/48".
std::string cidrOperand(const Cidr &c) {
  unsigned bits = c.family == Family::V4 ? 32 : 128;
  if (c.prefixLength == bits)
    return "host " + formatAddress(c.family, c.network);
  if (c.family == Family::V6)
    return c.str();
  uint32_t mask = c.prefixLength == 0 ? 0 : ~uint32_t(0) << (32 - c.prefixLength);
  return fmt::format("{} {}", formatAddress(c.family, c.network), formatAddress(Family::V4, mask));
}

/// Renders one device: object-groups are defined as the access-lists first need them.
class DeviceWriter {
public:
  explicit DeviceWriter(const PlacedPolicy &placed) : placed(placed) {}

  void writeAcl(const std::string &acl, const ZonePair &pair) {
    for (const PlacedRule &r : pair.rules) {
      std::vector<Family> families = ruleFamilies(r);
      if (families.empty())
        continue;
      PlacedRule m = matchableRule(r);
      const char *action = r.action == FlowAction::Allow ? "permit" : "deny";
      acls += fmt::format("access-list {} remark {}\n", acl, asaRemark(shortComment(placed, r, maxRemarkBytes)));
      if (r.proto != Protocol::ICMP) {
        acls += fmt::format("access-list {} extended {} {} {} {}{}\n", acl, action, protocolName(r.proto).str(),
                            addressOperand(m.src), addressOperand(m.dst), serviceOperand(r));
        continue;
      }
      // ICMP and ICMPv6 are different protocols with different type numbers: one line each.
      for (Family f : families) {
        int type = *icmpTypeIn(r.icmpType, f);
        acls += fmt::format("access-list {} extended {} {} {} {}{}\n", acl, action, f == Family::V4 ? "icmp" : "icmp6",
                            addressOperand(familyPart(m.src, f)), addressOperand(familyPart(m.dst, f)),
                            type < 0 ? "" : fmt::format(" {}", type));
      }
    }
  }

  /// Everything from \p from's addresses: the zone pair is not filtered.
  void writeUnfiltered(const std::string &acl, const Zone &from, const std::string &to) {
    acls += fmt::format("access-list {0} remark cmnet: {1} to {2} is not filtered\n"
                        "access-list {0} extended permit ip {3} any\n",
                        acl, from.name, to, addressOperand(from.addresses));
  }

  /// `no object-group` for every group defined here, so that re-applying starts from empty
  /// groups (adding to an existing group would keep its old members).
  std::string removals, groups, acls;

private:
  std::string addressOperand(const AddressSet &set) {
    if (set.isAny())
      return "any";
    if (set.v6().empty() && set.v4().isAll())
      return "any4";
    if (set.v4().empty() && set.v6().isAll())
      return "any6";
    std::vector<Cidr> cidrs = set.cidrs();
    if (cidrs.size() == 1)
      return cidrOperand(cidrs[0]);
    auto [name, created] = networkGroups.intern(set);
    if (created) {
      removals += fmt::format("no object-group network {}\n", name);
      groups += fmt::format("object-group network {}\n", name);
      for (const Cidr &c : cidrs)
        groups += fmt::format(" network-object {}\n", cidrOperand(c));
    }
    return "object-group " + name;
  }

  /// " eq 80", " range 8530 8531", " object-group CMNET_TCP1" or "" for every port.
  std::string serviceOperand(const PlacedRule &r) {
    if (coversAllPorts(r.ports))
      return "";
    auto iv = r.ports.intervals();
    if (iv.size() == 1)
      return iv[0].lo == iv[0].hi ? fmt::format(" eq {}", iv[0].lo) : fmt::format(" range {} {}", iv[0].lo, iv[0].hi);
    bool tcp = r.proto == Protocol::TCP;
    auto [name, created] = (tcp ? tcpGroups : udpGroups).intern(r.ports);
    if (created) {
      removals += fmt::format("no object-group service {}\n", name);
      groups += fmt::format("object-group service {} {}\n", name, tcp ? "tcp" : "udp");
      for (const auto &p : iv)
        groups += p.lo == p.hi ? fmt::format(" port-object eq {}\n", p.lo)
                               : fmt::format(" port-object range {} {}\n", p.lo, p.hi);
    }
    return " object-group " + name;
  }

  const PlacedPolicy &placed;
  ObjectNames<AddressSet> networkGroups{"CMNET_NET"};
  ObjectNames<PortSet> tcpGroups{"CMNET_TCP"}, udpGroups{"CMNET_UDP"};
};

} // namespace

std::string CiscoAsaBackend::renderDevice(const PlacedPolicy &placed, const PerimeterDevice &device,
                                          const BackendOptions &options) const {
  DeviceWriter w(placed);
  std::string clears, bindings;
  // Every interface gets an access-list ending in an explicit deny, so what the policy does not
  // open stays closed whatever the interfaces' security levels say.
  for (const Zone &zone : device.zones) {
    std::string acl = fmt::format("CMNET_{}_in", safeFileName(zone.name));
    for (const ZonePair &pair : device.pairs)
      if (pair.from == zone.name)
        w.writeAcl(acl, pair);
    for (const auto &[from, to] : device.unfilteredPairs)
      if (from == zone.name)
        w.writeUnfiltered(acl, zone, to);
    w.acls += fmt::format("access-list {0} remark cmnet: everything else is denied\n"
                          "access-list {0} extended deny ip any any\n",
                          acl);
    clears += fmt::format("clear configure access-list {}\n", acl);
    bindings += fmt::format("access-group {} in interface {}\n", acl, zone.name);
  }
  std::string text = generatedHeader(placed, *device.point, options, "!");
  text += "! Paste into configuration mode (ASA 9.0 or later: IPv4 and IPv6 share the access-lists).\n"
          "! Each zone is the interface with that nameif. Re-applying replaces the cmnet access-lists\n"
          "! and object-groups; on a first run `no object-group` reports groups that do not exist yet.\n";
  text += clears + w.removals + w.groups + w.acls + bindings;
  return text;
}

} // namespace cmnet::backends
