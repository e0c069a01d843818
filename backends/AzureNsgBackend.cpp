// Azure NSG lowering: an ARM template per host with prioritised security rules.
#include "backends/AzureNsgBackend.h"

#include "backends/RuleFormat.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

constexpr unsigned firstPriority = 100;
constexpr unsigned loadBalancerPriority = 4095;
constexpr unsigned denyAllPriority = 4096;
// Azure subscription limits per NSG.
constexpr size_t maxRules = 1000;
constexpr size_t maxPrefixes = 4000;
constexpr size_t maxDescriptionBytes = 140;

/// One security rule: a placed rule's part in one address family.
struct NsgRule {
  const PlacedRule *rule;
  Family family;
  bool inbound;
};

/// A host's security rules in priority order, inbound first.
std::vector<NsgRule> nsgRules(const EnforcementPoint &host) {
  std::vector<NsgRule> out;
  for (bool inbound : {true, false})
    for (const PlacedRule &r : inbound ? host.inbound : host.outbound)
      for (Family f : ruleFamilies(r))
        out.push_back({&r, f, inbound});
  return out;
}

// Templates are written straight to the stream, keys in sorted order as llvm::json prints an
// Object's: a JSON value per rule and field cost more than the text of 125,480 templates.

void prefixes(llvm::json::OStream &json, llvm::StringRef key, const AddressSet &set, Family family) {
  json.attributeArray(key, [&] {
    for (const Cidr &c : set.cidrs(family))
      json.value(c.str());
  });
}

/// The rules every NSG ends with: Azure's defaults allow all traffic inside the virtual
/// network (65000), so the deny-all must come before them.
void writeClosingRules(llvm::json::OStream &json, bool outbound) {
  auto rule = [&](llvm::StringRef name, unsigned priority, llvm::StringRef direction, llvm::StringRef access,
                  llvm::StringRef source, llvm::StringRef description) {
    json.object([&] {
      json.attribute("name", name);
      json.attributeObject("properties", [&] {
        json.attribute("access", access);
        json.attribute("description", description);
        json.attribute("destinationAddressPrefix", "*");
        json.attribute("destinationPortRange", "*");
        json.attribute("direction", direction);
        json.attribute("priority", priority);
        json.attribute("protocol", "*");
        json.attribute("sourceAddressPrefix", source);
        json.attribute("sourcePortRange", "*");
      });
    });
  };
  rule("cmnet-allow-load-balancer", loadBalancerPriority, "Inbound", "Allow", "AzureLoadBalancer",
       "cmnet: Azure load balancer health probes");
  rule("cmnet-deny-all-inbound", denyAllPriority, "Inbound", "Deny", "*", "cmnet: everything else is denied");
  if (outbound)
    rule("cmnet-deny-all-outbound", denyAllPriority, "Outbound", "Deny", "*", "cmnet: everything else is denied");
}

void writeRule(llvm::json::OStream &json, const PlacedPolicy &placed, const NsgRule &n, unsigned priority) {
  const PlacedRule &r = *n.rule;
  const char *protocol = r.proto == Protocol::TCP ? "Tcp" : r.proto == Protocol::UDP ? "Udp" : "Icmp";
  json.object([&] {
    json.attribute("name", fmt::format("cmnet-{}-{}", n.inbound ? "in" : "out", priority));
    json.attributeObject("properties", [&] {
      json.attribute("access", r.action == FlowAction::Allow ? "Allow" : "Deny");
      json.attribute("description", shortComment(placed, r, maxDescriptionBytes));
      prefixes(json, "destinationAddressPrefixes", r.dst, n.family);
      if (r.proto == Protocol::ICMP || coversAllPorts(r.ports)) {
        json.attribute("destinationPortRange", "*");
      } else {
        json.attributeArray("destinationPortRanges", [&] {
          for (const auto &iv : r.ports.intervals())
            json.value(iv.lo == iv.hi ? fmt::format("{}", iv.lo) : fmt::format("{}-{}", iv.lo, iv.hi));
        });
      }
      json.attribute("direction", n.inbound ? "Inbound" : "Outbound");
      json.attribute("priority", priority);
      json.attribute("protocol", protocol);
      prefixes(json, "sourceAddressPrefixes", r.src, n.family);
      json.attribute("sourcePortRange", "*");
    });
  });
}

std::string renderHost(const PlacedPolicy &placed, const EnforcementPoint &host, const BackendOptions &options) {
  return writeJson([&](llvm::json::OStream &json) {
    json.attribute("$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
    json.attribute("contentVersion", "1.0.0.0");
    json.attributeObject("metadata", [&] {
      json.attributeArray("addresses", [&] {
        for (const Cidr &c : host.addresses.cidrs())
          json.value(c.str());
      });
      json.attribute("deploy", "az deployment group create -g GROUP -f " + safeFileName(host.name) +
                                   ".json; deploying again replaces every rule of the NSG");
      json.attribute("generator", "cmnetc " + options.compilerVersion);
      json.attribute("point", pointSummary(host));
      json.attribute("source", placed.sourceFile);
    });
    json.attributeObject("parameters", [&] {
      json.attributeObject("location", [&] {
        json.attribute("defaultValue", "[resourceGroup().location]");
        json.attribute("type", "string");
      });
      json.attributeObject("nsgName", [&] {
        json.attribute("defaultValue", "cmnet-" + host.name);
        json.attribute("type", "string");
      });
    });
    json.attributeArray("resources", [&] {
      json.object([&] {
        json.attribute("apiVersion", "2023-09-01");
        json.attribute("location", "[parameters('location')]");
        json.attribute("name", "[parameters('nsgName')]");
        json.attributeObject("properties", [&] {
          json.attributeArray("securityRules", [&] {
            unsigned next[2] = {firstPriority, firstPriority}; // per direction: Azure keys priorities by direction
            for (const NsgRule &n : nsgRules(host))
              writeRule(json, placed, n, next[n.inbound]++);
            writeClosingRules(json, !host.outbound.empty());
          });
        });
        json.attribute("type", "Microsoft.Network/networkSecurityGroups");
      });
    });
  });
}

} // namespace

void AzureNsgBackend::checkLimits(const PlacedPolicy &placed, DiagnosticEngine &diags) const {
  for (const EnforcementPoint *host : hostPoints(placed, capabilities().clientRulesets)) {
    std::vector<NsgRule> rules = nsgRules(*host);
    size_t count = rules.size() + 2 + (host->outbound.empty() ? 0 : 1);
    size_t prefixCount = 0;
    for (const NsgRule &n : rules)
      prefixCount += n.rule->src.cidrs(n.family).size() + n.rule->dst.cidrs(n.family).size();
    if (count > maxRules)
      diags.report(DiagKind::Unsupported, pointLoc(placed, *host),
                   fmt::format("target 'azure-nsg' allows {} rules per network security group; host '{}' needs {} "
                               "(aggregate its peers or split the host's roles)",
                               maxRules, host->name, count));
    if (prefixCount > maxPrefixes)
      diags.report(DiagKind::Unsupported, pointLoc(placed, *host),
                   fmt::format("target 'azure-nsg' allows {} address prefixes per network security group; host "
                               "'{}' needs {} (aggregate its peers' addresses)",
                               maxPrefixes, host->name, prefixCount));
  }
}

bool AzureNsgBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  return renderPerHost(placed, ".json", emit,
                       [&](const EnforcementPoint &host) { return renderHost(placed, host, options); },
                       capabilities().clientRulesets);
}

} // namespace cmnet::backends
