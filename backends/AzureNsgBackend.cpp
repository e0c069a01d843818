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

llvm::json::Array prefixes(const AddressSet &set, Family family) {
  llvm::json::Array out;
  for (const Cidr &c : set.cidrs(family))
    out.push_back(c.str());
  return out;
}

/// The rules every NSG ends with: Azure's defaults allow all traffic inside the virtual
/// network (65000), so the deny-all must come before them.
void appendClosingRules(llvm::json::Array &rules, bool outbound) {
  auto rule = [](const char *name, unsigned priority, const char *direction, const char *access, const char *source,
                 const char *description) {
    return llvm::json::Object{{"name", name},
                              {"properties", llvm::json::Object{{"priority", priority},
                                                                {"direction", direction},
                                                                {"access", access},
                                                                {"protocol", "*"},
                                                                {"description", description},
                                                                {"sourceAddressPrefix", source},
                                                                {"sourcePortRange", "*"},
                                                                {"destinationAddressPrefix", "*"},
                                                                {"destinationPortRange", "*"}}}};
  };
  rules.push_back(rule("cmnet-allow-load-balancer", loadBalancerPriority, "Inbound", "Allow", "AzureLoadBalancer",
                       "cmnet: Azure load balancer health probes"));
  rules.push_back(
      rule("cmnet-deny-all-inbound", denyAllPriority, "Inbound", "Deny", "*", "cmnet: everything else is denied"));
  if (outbound)
    rules.push_back(
        rule("cmnet-deny-all-outbound", denyAllPriority, "Outbound", "Deny", "*", "cmnet: everything else is denied"));
}

llvm::json::Object ruleJson(const PlacedPolicy &placed, const NsgRule &n, unsigned priority) {
  const PlacedRule &r = *n.rule;
  const char *protocol = r.proto == Protocol::TCP ? "Tcp" : r.proto == Protocol::UDP ? "Udp" : "Icmp";
  llvm::json::Object props{{"priority", priority},
                           {"direction", n.inbound ? "Inbound" : "Outbound"},
                           {"access", r.action == FlowAction::Allow ? "Allow" : "Deny"},
                           {"protocol", protocol},
                           {"description", shortComment(placed, r, maxDescriptionBytes)},
                           {"sourceAddressPrefixes", prefixes(r.src, n.family)},
                           {"sourcePortRange", "*"},
                           {"destinationAddressPrefixes", prefixes(r.dst, n.family)}};
  if (r.proto == Protocol::ICMP || coversAllPorts(r.ports)) {
    props["destinationPortRange"] = "*";
  } else {
    llvm::json::Array ports;
    for (const auto &iv : r.ports.intervals())
      ports.push_back(iv.lo == iv.hi ? fmt::format("{}", iv.lo) : fmt::format("{}-{}", iv.lo, iv.hi));
    props["destinationPortRanges"] = std::move(ports);
  }
  return llvm::json::Object{{"name", fmt::format("cmnet-{}-{}", n.inbound ? "in" : "out", priority)},
                            {"properties", std::move(props)}};
}

std::string renderHost(const PlacedPolicy &placed, const EnforcementPoint &host, const BackendOptions &options) {
  llvm::json::Array rules;
  unsigned next[2] = {firstPriority, firstPriority}; // per direction: Azure keys priorities by direction
  for (const NsgRule &n : nsgRules(host))
    rules.push_back(ruleJson(placed, n, next[n.inbound]++));
  appendClosingRules(rules, !host.outbound.empty());

  llvm::json::Array addresses;
  for (const Cidr &c : host.addresses.cidrs())
    addresses.push_back(c.str());
  llvm::json::Object nsg{{"type", "Microsoft.Network/networkSecurityGroups"},
                         {"apiVersion", "2023-09-01"},
                         {"name", "[parameters('nsgName')]"},
                         {"location", "[parameters('location')]"},
                         {"properties", llvm::json::Object{{"securityRules", std::move(rules)}}}};
  llvm::json::Object parameters{
      {"nsgName", llvm::json::Object{{"type", "string"}, {"defaultValue", "cmnet-" + host.name}}},
      {"location", llvm::json::Object{{"type", "string"}, {"defaultValue", "[resourceGroup().location]"}}}};
  llvm::json::Object metadata{{"generator", "cmnetc " + options.compilerVersion},
                              {"source", placed.sourceFile},
                              {"point", pointSummary(host)},
                              {"addresses", std::move(addresses)},
                              {"deploy", "az deployment group create -g GROUP -f " + safeFileName(host.name) +
                                             ".json; deploying again replaces every rule of the NSG"}};
  llvm::json::Object root{
      {"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
      {"contentVersion", "1.0.0.0"},
      {"metadata", std::move(metadata)},
      {"parameters", std::move(parameters)},
      {"resources", llvm::json::Array{std::move(nsg)}}};
  return prettyJson(std::move(root));
}

} // namespace

void AzureNsgBackend::checkLimits(const PlacedPolicy &placed, DiagnosticEngine &diags) const {
  for (const EnforcementPoint *host : hostPoints(placed)) {
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
                       [&](const EnforcementPoint &host) { return renderHost(placed, host, options); });
}

} // namespace cmnet::backends
