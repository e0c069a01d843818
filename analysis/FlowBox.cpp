// Box subtraction on flows: at most three pieces, none overlapping.
#include "analysis/FlowBox.h"

using namespace cmnet::ir;

namespace cmnet::analysis {

void subtractBox(const Flow &flow, const AddressSet &srcs, const AddressSet &dsts, const PortSet *ports,
                 llvm::function_ref<void(Flow &&)> emit) {
  bool hasPorts = flow.proto != Protocol::ICMP;
  auto piece = [&](AddressSet s, AddressSet d, PortSet p) {
    if (s.empty() || d.empty() || (hasPorts && p.empty()))
      return;
    Flow g = flow;
    g.srcAddrs = std::move(s);
    g.dstAddrs = std::move(d);
    g.ports = std::move(p);
    emit(std::move(g));
  };
  AddressSet srcIn = flow.srcAddrs.intersect(srcs);
  piece(flow.srcAddrs.subtract(srcs), flow.dstAddrs, flow.ports);
  piece(srcIn, flow.dstAddrs.subtract(dsts), flow.ports);
  if (ports && hasPorts)
    piece(srcIn, flow.dstAddrs.intersect(dsts), flow.ports.subtract(*ports));
}

bool boxesIntersect(const Flow &a, const Flow &b) {
  if (a.proto != Protocol::ICMP && !a.ports.intersects(b.ports))
    return false;
  return a.srcAddrs.intersects(b.srcAddrs) && a.dstAddrs.intersects(b.dstAddrs);
}

} // namespace cmnet::analysis
