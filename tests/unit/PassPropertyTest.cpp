// Property tests for the optimizing passes and place: on random flow tables (fixed seeds),
// every pass leaves exactly the same (source, destination, protocol, port) tuples allowed —
// per enforcement class, so placement cannot change either — and place never emits two
// overlapping rules for one host.
#include "passes/Pass.h"
#include "unit/RandomSets.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <functional>

using namespace cmnet;
using namespace cmnet::ir;

namespace {

constexpr int iterations = 200;

/// One point of the space a flow table allows.
struct Tuple {
  bool v6;
  uint128 src, dst;
  Protocol proto;
  int port; // TCP/UDP port, or ICMP type
};

bool inSet(const AddressSet &s, bool v6, uint128 a) {
  return v6 ? s.v6().contains(a) : s.v4().contains(uint32_t(a));
}

bool allows(const Flow &f, const Tuple &t) {
  if (f.action != FlowAction::Allow || f.proto != t.proto)
    return false;
  if (!inSet(f.srcAddrs, t.v6, t.src) || !inSet(f.dstAddrs, t.v6, t.dst))
    return false;
  if (t.proto == Protocol::ICMP)
    return f.icmpType < 0 || f.icmpType == t.port;
  return f.ports.contains(uint16_t(t.port));
}

bool allows(const PlacedRule &r, const Tuple &t) {
  if (r.action != FlowAction::Allow || r.proto != t.proto)
    return false;
  if (!inSet(r.src, t.v6, t.src) || !inSet(r.dst, t.v6, t.dst))
    return false;
  if (t.proto == Protocol::ICMP)
    return r.icmpType < 0 || r.icmpType == t.port;
  return r.ports.contains(uint16_t(t.port));
}

/// A random flow table over RandomSets' addresses and ports, three ICMP types and bindings of
/// every kind, so the enforcement classes get mixed.
class RandomWorld : public unittest::RandomSets {
public:
  using RandomSets::RandomSets;

  void fill(passes::CompileContext &ctx, unsigned flowCount) {
    FlowTable &t = ctx.flows;
    static const Binding::BindingKind kinds[] = {Binding::HostRole, Binding::Clients, Binding::External,
                                                 Binding::User};
    for (unsigned b = 0; b < 6; ++b) {
      Binding binding;
      binding.kind = kinds[pick(4)];
      binding.owner = pick(3);
      binding.role = pick(2);
      binding.label = "b" + std::to_string(b);
      t.bindings.push_back(binding);
    }
    ProvId allowA = t.addProvenance(Provenance::Allow, "allow A", {});
    ProvId allowB = t.addProvenance(Provenance::Allow, "allow B", {});
    for (unsigned i = 0; i < flowCount; ++i) {
      Flow f;
      f.src = pick(4) == 0 ? Flow::Mixed : pick(6);
      f.dst = pick(4) == 0 ? Flow::Mixed : pick(6);
      f.srcAddrs = randomAddresses(4);
      f.dstAddrs = randomAddresses(4);
      int proto = pick(5);
      f.proto = proto < 2 ? Protocol::TCP : proto < 4 ? Protocol::UDP : Protocol::ICMP;
      if (f.proto == Protocol::ICMP)
        f.icmpType = pick(3) == 0 ? -1 : pick(2) * 8;
      else
        f.ports = randomPorts();
      f.resolved = true;
      f.why.push_back(t.addProvenance(Provenance::CatalogEntry, "row " + std::to_string(pick(5)), {}));
      if (pick(8) == 0)
        f.why.push_back(pick(2) ? allowA : allowB);
      t.flows.push_back(std::move(f));
    }
  }

  /// Tuples worth asking about: random ones, and the endpoints +-1 of every interval.
  std::vector<Tuple> probes(const FlowTable &t, unsigned randomCount) {
    std::vector<uint128> v4s, v6s;
    std::vector<int> ports{0, 1, 65535};
    for (const Flow &f : t.flows) {
      for (const AddressSet *s : {&f.srcAddrs, &f.dstAddrs}) {
        for (const auto &r : s->v4().intervals())
          for (int64_t d : {-1, 0, 1})
            v4s.push_back(uint32_t(r.lo + d)), v4s.push_back(uint32_t(r.hi + d));
        for (const auto &r : s->v6().intervals())
          for (int d : {-1, 0, 1})
            v6s.push_back(r.lo + d), v6s.push_back(r.hi + d);
      }
      for (const auto &r : f.ports.intervals())
        for (int d : {-1, 0, 1})
          ports.push_back(r.lo + d), ports.push_back(r.hi + d);
    }
    std::vector<Tuple> out;
    for (unsigned i = 0; i < randomCount; ++i) {
      Tuple tu;
      tu.v6 = pick(3) == 0;
      auto &pool = tu.v6 ? v6s : v4s;
      auto address = [&] {
        if (!pool.empty() && pick(2))
          return pool[pick(int(pool.size()))];
        return tu.v6 ? v6Base + uint128(pick(18)) : uint128(v4Base + uint32_t(pick(18)) - 1);
      };
      tu.src = address();
      tu.dst = address();
      int proto = pick(3);
      tu.proto = proto == 0 ? Protocol::TCP : proto == 1 ? Protocol::UDP : Protocol::ICMP;
      tu.port = tu.proto == Protocol::ICMP ? pick(2) * 8 + pick(2) : ports[pick(int(ports.size()))];
      if (tu.port < 0 || tu.port > 65535)
        tu.port = 0;
      out.push_back(tu);
    }
    return out;
  }

};

/// A model with one site and a hierarchy (some passes read it), and a silent diagnostics sink.
struct Harness {
  Harness() : diags(sourceMgr, llvm::nulls()) {
    model.hierarchy.emplace();
    model.hierarchy->name = "h";
    model.hierarchy->sites.push_back({});
    model.hierarchy->sites[0].name = "S";
  }
  /// Host "hI" of site S with \p addresses.
  void addHost(unsigned i, AddressSet addresses) {
    Host host;
    host.name = "h" + std::to_string(i);
    host.addresses = std::move(addresses);
    model.hierarchy->hosts.push_back(std::move(host));
  }
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags;
  Model model;
};

/// Whether the table allows \p t through flows whose ends have the given enforcement kinds.
/// Clients and externals are placed nowhere; everything else by address.
bool allowsByClass(const FlowTable &t, const Tuple &tu, bool srcPlaced, bool dstPlaced) {
  auto placed = [&](unsigned b) {
    return b == Flow::Mixed || (t.bindings[b].kind != Binding::Clients && t.bindings[b].kind != Binding::External);
  };
  for (const Flow &f : t.flows)
    if (placed(f.src) == srcPlaced && placed(f.dst) == dstPlaced && allows(f, tu))
      return true;
  return false;
}

void expectSameMeaning(const std::vector<std::function<std::unique_ptr<passes::Pass>()>> &make, unsigned seed) {
  for (int it = 0; it < iterations; ++it) {
    Harness before, after;
    RandomWorld world(seed + it), same(seed + it);
    passes::CompileContext in(before.model, before.diags), out(after.model, after.diags);
    world.fill(in, 1 + world.pick(25));
    same.fill(out, 1 + same.pick(25));
    for (auto &m : make)
      m()->run(out);
    EXPECT_LE(out.flows.flows.size(), in.flows.flows.size());
    for (const Tuple &tu : world.probes(in.flows, 300))
      for (bool s : {false, true})
        for (bool d : {false, true})
          ASSERT_EQ(allowsByClass(in.flows, tu, s, d), allowsByClass(out.flows, tu, s, d))
              << "seed " << seed + it << " port " << tu.port << " src " << uint64_t(tu.src) << " dst "
              << uint64_t(tu.dst);
  }
}

TEST(PassProperty, DedupKeepsMeaning) { expectSameMeaning({passes::createDedupPass}, 1000); }
TEST(PassProperty, MergePortRangesKeepsMeaning) { expectSameMeaning({passes::createMergePortRangesPass}, 2000); }
TEST(PassProperty, AggregateAddressesKeepsMeaning) {
  expectSameMeaning({passes::createAggregateAddressesPass}, 3000);
}
TEST(PassProperty, DetectShadowingKeepsMeaning) { expectSameMeaning({passes::createDetectShadowingPass}, 4000); }
TEST(PassProperty, WholeOptimizingPipelineKeepsMeaning) {
  expectSameMeaning({passes::createDedupPass, passes::createMergePortRangesPass,
                     passes::createAggregateAddressesPass, passes::createDetectShadowingPass},
                    5000);
}

TEST(PassProperty, MergingShrinks) {
  // 20 adjacent sources x 5 ports, each once and twice: dedup halves it, merge-port-ranges
  // leaves one flow per source, aggregate-addresses one flow in all.
  Harness h;
  passes::CompileContext ctx(h.model, h.diags);
  for (int copy = 0; copy < 2; ++copy)
    for (uint32_t src = 0; src < 20; ++src)
      for (uint16_t port : {80, 443, 445, 8530, 8531}) {
        Flow f;
        f.srcAddrs.v4().add(RandomWorld::v4Base + src);
        f.dstAddrs.v4().add(RandomWorld::v4Base + 100);
        f.ports.add(port);
        f.resolved = true;
        ctx.flows.flows.push_back(std::move(f));
      }
  passes::createDedupPass()->run(ctx);
  EXPECT_EQ(ctx.flows.flows.size(), 100u);
  passes::createMergePortRangesPass()->run(ctx);
  EXPECT_EQ(ctx.flows.flows.size(), 20u);
  passes::createAggregateAddressesPass()->run(ctx);
  ASSERT_EQ(ctx.flows.flows.size(), 1u);
  EXPECT_EQ(ctx.flows.flows[0].srcAddrs.str(), "10.0.0.0/28, 10.0.0.16/30");
  EXPECT_EQ(ctx.flows.flows[0].ports.str(), "80,443,445,8530-8531");
}

/// place: per host and direction, rules never overlap, and they allow exactly what the flows
/// allow to (from) that host's addresses through placed ends.
TEST(PassProperty, PlaceEmitsDisjointRulesWithTheSameMeaning) {
  for (int it = 0; it < iterations; ++it) {
    Harness h;
    Hierarchy &hier = *h.model.hierarchy;
    for (unsigned i = 0; i < 4; ++i) {
      AddressSet addresses;
      addresses.v4().add(RandomWorld::v4Base + 3 * i, RandomWorld::v4Base + 3 * i + (i % 2));
      if (i % 2)
        addresses.v6().add(RandomWorld::v6Base + i);
      h.addHost(i, std::move(addresses));
    }
    RandomWorld world(9000 + it);
    passes::CompileContext ctx(h.model, h.diags);
    ctx.placeOutbound = true;
    world.fill(ctx, 1 + world.pick(25));
    FlowTable flows; // what place read, to compare against
    flows.bindings = ctx.flows.bindings;
    flows.flows = ctx.flows.flows;
    passes::createPlacePass()->run(ctx);
    ASSERT_EQ(ctx.placed.points.size(), hier.hosts.size());
    std::vector<Tuple> probes = world.probes(flows, 300);
    for (unsigned i = 0; i < hier.hosts.size(); ++i) {
      const EnforcementPoint &p = ctx.placed.points[i];
      for (bool inbound : {true, false}) {
        const std::vector<PlacedRule> &rules = inbound ? p.inbound : p.outbound;
        for (const Tuple &tu : probes) {
          unsigned matching = 0;
          for (const PlacedRule &r : rules)
            matching += allows(r, tu);
          ASSERT_LE(matching, 1u) << "two rules of " << p.name << " overlap (seed " << 9000 + it << ")";
          uint128 own = inbound ? tu.dst : tu.src;
          bool expected = inSet(hier.hosts[i].addresses, tu.v6, own) &&
                          (inbound ? allowsByClass(flows, tu, false, true) || allowsByClass(flows, tu, true, true)
                                   : allowsByClass(flows, tu, true, false) || allowsByClass(flows, tu, true, true));
          ASSERT_EQ(matching == 1, expected) << p.name << (inbound ? " in" : " out") << " seed " << 9000 + it;
        }
      }
    }
  }
}

/// share-rulesets: every host is in exactly one point, and a point's rules allow exactly what
/// each member's own rules allowed for packets to (from) that member's addresses; a point never
/// has rules for an address family one of its members lacks.
TEST(PassProperty, ShareRulesetsKeepsEachHostsRules) {
  size_t sharedHosts = 0;
  for (int it = 0; it < iterations; ++it) {
    Harness h;
    Hierarchy &hier = *h.model.hierarchy;
    for (unsigned i = 0; i < 8; ++i) {
      AddressSet addresses;
      addresses.v4().add(RandomWorld::v4Base + i);
      if (i >= 4)
        addresses.v6().add(RandomWorld::v6Base + i);
      h.addHost(i, std::move(addresses));
    }
    RandomWorld world(12000 + it);
    passes::CompileContext ctx(h.model, h.diags);
    ctx.placeOutbound = true;
    ctx.shareRulesets = true;
    world.fill(ctx, 1 + world.pick(6));
    std::vector<Tuple> probes = world.probes(ctx.flows, 300);
    passes::createPlacePass()->run(ctx);
    std::vector<EnforcementPoint> own = ctx.placed.points; // each host's rules before sharing
    passes::createShareRulesetsPass()->run(ctx);
    std::vector<int> pointOf(hier.hosts.size(), -1);
    for (unsigned g = 0; g < ctx.placed.points.size(); ++g) {
      const EnforcementPoint &p = ctx.placed.points[g];
      ASSERT_FALSE(p.members.empty());
      ASSERT_EQ(p.name, p.members.front().name);
      for (const RulesetMember &m : p.members) {
        unsigned i = std::stoi(m.name.substr(1));
        ASSERT_EQ(pointOf[i], -1) << m.name << " is in two points";
        pointOf[i] = int(g);
        EXPECT_EQ(m.addresses, hier.hosts[i].addresses);
        sharedHosts += p.members.size() > 1;
      }
    }
    for (unsigned i = 0; i < hier.hosts.size(); ++i) {
      ASSERT_NE(pointOf[i], -1) << "h" << i << " is in no point";
      const EnforcementPoint &shared = ctx.placed.points[pointOf[i]];
      const AddressSet &self = hier.hosts[i].addresses;
      for (bool inbound : {true, false}) {
        const std::vector<PlacedRule> &before = inbound ? own[i].inbound : own[i].outbound;
        const std::vector<PlacedRule> &after = inbound ? shared.inbound : shared.outbound;
        for (const PlacedRule &r : after) {
          if (self.v6().empty()) {
            EXPECT_TRUE((inbound ? r.dst : r.src).v6().empty()) << "IPv6 rules for IPv4-only h" << i;
          }
        }
        for (const Tuple &tu : probes) {
          if (!inSet(self, tu.v6, inbound ? tu.dst : tu.src))
            continue; // the host's firewall never sees it
          bool was = llvm::any_of(before, [&](const PlacedRule &r) { return allows(r, tu); });
          bool is = llvm::any_of(after, [&](const PlacedRule &r) { return allows(r, tu); });
          ASSERT_EQ(was, is) << "h" << i << (inbound ? " in" : " out") << " seed " << 12000 + it;
        }
      }
    }
  }
  EXPECT_GT(sharedHosts, 100u) << "too few hosts shared a ruleset for the test to mean much";
}

} // namespace
