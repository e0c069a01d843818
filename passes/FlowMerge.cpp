// Grouping flows by hash and merging each group in one step.
#include "passes/FlowMerge.h"

#include "passes/SetUnion.h"
#include "support/HashIndex.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace cmnet::ir;

namespace cmnet::passes {

EndpointClass endpointClass(const FlowTable &table, unsigned binding) {
  if (binding == Flow::Mixed || binding >= table.bindings.size())
    return EndpointClass::ByAddress;
  switch (table.bindings[binding].kind) {
  case Binding::Clients: return EndpointClass::Clients;
  case Binding::External: return EndpointClass::External;
  case Binding::HostRole:
  case Binding::User: return EndpointClass::ByAddress;
  }
  return EndpointClass::ByAddress;
}

llvm::SmallVector<ProvId, 1> allowStatementsOf(const FlowTable &table, const Flow &flow) {
  llvm::SmallVector<ProvId, 1> out;
  for (ProvId id : flow.why)
    if (table.provenance(id).kind == Provenance::Allow)
      out.push_back(id);
  llvm::sort(out);
  return out;
}

std::string joinLabels(llvm::ArrayRef<std::string> labels) {
  constexpr size_t shown = 3;
  std::string out;
  for (size_t i = 0; i < labels.size() && i < shown; ++i)
    out += (i ? ", " : "") + labels[i];
  if (labels.size() > shown)
    out += fmt::format(" and {} more", labels.size() - shown);
  return out;
}

namespace {

/// What a flow must share with another to merge with it, besides its non-varying sets.
struct Shape {
  EndpointClass srcClass, dstClass;
  llvm::SmallVector<ProvId, 1> allows;
  bool operator==(const Shape &o) const {
    return srcClass == o.srcClass && dstClass == o.dstClass && allows == o.allows;
  }
};

class FlowMerger {
public:
  FlowMerger(FlowTable &table, unsigned varying) : table(table), varying(varying) {}

  void run() {
    std::vector<Flow> &flows = table.flows;
    shapes.reserve(flows.size());
    for (const Flow &f : flows)
      shapes.push_back({endpointClass(table, f.src), endpointClass(table, f.dst), allowStatementsOf(table, f)});
    // Groups by hash. Flat buckets and one reserve keep the index small and never rehashed:
    // with millions of flows its cache misses dominated.
    std::vector<unsigned> groupOf(flows.size());
    HashIndex groups;
    groups.reserve(flows.size());
    for (unsigned i = 0; i < flows.size(); ++i) {
      auto [g, added] = groups.findOrAdd(hash(i), [&](unsigned g) { return sameShape(leaders[g], i); });
      groupOf[i] = g;
      if (added)
        leaders.push_back(i);
    }
    // Members of each group, in flow order (a counting sort by group).
    std::vector<unsigned> start(leaders.size() + 1, 0), members(flows.size());
    for (unsigned g : groupOf)
      ++start[g + 1];
    for (unsigned g = 0; g < leaders.size(); ++g)
      start[g + 1] += start[g];
    std::vector<unsigned> fill(start.begin(), start.end() - 1);
    for (unsigned i = 0; i < flows.size(); ++i)
      members[fill[groupOf[i]]++] = i;

    // Merged in place, not into a second vector (a third of a gigabyte at Microsoft's published
    // limits): group g's members all sit at or after slot g, as its leader is the g-th and
    // comes first, so slot g is free once the groups before it are merged.
    for (unsigned g = 0; g < leaders.size(); ++g) {
      Flow merged = merge(llvm::makeArrayRef(members).slice(start[g], start[g + 1] - start[g]));
      flows[g] = std::move(merged);
    }
    flows.resize(leaders.size());
    if (flows.size() < flows.capacity() / 2)
      flows.shrink_to_fit();
  }

private:
  uint64_t hash(unsigned i) const {
    const Flow &f = table.flows[i];
    const Shape &s = shapes[i];
    llvm::hash_code h = llvm::hash_combine(unsigned(f.proto), f.icmpType, unsigned(f.action), unsigned(s.srcClass),
                                           unsigned(s.dstClass),
                                           llvm::hash_combine_range(s.allows.begin(), s.allows.end()));
    if (!(varying & SourceAddresses))
      h = llvm::hash_combine(h, f.srcAddrs);
    if (!(varying & DestinationAddresses))
      h = llvm::hash_combine(h, f.dstAddrs);
    if (!(varying & Ports))
      h = llvm::hash_combine(h, f.ports);
    return h;
  }

  bool sameShape(unsigned a, unsigned b) const {
    const Flow &x = table.flows[a], &y = table.flows[b];
    return x.proto == y.proto && x.icmpType == y.icmpType && x.action == y.action && shapes[a] == shapes[b] &&
           ((varying & SourceAddresses) || x.srcAddrs == y.srcAddrs) &&
           ((varying & DestinationAddresses) || x.dstAddrs == y.dstAddrs) &&
           ((varying & Ports) || x.ports == y.ports);
  }

  /// Two bindings name the same place when they are one binding, or the same host's roles.
  bool samePlace(unsigned a, unsigned b) const {
    if (a == b)
      return true;
    if (a == Flow::Mixed || b == Flow::Mixed)
      return false;
    const Binding &x = table.bindings[a], &y = table.bindings[b];
    return x.kind == Binding::HostRole && y.kind == Binding::HostRole && x.owner == y.owner;
  }

  /// The endpoint of a merged flow on one side: the members' binding when they agree, else a
  /// new binding of the same class over \p addresses.
  unsigned mergeEndpoint(llvm::ArrayRef<unsigned> group, bool source, const AddressSet &addresses) {
    auto endOf = [&](unsigned i) { return source ? table.flows[i].src : table.flows[i].dst; };
    unsigned first = endOf(group.front());
    if (llvm::all_of(group, [&](unsigned i) { return samePlace(first, endOf(i)); }))
      return first;
    Binding merged;
    EndpointClass cls = source ? shapes[group.front()].srcClass : shapes[group.front()].dstClass;
    merged.kind = cls == EndpointClass::Clients ? Binding::Clients
                  : cls == EndpointClass::External ? Binding::External
                                                    : Binding::User;
    std::vector<std::string> labels;
    llvm::StringSet<> seen;
    bool firstMember = true;
    for (unsigned i : group) {
      unsigned b = endOf(i);
      std::string label = table.endpointLabel(table.flows[i], source);
      if (seen.insert(label).second)
        labels.push_back(std::move(label));
      unsigned role = b == Flow::Mixed ? Binding::None : table.bindings[b].role;
      unsigned site = b == Flow::Mixed ? Binding::None : table.bindings[b].site;
      merged.role = firstMember || merged.role == role ? role : Binding::None;
      merged.site = firstMember || merged.site == site ? site : Binding::None;
      firstMember = false;
    }
    merged.addresses = addresses;
    merged.label = joinLabels(labels);
    table.bindings.push_back(std::move(merged));
    return unsigned(table.bindings.size() - 1);
  }

  Flow merge(llvm::ArrayRef<unsigned> group) {
    std::vector<Flow> &flows = table.flows;
    if (group.size() == 1)
      return std::move(flows[group.front()]);
    Flow out = flows[group.front()];
    std::vector<const AddressSet *> srcs, dsts;
    std::vector<const IntervalSet<uint16_t> *> ports;
    for (unsigned i : group) {
      srcs.push_back(&flows[i].srcAddrs);
      dsts.push_back(&flows[i].dstAddrs);
      ports.push_back(&flows[i].ports);
    }
    if (varying & SourceAddresses)
      out.srcAddrs = uniteAll(srcs);
    if (varying & DestinationAddresses)
      out.dstAddrs = uniteAll(dsts);
    if (varying & Ports)
      out.ports = uniteAll<uint16_t>(ports);
    llvm::DenseSet<ProvId> seen(out.why.begin(), out.why.end());
    for (unsigned i : group.drop_front()) {
      const Flow &f = flows[i];
      for (ProvId id : f.why)
        if (seen.insert(id).second)
          out.why.push_back(id);
      if (f.entry != out.entry || f.entryItem != out.entryItem) {
        out.entry = nullptr;
        out.entryItem = 0;
      }
      if (f.link != out.link)
        out.link = nullptr;
      out.resolved &= f.resolved;
    }
    out.src = mergeEndpoint(group, /*source=*/true, out.srcAddrs);
    out.dst = mergeEndpoint(group, /*source=*/false, out.dstAddrs);
    return out;
  }

  FlowTable &table;
  unsigned varying;
  std::vector<Shape> shapes;
  std::vector<unsigned> leaders; // group -> its first flow
};

} // namespace

void mergeFlows(FlowTable &table, unsigned varying) { FlowMerger(table, varying).run(); }

} // namespace cmnet::passes
