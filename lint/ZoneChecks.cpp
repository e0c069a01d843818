// CM002: connections a network firewall's zone layout leaves without a rule.
#include "lint/Checks.h"

#include "fmt/format.h"

#include <map>

using namespace cmnet::ir;

namespace cmnet::lint {
namespace {

struct Gap {
  const Zone *zone; // the zone that covers part of the end
  AddressSet outside;
  std::string end, example;
};

} // namespace

void checkZones(LintContext &lc) {
  for (const Firewall &fw : lc.hierarchy.firewalls) {
    AddressSet zoned;
    for (const Zone &z : fw.zones)
      zoned = zoned.unite(z.addresses);
    std::vector<Gap> gaps;
    std::map<std::pair<std::string, AddressSet>, size_t> gapOf; // (end label, outside) -> gaps index
    for (const Flow &f : lc.table.flows) {
      if (f.action != FlowAction::Allow)
        continue;
      for (bool source : {true, false}) {
        const AddressSet &end = source ? f.srcAddrs : f.dstAddrs, &other = source ? f.dstAddrs : f.srcAddrs;
        AddressSet outside = end.subtract(zoned);
        // An end that lies wholly outside the zones is not behind this firewall; one that is
        // everything (the Internet) is expected to lie mostly outside.
        if (isWholeFamily(end) || outside.empty() || outside == end || !other.intersects(zoned))
          continue;
        std::string label = lc.table.endpointLabel(f, source);
        auto [it, inserted] = gapOf.try_emplace({label, outside}, gaps.size());
        if (!inserted)
          continue;
        const Zone *zone = &*llvm::find_if(fw.zones, [&](const Zone &z) { return z.addresses.intersects(end); });
        gaps.push_back(
            {zone, outside, label,
             fmt::format("{} {} {}", serviceText(f), source ? "to" : "from", lc.table.endpointLabel(f, !source))});
      }
    }
    for (const Gap &g : gaps)
      lc.report(RuleId::UnzonedConnection, g.zone->loc,
                fmt::format("zone '{}' of firewall '{}' covers only part of '{}': {} is in no zone, so its "
                            "connections through '{}' ({}, …) get no rule; add it to a zone",
                            g.zone->name, fw.name, g.end, g.outside.str(), fw.name, g.example),
                fmt::format("{}|{}|{}", fw.name, g.end, g.outside.str()));
  }
}

} // namespace cmnet::lint
