// DisjointRules: rewrite one host's rules so that no two of them overlap.
#pragma once

#include "ir/Placement.h"

#include <vector>

namespace cmnet::analysis {

/// Rewrite \p rules — the allow rules of one host firewall in one direction — into rules that
/// allow exactly the same (source, destination, protocol, port or ICMP type) tuples and of
/// which no two share a tuple. Each output rule cites the peers of every input rule it took
/// tuples from, and of each input rule's flow (\p origins, one per rule) the reasons behind
/// the tuples it intersects (ir::citeIntersecting): a rule for one port of a merged flow cites
/// that port's catalog row, not its neighbours'. Without origins, it cites each input rule's
/// reasons whole. An any-type ICMP rule also cites the single-type rules it holds.
///
/// The host's own side (destinations of inbound rules, sources of outbound ones) is split into
/// the pieces the rules tell apart (usually one: all of the host's addresses), by one sweep
/// over the bounds of the rules' own sides. Within a piece, a sweep over the ports cuts them at
/// every rule boundary; each elementary port range gets the union of the peers of the rules
/// that cover it, and ranges with the same peers become one rule. Rules over all of the own
/// side whose reasons do not tell the pieces apart (a gateway's rules to itself) are swept
/// once for every piece: a piece is swept only over its own rules and the shared ranges those
/// cut into, and the shared rules it leaves alone join across pieces unchanged. Rules equal
/// but for their piece then join; a joined rule cites its pieces' reasons in the order of their
/// own addresses, and names the peers of every input rule it holds. ICMP rules for one type
/// give up the peers an any-type rule already allows. Output is sorted by protocol, ports and
/// peers.
///
/// Cost: O((n + m) log n) for n rules, where m counts the port ranges of each piece's own rules
/// and the shared ranges they cut, never the shared rules times the pieces (ICMP rules, rare,
/// are split per piece); as before, each range also pays for citing the rules that cover it.
std::vector<ir::PlacedRule> makeDisjoint(std::vector<ir::PlacedRule> rules, bool ownIsDestination,
                                         llvm::ArrayRef<const ir::Flow *> origins = {});

} // namespace cmnet::analysis
