// The two pipelines and the one runner that prints IR and statistics between passes.
#include "passes/Pass.h"

#include "ir/Printer.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"

#include <chrono>

namespace cmnet::passes {

std::vector<std::unique_ptr<Pass>> createPolicyPipeline() {
  std::vector<std::unique_ptr<Pass>> pipeline;
  pipeline.push_back(createInstantiateHierarchyPass());
  pipeline.push_back(createResolveOverridesPass());
  pipeline.push_back(createApplyNoteRulesPass());
  pipeline.push_back(createRouteViaProxyPass());
  pipeline.push_back(createApplyPolicyPass());
  return pipeline;
}

std::vector<std::unique_ptr<Pass>> createLoweringPipeline() {
  std::vector<std::unique_ptr<Pass>> pipeline;
  pipeline.push_back(createDedupPass());
  pipeline.push_back(createMergePortRangesPass());
  pipeline.push_back(createAggregateAddressesPass());
  pipeline.push_back(createDetectShadowingPass());
  pipeline.push_back(createPlacePass());
  pipeline.push_back(createShareRulesetsPass());
  return pipeline;
}

std::vector<std::unique_ptr<Pass>> createDefaultPipeline() {
  std::vector<std::unique_ptr<Pass>> pipeline = createPolicyPipeline();
  for (auto &pass : createLoweringPipeline())
    pipeline.push_back(std::move(pass));
  return pipeline;
}

std::vector<std::string> pipelinePassNames() {
  std::vector<std::string> names;
  for (auto &pass : createDefaultPipeline())
    names.push_back(pass->name().str());
  return names;
}

namespace {
size_t countRules(const CompileContext &ctx) {
  if (!ctx.placedReady)
    return ctx.flows.flows.size();
  size_t n = 0;
  for (const ir::EnforcementPoint &p : ctx.placed.points) {
    n += p.inbound.size() + p.outbound.size();
    for (const ir::ZonePair &z : p.zonePairs)
      n += z.rules.size();
  }
  return n;
}

size_t cidrCount(const ir::AddressSet &set) {
  return set.cidrs(ir::Family::V4).size() + set.cidrs(ir::Family::V6).size();
}

/// CIDR blocks that a backend would write: both ends of every flow, or of every placed rule
/// once place ran.
size_t countAddressBlocks(const CompileContext &ctx) {
  size_t n = 0;
  if (!ctx.placedReady) {
    for (const ir::Flow &f : ctx.flows.flows)
      n += cidrCount(f.srcAddrs) + cidrCount(f.dstAddrs);
    return n;
  }
  auto addRules = [&](const std::vector<ir::PlacedRule> &rules) {
    for (const ir::PlacedRule &r : rules)
      n += cidrCount(r.src) + cidrCount(r.dst);
  };
  for (const ir::EnforcementPoint &p : ctx.placed.points) {
    addRules(p.inbound);
    addRules(p.outbound);
    for (const ir::ZonePair &z : p.zonePairs)
      addRules(z.rules);
  }
  return n;
}
} // namespace

namespace {
/// Runs passes in order, printing and counting between them as the options ask.
class PipelineRunner {
public:
  PipelineRunner(CompileContext &ctx, const PassRunOptions &options) : ctx(ctx), options(options) {}

  /// Run \p pipeline; false once a pass reported an error that stops the run. Before the last
  /// pass, \p beforeLast (if any) sees the context.
  bool run(std::vector<std::unique_ptr<Pass>> pipeline,
           const std::function<void(const CompileContext &)> &beforeLast = {}) {
    for (size_t i = 0; i < pipeline.size(); ++i) {
      if (beforeLast && i + 1 == pipeline.size())
        beforeLast(ctx);
      if (!runPass(*pipeline[i]))
        return false;
    }
    return true;
  }

private:
  bool runPass(Pass &pass) {
    // Counting walks every flow: only when asked.
    bool stats = options.stats && options.statsStream;
    if (stats && !headerPrinted) {
      *options.statsStream << fmt::format("{:<24} {:>10} {:>10} {:>12} {:>12} {:>10}\n", "pass", "rules-in",
                                          "rules-out", "addrs-in", "addrs-out", "ms");
      headerPrinted = true;
    }
    size_t rulesIn = stats ? countRules(ctx) : 0, addrsIn = stats ? countAddressBlocks(ctx) : 0;
    if (options.beforePass)
      options.beforePass(pass, ctx);
    auto start = std::chrono::steady_clock::now();
    pass.run(ctx);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (stats)
      *options.statsStream << fmt::format("{:<24} {:>10} {:>10} {:>12} {:>12} {:>10.2f}\n", pass.name().str(),
                                          rulesIn, countRules(ctx), addrsIn, countAddressBlocks(ctx), ms);
    if (options.stopsRun ? options.stopsRun(ctx.diags) : ctx.diags.hasErrors())
      return false;
    if (printsAfter(pass) && options.dumpStream) {
      *options.dumpStream << "// ---- IR after " << pass.name() << " ----\n";
      if (ctx.placedReady)
        ir::printPlacement(ctx.placed, *options.dumpStream);
      else
        ir::printFlows(ctx.model, ctx.flows, *options.dumpStream);
    }
    return true;
  }

  bool printsAfter(const Pass &pass) const {
    return llvm::any_of(options.printAfter, [&](const std::string &n) { return n == "all" || n == pass.name(); });
  }

  CompileContext &ctx;
  const PassRunOptions &options;
  bool headerPrinted = false;
};
} // namespace

bool runPipelines(CompileContext &ctx, const PassRunOptions &options) {
  PipelineRunner runner(ctx, options);
  // The policy pipeline ends with apply-policy (createPolicyPipeline): the statements apply last.
  if (!runner.run(createPolicyPipeline(), options.beforeStatements))
    return false;
  if (options.afterPolicy && !options.afterPolicy(ctx))
    return false;
  return runner.run(createLoweringPipeline());
}

} // namespace cmnet::passes
