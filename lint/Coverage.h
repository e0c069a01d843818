// Coverage: what a final flow table allows, asked box by box.
#pragma once

#include "ir/Flow.h"
#include "analysis/AddressIndex.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace cmnet::lint {

/// A query or answer box: sources x destinations x ports of one protocol (and ICMP type).
ir::Flow makeBox(ir::AddressSet srcs, ir::AddressSet dsts, ir::Protocol proto, ir::PortSet ports, int icmpType = -1);

/// The allowed tuples of a flow table (the union of its allow flows' boxes), indexed by
/// destination so that a question costs the flows it overlaps, not all of them. Flows that
/// passes merged (no bindings) are as good as any: only addresses, protocol and ports count.
class Coverage {
public:
  /// \p flows must outlive the Coverage.
  explicit Coverage(llvm::ArrayRef<ir::Flow> flows);

  /// The parts of \p box that no allowed flow covers, as disjoint boxes (none: all open).
  std::vector<ir::Flow> uncovered(const ir::Flow &box) const;
  /// Indices into the flows of the allowed flows that share at least one tuple with \p box.
  std::vector<unsigned> overlapping(const ir::Flow &box) const;
  bool intersects(const ir::Flow &box) const { return !overlapping(box).empty(); }
  const ir::Flow &flow(unsigned index) const { return flows[index]; }

private:
  llvm::ArrayRef<ir::Flow> flows;
  analysis::AddressIndex byDestination;
};

/// True when \p box holds no tuple (ICMP boxes have no ports to be empty).
bool isEmptyBox(const ir::Flow &box);
/// True when \p set is the whole IPv4 or the whole IPv6 space: 'any', '*', an unbound
/// external role: "everything", the Internet included.
bool isWholeFamily(const ir::AddressSet &set);

/// True when \p allowed, of the same protocol, covers \p box's ICMP type (an allow for every
/// type covers each; one type covers only itself).
bool coversService(const ir::Flow &allowed, const ir::Flow &box);

} // namespace cmnet::lint
