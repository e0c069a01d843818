// Grouping flows by hash and merging each group in one step.
#include "analysis/FlowMerge.h"

#include "analysis/SetUnion.h"
#include "support/HashIndex.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Parallel.h"

#include <mutex>
#include <optional>
#include <unordered_map>

using namespace cmnet::ir;

namespace cmnet::analysis {

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

/// A group's merged flow, and the bindings of its ends that the table does not have yet.
struct Merged {
  Flow flow;
  std::optional<Binding> newSrc, newDst;
};

class FlowMerger {
public:
  FlowMerger(FlowTable &table, unsigned varying) : table(table), varying(varying) {}

  void run() {
    // Members of each group, in flow order (a counting sort by group); the index that found
    // the groups is gone before the merging starts.
    std::vector<unsigned> start, members;
    {
      std::vector<unsigned> groupOf = groupFlows();
      start.assign(leaders.size() + 1, 0);
      for (unsigned g : groupOf)
        ++start[g + 1];
      for (unsigned g = 0; g < leaders.size(); ++g)
        start[g + 1] += start[g];
      std::vector<unsigned> fill(start.begin(), start.end() - 1);
      members.resize(groupOf.size());
      for (unsigned i = 0; i < groupOf.size(); ++i)
        members[fill[groupOf[i]]++] = i;
    }
    mergeGroups(start, members);
  }

private:
  /// Each flow's group; groups are numbered in the order of their first flows (leaders).
  std::vector<unsigned> groupFlows() {
    const std::vector<Flow> &flows = table.flows;
    // Shapes and hashes only read the table: every core computes them.
    shapes.resize(flows.size());
    std::vector<uint64_t> hashes(flows.size());
    llvm::parallelForEachN(0, flows.size(), [&](size_t i) {
      const Flow &f = flows[i];
      shapes[i] = {endpointClass(table, f.src), endpointClass(table, f.dst), allowStatementsOf(table, f)};
      hashes[i] = hash(i);
    });
    // With millions of flows each lookup is a cache miss: the slot for a flow some places
    // ahead is fetched while this one is looked up.
    constexpr unsigned lookAhead = 16;
    std::vector<unsigned> groupOf(flows.size());
    HashIndex groups;
    groups.reserve(flows.size());
    for (unsigned i = 0; i < flows.size(); ++i) {
      if (i + lookAhead < flows.size())
        groups.prefetch(hashes[i + lookAhead]);
      auto [g, added] = groups.findOrAdd(hashes[i], [&](unsigned g) { return sameShape(leaders[g], i); });
      groupOf[i] = g;
      if (added)
        leaders.push_back(i);
    }
    return groupOf;
  }

  /// Group g (members[start[g]] up to start[g + 1]) becomes flow g.
  void mergeGroups(llvm::ArrayRef<unsigned> start, llvm::ArrayRef<unsigned> members) {
    std::vector<Flow> &flows = table.flows;
    // Merged in place, not into a second vector (a third of a gigabyte at Microsoft's published
    // limits): group g's members all sit at or after slot g, as its leader is the g-th and
    // comes first, so slot g is free once the groups before it are merged. A batch of groups
    // is merged on every core, reading only slots at or after the batch's first; then, in
    // group order, each moves into its slot and adds the bindings it made to the table.
    // The batch is cut into a few dozen tasks: a task per group costs more than most merges.
    constexpr unsigned batchSize = 16384, taskSize = 512;
    std::vector<Merged> batch(std::min<size_t>(batchSize, leaders.size())); // no larger than the work
    for (unsigned first = 0; first < leaders.size(); first += batchSize) {
      unsigned end = std::min<unsigned>(leaders.size(), first + batchSize);
      llvm::parallelForEachN(0, (end - first + taskSize - 1) / taskSize, [&](size_t task) {
        unsigned from = first + unsigned(task) * taskSize, to = std::min(end, from + taskSize);
        for (unsigned g = from; g < to; ++g)
          if (start[g + 1] - start[g] > 1)
            batch[g - first] = merge(members.slice(start[g], start[g + 1] - start[g]));
      });
      for (unsigned g = first; g < end; ++g) {
        if (start[g + 1] - start[g] == 1) {
          flows[g] = std::move(flows[members[start[g]]]);
          continue;
        }
        Merged &m = batch[g - first];
        m.flow.src = m.newSrc ? addBinding(std::move(*m.newSrc)) : m.flow.src;
        m.flow.dst = m.newDst ? addBinding(std::move(*m.newDst)) : m.flow.dst;
        flows[g] = std::move(m.flow);
        m = Merged();
      }
    }
    flows.resize(leaders.size());
    if (flows.size() < flows.capacity() / 2)
      flows.shrink_to_fit();
  }

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

  unsigned addBinding(Binding b) {
    table.bindings.push_back(std::move(b));
    return unsigned(table.bindings.size() - 1);
  }

  /// The endpoint of a merged flow on one side: the members' binding when they agree, else
  /// (in \p created, for the caller to add to the table) a new binding of the same class over
  /// \p addresses.
  unsigned mergeEndpoint(llvm::ArrayRef<unsigned> group, bool source, const AddressSet &addresses,
                         std::optional<Binding> &created) const {
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
    created = std::move(merged);
    return Flow::Mixed;
  }

  /// A group of two or more flows as one; reads the table only.
  Merged merge(llvm::ArrayRef<unsigned> group) const {
    const std::vector<Flow> &flows = table.flows;
    Merged m;
    Flow &out = m.flow;
    out = flows[group.front()];
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
    out.parts = mergeParts(group);
    out.src = mergeEndpoint(group, /*source=*/true, out.srcAddrs, m.newSrc);
    out.dst = mergeEndpoint(group, /*source=*/false, out.dstAddrs, m.newDst);
    return m;
  }

  /// The parts of a group's merged flow (FlowPart). Members alike — the same shared parts, or
  /// no parts and the same reasons — form a class, which covers the union of its members'
  /// varying fields with each of their parts. One class is the whole merged flow: its parts (or
  /// none) stay as they are, without a copy. Parts that cover the whole flow join into one.
  std::shared_ptr<const FlowParts> mergeParts(llvm::ArrayRef<unsigned> group) const {
    const std::vector<Flow> &flows = table.flows;
    auto alike = [&](const Flow &a, const Flow &b) { return a.parts ? a.parts == b.parts : !b.parts && a.why == b.why; };
    // Classes are few (one per set of overrides or catalog rows): a linear search finds them.
    std::vector<std::vector<unsigned>> classes; // member indices, classes in order of their first
    for (unsigned i : group) {
      auto c = llvm::find_if(classes, [&](const auto &members) { return alike(flows[members.front()], flows[i]); });
      if (c == classes.end())
        classes.push_back({i});
      else
        c->push_back(i);
    }
    const Flow &first = flows[group.front()];
    if (classes.size() == 1)
      return first.parts;
    FlowParts parts;
    FlowPart whole; // the parts that cover the whole merged flow, as one
    for (const std::vector<unsigned> &members : classes) {
      std::shared_ptr<const AddressSet> src, dst;
      std::shared_ptr<const PortSet> ports;
      if (varying & SourceAddresses)
        src = std::make_shared<const AddressSet>(uniteOf(members, &Flow::srcAddrs));
      if (varying & DestinationAddresses)
        dst = std::make_shared<const AddressSet>(uniteOf(members, &Flow::dstAddrs));
      if (varying & Ports)
        ports = std::make_shared<const PortSet>(unitePorts(members));
      const Flow &f = flows[members.front()];
      FlowPart own{nullptr, nullptr, nullptr, llvm::SmallVector<ProvId, 2>(f.why.begin(), f.why.end())};
      for (const FlowPart &member : f.parts ? llvm::ArrayRef<FlowPart>(*f.parts) : llvm::ArrayRef<FlowPart>(own)) {
        FlowPart part = member;
        part.src = part.src ? part.src : src;
        part.dst = part.dst ? part.dst : dst;
        part.ports = part.ports ? part.ports : ports;
        if (part.src || part.dst || part.ports)
          parts.push_back(std::move(part));
        else
          mergeWhy(whole.why, part.why);
      }
    }
    if (parts.empty())
      return nullptr; // every part covers the whole flow: why says it all
    if (!whole.why.empty())
      parts.insert(parts.begin(), std::move(whole));
    return partsPool.intern(std::move(parts));
  }

  AddressSet uniteOf(llvm::ArrayRef<unsigned> members, AddressSet Flow::*field) const {
    std::vector<const AddressSet *> sets;
    for (unsigned i : members)
      sets.push_back(&(table.flows[i].*field));
    return uniteAll(sets);
  }

  PortSet unitePorts(llvm::ArrayRef<unsigned> members) const {
    std::vector<const IntervalSet<uint16_t> *> sets;
    for (unsigned i : members)
      sets.push_back(&table.flows[i].ports);
    return uniteAll<uint16_t>(sets);
  }

  /// Equal parts, made by different groups, as one shared list: a later merge then finds their
  /// flows alike by pointer (the parts of 5,000 distribution points' flows from one site server
  /// are the same few), and each list is held once.
  class PartsPool {
  public:
    std::shared_ptr<const FlowParts> intern(FlowParts parts) {
      uint64_t hash = llvm::hash_combine_range(parts.begin(), parts.end());
      std::lock_guard<std::mutex> guard(lock);
      auto range = pool.equal_range(hash);
      for (auto it = range.first; it != range.second; ++it)
        if (*it->second == parts)
          return it->second;
      return pool.emplace(hash, std::make_shared<const FlowParts>(std::move(parts)))->second;
    }

  private:
    std::mutex lock; // groups merge on every core
    std::unordered_multimap<uint64_t, std::shared_ptr<const FlowParts>> pool;
  };

  FlowTable &table;
  unsigned varying;
  mutable PartsPool partsPool;
  std::vector<Shape> shapes;
  std::vector<unsigned> leaders; // group -> its first flow
};

} // namespace

void mergeFlows(FlowTable &table, unsigned varying) { FlowMerger(table, varying).run(); }

} // namespace cmnet::analysis
