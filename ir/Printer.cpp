// IR printers: stable text for FileCheck and JSON for tools.
#include "ir/Printer.h"

#include "fmt/format.h"
#include "llvm/Support/JSON.h"

namespace cmnet::ir {

std::string flowPortsText(const Flow &flow) {
  if (flow.proto == Protocol::ICMP)
    return flow.icmpType < 0 ? "any" : fmt::format("type {}", flow.icmpType);
  if (flow.resolved || !flow.entry)
    return flow.ports.str();
  std::string out;
  for (const PortItem &item : flow.entry->ports) {
    if (!out.empty())
      out += ',';
    if (item.kind == PortItem::Literal)
      out += item.lo == item.hi ? fmt::format("{}", item.lo) : fmt::format("{}-{}", item.lo, item.hi);
    else
      out += "{" + printExpr(*item.ref) + "}";
  }
  return out;
}

std::string placedRuleText(const PlacedRule &r) {
  std::string ports = r.proto == Protocol::ICMP ? (r.icmpType < 0 ? "any" : fmt::format("type {}", r.icmpType))
                                                : r.ports.str();
  return fmt::format("{} -> {} {} {} {}", r.src.str(), r.dst.str(), protocolName(r.proto).str(), ports,
                     r.action == FlowAction::Allow ? "allow" : "deny");
}

void printFlows(const Model &model, const FlowTable &table, llvm::raw_ostream &os) {
  for (const Flow &f : table.flows) {
    std::string why;
    for (ProvId id : f.why) {
      const Provenance &p = table.provenance(id);
      why += fmt::format(" [{}: {}]", provenanceKindName(p.kind).str(), p.text);
    }
    os << fmt::format("flow {} ({}) -> {} ({}) {} {} {}{}\n", table.endpointLabel(f, true), f.srcAddrs.str(),
                      table.endpointLabel(f, false), f.dstAddrs.str(), protocolName(f.proto).str(), flowPortsText(f),
                      f.action == FlowAction::Allow ? "allow" : "deny", why);
  }
}

void printPlacement(const PlacedPolicy &placed, llvm::raw_ostream &os) {
  for (const EnforcementPoint &p : placed.points) {
    if (p.kind == EnforcementPoint::HostFirewall) {
      os << fmt::format("{} {} ({})\n", p.forClients() ? "clients" : "host", p.name, p.addresses.str());
      if (p.members.size() > 1) {
        os << "  members";
        for (const RulesetMember &m : p.members)
          os << " " << m.name;
        os << "\n";
      }
      for (const PlacedRule &r : p.inbound)
        os << "  in  " << placedRuleText(r) << " ; " << r.peer << "\n";
      for (const PlacedRule &r : p.outbound)
        os << "  out " << placedRuleText(r) << " ; " << r.peer << "\n";
      continue;
    }
    os << fmt::format("firewall {}\n", p.name);
    for (const ZonePair &z : p.zonePairs) {
      os << fmt::format("  zone {} -> {}\n", z.from, z.to);
      for (const PlacedRule &r : z.rules)
        os << "    " << placedRuleText(r) << " ; " << r.peer << "\n";
    }
  }
}

// The placed IR is written straight to the stream, without a DOM: building llvm::json values
// for every rule and printing them (which sorts each object's keys) is several times slower at
// Microsoft's published limits (docs/performance.md). Keys go out in sorted order, as llvm::json
// prints an Object's, so the text is the same as a DOM's.

static void cidrArray(llvm::json::OStream &json, llvm::StringRef key, const AddressSet &set) {
  json.attributeArray(key, [&] {
    for (const Cidr &c : set.cidrs())
      json.value(c.str());
  });
}

void writePlacedRuleJson(llvm::json::OStream &json, const PlacedPolicy &placed, const PlacedRule &r) {
  json.object([&] {
    json.attribute("action", r.action == FlowAction::Allow ? "allow" : "deny");
    cidrArray(json, "destination", r.dst);
    if (r.proto == Protocol::ICMP)
      json.attribute("icmp_type", r.icmpType);
    json.attribute("peer", r.peer);
    if (r.proto != Protocol::ICMP)
      json.attribute("ports", r.ports.str());
    json.attribute("protocol", protocolName(r.proto));
    cidrArray(json, "source", r.src);
    json.attributeArray("why", [&] {
      for (ProvId id : r.why) {
        const PlacedReason &p = placed.reasons[id];
        json.object([&] {
          json.attribute("at", p.where);
          json.attribute("kind", provenanceKindName(p.kind));
          json.attribute("text", p.text);
        });
      }
    });
  });
}

static void writeRules(llvm::json::OStream &json, llvm::StringRef key, const PlacedPolicy &placed,
                       const std::vector<PlacedRule> &rules) {
  json.attributeArray(key, [&] {
    for (const PlacedRule &r : rules)
      writePlacedRuleJson(json, placed, r);
  });
}

static void writePoint(llvm::json::OStream &json, const PlacedPolicy &placed, const EnforcementPoint &p) {
  json.object([&] {
    if (p.kind == EnforcementPoint::HostFirewall) {
      cidrArray(json, "addresses", p.addresses);
      writeRules(json, "inbound", placed, p.inbound);
      json.attribute("kind", p.forClients() ? "clients" : "host");
      if (!p.members.empty())
        json.attributeArray("members", [&] {
          for (const RulesetMember &m : p.members)
            json.object([&] {
              cidrArray(json, "addresses", m.addresses);
              json.attribute("name", m.name);
            });
        });
      json.attribute("name", p.name);
      writeRules(json, "outbound", placed, p.outbound);
      json.attributeArray("roles", [&] {
        for (const std::string &r : p.roles)
          json.value(r);
      });
      json.attribute("site", p.site);
      return;
    }
    json.attribute("kind", "firewall");
    json.attribute("name", p.name);
    json.attributeArray("zone_pairs", [&] {
      for (const ZonePair &z : p.zonePairs)
        json.object([&] {
          json.attribute("from", z.from);
          writeRules(json, "rules", placed, z.rules);
          json.attribute("to", z.to);
        });
    });
    json.attributeArray("zones", [&] {
      for (const Zone &z : p.zones)
        json.object([&] {
          cidrArray(json, "addresses", z.addresses);
          json.attribute("name", z.name);
        });
    });
  });
}

void writePlacementJson(const PlacedPolicy &placed, llvm::raw_ostream &os) {
  // Streamed: a DOM of the whole policy takes many times the text's size in memory.
  {
    llvm::json::OStream json(os, /*IndentSize=*/2);
    json.object([&] {
      json.attribute("format", "cmnet-ir");
      json.attribute("hierarchy", placed.hierarchyName);
      json.attributeArray("points", [&] {
        for (const EnforcementPoint &p : placed.points)
          writePoint(json, placed, p);
      });
      json.attribute("source", placed.sourceFile);
      json.attribute("version", 1);
    });
  }
  os << "\n";
}

} // namespace cmnet::ir
