// Per-host rule normalisation: own-side pieces, a port sweep shared by the pieces, peers united
// per port range.
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

namespace cmnet::analysis {
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
    citeIntersecting(origin(r), ownIsDestination ? peers : &own, ownIsDestination ? &own : peers, ports, out);
  }

  /// True when what \p r cites on a port range is the same for every part of \p all: no part of
  /// its flow tells the own addresses in \p all apart.
  bool alikeOver(const PlacedRule &r, const AddressSet &all) const {
    if (origins.empty() || !origin(r).parts)
      return true;
    return llvm::all_of(*origin(r).parts, [&](const FlowPart &part) {
      const AddressSet *own = (ownIsDestination ? part.dst : part.src).get();
      return !own || own->contains(all) || !own->intersects(all);
    });
  }

private:
  const Flow &origin(const PlacedRule &r) const { return *origins[&r - rules.data()]; }

  llvm::ArrayRef<PlacedRule> rules;
  llvm::ArrayRef<const Flow *> origins;
  bool ownIsDestination;
};

/// One own piece's rule for one peer set, before the pieces with equal rules join.
struct PieceRule {
  Protocol proto = Protocol::TCP;
  int icmpType = -1;
  AddressSet peers;
  PortSet ports;
  llvm::SmallVector<ProvId, 4> why;
  std::vector<std::string> labels; // the peers of the input rules it holds, first seen first
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

  /// The finished rules, ordered by peers.
  void finish(std::vector<PieceRule> &out) {
    for (auto &[peers, index] : byPeers) {
      Part &part = parts[index];
      PieceRule r;
      r.proto = proto;
      r.icmpType = icmpType;
      r.peers = peers;
      r.ports = std::move(part.ports);
      r.why = std::move(part.why);
      r.labels = std::move(part.peers);
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

/// A class of own addresses that lie in the same own sides: \p owners indexes them.
struct Piece {
  AddressSet own;
  std::vector<unsigned> owners;
};

/// Adds to \p pieces the intervals of one address family, swept once over every own side's
/// bounds: each elementary interval goes to the piece of the own sides that cover it.
template <typename T>
void sweepOwns(llvm::ArrayRef<const IntervalSet<T> *> owns, IntervalSet<T> &(*family)(AddressSet &),
               std::map<std::vector<unsigned>, unsigned> &bySignature, std::vector<Piece> &pieces) {
  struct Event {
    T at;
    bool ends; // at the top of the family: the interval ends after `at`, no bound follows
    bool starts;
    unsigned own;
  };
  std::vector<Event> events;
  for (unsigned k = 0; k < owns.size(); ++k)
    for (const auto &r : owns[k]->intervals()) {
      events.push_back({r.lo, false, true, k});
      if (r.hi == IntervalSet<T>::maxValue)
        events.push_back({r.hi, true, false, k});
      else
        events.push_back({T(r.hi + 1), false, false, k});
    }
  llvm::sort(events, [](const Event &a, const Event &b) { return std::tie(a.at, a.ends) < std::tie(b.at, b.ends); });
  std::vector<unsigned> active; // sorted own indices covering the current interval
  for (size_t e = 0; e < events.size();) {
    T at = events[e].at;
    bool ends = events[e].ends;
    for (; e < events.size() && events[e].at == at && events[e].ends == ends; ++e) {
      auto pos = llvm::lower_bound(active, events[e].own);
      if (events[e].starts)
        active.insert(pos, events[e].own);
      else
        active.erase(pos);
    }
    if (active.empty() || e == events.size())
      continue;
    // Up to the next bound, or through the top of the family when the next event ends there.
    T hi = events[e].ends ? events[e].at : T(events[e].at - 1);
    auto [it, inserted] = bySignature.try_emplace(active, unsigned(pieces.size()));
    if (inserted)
      pieces.push_back({AddressSet(), active});
    family(pieces[it->second].own).add(at, hi);
  }
}

/// The coarsest partition of the own sides that every own side is a union of, with the own
/// sides each piece lies in; a sweep over both families' bounds, O(B log B) for B bounds.
std::vector<Piece> ownPieces(llvm::ArrayRef<const AddressSet *> owns) {
  std::vector<const V4Set *> four;
  std::vector<const V6Set *> six;
  for (const AddressSet *own : owns) {
    four.push_back(&own->v4());
    six.push_back(&own->v6());
  }
  std::map<std::vector<unsigned>, unsigned> bySignature;
  std::vector<Piece> pieces;
  sweepOwns<uint32_t>(four, [](AddressSet &s) -> V4Set & { return s.v4(); }, bySignature, pieces);
  sweepOwns<uint128>(six, [](AddressSet &s) -> V6Set & { return s.v6(); }, bySignature, pieces);
  return pieces;
}

/// A port range and the rules (ascending) that cover it.
struct Segment {
  uint16_t lo, hi;
  llvm::SmallVector<const PlacedRule *, 4> from;
};

/// The elementary port ranges of \p rules (ascending, rules in input order): cut at every rule
/// boundary, ranges no rule covers left out.
std::vector<Segment> sweepPorts(llvm::ArrayRef<const PlacedRule *> rules) {
  struct Event {
    uint32_t at;
    bool starts;
    const PlacedRule *rule;
  };
  std::vector<Event> events;
  for (const PlacedRule *rule : rules)
    for (const auto &r : rule->ports.intervals()) {
      events.push_back({r.lo, true, rule});
      events.push_back({uint32_t(r.hi) + 1, false, rule});
    }
  llvm::sort(events, [](const Event &a, const Event &b) { return a.at < b.at; });
  std::vector<const PlacedRule *> active; // sorted: the input is one array
  std::vector<Segment> out;
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
    out.push_back({uint16_t(at), uint16_t(events[e].at - 1), {active.begin(), active.end()}});
  }
  return out;
}

/// The union of the peers of \p rules.
AddressSet peersOf(llvm::ArrayRef<const PlacedRule *> rules, bool ownIsDestination) {
  std::vector<const AddressSet *> peers;
  for (const PlacedRule *r : rules)
    peers.push_back(ownIsDestination ? &r->src : &r->dst);
  return uniteAll(peers);
}

/// ICMP rules over one own piece: any-type peers first, then per type the peers left over.
/// Each cites the rules whose peers it holds: the any-type rule also those of single types.
void splitIcmp(llvm::ArrayRef<const PlacedRule *> rules, bool ownIsDestination, const AddressSet &own,
               const Citer &citer, std::vector<PieceRule> &out) {
  auto peersOfRule = [&](const PlacedRule *r) { return ownIsDestination ? &r->src : &r->dst; };
  std::map<int, std::vector<const PlacedRule *>> byType; // -1 (any type) sorts first
  for (const PlacedRule *r : rules)
    byType[r->icmpType].push_back(r);
  AddressSet anyType;
  for (auto &[type, members] : byType) {
    AddressSet left = peersOf(members, ownIsDestination).subtract(anyType);
    if (type < 0)
      anyType = left;
    if (left.empty())
      continue;
    std::vector<const PlacedRule *> cited;
    for (const PlacedRule *r : type < 0 ? rules : llvm::ArrayRef<const PlacedRule *>(members))
      if (peersOfRule(r)->intersects(left))
        cited.push_back(r);
    RuleBuilder builder(own, Protocol::ICMP, type, citer);
    builder.add(left, 0, 0, cited, &left);
    builder.finish(out);
  }
}

/// The pieces' rules, joined where they are equal but for their own piece (disjoint pieces
/// keep them disjoint). A joined rule cites its pieces' reasons in the order of their own
/// addresses, and the peers of every input rule it holds.
class Joiner {
public:
  /// \p rule of the piece whose own addresses are \p own (which must outlive the joiner),
  /// ranked \p rank among all pieces.
  void add(unsigned rank, const AddressSet &own, PieceRule rule) {
    members.push_back({rank, &own, std::move(rule)});
    groups.try_emplace(&members.back().rule).first->second.push_back(unsigned(members.size() - 1));
  }
  /// The same for own addresses that nothing else holds.
  void addOwned(unsigned rank, AddressSet own, PieceRule rule) {
    owned.push_back(std::move(own));
    add(rank, owned.back(), std::move(rule));
  }

  std::vector<PlacedRule> finish(bool ownIsDestination) {
    std::vector<PlacedRule> out;
    out.reserve(groups.size());
    for (auto &[key, group] : groups) {
      llvm::sort(group, [&](unsigned a, unsigned b) { return members[a].rank < members[b].rank; });
      PieceRule &first = members[group.front()].rule;
      PlacedRule r;
      r.why = std::move(first.why);
      std::vector<std::string> labels = std::move(first.labels);
      llvm::StringSet<> seenLabel;
      if (group.size() > 1 && labels.size() >= 8)
        for (const std::string &label : labels)
          seenLabel.insert(label);
      std::vector<const AddressSet *> owns{members[group.front()].own};
      for (unsigned m : llvm::drop_begin(group)) {
        owns.push_back(members[m].own);
        mergeWhy(r.why, members[m].rule.why);
        for (const std::string &label : members[m].rule.labels)
          appendNew(labels, seenLabel, label);
      }
      (ownIsDestination ? r.dst : r.src) = owns.size() == 1 ? *owns.front() : uniteAll(owns);
      (ownIsDestination ? r.src : r.dst) = std::move(first.peers);
      r.proto = first.proto;
      r.icmpType = first.icmpType;
      r.ports = std::move(first.ports);
      r.peer = joinLabels(labels);
      out.push_back(std::move(r));
    }
    return out;
  }

private:
  struct Member {
    unsigned rank;
    const AddressSet *own;
    PieceRule rule;
  };
  struct SameRule {
    bool operator()(const PieceRule *a, const PieceRule *b) const {
      return std::tie(a->proto, a->icmpType, a->ports, a->peers) < std::tie(b->proto, b->icmpType, b->ports, b->peers);
    }
  };
  std::deque<Member> members; // stable: groups point into them
  std::deque<AddressSet> owned;
  std::map<const PieceRule *, std::vector<unsigned>, SameRule> groups; // by the first member's rule
};

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

/// The TCP or UDP rules \p members of one host, over all of its \p pieces. The rules over all
/// of the host's own addresses that cite alike on every piece (\p shared) are swept once: their
/// rules stand for every piece that no other rule covers on the same ports. Only the rest are
/// swept per piece, together with the shared ranges they cut into.
class PortSweep {
public:
  PortSweep(Protocol proto, bool ownIsDestination, const Citer &citer, llvm::ArrayRef<Piece> pieces,
            llvm::ArrayRef<unsigned> rankOf, const AddressSet &allOwn, Joiner &joiner)
      : proto(proto), ownIsDestination(ownIsDestination), citer(citer), pieces(pieces), rankOf(rankOf),
        allOwn(allOwn), joiner(joiner) {}

  /// \p shared: the rules above; \p perPiece: for each piece, the other rules over it.
  void run(llvm::ArrayRef<const PlacedRule *> shared, llvm::ArrayRef<std::vector<const PlacedRule *>> perPiece) {
    segments = sweepPorts(shared);
    std::vector<AddressSet> segmentPeers;
    RuleBuilder builder(allOwn, proto, -1, citer);
    for (const Segment &s : segments) {
      segmentPeers.push_back(peersOf(s.from, ownIsDestination));
      builder.add(segmentPeers.back(), s.lo, s.hi, s.from);
    }
    builder.finish(baseline);
    touched.resize(baseline.size());
    if (llvm::any_of(perPiece, [](const auto &rules) { return !rules.empty(); })) {
      for (unsigned b = 0; b < baseline.size(); ++b)
        baselineByPeers.try_emplace(baseline[b].peers, b);
      segmentRule.resize(segments.size());
      segmentsOfRule.resize(baseline.size());
      for (unsigned s = 0; s < segments.size(); ++s) {
        segmentRule[s] = baselineByPeers.find(segmentPeers[s])->second;
        segmentsOfRule[segmentRule[s]].push_back(s);
      }
      for (unsigned p = 0; p < pieces.size(); ++p)
        if (!perPiece[p].empty())
          cutPiece(p, perPiece[p]);
    }
    for (unsigned b = 0; b < baseline.size(); ++b)
      addUntouched(b);
  }

private:
  /// A port range of one piece, its peers and the rules it holds.
  struct Item {
    uint16_t lo, hi;
    AddressSet peers;
    llvm::SmallVector<const PlacedRule *, 4> from;
  };

  /// Piece \p p's rules where its own rules \p extra meet the shared ranges.
  void cutPiece(unsigned p, llvm::ArrayRef<const PlacedRule *> extra) {
    std::vector<const IntervalSet<uint16_t> *> extraPorts;
    for (const PlacedRule *r : extra)
      extraPorts.push_back(&r->ports);
    IntervalSet<uint16_t> cut = uniteAll<uint16_t>(extraPorts);
    std::vector<Item> items;
    llvm::SmallVector<unsigned, 8> hit; // shared rules whose ranges the piece changes
    for (const Segment &e : sweepPorts(extra)) {
      uint32_t at = e.lo;
      auto s = llvm::partition_point(segments, [&](const Segment &x) { return x.hi < e.lo; });
      for (; s != segments.end() && s->lo <= e.hi; ++s) {
        if (s->lo > at)
          items.push_back({uint16_t(at), uint16_t(s->lo - 1), AddressSet(), e.from});
        Item both{uint16_t(std::max<uint32_t>(at, s->lo)), std::min(e.hi, s->hi), AddressSet(), {}};
        std::merge(s->from.begin(), s->from.end(), e.from.begin(), e.from.end(), std::back_inserter(both.from));
        items.push_back(std::move(both));
        hit.push_back(segmentRule[s - segments.begin()]);
        at = uint32_t(std::min(e.hi, s->hi)) + 1;
      }
      if (at <= e.hi)
        items.push_back({uint16_t(at), e.hi, AddressSet(), e.from});
    }
    for (Item &item : items) {
      item.peers = peersOf(item.from, ownIsDestination);
      auto b = baselineByPeers.find(item.peers);
      if (b != baselineByPeers.end())
        hit.push_back(b->second);
    }
    llvm::sort(hit);
    hit.erase(std::unique(hit.begin(), hit.end()), hit.end());
    // The shared rules' ranges the piece changes keep what lies outside its own rules' ports.
    for (unsigned b : hit) {
      touched[b].push_back(p);
      for (unsigned s : segmentsOfRule[b]) {
        IntervalSet<uint16_t> outside = PortSet(segments[s].lo, segments[s].hi).subtract(cut);
        for (const auto &r : outside.intervals())
          items.push_back({r.lo, r.hi, baseline[b].peers, segments[s].from});
      }
    }
    llvm::sort(items, [](const Item &a, const Item &b) { return a.lo < b.lo; });
    RuleBuilder builder(pieces[p].own, proto, -1, citer);
    for (const Item &item : items)
      builder.add(item.peers, item.lo, item.hi, item.from);
    std::vector<PieceRule> rules;
    builder.finish(rules);
    for (PieceRule &r : rules)
      joiner.add(rankOf[p], pieces[p].own, std::move(r));
  }

  /// Shared rule \p b over every piece that did not change it, as one member of its group at
  /// the first such piece's rank.
  void addUntouched(unsigned b) {
    if (touched[b].empty())
      return joiner.add(0, allOwn, std::move(baseline[b]));
    if (touched[b].size() == pieces.size())
      return;
    std::vector<unsigned> ranks;
    std::vector<const AddressSet *> owns;
    for (unsigned p : touched[b]) {
      ranks.push_back(rankOf[p]);
      owns.push_back(&pieces[p].own);
    }
    llvm::sort(ranks);
    unsigned first = 0;
    while (first < ranks.size() && ranks[first] == first)
      ++first;
    joiner.addOwned(first, allOwn.subtract(uniteAll(owns)), std::move(baseline[b]));
  }

  Protocol proto;
  bool ownIsDestination;
  const Citer &citer;
  llvm::ArrayRef<Piece> pieces;
  llvm::ArrayRef<unsigned> rankOf;
  const AddressSet &allOwn;
  Joiner &joiner;
  std::vector<Segment> segments;         // of the shared rules, ascending
  std::vector<PieceRule> baseline;       // the shared rules' own rules, ordered by peers
  std::map<AddressSet, unsigned> baselineByPeers;
  std::vector<unsigned> segmentRule;     // segment -> baseline rule
  std::vector<std::vector<unsigned>> segmentsOfRule;
  std::vector<std::vector<unsigned>> touched; // baseline rule -> pieces that changed it
};

} // namespace

std::vector<PlacedRule> makeDisjoint(std::vector<PlacedRule> rules, bool ownIsDestination,
                                     llvm::ArrayRef<const Flow *> origins) {
  Citer citer(rules, origins, ownIsDestination);
  auto ownOf = [&](const PlacedRule &r) -> const AddressSet & { return ownIsDestination ? r.dst : r.src; };
  std::vector<const AddressSet *> owns;
  for (const PlacedRule &r : rules)
    if (r.action == FlowAction::Allow)
      owns.push_back(&ownOf(r));
  llvm::sort(owns, [](const AddressSet *a, const AddressSet *b) { return *a < *b; });
  owns.erase(std::unique(owns.begin(), owns.end(), [](const AddressSet *a, const AddressSet *b) { return *a == *b; }),
             owns.end());
  std::vector<Piece> pieces = ownPieces(owns);
  std::vector<unsigned> order(pieces.size()), rankOf(pieces.size());
  std::iota(order.begin(), order.end(), 0u);
  llvm::sort(order, [&](unsigned a, unsigned b) { return pieces[a].own < pieces[b].own; });
  for (unsigned r = 0; r < order.size(); ++r)
    rankOf[order[r]] = r;
  AddressSet allOwn = uniteAll(owns);

  // Per own side (its index in owns) and protocol, the rules that are not shared: the pieces
  // inside an own side then find them without a scan of the rules over every piece. A rule
  // over all of allOwn (an own side lies inside it) is shared unless its reasons differ
  // between pieces (with one piece, nothing to tell apart).
  enum { Icmp, TcpShared, UdpShared, Tcp, Udp, Kinds };
  auto kindOf = [&](const PlacedRule &r) {
    if (r.proto == Protocol::ICMP)
      return Icmp;
    bool udp = r.proto == Protocol::UDP;
    if (ownOf(r) == allOwn && (pieces.size() == 1 || citer.alikeOver(r, allOwn)))
      return udp ? UdpShared : TcpShared;
    return udp ? Udp : Tcp;
  };
  std::vector<const PlacedRule *> byKind[Kinds];
  std::vector<std::vector<const PlacedRule *>> ofOwn[Kinds];
  for (auto &lists : ofOwn)
    lists.resize(owns.size());
  for (const PlacedRule &r : rules) {
    if (r.action != FlowAction::Allow)
      continue;
    auto k = llvm::partition_point(owns, [&](const AddressSet *o) { return *o < ownOf(r); }) - owns.begin();
    auto kind = kindOf(r);
    byKind[kind].push_back(&r);
    ofOwn[kind][k].push_back(&r);
  }
  auto rulesOver = [&](unsigned p, int kind) {
    std::vector<const PlacedRule *> out;
    for (unsigned k : pieces[p].owners)
      out.insert(out.end(), ofOwn[kind][k].begin(), ofOwn[kind][k].end());
    llvm::sort(out);
    return out;
  };

  Joiner joiner;
  if (!byKind[Icmp].empty())
    for (unsigned p = 0; p < pieces.size(); ++p) {
      std::vector<PieceRule> out;
      splitIcmp(rulesOver(p, Icmp), ownIsDestination, pieces[p].own, citer, out);
      for (PieceRule &r : out)
        joiner.add(rankOf[p], pieces[p].own, std::move(r));
    }
  for (auto [proto, shared, own] : {std::make_tuple(Protocol::TCP, TcpShared, Tcp),
                                    std::make_tuple(Protocol::UDP, UdpShared, Udp)}) {
    if (byKind[shared].empty() && byKind[own].empty())
      continue;
    std::vector<std::vector<const PlacedRule *>> perPiece;
    for (unsigned p = 0; p < pieces.size(); ++p)
      perPiece.push_back(byKind[own].empty() ? std::vector<const PlacedRule *>() : rulesOver(p, own));
    PortSweep(proto, ownIsDestination, citer, pieces, rankOf, allOwn, joiner).run(byKind[shared], perPiece);
  }
  std::vector<PlacedRule> out = joiner.finish(ownIsDestination);
  sortRules(out, ruleBefore);
  return out;
}

} // namespace cmnet::analysis
