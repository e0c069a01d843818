// The backend registry: one row per target {name, suffix, description, factory}.
#include "backends/Backend.h"
#include "backends/IrJsonBackend.h"
#include "backends/NftablesBackend.h"

namespace cmnet::backends {

template <typename T> static std::unique_ptr<Backend> make() { return std::make_unique<T>(); }

const std::vector<BackendEntry> &backendRegistry() {
  static const std::vector<BackendEntry> registry = {
      {"nftables", ".nft", "nftables script per host (nft -f)", make<NftablesBackend>},
      {"ir-json", ".json", "the placed IR as JSON", make<IrJsonBackend>},
  };
  return registry;
}

} // namespace cmnet::backends
