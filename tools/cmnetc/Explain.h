// Explain: what is open between two endpoints and why, and why a port is closed.
// The analysis behind `cmnetc explain`. Verdicts come from the placed policy, the rules the
// backends write: each enforcement point on the way answers for itself, with the placed rule
// that decides and that rule's provenance. The flows just after apply-policy, where each still
// belongs to one catalog row or statement, say what the policy allows that no point on the way
// admits (toward an external role bound to `any`, say) and why a port is closed.
#pragma once

#include "analysis/CompileContext.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace cmnet::driver {

/// One side of the question: a host (by name) or addresses.
struct ExplainEndpoint {
  std::string text;                 // as the user wrote it
  ir::AddressSet addresses;
  std::optional<unsigned> host;     // index into Hierarchy::hosts
  /// The role instances standing here: the host's roles, or every binding whose addresses
  /// hold these addresses (a client subnet, an external endpoint).
  std::vector<unsigned> bindings;
  std::string describe(const analysis::CompileContext &ctx) const;
};

/// Resolve \p text as a host name, else as an address or prefix. nullopt: neither. Only the
/// first \p bindingCount bindings are role instances (the passes that merge flows add more).
std::optional<ExplainEndpoint> resolveEndpoint(const analysis::CompileContext &ctx, llvm::StringRef text,
                                               size_t bindingCount);

/// A run of ports (or one ICMP type) opened by the same flows, with their reasons.
struct OpenPorts {
  ir::Protocol proto;
  int icmpType = -1;
  ir::PortSet ports;
  llvm::SmallVector<ir::ProvId, 8> why;
  ir::AddressSet fromCovered, toCovered; // the parts of the endpoints these flows reach
  std::vector<const ir::Flow *> flows;   // the flows that open it
};

/// Everything \p flows allow from \p from to \p to, per protocol and run of ports, in order.
std::vector<OpenPorts> openPorts(llvm::ArrayRef<ir::Flow> flows, const ExplainEndpoint &from,
                                 const ExplainEndpoint &to);

/// Why \p proto \p port is closed from \p from to \p to: the denies that removed it, or the
/// catalog links between the endpoints' roles and why none of their rows applies.
/// \p beforePolicy are the flows just before apply-policy.
std::vector<std::string> closedReasons(analysis::CompileContext &ctx, llvm::ArrayRef<ir::Flow> beforePolicy,
                                       const ExplainEndpoint &from, const ExplainEndpoint &to, ir::Protocol proto,
                                       uint16_t port);

/// One enforcement point on the way from one endpoint to the other, and the part of each
/// endpoint whose traffic it filters there.
struct PathPoint {
  enum PathKind : unsigned char { SourceOutbound, Perimeter, DestinationInbound } kind;
  const ir::EnforcementPoint *point = nullptr;
  const std::vector<ir::PlacedRule> *rules = nullptr; // null: a zone pair with no rules
  std::string fromZone, toZone;                      // Perimeter
  ir::AddressSet src, dst;
  /// "p01sup inbound", "fw1 inside -> dmz".
  std::string label() const;
};

/// The points between \p from and \p to, in the order a packet meets them: the source hosts'
/// outbound rules (when they were placed), each declared firewall once per pair of distinct
/// zones the endpoints fall in, the destination hosts' inbound rules.
std::vector<PathPoint> enforcementPath(const analysis::CompileContext &ctx, const ExplainEndpoint &from,
                                       const ExplainEndpoint &to);

/// What one point does with a run of ports: open when a rule admits it (first match, as the
/// backends write them), closed when none does or a deny comes first.
struct PointVerdict {
  bool open = false;
  llvm::SmallVector<const ir::PlacedRule *, 2> rules; // the rules that decide
  ir::AddressSet fromCovered, toCovered;              // the parts of the endpoints they admit
};

/// The ports (or one ICMP type) on which every point on the path answers the same, with the
/// same rules.
struct PathRun {
  ir::Protocol proto = ir::Protocol::TCP;
  int icmpType = -1;
  ir::PortSet ports;
  std::vector<PointVerdict> verdicts; // one per PathPoint
  /// Open on the whole path; vacuously true for an empty path (nothing of ours filters it).
  bool open() const;
};

/// One protocol and port, as `--port N/tcp` asks.
struct PortQuery {
  ir::Protocol proto;
  uint16_t port;
};

/// Every run of ports that some point's rules name, in protocol and first-port order; with
/// \p query, the one run of that port whether or not a rule names it.
std::vector<PathRun> pathRuns(llvm::ArrayRef<PathPoint> path, std::optional<PortQuery> query);

/// The whole answer of `cmnetc explain`.
struct Explanation {
  ExplainEndpoint from, to;
  std::vector<PathPoint> path;
  std::vector<PathRun> runs;
  /// What the policy's flows allow between the endpoints that the path does not admit: flows
  /// toward (or from) a client subnet or an external role whose addresses hold the endpoint,
  /// which no host rule carries, or everything when no point is on the path.
  std::vector<OpenPorts> policyOnly;
  std::optional<PortQuery> query;
  std::vector<std::string> closedReasons; // query closed on the path
};

/// Answer \p query (or every port) between \p from and \p to. \p policyFlows are the flows just
/// after apply-policy, \p beforePolicy those just before it.
Explanation explain(analysis::CompileContext &ctx, llvm::ArrayRef<ir::Flow> policyFlows,
                    llvm::ArrayRef<ir::Flow> beforePolicy, ExplainEndpoint from, ExplainEndpoint to,
                    std::optional<PortQuery> query);

void printExplanationText(const analysis::CompileContext &ctx, const Explanation &e, llvm::raw_ostream &os);
/// The same as one JSON document (docs/explain.md describes its fields).
void printExplanationJson(const analysis::CompileContext &ctx, const Explanation &e, llvm::raw_ostream &os);

} // namespace cmnet::driver
