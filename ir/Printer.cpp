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

static std::string ruleText(const PlacedRule &r) {
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
      os << fmt::format("host {} ({})\n", p.name, p.addresses.str());
      for (const PlacedRule &r : p.inbound)
        os << "  in  " << ruleText(r) << " ; " << r.peer << "\n";
      for (const PlacedRule &r : p.outbound)
        os << "  out " << ruleText(r) << " ; " << r.peer << "\n";
      continue;
    }
    os << fmt::format("firewall {}\n", p.name);
    for (const ZonePair &z : p.zonePairs) {
      os << fmt::format("  zone {} -> {}\n", z.from, z.to);
      for (const PlacedRule &r : z.rules)
        os << "    " << ruleText(r) << " ; " << r.peer << "\n";
    }
  }
}

static llvm::json::Value ruleJson(const PlacedPolicy &placed, const PlacedRule &r) {
  llvm::json::Array why;
  for (ProvId id : r.why) {
    const Provenance &p = placed.flows->provenance(id);
    why.push_back(llvm::json::Object{{"kind", provenanceKindName(p.kind)},
                                     {"text", p.text},
                                     {"at", placed.flows->where(id)}});
  }
  llvm::json::Array src, dst;
  for (const Cidr &c : r.src.cidrs())
    src.push_back(c.str());
  for (const Cidr &c : r.dst.cidrs())
    dst.push_back(c.str());
  llvm::json::Object o{{"action", r.action == FlowAction::Allow ? "allow" : "deny"},
                       {"protocol", protocolName(r.proto)},
                       {"source", std::move(src)},
                       {"destination", std::move(dst)},
                       {"peer", r.peer},
                       {"why", std::move(why)}};
  if (r.proto == Protocol::ICMP)
    o["icmp_type"] = r.icmpType;
  else
    o["ports"] = r.ports.str();
  return o;
}

static llvm::json::Value pointJson(const PlacedPolicy &placed, const EnforcementPoint &p) {
  llvm::json::Object o{{"name", p.name}};
  if (p.kind == EnforcementPoint::HostFirewall) {
    llvm::json::Array addrs, roles, in, out;
    for (const Cidr &c : p.addresses.cidrs())
      addrs.push_back(c.str());
    for (const std::string &r : p.roles)
      roles.push_back(r);
    for (const PlacedRule &r : p.inbound)
      in.push_back(ruleJson(placed, r));
    for (const PlacedRule &r : p.outbound)
      out.push_back(ruleJson(placed, r));
    o["kind"] = "host";
    o["site"] = p.site;
    o["addresses"] = std::move(addrs);
    o["roles"] = std::move(roles);
    o["inbound"] = std::move(in);
    o["outbound"] = std::move(out);
  } else {
    llvm::json::Array zones, pairs;
    for (const Zone &z : p.zones) {
      llvm::json::Array a;
      for (const Cidr &c : z.addresses.cidrs())
        a.push_back(c.str());
      zones.push_back(llvm::json::Object{{"name", z.name}, {"addresses", std::move(a)}});
    }
    for (const ZonePair &z : p.zonePairs) {
      llvm::json::Array rules;
      for (const PlacedRule &r : z.rules)
        rules.push_back(ruleJson(placed, r));
      pairs.push_back(llvm::json::Object{{"from", z.from}, {"to", z.to}, {"rules", std::move(rules)}});
    }
    o["kind"] = "firewall";
    o["zones"] = std::move(zones);
    o["zone_pairs"] = std::move(pairs);
  }
  return o;
}

std::string placementToJson(const PlacedPolicy &placed) {
  // Streamed point by point: a DOM of the whole policy took twenty times the text's size in
  // memory (10.9 GB for the 491 MB of a hierarchy at Microsoft's published limits). The keys go
  // out in sorted order, as llvm::json prints an Object's, so the text is the same.
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    llvm::json::OStream json(os, /*IndentSize=*/2);
    json.object([&] {
      json.attribute("format", "cmnet-ir");
      json.attribute("hierarchy", placed.hierarchyName);
      json.attributeArray("points", [&] {
        for (const EnforcementPoint &p : placed.points)
          json.value(pointJson(placed, p));
      });
      json.attribute("source", placed.sourceFile);
      json.attribute("version", 1);
    });
  }
  os << "\n";
  return os.str();
}

} // namespace cmnet::ir
