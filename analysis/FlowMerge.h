// FlowMerge: merging flows that agree on every field but a chosen few — the one algorithm
// behind dedup, merge-port-ranges and aggregate-addresses.
#pragma once

#include "ir/Flow.h"

namespace cmnet::analysis {

/// The fields a merge may combine (by union); every other field must be equal.
enum FlowField : unsigned {
  NoField = 0,
  SourceAddresses = 1u << 0,
  DestinationAddresses = 1u << 1,
  Ports = 1u << 2,
};

/// Where the rules for one end of a flow are enforced. Host roles, user statements and merged
/// host endpoints are placed on the hosts their addresses belong to; a site's clients and
/// external endpoints are placed nowhere (they are not ours to configure). Flows merge only
/// within one class per end, so merging never changes what place puts on which host.
enum class EndpointClass : unsigned char { ByAddress, Clients, External };
EndpointClass endpointClass(const ir::FlowTable &table, unsigned binding);

/// The user `allow` statements (their provenance ids, ascending) that made \p flow.
llvm::SmallVector<ir::ProvId, 1> allowStatementsOf(const ir::FlowTable &table, const ir::Flow &flow);

/// "a, b, c" or "a, b, c and 4 more": labels of merged endpoints, for rule comments.
std::string joinLabels(llvm::ArrayRef<std::string> labels);

/// Replace the flows of \p table by one flow per group of flows that are equal in every field
/// outside \p varying (a FlowField mask): protocol, ICMP type, action, endpoint classes, the
/// user allow statements that made them, and the non-varying sets. A merged flow holds the union
/// of its members' varying fields and of their provenance (first-seen order), and its parts
/// (ir::FlowPart: which reasons are behind which of its tuples, for place to narrow); its
/// endpoints keep the members' binding when they all name the same place, else a new binding
/// stands for all of them. Groups come out in the order of their first member, so output is
/// deterministic.
///
/// Flows made by different allow statements never merge: detect-shadowing must be able to tell
/// a statement's own flows from the rest.
///
/// Linear in the number of flows and the sizes of their sets, plus one sort per merged set.
void mergeFlows(ir::FlowTable &table, unsigned varying);

} // namespace cmnet::analysis
