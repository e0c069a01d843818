// ir-json: one JSON document with every enforcement point and rule, with provenance.
#include "backends/IrJsonBackend.h"

#include "ir/Printer.h"

namespace cmnet::backends {

bool IrJsonBackend::render(const ir::PlacedPolicy &placed, const BackendOptions &, FileSink emit) const {
  FileSinkStream out(emit, "policy.json");
  ir::writePlacementJson(placed, out);
  return out.finish();
}

} // namespace cmnet::backends
