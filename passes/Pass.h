// Pass infrastructure: the Pass interface and the pipeline.
#pragma once

#include "analysis/CompileContext.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cmnet::passes {

/// Passes and their callers name the context by its stage's namespace.
using analysis::CompileContext;

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

/// The policy pipeline, instantiate-hierarchy … apply-policy: from the hierarchy to the resolved
/// flows its policy allows and denies, each still one catalog row or statement between two role
/// instances. Its last pass, apply-policy, applies the hierarchy's own statements to what the
/// catalog and its notes require.
std::vector<std::unique_ptr<Pass>> createPolicyPipeline();
/// The lowering pipeline, dedup … share-rulesets: from those flows to the rules each
/// enforcement point applies (flows merged, placed, made disjoint, rulesets shared).
std::vector<std::unique_ptr<Pass>> createLoweringPipeline();
/// Both, in order (the benchmarks time each pass alone).
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
  /// Called before apply-policy with the flows the catalog and its notes require, before the
  /// hierarchy's own statements apply (lint's denied requirements, explain's closed ports).
  std::function<void(const CompileContext &)> beforeStatements;
  /// Called between the two pipelines with the flows the policy allows and denies, one per
  /// catalog row or statement and endpoint pair, before lowering merges them (documentation,
  /// diff's reasons). Returning false stops the run.
  std::function<bool(CompileContext &)> afterPolicy;
  /// Whether an error reported so far stops the run after the pass that reported it (default:
  /// any error; lint carries on past the catalog's own rule diagnostics).
  std::function<bool(const DiagnosticEngine &)> stopsRun;
};

/// The one pipeline runner every command uses: the policy pipeline, options.afterPolicy, then
/// the lowering pipeline, printing the IR after the passes --print-after names and a --stats
/// row per pass. Stops after the first pass that reports an error (options.stopsRun), and
/// returns false then.
bool runPipelines(CompileContext &ctx, const PassRunOptions &options);

/// The names of every pass of both pipelines, in order (for --help and validation).
std::vector<std::string> pipelinePassNames();

} // namespace cmnet::passes
