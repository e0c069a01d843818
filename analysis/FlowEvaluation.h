// FlowEvaluation: evaluating catalog conditions and ports for one flow's two bindings.
// Shared by resolve-overrides (which does it for every flow) and apply-note-rules (which
// re-opens entries a rule requires).
#pragma once

#include "analysis/CompileContext.h"

#include <optional>

namespace cmnet::analysis {

/// Record why a flow from catalog row \p entry of \p link exists: the row (section and
/// description; \p reverse marks the second direction of a `<->` link), then each note it
/// cites, so `explain` and rule comments can name "note 2".
void appendEntryProvenance(ir::FlowTable &table, const ir::Model &model, const ir::Link &link,
                           const ir::Entry &entry, bool reverse, llvm::SmallVectorImpl<ir::ProvId> &why);

class FlowEvaluation {
public:
  explicit FlowEvaluation(CompileContext &ctx) : ctx(ctx) {}

  /// The value of \p ref for a flow between \p src and \p dst: a role parameter of either end
  /// (by resolved target, or by name for `on *` rules), else a global.
  std::optional<ir::Value> lookup(const ir::RefExpr &ref, const ir::Binding *src, const ir::Binding *dst) const;

  /// Evaluate a condition; a missing condition is true. Errors are reported at the expression.
  bool condition(const ir::Expr *when, const ir::Binding *src, const ir::Binding *dst, bool &failed) const;

  /// The concrete ports of \p entry between \p src and \p dst, or nullopt after reporting an error.
  std::optional<ir::PortSet> ports(const ir::Entry &entry, const ir::Binding *src, const ir::Binding *dst,
                                   llvm::SmallVectorImpl<ir::ProvId> &why) const;

  /// Fill in a flow created from a catalog entry: addresses, ports and provenance.
  /// Returns false when the flow's conditions are false (the flow should be dropped).
  bool resolve(ir::Flow &flow, bool ignoreEntryCondition = false) const;

private:
  CompileContext &ctx;
};

} // namespace cmnet::analysis
