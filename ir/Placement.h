// PlacedPolicy: flows assigned to enforcement points (host firewalls, network firewalls).
#pragma once

#include "ir/Flow.h"

#include <string>
#include <vector>

namespace cmnet::ir {

/// A rule as an enforcement point applies it. Deny rules come before allows.
struct PlacedRule {
  // Moves are noexcept (SmallVector's are not declared so): std::vector then moves rules when
  // it grows instead of copying them, which matters with millions of them.
  PlacedRule() = default;
  PlacedRule(const PlacedRule &) = default;
  PlacedRule(PlacedRule &&) noexcept = default;
  PlacedRule &operator=(const PlacedRule &) = default;
  PlacedRule &operator=(PlacedRule &&) noexcept = default;

  AddressSet src, dst;
  Protocol proto = Protocol::TCP;
  int icmpType = -1;
  PortSet ports; // empty for ICMP
  FlowAction action = FlowAction::Allow;
  std::string peer; // the other end, for comments ("P01 clients", "cas01")
  llvm::SmallVector<ProvId, 4> why;
};

/// A reason placed rules cite, as the targets print it: a provenance record of the flow table
/// with its location resolved, so that backends need neither the table nor the source manager.
struct PlacedReason {
  Provenance::ProvKind kind = Provenance::CatalogEntry;
  std::string text;
  std::string where; // "file:line", or "" for a record without a location
  llvm::SMRange loc; // for diagnostics about a rule
};

struct ZonePair {
  std::string from, to;
  std::vector<PlacedRule> rules;
};

/// A host whose rules are those of the point that lists it (share-rulesets).
struct RulesetMember {
  std::string name;
  AddressSet addresses;
};

struct EnforcementPoint {
  enum PointKind : unsigned char { HostFirewall, NetworkFirewall } kind = HostFirewall;
  std::string name;
  std::string site;
  llvm::SMRange loc;               // the host's, client group's or firewall's declaration
  AddressSet addresses;            // the host's own addresses
  std::vector<std::string> roles;  // the host's roles (display)
  std::vector<PlacedRule> inbound; // HostFirewall: traffic to the host
  std::vector<PlacedRule> outbound;
  /// HostFirewall after share-rulesets: every host these rules are for, in hierarchy order
  /// (name is the first one's, addresses all of theirs). Empty when hosts do not share.
  std::vector<RulesetMember> members;
  /// HostFirewall for the clients of a site rather than for a host: the group's index in
  /// Hierarchy::clientGroups. Its addresses are the group's subnets and its name is
  /// `clients-SITE` (`clients-SITE-N` for the Nth of a site's groups), which no host can be
  /// called: host names are identifiers, without `-`.
  static constexpr unsigned NoClientGroup = ~0u;
  unsigned clientGroup = NoClientGroup;
  bool forClients() const { return clientGroup != NoClientGroup; }
  std::vector<Zone> zones;         // NetworkFirewall
  std::vector<ZonePair> zonePairs; // NetworkFirewall
};

/// What the backends render: the points with their rules and the reasons those cite. Backends
/// read only this; the model and flow table pointers are for the documentation generator,
/// which describes the hierarchy itself.
struct PlacedPolicy {
  std::string sourceFile;
  std::string hierarchyName;
  llvm::SMRange loc; // the hierarchy's declaration
  std::vector<EnforcementPoint> points;
  /// Indexed by the ProvIds the rules cite (place copies the flow table's records).
  std::vector<PlacedReason> reasons;
  const FlowTable *flows = nullptr;
  const Model *model = nullptr;
  /// The flows before the passes that merge them into fewer rules: one per catalog row and
  /// endpoint pair, which is what documentation describes. Bindings and provenance index into
  /// *flows. Null unless the driver kept them (CompileOptions::keepDocumentedFlows).
  const std::vector<Flow> *documentedFlows = nullptr;

  /// "catalog: Client --> Management point: HTTP (file:line)" for one reason.
  std::string describe(ProvId id) const;
  /// The reasons of \p why described and joined with "; ", for comments.
  std::string describeWhy(llvm::ArrayRef<ProvId> why) const;
};

} // namespace cmnet::ir
