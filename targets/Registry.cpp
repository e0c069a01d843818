// The one target table, joined from the stages that render targets.
#include "targets/Registry.h"

#include "doc/DocTarget.h"

namespace cmnet::targets {

const std::vector<backends::BackendEntry> &targetRegistry() {
  static const std::vector<backends::BackendEntry> registry = [] {
    std::vector<backends::BackendEntry> rows = backends::backendTargets();
    const std::vector<backends::BackendEntry> &docRows = doc::docTargets();
    rows.insert(rows.end(), docRows.begin(), docRows.end());
    return rows;
  }();
  return registry;
}

const backends::BackendEntry *findTarget(llvm::StringRef name) {
  for (const backends::BackendEntry &e : targetRegistry())
    if (name == e.name)
      return &e;
  return nullptr;
}

} // namespace cmnet::targets
