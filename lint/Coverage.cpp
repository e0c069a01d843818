// Box questions against the allowed flows.
#include "lint/Coverage.h"

#include "analysis/FlowBox.h"

using namespace cmnet::ir;

namespace cmnet::lint {

Flow makeBox(AddressSet srcs, AddressSet dsts, Protocol proto, PortSet ports, int icmpType) {
  Flow box;
  box.srcAddrs = std::move(srcs);
  box.dstAddrs = std::move(dsts);
  box.proto = proto;
  box.icmpType = proto == Protocol::ICMP ? icmpType : -1;
  box.ports = proto == Protocol::ICMP ? PortSet() : std::move(ports);
  box.resolved = true;
  return box;
}

bool isEmptyBox(const Flow &box) {
  return box.srcAddrs.empty() || box.dstAddrs.empty() || (box.proto != Protocol::ICMP && box.ports.empty());
}

bool isWholeFamily(const AddressSet &set) { return set.v4().isAll() || set.v6().isAll(); }

bool coversService(const Flow &allowed, const Flow &box) {
  return allowed.proto == box.proto && (allowed.icmpType < 0 || allowed.icmpType == box.icmpType);
}

/// ICMP types meet when either side is every type or both are the same one.
static bool sharesService(const Flow &a, const Flow &b) {
  return a.proto == b.proto && (a.icmpType < 0 || b.icmpType < 0 || a.icmpType == b.icmpType);
}

Coverage::Coverage(llvm::ArrayRef<Flow> flows) : flows(flows) {
  for (unsigned i = 0; i < flows.size(); ++i)
    if (flows[i].action == FlowAction::Allow)
      byDestination.add(flows[i].dstAddrs, i);
  byDestination.build();
}

std::vector<unsigned> Coverage::overlapping(const Flow &box) const {
  std::vector<unsigned> out;
  for (unsigned i : byDestination.query(box.dstAddrs))
    if (sharesService(flows[i], box) && analysis::boxesIntersect(flows[i], box))
      out.push_back(i);
  return out;
}

std::vector<Flow> Coverage::uncovered(const Flow &box) const {
  std::vector<Flow> left{box};
  for (unsigned i : byDestination.query(box.dstAddrs)) {
    const Flow &allowed = flows[i];
    if (!coversService(allowed, box))
      continue;
    std::vector<Flow> next;
    for (const Flow &piece : left) {
      if (!analysis::boxesIntersect(piece, allowed)) {
        next.push_back(piece);
        continue;
      }
      analysis::subtractBox(piece, allowed.srcAddrs, allowed.dstAddrs, &allowed.ports,
                          [&](Flow &&rest) { next.push_back(std::move(rest)); });
    }
    left = std::move(next);
    if (left.empty())
      break;
  }
  return left;
}

} // namespace cmnet::lint
