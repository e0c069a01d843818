// Parameter defaults: resolve their references, check their types, values and dependencies.
#pragma once

#include "ir/Model.h"
#include "support/Diagnostics.h"

namespace cmnet::frontend {

/// Resolve and check every parameter default of \p model, once all files are declared.
/// A role parameter's default may use that role's parameters and the global parameters; a
/// global's default only global parameters. Defaults must have the parameter's type, constant
/// port defaults must lie in 1-65535, and no default may depend on itself.
void checkParamDefaults(ir::Model &model, DiagnosticEngine &diags);

} // namespace cmnet::frontend
