// place: assign flows to enforcement points (host firewalls, declared network firewalls).
#include "analysis/AddressIndex.h"
#include "analysis/DisjointRules.h"
#include "analysis/FlowMerge.h"
#include "passes/Pass.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Parallel.h"

using namespace cmnet::analysis;
using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Every host gets the flows that reach its addresses (inbound; outbound too when asked),
/// rewritten so that no two of its rules overlap; every declared firewall gets the flows that
/// cross between two of its zones, per zone pair. Every `clients` group gets a point of its own
/// (the clients' firewall, for a GPO or a client image): the flows whose end is a site's
/// clients, and the allow statements that reach into the group's subnets, except onto a host
/// declared inside them. External endpoints are not ours to configure: their end of a flow is
/// placed nowhere (EndpointClass).
///
///   flow P01 clients (10.1.16.0/20) -> p01 (10.1.0.10) tcp 80,443
///   flow cas01 (10.0.0.10) -> p01 (10.1.0.10) tcp 443,445
///   flow p01 (10.1.0.10) -> P01 clients (10.1.16.0/20) udp 9
///   becomes   host p01: in 10.1.16.0/20, 10.0.0.10 -> 10.1.0.10 tcp 443 allow
///                       in 10.1.16.0/20 -> 10.1.0.10 tcp 80 allow
///                       in 10.0.0.10 -> 10.1.0.10 tcp 445 allow
///             clients clients-P01: in 10.1.0.10 -> 10.1.16.0/20 udp 9 allow
///
/// A firewall zone holds the addresses for which it is the most specific zone (longest prefix
/// wins), so `zone outside = any;` beside `zone core = 10.0.0.0/16;` means everything else.
/// A flow's part inside one zone never crosses the firewall and is not placed on it.
///
/// Each rule cites exactly the reasons behind its own tuples: of its flow's parts
/// (ir::FlowPart), those that meet the rule, so a rule to one host never cites a row of another
/// host's flow that merging joined with it; a firewall's rule, which may overlap others, also
/// the reasons of the other flows that meet it.
///
/// @pre  flows are resolved and final.
/// @post ctx.placed holds one point per host (hierarchy order), one per client group (in
///       order), then one per firewall; no two rules of one host or client group and direction
///       share a (source, destination, protocol, port) tuple.
class PlacePass : public Pass {
public:
  llvm::StringRef name() const override { return "place"; }
  llvm::StringRef summary() const override { return "place flows on host and network firewalls"; }

  void run(CompileContext &ctx) override {
    const Hierarchy &h = *ctx.model.hierarchy;
    PlacedPolicy &placed = ctx.placed;
    placed.hierarchyName = h.name;
    placed.loc = h.loc;
    placed.points.clear();
    placed.reasons.clear();
    for (ProvId id = 0; id < ctx.flows.provenanceCount(); ++id) {
      const Provenance &p = ctx.flows.provenance(id);
      placed.reasons.push_back({p.kind, p.text, ctx.flows.where(id), p.loc});
    }
    AddressIndex hostIndex, groupIndex;
    for (unsigned i = 0; i < h.hosts.size(); ++i) {
      const Host &host = h.hosts[i];
      EnforcementPoint p;
      p.kind = EnforcementPoint::HostFirewall;
      p.name = host.name;
      p.loc = host.loc;
      p.site = h.sites[host.site].name;
      p.addresses = host.addresses;
      for (const HostRole &hr : host.roles)
        p.roles.push_back(ctx.model.roles[hr.role].name);
      placed.points.push_back(std::move(p));
      hostIndex.add(host.addresses, i);
    }
    hostIndex.build();
    // An allow statement's addresses inside a client subnet are the clients' unless a host
    // declared there has them.
    std::vector<AddressSet> groupOwnByAddress;
    for (unsigned g = 0; g < h.clientGroups.size(); ++g) {
      placed.points.push_back(clientGroupPoint(ctx.model, g));
      groupIndex.add(h.clientGroups[g].addresses, g);
      AddressSet own = h.clientGroups[g].addresses;
      for (unsigned i : hostIndex.query(own))
        own = own.subtract(h.hosts[i].addresses);
      groupOwnByAddress.push_back(std::move(own));
    }
    groupIndex.build();
    // Which flows reach each host and client group, in flow order; then each point's rules
    // from its flows alone, for the points on every core (llvm::parallel::strategy, which `-j`
    // sets). A point's rules do not depend on which thread made them or when.
    const std::vector<Flow> &flows = ctx.flows.flows;
    size_t hostCount = h.hosts.size(), pointCount = hostCount + h.clientGroups.size();
    std::vector<std::vector<unsigned>> inboundFlows(pointCount), outboundFlows(pointCount);
    for (unsigned f = 0; f < flows.size(); ++f) {
      if (flows[f].action != FlowAction::Allow)
        continue;
      for (unsigned i : hostsReached(ctx, hostIndex, flows[f], /*source=*/false))
        inboundFlows[i].push_back(f);
      for (unsigned g : groupsReached(ctx, groupIndex, flows[f], /*source=*/false))
        inboundFlows[hostCount + g].push_back(f);
      if (!ctx.placeOutbound)
        continue;
      for (unsigned i : hostsReached(ctx, hostIndex, flows[f], /*source=*/true))
        outboundFlows[i].push_back(f);
      for (unsigned g : groupsReached(ctx, groupIndex, flows[f], /*source=*/true))
        outboundFlows[hostCount + g].push_back(f);
    }
    llvm::parallelForEachN(0, pointCount, [&](size_t i) {
      EnforcementPoint &p = placed.points[i];
      // The point's own end of a flow: a host's addresses, or a client group's subnets (less
      // the hosts in them, for an allow statement).
      auto own = [&](const Flow &f, bool source) -> const AddressSet & {
        if (i < hostCount || endpointClass(ctx.flows, source ? f.src : f.dst) == EndpointClass::Clients)
          return p.addresses;
        return groupOwnByAddress[i - hostCount];
      };
      p.inbound.reserve(inboundFlows[i].size());
      p.outbound.reserve(outboundFlows[i].size());
      // Each rule's flow, so that the disjoint rules cut from it cite only the parts they hold.
      std::vector<const Flow *> inOrigins, outOrigins;
      for (unsigned f : inboundFlows[i])
        if (addRule(p.inbound, flows[f], flows[f].srcAddrs, flows[f].dstAddrs.intersect(own(flows[f], false)),
                    ctx.flows.endpointLabel(flows[f], true)))
          inOrigins.push_back(&flows[f]);
      for (unsigned f : outboundFlows[i])
        if (addRule(p.outbound, flows[f], flows[f].srcAddrs.intersect(own(flows[f], true)), flows[f].dstAddrs,
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

  /// The client groups one end of a flow lands on: those of a site's clients, and those an
  /// allow statement's addresses reach into.
  static std::vector<unsigned> groupsReached(const CompileContext &ctx, const AddressIndex &groups, const Flow &f,
                                             bool source) {
    switch (endpointClass(ctx.flows, source ? f.src : f.dst)) {
    case EndpointClass::Clients:
      break;
    case EndpointClass::External:
      return {};
    case EndpointClass::ByAddress:
      if (allowStatementsOf(ctx.flows, f).empty())
        return {};
      break;
    }
    return groups.query(source ? f.srcAddrs : f.dstAddrs);
  }

  /// The point of client group \p g: `clients-SITE`, or `clients-SITE-N` when the site has
  /// several groups (N counts them from 1 in declaration order).
  static EnforcementPoint clientGroupPoint(const Model &model, unsigned g) {
    const Hierarchy &h = *model.hierarchy;
    const ClientGroup &group = h.clientGroups[g];
    const Site &site = h.sites[group.site];
    EnforcementPoint p;
    p.kind = EnforcementPoint::HostFirewall;
    p.name = "clients-" + site.name;
    if (site.clientGroups.size() > 1)
      p.name += fmt::format("-{}", llvm::find(site.clientGroups, g) - site.clientGroups.begin() + 1);
    p.site = site.name;
    p.loc = group.loc;
    p.addresses = group.addresses;
    p.clientGroup = g;
    for (const Role &r : model.roles)
      if (r.kind == RoleKind::Client)
        p.roles.push_back(r.name);
    return p;
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

  /// A declared firewall's rules per zone pair. Its rules may overlap (each is one flow's part
  /// between two zones, not cut against the others), so a rule cites the reasons of every allow
  /// flow that shares a tuple with it, not only its own flow's: the firewall opens those tuples
  /// for each of them.
  static EnforcementPoint placeFirewall(const CompileContext &ctx, const Firewall &fw) {
    EnforcementPoint p;
    p.kind = EnforcementPoint::NetworkFirewall;
    p.name = fw.name;
    p.loc = fw.loc;
    p.zones = effectiveZones(fw);
    const std::vector<Flow> &flows = ctx.flows.flows;
    BoxIndex allows;
    for (unsigned f = 0; f < flows.size(); ++f)
      if (flows[f].action == FlowAction::Allow)
        allows.add(flows[f].srcAddrs, flows[f].dstAddrs, f);
    allows.build();
    for (const Zone &from : p.zones)
      for (const Zone &to : p.zones) {
        if (&from == &to)
          continue;
        ZonePair pair{from.name, to.name, {}};
        for (const Flow &f : flows)
          if (f.action == FlowAction::Allow &&
              addRule(pair.rules, f, f.srcAddrs.intersect(from.addresses), f.dstAddrs.intersect(to.addresses),
                      fmt::format("{} -> {}", ctx.flows.endpointLabel(f, true), ctx.flows.endpointLabel(f, false)),
                      /*narrow=*/true))
            citeOverlapping(flows, allows, pair.rules.back());
        if (!pair.rules.empty())
          p.zonePairs.push_back(std::move(pair));
      }
    return p;
  }

  /// Add to \p r's reasons those of the other allow flows that share a tuple with it, in flow
  /// order.
  static void citeOverlapping(const std::vector<Flow> &flows, const BoxIndex &allows, PlacedRule &r) {
    for (unsigned g : allows.overlapping(r.src, r.dst)) {
      const Flow &other = flows[g];
      bool icmpMeets = other.icmpType < 0 || r.icmpType < 0 || other.icmpType == r.icmpType;
      if (other.proto != r.proto || (r.proto == Protocol::ICMP ? !icmpMeets : !other.ports.intersects(r.ports)) ||
          !other.srcAddrs.intersects(r.src) || !other.dstAddrs.intersects(r.dst))
        continue;
      llvm::SmallVector<ProvId, 4> cited;
      citeIntersecting(other, &r.src, &r.dst, r.proto == Protocol::ICMP ? nullptr : &r.ports, cited);
      mergeWhy(r.why, cited);
    }
  }
};

} // namespace

std::unique_ptr<Pass> createPlacePass() { return std::make_unique<PlacePass>(); }

} // namespace cmnet::passes
