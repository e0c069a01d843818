// DisjointRules: rewrite one host's rules so that no two of them overlap.
#pragma once

#include "ir/Placement.h"

#include <vector>

namespace cmnet::passes {

/// Rewrite \p rules — the allow rules of one host firewall in one direction — into rules that
/// allow exactly the same (source, destination, protocol, port or ICMP type) tuples and of
/// which no two share a tuple. Each output rule cites the peers of every input rule it took
/// tuples from, and of each input rule's flow (\p origins, one per rule) the reasons behind
/// the tuples it intersects (ir::citeIntersecting): a rule for one port of a merged flow cites
/// that port's catalog row, not its neighbours'. Without origins, it cites each input rule's
/// reasons whole. An any-type ICMP rule also cites the single-type rules it holds.
///
/// The host's own side (destinations of inbound rules, sources of outbound ones) is split into
/// the few pieces the rules tell apart (usually one: all of the host's addresses). Within a
/// piece, a sweep over the ports cuts them at every rule boundary; each elementary port range
/// gets the union of the peers of the rules that cover it, and ranges with the same peers
/// become one rule. ICMP rules for one type give up the peers an any-type rule already
/// allows. Output is sorted by protocol, ports and peers. The cost per host grows with the
/// rules of that host (a few dozen once aggregate-addresses ran), not with the hierarchy.
std::vector<ir::PlacedRule> makeDisjoint(std::vector<ir::PlacedRule> rules, bool ownIsDestination,
                                         llvm::ArrayRef<const ir::Flow *> origins = {});

} // namespace cmnet::passes
