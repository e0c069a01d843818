// place: assign flows to enforcement points (host firewalls, declared network firewalls).
#include "passes/Pass.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Every host gets the flows that reach it (inbound; outbound too when asked); every declared
/// firewall gets the flows that cross between two of its zones, per zone pair.
///
///   flow P01 clients (10.1.16.0/20) -> p01 (10.1.0.10) tcp 80
///   becomes   host p01: in 10.1.16.0/20 -> 10.1.0.10 tcp 80 allow
///
/// @pre  flows are resolved and final.
/// @post ctx.placed holds one point per host (hierarchy order) and per firewall.
class PlacePass : public Pass {
public:
  llvm::StringRef name() const override { return "place"; }
  llvm::StringRef summary() const override { return "place flows on host and network firewalls"; }

  void run(CompileContext &ctx) override {
    const Hierarchy &h = *ctx.model.hierarchy;
    PlacedPolicy &placed = ctx.placed;
    placed.sourceFile = ctx.model.mainFile;
    placed.hierarchyName = h.name;
    placed.flows = &ctx.flows;
    placed.model = &ctx.model;
    placed.points.clear();
    for (const Host &host : h.hosts) {
      EnforcementPoint p;
      p.kind = EnforcementPoint::HostFirewall;
      p.name = host.name;
      p.site = h.sites[host.site].name;
      p.addresses = host.addresses;
      for (const HostRole &hr : host.roles)
        p.roles.push_back(ctx.model.roles[hr.role].name);
      placed.points.push_back(std::move(p));
    }
    for (const Flow &f : ctx.flows.flows) {
      if (f.action != FlowAction::Allow)
        continue;
      for (unsigned i : hostsTouching(ctx, f, /*source=*/false))
        addRule(placed.points[i].inbound, f, f.srcAddrs, f.dstAddrs.intersect(h.hosts[i].addresses),
                ctx.flows.endpointLabel(f, true));
      if (ctx.placeOutbound)
        for (unsigned i : hostsTouching(ctx, f, /*source=*/true))
          addRule(placed.points[i].outbound, f, f.srcAddrs.intersect(h.hosts[i].addresses), f.dstAddrs,
                  ctx.flows.endpointLabel(f, false));
    }
    for (const Firewall &fw : h.firewalls)
      placed.points.push_back(placeFirewall(ctx, fw));
    ctx.placedReady = true;
  }

private:
  /// Hosts whose addresses the flow's source (or destination) covers. A flow from a host
  /// binding goes straight to its host; merged or user flows are matched by address.
  static llvm::SmallVector<unsigned, 2> hostsTouching(const CompileContext &ctx, const Flow &f, bool source) {
    llvm::SmallVector<unsigned, 2> out;
    unsigned b = source ? f.src : f.dst;
    if (b != Flow::Mixed) {
      const Binding &binding = ctx.flows.bindings[b];
      if (binding.kind == Binding::HostRole)
        out.push_back(binding.owner);
      if (binding.kind != Binding::User)
        return out;
    }
    const AddressSet &addrs = source ? f.srcAddrs : f.dstAddrs;
    const auto &hosts = ctx.model.hierarchy->hosts;
    for (unsigned i = 0; i < hosts.size(); ++i)
      if (addrs.intersects(hosts[i].addresses))
        out.push_back(i);
    return out;
  }

  static void addRule(std::vector<PlacedRule> &rules, const Flow &f, AddressSet src, AddressSet dst, std::string peer) {
    if (src.empty() || dst.empty())
      return;
    PlacedRule r;
    r.src = std::move(src);
    r.dst = std::move(dst);
    r.proto = f.proto;
    r.icmpType = f.icmpType;
    r.ports = f.ports;
    r.action = f.action;
    r.peer = std::move(peer);
    r.why = f.why;
    rules.push_back(std::move(r));
  }

  static EnforcementPoint placeFirewall(const CompileContext &ctx, const Firewall &fw) {
    EnforcementPoint p;
    p.kind = EnforcementPoint::NetworkFirewall;
    p.name = fw.name;
    p.zones = fw.zones;
    for (const Zone &from : fw.zones)
      for (const Zone &to : fw.zones) {
        if (&from == &to)
          continue;
        ZonePair pair{from.name, to.name, {}};
        for (const Flow &f : ctx.flows.flows)
          if (f.action == FlowAction::Allow)
            addRule(pair.rules, f, f.srcAddrs.intersect(from.addresses), f.dstAddrs.intersect(to.addresses),
                    fmt::format("{} -> {}", ctx.flows.endpointLabel(f, true), ctx.flows.endpointLabel(f, false)));
        if (!pair.rules.empty())
          p.zonePairs.push_back(std::move(pair));
      }
    return p;
  }
};

} // namespace

std::unique_ptr<Pass> createPlacePass() { return std::make_unique<PlacePass>(); }

} // namespace cmnet::passes
