// The doc-model stage between the policy and lowering pipelines.
#include "DocModelStage.h"

#include "fmt/format.h"

#include <chrono>

namespace cmnet::driver {

void buildDocModelAfterPolicy(CompileOptions &options, std::optional<doc::DocModel> &doc) {
  auto commandHook = options.passes.afterPolicy;
  Progress *progress = options.progress;
  llvm::raw_ostream *stats = options.passes.stats ? options.passes.statsStream : nullptr;
  options.passes.afterPolicy = [&doc, commandHook, progress, stats](passes::CompileContext &ctx) {
    if (progress)
      progress->stage(fmt::format("doc-model ({} flows)", ctx.flows.flows.size()));
    auto start = std::chrono::steady_clock::now();
    doc = doc::buildDocModel(ctx.placed, ctx.flows.flows);
    if (stats)
      printStageTime(*stats, "doc-model", millisecondsSince(start));
    return !commandHook || commandHook(ctx);
  };
}

} // namespace cmnet::driver
