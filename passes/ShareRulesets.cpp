// share-rulesets: hosts that need the same rules get one enforcement point (--share-rulesets).
#include "passes/Pass.h"

#include "llvm/ADT/Hashing.h"

#include <unordered_map>

using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Hosts of one site with the same roles and address families whose rules are the same apart
/// from their own addresses become one point, so every backend writes one ruleset for all of them instead of
/// one per host (at Microsoft's published limits, about 6,300 rulesets instead of 125,480 files
/// per target). A rule's own end that is the whole host stands for "this host" and becomes the
/// members' addresses together; an own end that is part of a host's addresses is kept as it
/// is, so such a host shares only with hosts that name the same addresses.
///
///   host s01dp01 (10.8.1.11): in 10.8.16.0/20 -> 10.8.1.11 tcp 80,443 allow
///   host s01dp02 (10.8.1.12): in 10.8.16.0/20 -> 10.8.1.12 tcp 80,443 allow
///   becomes   host s01dp01 (10.8.1.11-10.8.1.12), members s01dp01 s01dp02:
///                           in 10.8.16.0/20 -> 10.8.1.11-10.8.1.12 tcp 80,443 allow
///
/// Loading that ruleset on either host filters exactly as its own would: a host firewall
/// only sees packets for its own addresses. An IPv4-only host never shares with a dual-stack
/// one: the IPv6 rules would open whatever IPv6 addresses it has that the policy does not know
/// (link-local ones, say). Does nothing unless the build asked for it.
///
/// @pre  place ran.
/// @post with --share-rulesets every host point lists its members (a host alone lists
///       itself); a point stands where its first member stood. Client groups' points are
///       not hosts' and stay as they are.
class ShareRulesetsPass : public Pass {
public:
  llvm::StringRef name() const override { return "share-rulesets"; }
  llvm::StringRef summary() const override { return "give hosts that need the same rules one ruleset"; }

  void run(CompileContext &ctx) override {
    if (!ctx.shareRulesets)
      return;
    std::vector<EnforcementPoint> &points = ctx.placed.points;
    std::vector<EnforcementPoint> shared;
    std::unordered_map<size_t, llvm::SmallVector<unsigned, 1>> byShape; // hash -> indices in shared
    for (EnforcementPoint &p : points) {
      if (p.kind != EnforcementPoint::HostFirewall || p.forClients()) {
        shared.push_back(std::move(p));
        continue;
      }
      llvm::SmallVector<unsigned, 1> &candidates = byShape[shapeHash(p)];
      auto same = llvm::find_if(candidates, [&](unsigned i) { return sameShape(shared[i], p); });
      if (same != candidates.end()) {
        shared[*same].members.push_back({std::move(p.name), std::move(p.addresses)});
        continue;
      }
      candidates.push_back(shared.size());
      p.members.push_back({p.name, p.addresses});
      shared.push_back(std::move(p));
    }
    for (EnforcementPoint &p : shared)
      if (p.members.size() > 1)
        widenOwnEnds(p);
    points = std::move(shared);
  }

private:
  /// The end of \p r on the host itself.
  static const AddressSet &ownEnd(const PlacedRule &r, bool inbound) { return inbound ? r.dst : r.src; }

  static size_t ruleHash(const PlacedRule &r, const AddressSet &self, bool inbound) {
    const AddressSet &own = ownEnd(r, inbound);
    return llvm::hash_combine(inbound ? r.src : r.dst, own == self ? llvm::hash_code(0) : ir::hash_value(own),
                              unsigned(r.proto), r.icmpType, r.ports, unsigned(r.action), r.peer,
                              llvm::hash_combine_range(r.why.begin(), r.why.end()));
  }

  /// Bit 0: the host has IPv4 addresses; bit 1: IPv6 ones.
  static unsigned families(const AddressSet &addresses) {
    return unsigned(!addresses.v4().empty()) | unsigned(!addresses.v6().empty()) << 1;
  }

  static size_t shapeHash(const EnforcementPoint &p) {
    llvm::hash_code h = llvm::hash_combine(p.site, families(p.addresses), p.inbound.size(), p.outbound.size(),
                                           llvm::hash_combine_range(p.roles.begin(), p.roles.end()));
    for (const PlacedRule &r : p.inbound)
      h = llvm::hash_combine(h, ruleHash(r, p.addresses, /*inbound=*/true));
    for (const PlacedRule &r : p.outbound)
      h = llvm::hash_combine(h, ruleHash(r, p.addresses, /*inbound=*/false));
    return h;
  }

  /// \p a and \p b are the same rule for hosts \p selfA and \p selfB.
  static bool sameRule(const PlacedRule &a, const AddressSet &selfA, const PlacedRule &b, const AddressSet &selfB,
                       bool inbound) {
    const AddressSet &ownA = ownEnd(a, inbound), &ownB = ownEnd(b, inbound);
    bool ownSame = (ownA == selfA && ownB == selfB) || (ownA != selfA && ownB != selfB && ownA == ownB);
    return ownSame && (inbound ? a.src == b.src : a.dst == b.dst) && a.proto == b.proto &&
           a.icmpType == b.icmpType && a.ports == b.ports && a.action == b.action && a.peer == b.peer &&
           a.why == b.why;
  }

  static bool sameRules(const std::vector<PlacedRule> &a, const AddressSet &selfA, const std::vector<PlacedRule> &b,
                        const AddressSet &selfB, bool inbound) {
    if (a.size() != b.size())
      return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!sameRule(a[i], selfA, b[i], selfB, inbound))
        return false;
    return true;
  }

  /// \p group (its first member's rules and addresses so far) and host \p p need the same rules.
  static bool sameShape(const EnforcementPoint &group, const EnforcementPoint &p) {
    const AddressSet &self = group.members.front().addresses;
    return group.site == p.site && families(self) == families(p.addresses) && group.roles == p.roles &&
           sameRules(group.inbound, self, p.inbound, p.addresses, /*inbound=*/true) &&
           sameRules(group.outbound, self, p.outbound, p.addresses, /*inbound=*/false);
  }

  /// The rules' ends on the first member become every member's addresses.
  static void widenOwnEnds(EnforcementPoint &p) {
    AddressSet first = p.addresses, all;
    for (const RulesetMember &m : p.members)
      all = all.unite(m.addresses);
    for (PlacedRule &r : p.inbound)
      if (r.dst == first)
        r.dst = all;
    for (PlacedRule &r : p.outbound)
      if (r.src == first)
        r.src = all;
    p.addresses = std::move(all);
  }
};

} // namespace

std::unique_ptr<Pass> createShareRulesetsPass() { return std::make_unique<ShareRulesetsPass>(); }

} // namespace cmnet::passes
