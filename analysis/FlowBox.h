// FlowBox: a flow seen as a box (sources x destinations x ports), and box subtraction.
#pragma once

#include "ir/Flow.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace cmnet::analysis {

/// Call \p emit with at most three narrowed copies of \p flow that together hold exactly the
/// tuples of \p flow outside the box \p srcs x \p dsts x \p ports. A null \p ports is every
/// port; ICMP flows have no port dimension (the caller decides whether the ICMP types match).
///
///   flow S -> D ports P  minus  S' x D' x P'  =  (S-S') x D x P
///                                              + (S&S') x (D-D') x P
///                                              + (S&S') x (D&D') x (P-P')
void subtractBox(const ir::Flow &flow, const ir::AddressSet &srcs, const ir::AddressSet &dsts,
                 const ir::PortSet *ports, llvm::function_ref<void(ir::Flow &&)> emit);

/// True when \p a and \p b share at least one (source, destination, port) tuple, protocols and
/// ICMP types aside.
bool boxesIntersect(const ir::Flow &a, const ir::Flow &b);

} // namespace cmnet::analysis
