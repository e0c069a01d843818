// DocModel: the user's topology as documentation sees it — endpoints, numbered connections
// between them, and the openings (rows) each connection needs, with their reasons.
#pragma once

#include "ir/Placement.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace cmnet::doc {

/// One end of a connection, and one node of the diagram.
struct DocNode {
  enum NodeKind : unsigned char { Host, Clients, External, Addresses };
  static constexpr unsigned None = ~0u;
  NodeKind kind = Host;
  std::string name;        // "p01", "P01 clients", "domain_controller", "10.0.5.0/24"
  std::string roles;       // hosts: "site_server, management_point"
  ir::AddressSet addresses;
  unsigned site = None;    // index into Hierarchy::sites (hosts and clients)

  /// External endpoints and bare address ranges: no site, no firewall of ours.
  bool outsideHierarchy() const { return kind == External || kind == Addresses; }
};

/// The reasons behind a flow or rule, split the way the tables show them.
struct Reasons {
  std::vector<std::string> purposes; // as the catalog (or the allow statement) names them
  std::vector<std::string> sections; // the catalog sections ("Client --> Management point")
  std::vector<std::string> notes;    // "Note 2": the document notes the catalog rows cite
  std::vector<std::string> changes;  // overrides, rules, denies: "override: … (file:line)"
};

/// One row of a port table: a protocol and ports between the two ends of a connection. There
/// is about one per flow (1.5 million at Microsoft's published limits), so the addresses are
/// indices into DocModel::addressSets, where each distinct set is kept once.
struct DocOpening {
  unsigned connection = 0; // index into DocModel::connections
  unsigned srcAddrs = 0, dstAddrs = 0; // indices into DocModel::addressSets
  ir::Protocol proto = ir::Protocol::TCP;
  int icmpType = -1;
  ir::PortSet ports;
  unsigned reasons = 0; // index into DocModel::reasons (openings share equal reasons)
};

/// Everything that one endpoint may open to another; numbered for the diagram and tables.
struct DocConnection {
  unsigned number = 0; // 1-based, as printed
  unsigned src = 0, dst = 0; // node indices
  std::vector<unsigned> openings;
};

/// The documentation of one placed policy. Nodes come in a fixed order (hosts in hierarchy
/// order, then client groups, external bindings, then endpoints met in flow order);
/// connections are numbered by (source node, destination node).
struct DocModel {
  const ir::PlacedPolicy *placed = nullptr;
  const ir::Model *model = nullptr;
  std::vector<DocNode> nodes;
  std::vector<DocConnection> connections;
  std::vector<DocOpening> openings;
  std::vector<ir::AddressSet> addressSets; // distinct, in order of first use
  std::vector<Reasons> reasons;
  std::vector<unsigned> hostNodes; // node of each hierarchy host
  std::vector<std::vector<unsigned>> siteNodes; // per site, its host and client nodes
  /// Per node, the connections (indices, ascending) that end (inbound) or start (outbound) there.
  std::vector<std::vector<unsigned>> inbound, outbound;

  const ir::Hierarchy &hierarchy() const { return *model->hierarchy; }
};

/// Build the documentation of \p placed from \p flows, whose bindings and provenance are those
/// of placed.flows. The driver passes the flows before the passes that merge them (one row per
/// catalog entry and endpoint pair), and may do so before `place` has filled in \p placed: the
/// model keeps a pointer to it for the renderers.
DocModel buildDocModel(const ir::PlacedPolicy &placed, llvm::ArrayRef<ir::Flow> flows);
/// The same from the documented flows the driver kept, or else from the final flows, whose rows
/// may each stand for several merged catalog rows and endpoints.
DocModel buildDocModel(const ir::PlacedPolicy &placed);

/// "TCP 135,445 · UDP 135": everything \p connection opens, per protocol.
std::string openingsSummary(const DocModel &doc, const DocConnection &connection);

/// "1 connection", "2 connections".
std::string counted(size_t n, llvm::StringRef noun);

/// "TCP", "UDP", "ICMP".
std::string protocolText(ir::Protocol proto);
/// "80,443", "type 8" or "any" (ICMP).
std::string portsText(ir::Protocol proto, int icmpType, const ir::PortSet &ports);

/// Splits provenance the way the tables show it. Catalog-entry provenance is traced back to
/// its catalog row (by source location) for the row's section and notes.
class WhyExplainer {
public:
  explicit WhyExplainer(const ir::PlacedPolicy &placed);
  Reasons explain(llvm::ArrayRef<ir::ProvId> why) const;

private:
  const ir::PlacedPolicy &placed;
  llvm::DenseMap<const char *, std::pair<const ir::Link *, const ir::Entry *>> entryAt;
};

} // namespace cmnet::doc
