// PolicyDiff: the semantic difference between two placed policies — the openings added and
// removed at each enforcement point, with the provenance of the rules that carry them.
#pragma once

#include "ir/Placement.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace cmnet::diff {

/// A set of tuples allowed by one policy and not the other, at one point: the part of one of
/// its rules that the other policy does not allow.
struct Opening {
  ir::AddressSet src, dst;
  ir::Protocol proto = ir::Protocol::TCP;
  int icmpType = -1;
  ir::PortSet ports;
  std::string peer;             ///< the rule's other end ("P01 clients")
  std::vector<std::string> why; ///< "catalog: Client --> Management point: HTTP (file:line)"
};

/// The differences at one enforcement point and direction.
struct PointDiff {
  std::string kind;      ///< "host" or "firewall"
  std::string name;      ///< host or firewall name
  std::string direction; ///< "inbound", "outbound", or a zone pair "core -> branch"
  std::vector<Opening> added, removed;
};

struct PolicyDiff {
  std::vector<PointDiff> points; ///< only points with differences, ordered by kind, name, direction
  bool changed() const { return !points.empty(); }
  size_t addedCount() const;
  size_t removedCount() const;
};

/// Compare what \p before and \p after allow, point by point, as sets of (source, destination,
/// protocol, port) tuples: allow rules minus deny rules, with interval arithmetic on every
/// dimension. Reordering, reformatting or splitting rules differently changes nothing.
///
/// An opening's provenance is that of the flows it comes from when the policies keep their
/// flows from before the optimizing passes (PlacedPolicy::documentedFlows), else that of the
/// whole placed rule it is part of.
PolicyDiff diffPolicies(const ir::PlacedPolicy &before, const ir::PlacedPolicy &after);

/// "host p01 (inbound): 1 added, 0 removed" then "  + src -> dst tcp 22  [peer] why" lines.
std::string renderDiffText(const PolicyDiff &diff, llvm::StringRef beforeName, llvm::StringRef afterName);
/// A Markdown report for a pull-request comment: a summary line, then a table per point.
std::string renderDiffMarkdown(const PolicyDiff &diff, llvm::StringRef beforeName, llvm::StringRef afterName);
/// {"changed", "before", "after", "summary", "points": [{kind, name, direction, added, removed}]}.
std::string renderDiffJson(const PolicyDiff &diff, llvm::StringRef beforeName, llvm::StringRef afterName);

} // namespace cmnet::diff
