// AWS security group lowering: a CloudFormation template per host, prefix lists for peer sets.
#include "backends/AwsSecurityGroupBackend.h"

#include "backends/ObjectNames.h"
#include "backends/RuleFormat.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

/// Rules per direction and group, counting each prefix-list entry (AWS's hard ceiling; the
/// default quota is 60 and is raised per account).
constexpr size_t maxRuleWeight = 1000;
constexpr size_t maxDescriptionBytes = 255;

/// AWS accepts only a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$* in descriptions: the
/// catalog's arrows become words, anything else a space.
std::string awsText(llvm::StringRef text, size_t maxBytes) {
  static const llvm::StringRef allowed = "._-:/()#,@[]+=&;{}!$* ";
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).startswith("<-->")) {
      out += "and";
      i += 3;
    } else if (text.substr(i).startswith("-->")) {
      out += "to";
      i += 2;
    } else {
      char c = text[i];
      out += (isalnum((unsigned char)c) || allowed.contains(c)) ? c : ' ';
    }
  }
  if (out.size() > maxBytes)
    out = out.substr(0, maxBytes - 3) + "...";
  return out;
}

/// "10.1.0.10/32": AWS wants the prefix length even for one address.
std::string cidrText(const Cidr &c) { return fmt::format("{}/{}", formatAddress(c.family, c.network), c.prefixLength); }

/// IpProtocol, FromPort, ToPort of one entry.
struct Permission {
  const char *protocol;
  int from, to;
};

std::vector<Permission> permissions(const PlacedRule &r, Family family) {
  if (r.proto == Protocol::ICMP) {
    // FromPort is the ICMP type (-1: every type), ToPort the code (-1: every code).
    return {{family == Family::V4 ? "icmp" : "icmpv6", *icmpTypeIn(r.icmpType, family), -1}};
  }
  const char *protocol = r.proto == Protocol::TCP ? "tcp" : "udp";
  if (coversAllPorts(r.ports))
    return {{protocol, 0, 65535}};
  std::vector<Permission> out;
  for (const auto &iv : r.ports.intervals())
    out.push_back({protocol, iv.lo, iv.hi});
  return out;
}

/// Builds the security group's entries and the prefix lists they reference, counting each
/// direction's rule weight as AWS does.
class GroupWriter {
public:
  GroupWriter(const PlacedPolicy &placed, const EnforcementPoint &host) : placed(placed), host(host) {
    write(host.inbound, /*inbound=*/true);
    write(host.outbound, /*inbound=*/false);
  }

  llvm::json::Object resources;
  llvm::json::Array ingress, egress;
  size_t weight[2] = {0, 0}; // outbound, inbound

private:
  void write(llvm::ArrayRef<PlacedRule> rules, bool inbound) {
    for (const PlacedRule &r : rules)
      for (Family f : ruleFamilies(r)) {
        std::vector<Cidr> peers = familyPart(inbound ? r.src : r.dst, f).cidrs(f);
        std::string description = awsText(ruleComment(placed, r), maxDescriptionBytes);
        for (const Permission &p : permissions(r, f)) {
          llvm::json::Object entry{
              {"IpProtocol", p.protocol}, {"FromPort", p.from}, {"ToPort", p.to}, {"Description", description}};
          addPeer(entry, peers, f, inbound);
          (inbound ? ingress : egress).push_back(std::move(entry));
          weight[inbound] += peers.size();
        }
      }
  }

  /// One block goes inline; several become a prefix list (one per distinct set).
  void addPeer(llvm::json::Object &entry, const std::vector<Cidr> &peers, Family f, bool inbound) {
    if (peers.size() == 1) {
      entry[f == Family::V4 ? "CidrIp" : "CidrIpv6"] = cidrText(peers[0]);
      return;
    }
    AddressSet set;
    for (const Cidr &c : peers)
      set = set.unite(AddressSet::fromCidr(c));
    auto [id, created] = prefixLists.intern(set);
    if (created) {
      llvm::json::Array entries;
      for (const Cidr &c : peers)
        entries.push_back(llvm::json::Object{{"Cidr", cidrText(c)}});
      resources[id] = llvm::json::Object{
          {"Type", "AWS::EC2::PrefixList"},
          {"Properties", llvm::json::Object{{"PrefixListName", fmt::format("cmnet-{}-{}", host.name, id)},
                                            {"AddressFamily", f == Family::V4 ? "IPv4" : "IPv6"},
                                            {"MaxEntries", int64_t(peers.size())},
                                            {"Entries", std::move(entries)}}}};
    }
    entry[inbound ? "SourcePrefixListId" : "DestinationPrefixListId"] = llvm::json::Object{{"Ref", id}};
  }

  const PlacedPolicy &placed;
  const EnforcementPoint &host;
  ObjectNames<AddressSet> prefixLists{"PeerList"};
};

std::string renderHost(const PlacedPolicy &placed, const EnforcementPoint &host, const BackendOptions &options) {
  GroupWriter w(placed, host);
  llvm::json::Object props{
      {"GroupDescription", awsText(fmt::format("cmnet host {}", host.name), maxDescriptionBytes)},
      {"VpcId", llvm::json::Object{{"Ref", "VpcId"}}},
      {"SecurityGroupIngress", std::move(w.ingress)},
      {"Tags", llvm::json::Array{llvm::json::Object{{"Key", "Name"}, {"Value", "cmnet-" + host.name}}}}};
  // Without egress entries CloudFormation keeps AWS's allow-all egress rule, which is what a
  // policy without outbound rules means.
  if (!host.outbound.empty())
    props["SecurityGroupEgress"] = std::move(w.egress);
  w.resources["SecurityGroup"] =
      llvm::json::Object{{"Type", "AWS::EC2::SecurityGroup"}, {"Properties", std::move(props)}};

  llvm::json::Array addresses;
  for (const Cidr &c : host.addresses.cidrs())
    addresses.push_back(cidrText(c));
  llvm::json::Object root{
      {"AWSTemplateFormatVersion", "2010-09-09"},
      {"Description", awsText(fmt::format("cmnet security group for host {}: generated by cmnetc {} from {}; do "
                                          "not edit",
                                          host.name, options.compilerVersion, placed.sourceFile),
                              1024)},
      {"Metadata", llvm::json::Object{{"cmnet", llvm::json::Object{{"generator", "cmnetc " + options.compilerVersion},
                                                                   {"source", placed.sourceFile},
                                                                   {"point", pointSummary(host)},
                                                                   {"addresses", std::move(addresses)}}}}},
      {"Parameters",
       llvm::json::Object{{"VpcId", llvm::json::Object{{"Type", "AWS::EC2::VPC::Id"},
                                                       {"Description", "The VPC of host " + host.name}}}}},
      {"Resources", std::move(w.resources)},
      {"Outputs", llvm::json::Object{{"SecurityGroupId",
                                      llvm::json::Object{{"Value", llvm::json::Object{{"Ref", "SecurityGroup"}}}}}}}};
  return prettyJson(std::move(root));
}

/// True when the rule's own end is the whole host in every family it matches: a security group
/// applies to the instance and cannot single out one of its addresses.
bool coversWholeHost(const PlacedRule &r, const EnforcementPoint &host, bool inbound) {
  const AddressSet &own = inbound ? r.dst : r.src;
  return llvm::all_of(ruleFamilies(r), [&](Family f) { return familyPart(own, f) == familyPart(host.addresses, f); });
}

} // namespace

void AwsSecurityGroupBackend::checkLimits(const PlacedPolicy &placed, DiagnosticEngine &diags) const {
  for (const EnforcementPoint *host : hostPoints(placed)) {
    for (bool inbound : {true, false})
      for (const PlacedRule &r : inbound ? host->inbound : host->outbound)
        if (!coversWholeHost(r, *host, inbound))
          diags.report(DiagKind::Unsupported, ruleLoc(placed, r),
                       fmt::format("target 'aws-sg' applies a security group to all of host '{}'; this rule covers "
                                   "only {} of its addresses {} (give the address its own host)",
                                   host->name, (inbound ? r.dst : r.src).str(), host->addresses.str()));
    GroupWriter w(placed, *host);
    for (bool inbound : {true, false})
      if (w.weight[inbound] > maxRuleWeight)
        diags.report(DiagKind::Unsupported, pointLoc(placed, *host),
                     fmt::format("target 'aws-sg' allows {} {} rules per security group; host '{}' needs {} "
                                 "(aggregate its peers' addresses or port ranges)",
                                 maxRuleWeight, inbound ? "inbound" : "outbound", host->name, w.weight[inbound]));
  }
}

bool AwsSecurityGroupBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  return renderPerHost(placed, ".json", emit,
                       [&](const EnforcementPoint &host) { return renderHost(placed, host, options); });
}

} // namespace cmnet::backends
