// The default pipeline and the runner that prints IR and statistics between passes.
#include "passes/Pass.h"

#include "ir/Printer.h"

#include "fmt/format.h"

#include <chrono>

namespace cmnet::passes {

std::vector<std::unique_ptr<Pass>> createDefaultPipeline() {
  std::vector<std::unique_ptr<Pass>> pipeline;
  pipeline.push_back(createInstantiateHierarchyPass());
  pipeline.push_back(createResolveOverridesPass());
  pipeline.push_back(createApplyNoteRulesPass());
  pipeline.push_back(createApplyPolicyPass());
  pipeline.push_back(createDedupPass());
  pipeline.push_back(createMergePortRangesPass());
  pipeline.push_back(createAggregateAddressesPass());
  pipeline.push_back(createDetectShadowingPass());
  pipeline.push_back(createPlacePass());
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

size_t countAddressBlocks(const CompileContext &ctx) {
  size_t n = 0;
  for (const ir::Flow &f : ctx.flows.flows)
    n += f.srcAddrs.v4().intervals().size() + f.srcAddrs.v6().intervals().size();
  return n;
}
} // namespace

bool runPipeline(std::vector<std::unique_ptr<Pass>> &pipeline, CompileContext &ctx,
                 const PassRunOptions &options) {
  if (options.stats && options.statsStream)
    *options.statsStream << fmt::format("{:<24} {:>10} {:>10} {:>12} {:>12} {:>10}\n", "pass", "rules-in",
                                        "rules-out", "addrs-in", "addrs-out", "ms");
  for (auto &pass : pipeline) {
    size_t rulesIn = countRules(ctx), addrsIn = countAddressBlocks(ctx);
    auto start = std::chrono::steady_clock::now();
    pass->run(ctx);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (options.stats && options.statsStream)
      *options.statsStream << fmt::format("{:<24} {:>10} {:>10} {:>12} {:>12} {:>10.2f}\n", pass->name().str(),
                                          rulesIn, countRules(ctx), addrsIn, countAddressBlocks(ctx), ms);
    if (ctx.diags.hasErrors())
      return false;
    bool print = false;
    for (const std::string &n : options.printAfter)
      print |= n == "all" || n == pass->name();
    if (print && options.dumpStream) {
      *options.dumpStream << "// ---- IR after " << pass->name() << " ----\n";
      if (ctx.placedReady)
        ir::printPlacement(ctx.placed, *options.dumpStream);
      else
        ir::printFlows(ctx.model, ctx.flows, *options.dumpStream);
    }
  }
  return true;
}

} // namespace cmnet::passes
