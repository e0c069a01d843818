// place: assign flows to enforcement points (host firewalls, declared network firewalls).
#include "passes/AddressIndex.h"
#include "passes/DisjointRules.h"
#include "passes/FlowMerge.h"
#include "passes/Pass.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Parallel.h"

using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Every host gets the flows that reach its addresses (inbound; outbound too when asked),
/// rewritten so that no two of its rules overlap; every declared firewall gets the flows that
/// cross between two of its zones, per zone pair. A site's clients and external endpoints are
/// not ours to configure: their end of a flow is placed nowhere (EndpointClass).
///
///   flow P01 clients (10.1.16.0/20) -> p01 (10.1.0.10) tcp 80,443
///   flow cas01 (10.0.0.10) -> p01 (10.1.0.10) tcp 443,445
///   becomes   host p01: in 10.1.16.0/20, 10.0.0.10 -> 10.1.0.10 tcp 443 allow
///                       in 10.1.16.0/20 -> 10.1.0.10 tcp 80 allow
///                       in 10.0.0.10 -> 10.1.0.10 tcp 445 allow
///
/// A firewall zone holds the addresses for which it is the most specific zone (longest prefix
/// wins), so `zone outside = any;` beside `zone core = 10.0.0.0/16;` means everything else.
/// A flow's part inside one zone never crosses the firewall and is not placed on it.
///
/// Each rule cites only the reasons behind its own tuples: of its flow's parts (ir::FlowPart),
/// those that meet the rule, so a rule to one host never cites a row of another host's flow
/// that merging joined with it.
///
/// @pre  flows are resolved and final.
/// @post ctx.placed holds one point per host (hierarchy order) then one per firewall; no two
///       rules of one host and direction share a (source, destination, protocol, port) tuple.
class PlacePass : public Pass {
public:
  llvm::StringRef name() const override { return "place"; }
  llvm::StringRef summary() const override { return "place flows on host and network firewalls"; }

  void run(CompileContext &ctx) override {
    const Hierarchy &h = *ctx.model.hierarchy;
    PlacedPolicy &placed = ctx.placed;
    placed.hierarchyName = h.name;
    placed.points.clear();
    AddressIndex hostIndex;
    for (unsigned i = 0; i < h.hosts.size(); ++i) {
      const Host &host = h.hosts[i];
      EnforcementPoint p;
      p.kind = EnforcementPoint::HostFirewall;
      p.name = host.name;
      p.site = h.sites[host.site].name;
      p.addresses = host.addresses;
      for (const HostRole &hr : host.roles)
        p.roles.push_back(ctx.model.roles[hr.role].name);
      placed.points.push_back(std::move(p));
      hostIndex.add(host.addresses, i);
    }
    hostIndex.build();
    // Which flows reach each host, in flow order; then each host's rules from its flows alone,
    // for the hosts on every core (llvm::parallel::strategy, which `-j` sets). A host's rules do
    // not depend on which thread made them or when.
    const std::vector<Flow> &flows = ctx.flows.flows;
    std::vector<std::vector<unsigned>> inboundFlows(h.hosts.size()), outboundFlows(h.hosts.size());
    for (unsigned f = 0; f < flows.size(); ++f) {
      if (flows[f].action != FlowAction::Allow)
        continue;
      for (unsigned i : hostsReached(ctx, hostIndex, flows[f], /*source=*/false))
        inboundFlows[i].push_back(f);
      if (ctx.placeOutbound)
        for (unsigned i : hostsReached(ctx, hostIndex, flows[f], /*source=*/true))
          outboundFlows[i].push_back(f);
    }
    llvm::parallelForEachN(0, h.hosts.size(), [&](size_t i) {
      EnforcementPoint &p = placed.points[i];
      p.inbound.reserve(inboundFlows[i].size());
      p.outbound.reserve(outboundFlows[i].size());
      // Each rule's flow, so that the disjoint rules cut from it cite only the parts they hold.
      std::vector<const Flow *> inOrigins, outOrigins;
      for (unsigned f : inboundFlows[i])
        if (addRule(p.inbound, flows[f], flows[f].srcAddrs, flows[f].dstAddrs.intersect(p.addresses),
                    ctx.flows.endpointLabel(flows[f], true)))
          inOrigins.push_back(&flows[f]);
      for (unsigned f : outboundFlows[i])
        if (addRule(p.outbound, flows[f], flows[f].srcAddrs.intersect(p.addresses), flows[f].dstAddrs,
                    ctx.flows.endpointLabel(flows[f], false)))
          outOrigins.push_back(&flows[f]);
      p.inbound = makeDisjoint(std::move(p.inbound), /*ownIsDestination=*/true, inOrigins);
      p.outbound = makeDisjoint(std::move(p.outbound), /*ownIsDestination=*/false, outOrigins);
    });
    for (const Firewall &fw : h.firewalls)
      placed.points.push_back(placeFirewall(ctx, fw));
    ctx.placedReady = true;
  }

private:
  /// The hosts one end of a flow lands on: by address, unless that end is a site's clients or
  /// an external endpoint.
  static std::vector<unsigned> hostsReached(const CompileContext &ctx, const AddressIndex &hosts, const Flow &f,
                                            bool source) {
    if (endpointClass(ctx.flows, source ? f.src : f.dst) != EndpointClass::ByAddress)
      return {};
    return hosts.query(source ? f.srcAddrs : f.dstAddrs);
  }

  /// Add \p f's tuples from \p src to \p dst as a rule citing all of \p f's reasons, or
  /// (\p narrow) only those behind the tuples it holds. False when it holds none.
  static bool addRule(std::vector<PlacedRule> &rules, const Flow &f, AddressSet src, AddressSet dst, std::string peer,
                      bool narrow = false) {
    if (src.empty() || dst.empty())
      return false;
    PlacedRule r;
    r.src = std::move(src);
    r.dst = std::move(dst);
    r.proto = f.proto;
    r.icmpType = f.icmpType;
    r.ports = f.ports;
    r.action = f.action;
    r.peer = std::move(peer);
    if (narrow)
      citeIntersecting(f, &r.src, &r.dst, nullptr, r.why);
    else
      r.why = f.why;
    rules.push_back(std::move(r));
    return true;
  }

  /// Each zone's effective addresses: the prefixes for which it is the most specific zone.
  /// Between equal prefixes in two zones, the zone declared first keeps it.
  static std::vector<Zone> effectiveZones(const Firewall &fw) {
    struct Claim {
      Cidr cidr;
      unsigned zone;
    };
    std::vector<Claim> claims;
    for (unsigned z = 0; z < fw.zones.size(); ++z)
      for (const Cidr &c : fw.zones[z].addresses.cidrs())
        claims.push_back({c, z});
    llvm::stable_sort(claims, [](const Claim &a, const Claim &b) {
      return a.cidr.family == b.cidr.family ? a.cidr.prefixLength > b.cidr.prefixLength : a.cidr.family < b.cidr.family;
    });
    std::vector<Zone> zones = fw.zones;
    for (Zone &z : zones)
      z.addresses = AddressSet();
    AddressSet claimed;
    for (const Claim &c : claims) {
      AddressSet block = AddressSet::fromCidr(c.cidr);
      zones[c.zone].addresses = zones[c.zone].addresses.unite(block.subtract(claimed));
      claimed = claimed.unite(block);
    }
    return zones;
  }

  static EnforcementPoint placeFirewall(const CompileContext &ctx, const Firewall &fw) {
    EnforcementPoint p;
    p.kind = EnforcementPoint::NetworkFirewall;
    p.name = fw.name;
    p.zones = effectiveZones(fw);
    for (const Zone &from : p.zones)
      for (const Zone &to : p.zones) {
        if (&from == &to)
          continue;
        ZonePair pair{from.name, to.name, {}};
        for (const Flow &f : ctx.flows.flows)
          if (f.action == FlowAction::Allow)
            addRule(pair.rules, f, f.srcAddrs.intersect(from.addresses), f.dstAddrs.intersect(to.addresses),
                    fmt::format("{} -> {}", ctx.flows.endpointLabel(f, true), ctx.flows.endpointLabel(f, false)),
                    /*narrow=*/true);
        if (!pair.rules.empty())
          p.zonePairs.push_back(std::move(pair));
      }
    return p;
  }
};

} // namespace

std::unique_ptr<Pass> createPlacePass() { return std::make_unique<PlacePass>(); }

} // namespace cmnet::passes
