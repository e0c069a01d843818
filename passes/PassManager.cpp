// The default pipeline and the runner that prints IR and statistics between passes.
#include "passes/Pass.h"

#include "ir/Printer.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"

#include <chrono>

namespace cmnet::passes {

std::vector<std::unique_ptr<Pass>> createDefaultPipeline() {
  std::vector<std::unique_ptr<Pass>> pipeline;
  pipeline.push_back(createInstantiateHierarchyPass());
  pipeline.push_back(createResolveOverridesPass());
  pipeline.push_back(createApplyNoteRulesPass());
  pipeline.push_back(createRouteViaProxyPass());
  pipeline.push_back(createApplyPolicyPass());
  pipeline.push_back(createDedupPass());
  pipeline.push_back(createMergePortRangesPass());
  pipeline.push_back(createAggregateAddressesPass());
  pipeline.push_back(createDetectShadowingPass());
  pipeline.push_back(createPlacePass());
  pipeline.push_back(createShareRulesetsPass());
  return pipeline;
}

std::vector<std::unique_ptr<Pass>> splitPipelineAfter(std::vector<std::unique_ptr<Pass>> &pipeline,
                                                      llvm::StringRef name) {
  auto split = llvm::find_if(pipeline, [&](const auto &pass) { return pass->name() == name; });
  if (split != pipeline.end())
    ++split;
  std::vector<std::unique_ptr<Pass>> rest(std::make_move_iterator(split), std::make_move_iterator(pipeline.end()));
  pipeline.erase(split, pipeline.end());
  return rest;
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

bool runPipeline(std::vector<std::unique_ptr<Pass>> &pipeline, CompileContext &ctx,
                 const PassRunOptions &options) {
  if (options.stats && options.statsStream && ctx.passesRun == 0)
    *options.statsStream << fmt::format("{:<24} {:>10} {:>10} {:>12} {:>12} {:>10}\n", "pass", "rules-in",
                                        "rules-out", "addrs-in", "addrs-out", "ms");
  for (auto &pass : pipeline) {
    // Counting walks every flow: only when asked.
    bool stats = options.stats && options.statsStream;
    size_t rulesIn = stats ? countRules(ctx) : 0, addrsIn = stats ? countAddressBlocks(ctx) : 0;
    if (options.beforePass)
      options.beforePass(*pass, ctx);
    auto start = std::chrono::steady_clock::now();
    pass->run(ctx);
    ++ctx.passesRun;
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (stats)
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
