// The target registry users see (`cmnetc build -t NAME`): the backends' rows, then the
// documentation's, in one table.
#pragma once

#include "backends/Backend.h"

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace cmnet::targets {

/// Every target, in a fixed order: backends/Registry.cpp's rows, then doc/DocTarget.cpp's.
const std::vector<backends::BackendEntry> &targetRegistry();
/// The row named \p name, or null.
const backends::BackendEntry *findTarget(llvm::StringRef name);

} // namespace cmnet::targets
