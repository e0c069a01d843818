// CompileContext: the state of one compilation that passes and the analyses over it share.
#pragma once

#include "ir/Flow.h"
#include "ir/Model.h"
#include "ir/Placement.h"
#include "support/Diagnostics.h"

#include <vector>

namespace cmnet::analysis {

/// Everything a pass reads and writes. The model is read-only after the frontend.
struct CompileContext {
  CompileContext(const ir::Model &model, DiagnosticEngine &diags) : model(model), diags(diags) {
    // Set up front, not by place: documentation is built from the flows before place runs.
    placed.sourceFile = model.mainFile;
    placed.flows = &flows;
    placed.model = &model;
  }
  CompileContext(const CompileContext &) = delete; // placed points into it
  const ir::Model &model;
  DiagnosticEngine &diags;
  ir::FlowTable flows;
  ir::PlacedPolicy placed;
  bool placedReady = false;
  /// Also place outbound rules on host firewalls (--outbound).
  bool placeOutbound = false;
  /// Give hosts that need the same rules one ruleset (--share-rulesets).
  bool shareRulesets = false;
  /// Bindings instantiate-hierarchy made as `any` for external roles the hierarchy never binds
  /// (resolve-overrides warns about those a flow still needs).
  std::vector<unsigned> unboundExternals;
};

} // namespace cmnet::analysis
