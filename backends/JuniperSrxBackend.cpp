// Juniper SRX lowering: `set` commands for address books, applications and zone-pair policies.
#include "backends/JuniperSrxBackend.h"

#include "backends/ObjectNames.h"
#include "backends/RuleFormat.h"

#include "fmt/format.h"

#include <set>

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

/// Every statement goes into this group, so one `delete groups cmnet` removes a previous load.
constexpr const char *group = "set groups cmnet ";

/// "cmnet-10.1.16.0_20", "cmnet-fd00-1--30": address names by content, in the characters every
/// Junos release accepts in a name.
std::string addressName(const Cidr &c) {
  std::string out = "cmnet-";
  for (char ch : c.str())
    out += ch == '/' ? '_' : ch == ':' ? '-' : ch;
  return out;
}

class DeviceWriter {
public:
  explicit DeviceWriter(const PlacedPolicy &placed) : placed(placed) {}

  void writePolicies(const ZonePair &pair) {
    for (const PlacedRule &r : pair.rules) {
      std::vector<Family> families = ruleFamilies(r);
      if (families.empty())
        continue;
      PlacedRule m = matchableRule(r);
      std::string policy = policyPrefix(pair.from, pair.to, fmt::format("cmnet-{}", ++policyCount));
      policies += fmt::format("{}description {}\n", policy, backslashQuote(ruleComment(placed, r)));
      for (const std::string &a : addressNames(m.src))
        policies += fmt::format("{}match source-address {}\n", policy, a);
      for (const std::string &a : addressNames(m.dst))
        policies += fmt::format("{}match destination-address {}\n", policy, a);
      for (const std::string &a : applications(r, families))
        policies += fmt::format("{}match application {}\n", policy, a);
      policies += fmt::format("{}then {}\n", policy, r.action == FlowAction::Allow ? "permit" : "deny");
    }
  }

  /// Objects before the policies that name them: addresses, address-sets, applications, sets.
  std::string objects() const { return addresses + addressSetMembers + applicationDefs + applicationSetMembers; }

  /// Everything from \p from's addresses: the zone pair is not filtered.
  void writeUnfiltered(const Zone &from, const std::string &to) {
    std::string policy = policyPrefix(from.name, to, fmt::format("cmnet-unfiltered-{}-{}", from.name, to));
    policies += fmt::format("{}description {}\n", policy,
                            backslashQuote(fmt::format("cmnet: {} to {} is not filtered", from.name, to)));
    for (const std::string &a : addressNames(from.addresses))
      policies += fmt::format("{}match source-address {}\n", policy, a);
    policies += fmt::format("{0}match destination-address any\n"
                            "{0}match application any\n"
                            "{0}then permit\n",
                            policy);
  }

  std::string policies;

private:
  static std::string policyPrefix(const std::string &from, const std::string &to, const std::string &name) {
    return fmt::format("{}security policies from-zone {} to-zone {} policy {} ", group, from, to, name);
  }

  std::string defineAddress(const Cidr &c) {
    std::string name = addressName(c);
    if (definedAddresses.insert(name).second)
      addresses += fmt::format("{}security address-book global address {} {}/{}\n", group, name,
                               formatAddress(c.family, c.network), c.prefixLength);
    return name;
  }

  /// `any`, `any-ipv4`/`any-ipv6` for a whole family, then one address or an address-set.
  std::vector<std::string> addressNames(const AddressSet &set) {
    if (set.isAny())
      return {"any"};
    std::vector<std::string> names;
    AddressSet rest = set;
    if (set.v4().isAll()) {
      names.push_back("any-ipv4");
      rest.v4() = V4Set();
    }
    if (set.v6().isAll()) {
      names.push_back("any-ipv6");
      rest.v6() = V6Set();
    }
    std::vector<Cidr> cidrs = rest.cidrs();
    if (cidrs.size() == 1)
      names.push_back(defineAddress(cidrs[0]));
    if (cidrs.size() <= 1)
      return names;
    auto [setName, created] = addressSets.intern(rest);
    if (created)
      for (const Cidr &c : cidrs)
        addressSetMembers +=
            fmt::format("{}security address-book global address-set {} address {}\n", group, setName, defineAddress(c));
    names.push_back(setName);
    return names;
  }

  std::string defineApplication(const std::string &name, const std::string &match) {
    if (definedApps.insert(name).second)
      applicationDefs += fmt::format("{}applications application {} {}\n", group, name, match);
    return name;
  }

  std::string portApplication(Protocol proto, uint16_t lo, uint16_t hi) {
    std::string p = protocolName(proto).str();
    std::string ports = lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
    return defineApplication(fmt::format("cmnet-{}-{}", p, ports),
                             fmt::format("protocol {} destination-port {}", p, ports));
  }

  /// ICMP: one application per family (ICMPv6 has its own protocol and type numbers).
  /// TCP/UDP: one application per port range, an application-set when there are several.
  std::vector<std::string> applications(const PlacedRule &r, llvm::ArrayRef<Family> families) {
    if (r.proto == Protocol::ICMP) {
      std::vector<std::string> apps;
      for (Family f : families) {
        int type = *icmpTypeIn(r.icmpType, f);
        const char *p = f == Family::V4 ? "icmp" : "icmp6";
        apps.push_back(type < 0 ? defineApplication(fmt::format("cmnet-{}-all", p), fmt::format("protocol {}", p))
                                : defineApplication(fmt::format("cmnet-{}-{}", p, type),
                                                    fmt::format("protocol {0} {0}-type {1}", p, type)));
      }
      return apps;
    }
    if (coversAllPorts(r.ports))
      return {portApplication(r.proto, 0, 65535)};
    auto iv = r.ports.intervals();
    if (iv.size() == 1)
      return {portApplication(r.proto, iv[0].lo, iv[0].hi)};
    auto [setName, created] = applicationSets.intern({unsigned(r.proto), r.ports});
    if (created)
      for (const auto &p : iv)
        applicationSetMembers += fmt::format("{}applications application-set {} application {}\n", group, setName,
                                             portApplication(r.proto, p.lo, p.hi));
    return {setName};
  }

  const PlacedPolicy &placed;
  std::string addresses, addressSetMembers, applicationDefs, applicationSetMembers;
  std::set<std::string> definedAddresses, definedApps;
  ObjectNames<AddressSet> addressSets{"cmnet-addresses-"};
  ObjectNames<std::pair<unsigned, PortSet>> applicationSets{"cmnet-applications-"};
  unsigned policyCount = 0;
};

} // namespace

std::string JuniperSrxBackend::renderDevice(const PlacedPolicy &placed, const PerimeterDevice &device,
                                            const BackendOptions &options) const {
  DeviceWriter w(placed);
  for (const ZonePair &pair : device.pairs)
    w.writePolicies(pair);
  for (const auto &[from, to] : device.unfilteredPairs)
    w.writeUnfiltered(device.zone(from), to);
  std::string text = generatedHeader(placed, *device.point, options, "#");
  text += "# Load with `load set FILE` (or paste after `load set terminal`), then `commit`. The zones\n"
          "# must exist; zone pairs without a policy fall to the default policy (deny-all).\n"
          "# Everything is in group cmnet, deleted first: loading again replaces it in one commit.\n"
          "delete groups cmnet\n";
  text += w.objects() + w.policies;
  text += "set apply-groups cmnet\n";
  return text;
}

} // namespace cmnet::backends
