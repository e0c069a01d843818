// Per-host rule normalisation: own-side pieces, a port sweep, peers united per port range.
#include "analysis/DisjointRules.h"

#include "analysis/FlowMerge.h"
#include "analysis/SetUnion.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <deque>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>

using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Appends \p item to \p items unless it is there already. Most lists hold one to three items:
/// a linear search decides, and \p seen takes over only once a list grows long.
template <typename Vector, typename Set, typename T> void appendNew(Vector &items, Set &seen, const T &item) {
  constexpr size_t linearLimit = 8;
  if (items.size() >= linearLimit) {
    if (seen.insert(item).second)
      items.push_back(item);
    return;
  }
  if (llvm::is_contained(items, item))
    return;
  items.push_back(item);
  if (items.size() == linearLimit)
    for (const auto &i : items)
      seen.insert(i);
}

/// What an output rule cites of the input rules it takes tuples from: of each one's flow, the
/// reasons behind the tuples the output holds (or the input rule's reasons whole, without flows).
class Citer {
public:
  Citer(llvm::ArrayRef<PlacedRule> rules, llvm::ArrayRef<const Flow *> origins, bool ownIsDestination)
      : rules(rules), origins(origins), ownIsDestination(ownIsDestination) {}

  /// Append \p r's reasons behind its tuples in \p peers x \p own x \p ports (a null set is
  /// not narrowed; the box must meet \p r).
  void cite(const PlacedRule &r, const AddressSet *peers, const AddressSet &own, const PortSet *ports,
            llvm::SmallVectorImpl<ProvId> &out) const {
    if (origins.empty()) {
      out.append(r.why.begin(), r.why.end());
      return;
    }
    const Flow &flow = *origins[&r - rules.data()];
    citeIntersecting(flow, ownIsDestination ? peers : &own, ownIsDestination ? &own : peers, ports, out);
  }

private:
  llvm::ArrayRef<PlacedRule> rules;
  llvm::ArrayRef<const Flow *> origins;
  bool ownIsDestination;
};

/// Rules under construction: one per distinct peer set within one (own piece, protocol, type).
class RuleBuilder {
public:
  RuleBuilder(const AddressSet &own, Protocol proto, int icmpType, const Citer &citer)
      : own(own), proto(proto), icmpType(icmpType), citer(citer) {}

  /// Add ports [lo, hi] (ascending calls) for \p peers, citing the input rules \p from on
  /// those ports, and on the peers \p citedPeers (null: all of each rule's).
  void add(const AddressSet &peers, uint16_t lo, uint16_t hi, llvm::ArrayRef<const PlacedRule *> from,
           const AddressSet *citedPeers = nullptr) {
    auto [it, inserted] = byPeers.try_emplace(peers, unsigned(parts.size()));
    if (inserted)
      parts.emplace_back();
    Part &part = parts[it->second];
    std::optional<PortSet> range;
    if (proto != Protocol::ICMP) {
      part.ports.add(lo, hi);
      range.emplace(lo, hi);
    }
    llvm::SmallVector<ProvId, 8> cited;
    for (const PlacedRule *r : from) {
      cited.clear();
      citer.cite(*r, citedPeers, own, range ? &*range : nullptr, cited);
      for (ProvId id : cited)
        appendNew(part.why, part.seenWhy, id);
      appendNew(part.peers, part.seenPeer, r->peer);
    }
  }

  /// The finished rules, with own on the side \p ownIsDestination says.
  void finish(bool ownIsDestination, std::vector<PlacedRule> &out) {
    for (auto &[peers, index] : byPeers) {
      Part &part = parts[index];
      PlacedRule r;
      (ownIsDestination ? r.dst : r.src) = own;
      (ownIsDestination ? r.src : r.dst) = peers;
      r.proto = proto;
      r.icmpType = icmpType;
      r.ports = std::move(part.ports);
      r.peer = joinLabels(part.peers);
      r.why = std::move(part.why);
      out.push_back(std::move(r));
    }
  }

private:
  struct Part {
    PortSet ports;
    llvm::SmallVector<ProvId, 4> why;
    llvm::DenseSet<ProvId> seenWhy;
    std::vector<std::string> peers;
    llvm::StringSet<> seenPeer;
  };
  AddressSet own;
  Protocol proto;
  int icmpType;
  const Citer &citer;
  std::map<AddressSet, unsigned> byPeers;
  std::deque<Part> parts; // a vector would copy them as it grows: their sets' moves may throw
};

/// The coarsest partition of the own sides that every rule's own side is a union of.
std::vector<AddressSet> ownPieces(llvm::ArrayRef<const AddressSet *> owns) {
  std::vector<AddressSet> pieces;
  for (const AddressSet *own : owns) {
    std::vector<AddressSet> next;
    AddressSet rest = *own;
    for (const AddressSet &p : pieces) {
      AddressSet in = p.intersect(*own), out = p.subtract(*own);
      if (!in.empty())
        next.push_back(std::move(in));
      if (!out.empty())
        next.push_back(std::move(out));
      rest = rest.subtract(p);
    }
    if (!rest.empty())
      next.push_back(std::move(rest));
    pieces = std::move(next);
  }
  return pieces;
}

/// TCP or UDP rules over one own piece: sweep the ports, unite peers per elementary range.
void sweepPorts(llvm::ArrayRef<const PlacedRule *> rules, bool ownIsDestination, RuleBuilder &builder) {
  struct Event {
    uint32_t at;
    bool starts;
    unsigned rule;
  };
  std::vector<Event> events;
  for (unsigned i = 0; i < rules.size(); ++i)
    for (const auto &r : rules[i]->ports.intervals()) {
      events.push_back({r.lo, true, i});
      events.push_back({uint32_t(r.hi) + 1, false, i});
    }
  llvm::sort(events, [](const Event &a, const Event &b) { return a.at < b.at; });
  std::vector<unsigned> active; // sorted rule indices covering the current range
  llvm::SmallVector<const PlacedRule *, 8> from;
  for (size_t e = 0; e < events.size();) {
    uint32_t at = events[e].at;
    for (; e < events.size() && events[e].at == at; ++e) {
      auto pos = llvm::lower_bound(active, events[e].rule);
      if (events[e].starts)
        active.insert(pos, events[e].rule);
      else
        active.erase(pos);
    }
    if (active.empty() || e == events.size())
      continue;
    std::vector<const AddressSet *> peers;
    from.clear();
    for (unsigned i : active) {
      peers.push_back(ownIsDestination ? &rules[i]->src : &rules[i]->dst);
      from.push_back(rules[i]);
    }
    builder.add(uniteAll(peers), uint16_t(at), uint16_t(events[e].at - 1), from);
  }
}

/// ICMP rules over one own piece: any-type peers first, then per type the peers left over.
/// Each cites the rules whose peers it holds: the any-type rule also those of single types.
void splitIcmp(llvm::ArrayRef<const PlacedRule *> rules, bool ownIsDestination, const AddressSet &own,
               const Citer &citer, std::vector<PlacedRule> &out) {
  auto peersOf = [&](const PlacedRule *r) { return ownIsDestination ? &r->src : &r->dst; };
  std::map<int, std::vector<const PlacedRule *>> byType; // -1 (any type) sorts first
  for (const PlacedRule *r : rules)
    byType[r->icmpType].push_back(r);
  AddressSet anyType;
  for (auto &[type, members] : byType) {
    std::vector<const AddressSet *> peers;
    for (const PlacedRule *r : members)
      peers.push_back(peersOf(r));
    AddressSet left = uniteAll(peers).subtract(anyType);
    if (type < 0)
      anyType = left;
    if (left.empty())
      continue;
    std::vector<const PlacedRule *> cited;
    for (const PlacedRule *r : type < 0 ? rules : llvm::ArrayRef<const PlacedRule *>(members))
      if (peersOf(r)->intersects(left))
        cited.push_back(r);
    RuleBuilder builder(own, Protocol::ICMP, type, citer);
    builder.add(left, 0, 0, cited, &left);
    builder.finish(ownIsDestination, out);
  }
}

/// \p rules ordered by \p before, each rule moved once: sorting the rules themselves moves
/// them, five small vectors each, at every swap.
template <typename Less> void sortRules(std::vector<PlacedRule> &rules, Less before) {
  std::vector<unsigned> order(rules.size());
  std::iota(order.begin(), order.end(), 0u);
  llvm::sort(order, [&](unsigned a, unsigned b) { return before(rules[a], rules[b]); });
  std::vector<PlacedRule> sorted;
  sorted.reserve(rules.size());
  for (unsigned i : order)
    sorted.push_back(std::move(rules[i]));
  rules = std::move(sorted);
}

/// Sort key: protocol, ICMP type, ports, then the peer side and the own side.
bool ruleBefore(const PlacedRule &a, const PlacedRule &b) {
  return std::tie(a.proto, a.icmpType, a.ports, a.src, a.dst) < std::tie(b.proto, b.icmpType, b.ports, b.src, b.dst);
}

} // namespace

std::vector<PlacedRule> makeDisjoint(std::vector<PlacedRule> rules, bool ownIsDestination,
                                     llvm::ArrayRef<const Flow *> origins) {
  Citer citer(rules, origins, ownIsDestination);
  auto ownOf = [&](const PlacedRule &r) -> const AddressSet & { return ownIsDestination ? r.dst : r.src; };
  std::vector<const AddressSet *> owns;
  for (const PlacedRule &r : rules)
    owns.push_back(&ownOf(r));
  llvm::sort(owns, [](const AddressSet *a, const AddressSet *b) { return *a < *b; });
  owns.erase(std::unique(owns.begin(), owns.end(), [](const AddressSet *a, const AddressSet *b) { return *a == *b; }),
             owns.end());

  std::vector<PlacedRule> pieces;
  for (const AddressSet &own : ownPieces(owns)) {
    // Rules over this piece, per protocol: a piece lies inside or outside every own side.
    std::map<Protocol, std::vector<const PlacedRule *>> byProto;
    for (const PlacedRule &r : rules)
      if (r.action == FlowAction::Allow && ownOf(r).intersects(own))
        byProto[r.proto].push_back(&r);
    for (auto &[proto, members] : byProto) {
      if (proto == Protocol::ICMP) {
        splitIcmp(members, ownIsDestination, own, citer, pieces);
        continue;
      }
      RuleBuilder builder(own, proto, -1, citer);
      sweepPorts(members, ownIsDestination, builder);
      builder.finish(ownIsDestination, pieces);
    }
  }
  if (pieces.size() <= 1)
    return pieces;

  // Rules equal but for their own piece join again (disjoint pieces keep them disjoint).
  sortRules(pieces, [&](const PlacedRule &a, const PlacedRule &b) {
    const AddressSet &pa = ownIsDestination ? a.src : a.dst, &pb = ownIsDestination ? b.src : b.dst;
    return std::tie(a.proto, a.icmpType, a.ports, pa, ownOf(a)) < std::tie(b.proto, b.icmpType, b.ports, pb, ownOf(b));
  });
  std::vector<PlacedRule> out;
  out.reserve(pieces.size());
  for (PlacedRule &r : pieces) {
    if (!out.empty()) {
      PlacedRule &last = out.back();
      const AddressSet &peerLast = ownIsDestination ? last.src : last.dst, &peer = ownIsDestination ? r.src : r.dst;
      if (last.proto == r.proto && last.icmpType == r.icmpType && last.ports == r.ports && peerLast == peer) {
        AddressSet &ownLast = ownIsDestination ? last.dst : last.src;
        ownLast = ownLast.unite(ownOf(r));
        mergeWhy(last.why, r.why);
        if (last.peer != r.peer)
          last.peer = joinLabels({last.peer, r.peer});
        continue;
      }
    }
    out.push_back(std::move(r));
  }
  sortRules(out, ruleBefore);
  return out;
}

} // namespace cmnet::passes
