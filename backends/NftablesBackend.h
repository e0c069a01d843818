// NftablesBackend: one `nft -f` script per host, replacing its own table atomically.
#pragma once

#include "backends/Backend.h"

namespace cmnet::backends {

class NftablesBackend : public Backend {
public:
  llvm::StringRef name() const override { return "nftables"; }
  Capabilities capabilities() const override { return {}; }
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
