// The documentation model as a stage of `build` and `doc`: built between the two pipelines.
#pragma once

#include "Driver.h"

#include "doc/DocModel.h"

#include <optional>

namespace cmnet::driver {

/// Make \p options build \p doc from the flows the policy pipeline leaves, before lowering
/// merges them (several catalog rows and endpoints into one rule), then run the command's own
/// afterPolicy hook. No copy of the flows is kept (a third of a gigabyte at Microsoft's
/// published limits). The stage shows in --progress and --stats as `doc-model`.
void buildDocModelAfterPolicy(CompileOptions &options, std::optional<doc::DocModel> &doc);

} // namespace cmnet::driver
