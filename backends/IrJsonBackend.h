// IrJsonBackend: the placed policy as JSON, for anyone building their own generator.
#pragma once

#include "backends/Backend.h"

namespace cmnet::backends {

class IrJsonBackend : public Backend {
public:
  llvm::StringRef name() const override { return "ir-json"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.networkFirewalls = true;
    return c;
  }
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
