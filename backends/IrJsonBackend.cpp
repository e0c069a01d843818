// ir-json: one JSON document with every enforcement point and rule, with provenance.
#include "backends/IrJsonBackend.h"

#include "ir/Printer.h"

namespace cmnet::backends {

std::vector<OutputFile> IrJsonBackend::render(const ir::PlacedPolicy &placed, const BackendOptions &) const {
  return {{"policy.json", ir::placementToJson(placed)}};
}

} // namespace cmnet::backends
