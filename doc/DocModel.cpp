// Building the documentation model: flows become numbered connections between endpoints.
#include "doc/DocModel.h"

#include "support/HashIndex.h"

#include "fmt/format.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Parallel.h"

#include <map>
#include <optional>
#include <numeric>

using namespace cmnet::ir;

namespace cmnet::doc {

std::string protocolText(Protocol proto) { return protocolName(proto).upper(); }

std::string portsText(Protocol proto, int icmpType, const PortSet &ports) {
  if (proto == Protocol::ICMP)
    return icmpType < 0 ? "any" : fmt::format("type {}", icmpType);
  return ports.str();
}

std::string counted(size_t n, llvm::StringRef noun) {
  return fmt::format("{} {}{}", n, noun.str(), n == 1 ? "" : "s");
}

std::string openingsSummary(const DocModel &doc, const DocConnection &connection) {
  std::map<std::pair<Protocol, int>, PortSet> byProtocol;
  for (unsigned i : connection.openings) {
    const DocOpening &o = doc.openings[i];
    PortSet &ports = byProtocol[{o.proto, o.proto == Protocol::ICMP ? o.icmpType : -1}];
    ports = ports.unite(o.ports);
  }
  std::string out;
  for (const auto &[key, ports] : byProtocol)
    out += fmt::format("{}{} {}", out.empty() ? "" : " · ", protocolText(key.first),
                       portsText(key.first, key.second, ports));
  return out;
}

static void addUnique(std::vector<std::string> &list, std::string item) {
  if (!llvm::is_contained(list, item))
    list.push_back(std::move(item));
}

WhyExplainer::WhyExplainer(const PlacedPolicy &placed) : placed(placed) {
  for (const Link &link : placed.model->links)
    for (const Entry &entry : link.entries)
      if (entry.loc.Start.isValid())
        entryAt[entry.loc.Start.getPointer()] = {&link, &entry};
}

Reasons WhyExplainer::explain(llvm::ArrayRef<ProvId> why) const {
  Reasons out;
  const FlowTable &table = *placed.flows;
  for (ProvId id : why) {
    const Provenance &p = table.provenance(id);
    if (p.kind == Provenance::Allow) {
      addUnique(out.purposes, p.text);
      std::string at = table.where(id);
      addUnique(out.sections, at.empty() ? "allow statement" : fmt::format("allow statement ({})", at));
      continue;
    }
    auto found = entryAt.find(p.loc.Start.getPointer());
    if (p.kind == Provenance::Note) {
      if (found == entryAt.end()) // else the catalog row itself names its notes
        addUnique(out.notes, p.text);
      continue;
    }
    if (p.kind != Provenance::CatalogEntry) {
      addUnique(out.changes, table.describe(id));
      continue;
    }
    if (found == entryAt.end()) {
      addUnique(out.purposes, p.text);
      continue;
    }
    const auto [link, entry] = found->second;
    addUnique(out.purposes, entry->description.empty() ? "(no description)" : entry->description);
    addUnique(out.sections, link->section);
    for (const std::string &note : entry->notes)
      addUnique(out.notes, "Note " + note);
  }
  return out;
}

namespace {

/// Closed intervals of one family, each tagged with a position in a node list, searchable for
/// those that meet a given interval.
template <typename T> class IntervalIndex {
public:
  void add(T lo, T hi, unsigned position) { entries.push_back({lo, hi, hi, position}); }

  /// Call once after the last add().
  void build() {
    llvm::sort(entries, [](const Entry &a, const Entry &b) { return a.lo < b.lo; });
    for (size_t i = 1; i < entries.size(); ++i)
      entries[i].reach = std::max(entries[i].reach, entries[i - 1].reach);
  }

  /// Appends the position of every entry that meets [lo, hi] (a position may repeat).
  void meeting(T lo, T hi, std::vector<unsigned> &out) const {
    auto it = llvm::partition_point(entries, [&](const Entry &e) { return e.lo <= hi; });
    // Walk down from the last entry starting at or below hi until none before can reach lo.
    while (it != entries.begin() && std::prev(it)->reach >= lo) {
      --it;
      if (it->hi >= lo)
        out.push_back(it->position);
    }
  }

private:
  struct Entry {
    T lo, hi;
    T reach; // the highest hi of this entry and every one before it
    unsigned position;
  };
  std::vector<Entry> entries;
};

/// The nodes of one list (hosts, or client groups) whose addresses meet a set. Merged flow ends
/// ("any", a /8) are split over every host they touch: testing each of the 125,480 hosts of
/// Microsoft's published limits for each such end was quadratic.
class NodeIndex {
public:
  NodeIndex(llvm::ArrayRef<unsigned> list, llvm::ArrayRef<DocNode> all) : nodes(list.vec()) {
    for (unsigned position = 0; position < nodes.size(); ++position) {
      const AddressSet &addrs = all[nodes[position]].addresses;
      for (const auto &iv : addrs.v4().intervals())
        v4.add(iv.lo, iv.hi, position);
      for (const auto &iv : addrs.v6().intervals())
        v6.add(iv.lo, iv.hi, position);
    }
    v4.build();
    v6.build();
  }

  /// The nodes whose addresses intersect \p addrs, in list order.
  std::vector<unsigned> meeting(const AddressSet &addrs) const {
    std::vector<unsigned> positions;
    for (const auto &iv : addrs.v4().intervals())
      v4.meeting(iv.lo, iv.hi, positions);
    for (const auto &iv : addrs.v6().intervals())
      v6.meeting(iv.lo, iv.hi, positions);
    llvm::sort(positions);
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    for (unsigned &p : positions)
      p = nodes[p];
    return positions;
  }

private:
  std::vector<unsigned> nodes;
  IntervalIndex<uint32_t> v4;
  IntervalIndex<uint128> v6;
};

/// A piece of a flow's end: the node it belongs to and the addresses of the flow there.
struct EndPiece {
  unsigned node;
  AddressSet addresses;
};

class DocModelBuilder {
public:
  DocModelBuilder(const PlacedPolicy &placed, DocModel &doc) : placed(placed), doc(doc), why(placed) {}

  void run(llvm::ArrayRef<Flow> flows) {
    // About one row per flow: room for them up front, or the vector's last doubling holds
    // both copies (a third of a gigabyte at Microsoft's published limits).
    doc.openings.reserve(flows.size());
    openingIndex.reserve(flows.size());
    addDeclaredNodes();
    hostIndex.emplace(doc.hostNodes, doc.nodes);
    clientIndex.emplace(clientNodes, doc.nodes);
    // In batches: what each flow's opening will be looked up by is hashed on every core, then
    // the flows are folded in in order, the index slots of a flow some places ahead fetched
    // while this one is added (with millions of openings every lookup is a cache miss).
    constexpr size_t batchSize = 16384, taskSize = 512, lookAhead = 16;
    std::vector<Prepared> batch(std::min(batchSize, flows.size())); // no larger than the work
    for (size_t first = 0; first < flows.size(); first += batchSize) {
      size_t end = std::min(flows.size(), first + batchSize);
      llvm::parallelForEachN(0, (end - first + taskSize - 1) / taskSize, [&](size_t task) {
        for (size_t i = first + task * taskSize; i < std::min(end, first + (task + 1) * taskSize); ++i)
          batch[i - first] = prepare(flows[i]);
      });
      for (size_t i = first; i < end; ++i) {
        if (i + lookAhead < end)
          prefetchSlots(batch[i + lookAhead - first]);
        if (flows[i].action == FlowAction::Allow)
          addFlow(flows[i], batch[i - first]);
      }
    }
    numberConnections();
  }

private:
  const Hierarchy &hierarchy() const { return *placed.model->hierarchy; }

  unsigned addNode(DocNode node) {
    unsigned index = unsigned(doc.nodes.size());
    if (node.site != DocNode::None)
      doc.siteNodes[node.site].push_back(index);
    doc.nodes.push_back(std::move(node));
    return index;
  }

  /// Hosts, client groups and bound externals get their nodes up front, in declaration order.
  void addDeclaredNodes() {
    const Hierarchy &h = hierarchy();
    const Model &model = *placed.model;
    doc.siteNodes.assign(h.sites.size(), {});
    for (unsigned i = 0; i < h.hosts.size(); ++i) {
      DocNode n;
      n.kind = DocNode::Host;
      n.name = h.hosts[i].name;
      for (const HostRole &hr : h.hosts[i].roles)
        n.roles += (n.roles.empty() ? "" : ", ") + model.roles[hr.role].name;
      n.addresses = h.hosts[i].addresses;
      n.site = h.hosts[i].site;
      doc.hostNodes.push_back(addNode(std::move(n)));
    }
    for (const ClientGroup &g : h.clientGroups) {
      DocNode n;
      n.kind = DocNode::Clients;
      n.name = fmt::format("{} clients", h.sites[g.site].name);
      n.addresses = g.addresses;
      n.site = g.site;
      clientNodes.push_back(addNode(std::move(n)));
    }
    for (const ExternalBinding &e : h.externals)
      externalNodes.push_back(nodeNamed(DocNode::External, model.roles[e.role].name, e.addresses));
  }

  /// The node of kind \p kind called \p name, created on first use.
  unsigned nodeNamed(DocNode::NodeKind kind, const std::string &name, const AddressSet &addresses) {
    auto [it, inserted] = namedNodes.try_emplace(fmt::format("{}:{}", unsigned(kind), name), 0);
    if (!inserted) {
      doc.nodes[it->second].addresses = doc.nodes[it->second].addresses.unite(addresses);
      return it->second;
    }
    DocNode n;
    n.kind = kind;
    n.name = name;
    n.addresses = addresses;
    it->second = addNode(std::move(n));
    return it->second;
  }

  /// Where one end of \p f lies. A binding of one host, client group or external names its
  /// node; ends that passes merged, or that user statements wrote as addresses, are split over
  /// the hosts (or client groups) they touch, as place splits them over host firewalls, and
  /// what lies beyond those becomes one node named by the addresses as written.
  llvm::SmallVector<EndPiece, 2> piecesOf(const Flow &f, bool source) {
    const AddressSet &addrs = source ? f.srcAddrs : f.dstAddrs;
    unsigned node = singleNode(f, source);
    if (node != DocNode::None)
      return {{node, addrs}};
    unsigned b = source ? f.src : f.dst;
    if (b != Flow::Mixed) {
      const Binding &binding = placed.flows->bindings[b];
      if (binding.kind == Binding::Clients)
        return splitOver(*clientIndex, addrs, binding.label);
      if (binding.kind == Binding::External)
        return {{nodeNamed(DocNode::External, binding.label, addrs), addrs}};
    }
    return splitOver(*hostIndex, addrs, "");
  }

  /// The node that one end of \p f is when that end is one host, client group or bound
  /// external (almost every flow before the passes merge them), else None.
  unsigned singleNode(const Flow &f, bool source) const {
    unsigned b = source ? f.src : f.dst;
    if (b == Flow::Mixed)
      return DocNode::None;
    const Binding &binding = placed.flows->bindings[b];
    bool single = binding.owner != Binding::None;
    if (binding.kind == Binding::HostRole)
      return doc.hostNodes[binding.owner];
    if (binding.kind == Binding::Clients && single)
      return clientNodes[binding.owner];
    if (binding.kind == Binding::External && single)
      return externalNodes[binding.owner];
    return DocNode::None;
  }

  /// For a flow between two single nodes: those nodes and the hashes its opening and address
  /// sets are looked up by. Reads only what the fold does not change.
  struct Prepared {
    unsigned src = DocNode::None, dst = DocNode::None;
    uint64_t opening = 0, srcAddrs = 0, dstAddrs = 0;
  };

  Prepared prepare(const Flow &f) const {
    Prepared p;
    p.src = singleNode(f, /*source=*/true);
    p.dst = singleNode(f, /*source=*/false);
    if (p.src == DocNode::None || p.dst == DocNode::None)
      return p;
    p.opening = openingHash(p.src, p.dst, f);
    p.srcAddrs = hash_value(f.srcAddrs);
    p.dstAddrs = hash_value(f.dstAddrs);
    return p;
  }

  __attribute__((always_inline)) void prefetchSlots(const Prepared &p) const { // see HashIndex::prefetch
    if (p.src == DocNode::None || p.dst == DocNode::None)
      return;
    openingIndex.prefetch(p.opening);
    addressIndex.prefetch(p.srcAddrs);
    addressIndex.prefetch(p.dstAddrs);
  }

  /// Openings are equal when their connection, protocol, ICMP type, ports and reasons are: the
  /// hash takes the connection's two nodes and the provenance the reasons come from, which
  /// (unlike the connection's and the reasons' numbers) are known before the fold reaches it.
  static uint64_t openingHash(unsigned src, unsigned dst, const Flow &f) {
    return llvm::hash_combine(src, dst, unsigned(f.proto), f.icmpType, f.ports,
                              llvm::hash_combine_range(f.why.begin(), f.why.end()));
  }

  /// \p addrs split over the \p candidates it touches, plus a node for the rest. That node
  /// and its rows keep the addresses as written ("any", "10.0.0.0/24"), not the exact rest,
  /// which is a long CIDR list nobody reads; the hosts inside are listed separately.
  llvm::SmallVector<EndPiece, 2> splitOver(const NodeIndex &candidates, const AddressSet &addrs,
                                           const std::string &label) {
    llvm::SmallVector<EndPiece, 2> pieces;
    AddressSet rest = addrs;
    for (unsigned node : candidates.meeting(addrs)) {
      AddressSet part = addrs.intersect(doc.nodes[node].addresses);
      rest = rest.subtract(part);
      pieces.push_back({node, std::move(part)});
    }
    if (!rest.empty())
      pieces.push_back({nodeNamed(DocNode::Addresses, label.empty() ? addrs.str() : label, addrs), addrs});
    return pieces;
  }

  void addFlow(const Flow &f, const Prepared &p) {
    // A client group talks to itself (peer cache, wake-up proxy); a host never needs its own
    // firewall opened to itself, even where merged ends cover it on both sides.
    auto opens = [&](unsigned src, unsigned dst) { return src != dst || doc.nodes[src].kind != DocNode::Host; };
    if (p.src != DocNode::None && p.dst != DocNode::None) {
      if (opens(p.src, p.dst))
        addOpening(f, {p.src, f.srcAddrs, p.srcAddrs}, {p.dst, f.dstAddrs, p.dstAddrs}, p.opening);
      return;
    }
    auto sources = piecesOf(f, /*source=*/true), destinations = piecesOf(f, /*source=*/false);
    for (const EndPiece &s : sources)
      for (const EndPiece &d : destinations)
        if (opens(s.node, d.node))
          addOpening(f, {s.node, s.addresses, hash_value(s.addresses)}, {d.node, d.addresses, hash_value(d.addresses)},
                     openingHash(s.node, d.node, f));
  }

  /// One end of an opening, and the hash of its addresses.
  struct OpeningEnd {
    unsigned node;
    const AddressSet &addresses;
    uint64_t addressHash;
  };

  void addOpening(const Flow &f, const OpeningEnd &s, const OpeningEnd &d, uint64_t hash) {
    auto [conn, newConnection] = connectionIndex.try_emplace({s.node, d.node}, unsigned(doc.connections.size()));
    if (newConnection)
      doc.connections.push_back({0, s.node, d.node, {}});
    unsigned connection = conn->second, reasons = reasonsOf(f.why);
    // Pieces of one flow (a deny cuts a flow into several) become one row again.
    auto [row, added] = openingIndex.findOrAdd(hash, [&](unsigned i) {
      const DocOpening &o = doc.openings[i];
      return o.connection == connection && o.proto == f.proto && o.icmpType == f.icmpType &&
             o.reasons == reasons && o.ports == f.ports;
    });
    if (!added) {
      DocOpening &o = doc.openings[row];
      o.srcAddrs = addressSet(doc.addressSets[o.srcAddrs].unite(s.addresses));
      o.dstAddrs = addressSet(doc.addressSets[o.dstAddrs].unite(d.addresses));
      return;
    }
    DocOpening o;
    o.connection = connection;
    o.srcAddrs = addressSet(s.addresses, s.addressHash);
    o.dstAddrs = addressSet(d.addresses, d.addressHash);
    o.proto = f.proto;
    o.icmpType = f.icmpType;
    o.ports = f.ports;
    o.reasons = reasons;
    doc.openings.push_back(std::move(o));
  }

  /// The index of \p set (whose hash_value is \p hash) in DocModel::addressSets, added on
  /// first use.
  unsigned addressSet(const AddressSet &set) { return addressSet(set, hash_value(set)); }
  unsigned addressSet(const AddressSet &set, uint64_t hash) {
    auto [index, added] = addressIndex.findOrAdd(hash, [&](unsigned i) { return doc.addressSets[i] == set; });
    if (added)
      doc.addressSets.push_back(set);
    return index;
  }

  /// The index of the reasons of \p provenance in DocModel::reasons; equal lists share one.
  unsigned reasonsOf(llvm::ArrayRef<ProvId> provenance) {
    llvm::StringRef key(reinterpret_cast<const char *>(provenance.data()), provenance.size() * sizeof(ProvId));
    auto [it, added] = reasonsIndex.try_emplace(key, unsigned(doc.reasons.size()));
    if (added)
      doc.reasons.push_back(why.explain(provenance));
    return it->second;
  }

  /// Number connections by (source node, destination node) and keep rows in that order.
  void numberConnections() {
    std::vector<unsigned> order(doc.connections.size());
    for (unsigned i = 0; i < order.size(); ++i)
      order[i] = i;
    llvm::sort(order, [&](unsigned a, unsigned b) {
      const DocConnection &x = doc.connections[a], &y = doc.connections[b];
      return std::tie(x.src, x.dst) < std::tie(y.src, y.dst);
    });
    std::vector<unsigned> renumbered(order.size());
    std::vector<DocConnection> sorted;
    for (unsigned i = 0; i < order.size(); ++i) {
      renumbered[order[i]] = i;
      sorted.push_back(std::move(doc.connections[order[i]]));
      sorted.back().number = i + 1;
    }
    doc.connections = std::move(sorted);
    // Rows in connection order, in flow order within one: a counting sort moves each (large)
    // opening once, where a stable sort moved it about log2(n) times.
    std::vector<unsigned> next(doc.connections.size() + 1, 0);
    for (const DocOpening &o : doc.openings)
      ++next[renumbered[o.connection] + 1];
    std::partial_sum(next.begin(), next.end(), next.begin());
    std::vector<DocOpening> ordered(doc.openings.size());
    for (DocOpening &o : doc.openings) {
      o.connection = renumbered[o.connection];
      ordered[next[o.connection]++] = std::move(o);
    }
    doc.openings = std::move(ordered);
    for (unsigned i = 0; i < doc.openings.size(); ++i)
      doc.connections[doc.openings[i].connection].openings.push_back(i);
    doc.inbound.assign(doc.nodes.size(), {});
    doc.outbound.assign(doc.nodes.size(), {});
    for (unsigned i = 0; i < doc.connections.size(); ++i) {
      doc.outbound[doc.connections[i].src].push_back(i);
      doc.inbound[doc.connections[i].dst].push_back(i);
    }
  }

  const PlacedPolicy &placed;
  DocModel &doc;
  WhyExplainer why;
  std::vector<unsigned> clientNodes, externalNodes;
  std::optional<NodeIndex> hostIndex, clientIndex; // built once the declared nodes are in
  llvm::StringMap<unsigned> namedNodes, reasonsIndex;
  llvm::DenseMap<std::pair<unsigned, unsigned>, unsigned> connectionIndex;
  HashIndex openingIndex, addressIndex; // over doc.openings, doc.addressSets
};

} // namespace

DocModel buildDocModel(const PlacedPolicy &placed, llvm::ArrayRef<Flow> flows) {
  DocModel doc;
  doc.placed = &placed;
  doc.model = placed.model;
  DocModelBuilder(placed, doc).run(flows);
  return doc;
}

DocModel buildDocModel(const PlacedPolicy &placed) {
  return buildDocModel(placed, placed.documentedFlows ? *placed.documentedFlows : placed.flows->flows);
}

} // namespace cmnet::doc
