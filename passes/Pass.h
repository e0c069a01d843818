// Pass infrastructure: the compile context, the Pass interface, and the pipeline.
#pragma once

#include "ir/Flow.h"
#include "ir/Model.h"
#include "ir/Placement.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cmnet::passes {

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
  /// Passes run so far: a pipeline may run in pieces, and --stats prints its header once.
  unsigned passesRun = 0;
};

class Pass {
public:
  virtual ~Pass() = default;
  /// The name users give to --print-after and see in --stats.
  virtual llvm::StringRef name() const = 0;
  virtual llvm::StringRef summary() const = 0;
  virtual void run(CompileContext &ctx) = 0;
};

// Factories, in pipeline order. Each pass lives in its own file.
std::unique_ptr<Pass> createInstantiateHierarchyPass();
std::unique_ptr<Pass> createResolveOverridesPass();
std::unique_ptr<Pass> createApplyNoteRulesPass();
std::unique_ptr<Pass> createRouteViaProxyPass();
std::unique_ptr<Pass> createApplyPolicyPass();
std::unique_ptr<Pass> createDedupPass();
std::unique_ptr<Pass> createMergePortRangesPass();
std::unique_ptr<Pass> createAggregateAddressesPass();
std::unique_ptr<Pass> createDetectShadowingPass();
std::unique_ptr<Pass> createPlacePass();
std::unique_ptr<Pass> createShareRulesetsPass();

/// The default pipeline: one literal list, in order.
std::vector<std::unique_ptr<Pass>> createDefaultPipeline();

/// Something told of each pass as it starts.
using PassObserver = std::function<void(const Pass &, const CompileContext &)>;

struct PassRunOptions {
  std::vector<std::string> printAfter; // pass names, or "all"
  bool stats = false;
  llvm::raw_ostream *dumpStream = nullptr;  // where --print-after writes
  llvm::raw_ostream *statsStream = nullptr; // where --stats writes
  /// Called as each pass starts (the driver's progress report).
  PassObserver beforePass;
};

/// Run \p pipeline, stopping after the first pass that reports an error. Returns false then.
bool runPipeline(std::vector<std::unique_ptr<Pass>> &pipeline, CompileContext &ctx,
                 const PassRunOptions &options);

/// Cut \p pipeline after the pass named \p name (or nowhere, if it has none): returns the passes
/// after it, leaving the rest in \p pipeline, so that work can be done between the two runs.
std::vector<std::unique_ptr<Pass>> splitPipelineAfter(std::vector<std::unique_ptr<Pass>> &pipeline,
                                                      llvm::StringRef name);

/// The names of every pass of the default pipeline (for --help and validation).
std::vector<std::string> pipelinePassNames();

} // namespace cmnet::passes
