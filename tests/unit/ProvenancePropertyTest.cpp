// Property test for exact provenance: on random flow tables (fixed seeds), after the lowering
// passes merge the flows and place cuts them into each host's disjoint rules and each firewall's
// zone-pair rules, every rule cites
// exactly the reasons of the flows before merging that intersect it — each flow's own reason
// (unique to it) when and only when the flow shares a (source, destination, protocol, port or
// ICMP type) tuple with the rule.
#include "passes/Pass.h"
#include "unit/RandomSets.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <set>

using namespace cmnet;
using namespace cmnet::ir;

namespace {

constexpr int iterations = 300;
using unittest::RandomSets;

/// Whether a flow's end is placed by address (not a site's clients or an external endpoint).
bool placedEnd(const FlowTable &t, unsigned b) {
  return b == Flow::Mixed || (t.bindings[b].kind != Binding::Clients && t.bindings[b].kind != Binding::External);
}

bool intersects(const Flow &f, const PlacedRule &r) {
  if (f.action != FlowAction::Allow || f.proto != r.proto)
    return false;
  if (f.proto == Protocol::ICMP) {
    if (f.icmpType >= 0 && r.icmpType >= 0 && f.icmpType != r.icmpType)
      return false;
  } else if (!f.ports.intersects(r.ports)) {
    return false;
  }
  return f.srcAddrs.intersects(r.src) && f.dstAddrs.intersects(r.dst);
}

TEST(ProvenanceProperty, EveryRuleCitesExactlyTheFlowsItIntersects) {
  size_t narrowed = 0; // rules that must leave out a flow between the same addresses
  size_t zoneRules = 0;
  for (int it = 0; it < iterations; ++it) {
    unsigned seed = 31000 + it;
    RandomSets world(seed);
    llvm::SourceMgr sourceMgr;
    DiagnosticEngine diags(sourceMgr, llvm::nulls());
    Model model;
    model.hierarchy.emplace();
    model.hierarchy->name = "h";
    model.hierarchy->sites.push_back({});
    for (unsigned i = 0; i < 4; ++i) {
      Host host;
      host.name = "h" + std::to_string(i);
      host.addresses.v4().add(RandomSets::v4Base + 4 * i, RandomSets::v4Base + 4 * i + (i % 2));
      if (i % 2)
        host.addresses.v6().add(RandomSets::v6Base + 4 * i);
      model.hierarchy->hosts.push_back(std::move(host));
    }
    // A firewall between the hosts' halves of the address space and everything else.
    Firewall fw;
    fw.name = "edge";
    for (auto [name, lo, hi] : {std::tuple("low", 0u, 7u), std::tuple("high", 8u, 15u)}) {
      Zone z;
      z.name = name;
      z.addresses.v4().add(RandomSets::v4Base + lo, RandomSets::v4Base + hi);
      z.addresses.v6().add(RandomSets::v6Base + lo, RandomSets::v6Base + hi);
      fw.zones.push_back(std::move(z));
    }
    Zone outside;
    outside.name = "outside";
    outside.addresses = AddressSet::any();
    fw.zones.push_back(std::move(outside));
    model.hierarchy->firewalls.push_back(std::move(fw));
    passes::CompileContext ctx(model, diags);
    ctx.placeOutbound = true;
    FlowTable &t = ctx.flows;
    static const Binding::BindingKind kinds[] = {Binding::HostRole, Binding::Clients, Binding::External,
                                                 Binding::User};
    for (unsigned b = 0; b < 6; ++b) {
      Binding binding;
      binding.kind = kinds[world.pick(4)];
      binding.owner = world.pick(3);
      binding.label = "b" + std::to_string(b);
      t.bindings.push_back(binding);
    }
    // Few distinct shapes, so that flows merge: shared rows, and one reason per flow.
    std::vector<AddressSet> ends{world.randomAddresses(0), world.randomAddresses(0), world.randomAddresses(0)};
    std::vector<PortSet> portSets{world.randomPorts(), world.randomPorts(), world.randomPorts()};
    unsigned count = 2 + world.pick(30);
    for (unsigned i = 0; i < count; ++i) {
      Flow f;
      f.src = world.pick(6);
      f.dst = world.pick(6);
      f.srcAddrs = world.pick(2) ? ends[world.pick(3)] : world.randomAddresses(0);
      f.dstAddrs = world.pick(2) ? ends[world.pick(3)] : world.randomAddresses(0);
      int proto = world.pick(6);
      f.proto = proto < 3 ? Protocol::TCP : proto < 5 ? Protocol::UDP : Protocol::ICMP;
      if (f.proto == Protocol::ICMP)
        f.icmpType = world.pick(3) == 0 ? -1 : 8 * world.pick(2);
      else
        f.ports = world.pick(2) ? portSets[world.pick(3)] : world.randomPorts();
      f.resolved = true;
      if (world.pick(2))
        f.why.push_back(t.addProvenance(Provenance::CatalogEntry, "row " + std::to_string(world.pick(3)), {}));
      f.why.push_back(t.addProvenance(Provenance::Override, "flow " + std::to_string(i), {}));
      t.flows.push_back(std::move(f));
    }
    std::vector<Flow> before = t.flows;

    for (auto make : {passes::createDedupPass, passes::createMergePortRangesPass,
                      passes::createAggregateAddressesPass, passes::createPlacePass})
      make()->run(ctx);

    // A host's rule: the flows whose end on that side is placed by address. A firewall's:
    // every allow flow, as its rules may overlap.
    auto check = [&](const std::string &where, const PlacedRule &r, llvm::function_ref<bool(const Flow &)> behind) {
      std::set<ProvId> expected;
      for (const Flow &f : before)
        if (behind(f) && intersects(f, r))
          expected.insert(f.why.begin(), f.why.end());
      std::set<ProvId> cited(r.why.begin(), r.why.end());
      ASSERT_EQ(cited.size(), r.why.size()) << "a reason cited twice (seed " << seed << ")";
      std::string wanted, got;
      for (ProvId id : expected)
        wanted += t.provenance(id).text + "; ";
      for (ProvId id : cited)
        got += t.provenance(id).text + "; ";
      ASSERT_EQ(got, wanted) << where << " " << protocolName(r.proto).str() << " " << r.ports.str() << " from "
                             << r.src.str() << " to " << r.dst.str() << " (seed " << seed << ")";
      // A flow between the same addresses on other ports: what merging used to cite too.
      narrowed += llvm::any_of(before, [&](const Flow &f) {
        return f.proto == r.proto && f.proto != Protocol::ICMP && f.srcAddrs.intersects(r.src) &&
               f.dstAddrs.intersects(r.dst) && !intersects(f, r);
      });
    };
    for (const EnforcementPoint &p : ctx.placed.points) {
      for (const PlacedRule &r : p.inbound)
        check(p.name + " in", r, [&](const Flow &f) { return placedEnd(t, f.dst); });
      for (const PlacedRule &r : p.outbound)
        check(p.name + " out", r, [&](const Flow &f) { return placedEnd(t, f.src); });
      for (const ZonePair &pair : p.zonePairs)
        for (const PlacedRule &r : pair.rules) {
          check(p.name + " " + pair.from + " -> " + pair.to, r, [](const Flow &) { return true; });
          ++zoneRules;
        }
    }
    if (::testing::Test::HasFatalFailure())
      return;
  }
  EXPECT_GT(zoneRules, 100u) << "too few firewall rules for the test to mean much";
  EXPECT_GT(narrowed, 100u) << "too few rules had a neighbour to leave out for the test to mean much";
}

} // namespace
