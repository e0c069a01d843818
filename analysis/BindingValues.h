// BindingValues: the parameter values of every role instance, closest override first.
// Computed by instantiate-hierarchy as soon as the bindings exist, so that pairing can skip
// instances a link's condition excludes; read by every later pass through ir::Binding::values.
#pragma once

#include "analysis/CompileContext.h"

namespace cmnet::analysis {

/// Evaluate the global parameters (hierarchy override, else catalog default) into
/// ctx.flows.globals / globalSource. Errors are reported at the expression.
void resolveGlobalValues(CompileContext &ctx);

/// Evaluate every parameter of binding \p b: host, then its site and the site's ancestors, then
/// the hierarchy, then the catalog default (the closest wins). Needs the global values.
void resolveBindingValues(CompileContext &ctx, ir::Binding &b);

} // namespace cmnet::analysis
