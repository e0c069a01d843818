// The shared compile driver: options, loading and the pass pipeline.
#include "Driver.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Threading.h"

#include <chrono>
#include <cstdlib>
#include <sys/resource.h>

namespace cmnet::driver {

namespace cl = llvm::cl;

/// An unknown --print-after pass is a bad command line (exit 2), found before any input is read.
static void checkPassName(const std::string &name) {
  auto names = passes::pipelinePassNames();
  if (name == "all" || llvm::is_contained(names, name))
    return;
  std::string known;
  for (const std::string &n : names)
    known += (known.empty() ? "" : ", ") + n;
  llvm::errs() << fmt::format("cmnetc: error: unknown pass '{}' in --print-after (passes: {})\n", name, known);
  std::exit(ExitUsage);
}

CommonOptions::CommonOptions(cl::SubCommand &sub)
    : stdlib("stdlib", cl::desc("Standard library directory (default: built-in)"), cl::value_desc("dir"), cl::sub(sub)),
      importPaths("import-path", cl::desc("Also allow imports from this directory (repeatable)"), cl::value_desc("dir"),
                  cl::sub(sub)),
      werror("Werror", cl::desc("Treat warnings as errors"), cl::sub(sub)),
      printAfter("print-after", cl::desc("Print the IR after the named pass ('all' for every pass)"),
                 cl::value_desc("pass"), cl::CommaSeparated, cl::sub(sub), cl::callback([](const std::string &name) { checkPassName(name); })),
      stats("stats", cl::desc("Print rules, addresses and time for each pass"), cl::sub(sub)),
      outbound("outbound", cl::desc("Also place outbound rules on host firewalls"), cl::sub(sub)),
      jobs("j", cl::desc("Threads for the passes and for rendering targets (default: one per core)"),
           cl::value_desc("n"), cl::init(0), cl::sub(sub)),
      progress(sub) {}

CompileOptions CommonOptions::get() const {
  CompileOptions o;
  o.frontend.stdlibDir = stdlib.empty() ? frontend::defaultStdlibDir() : std::string(stdlib);
  o.frontend.importPaths.assign(importPaths.begin(), importPaths.end());
  o.passes.printAfter.assign(printAfter.begin(), printAfter.end());
  o.passes.stats = stats;
  o.passes.dumpStream = &llvm::outs();
  o.passes.statsStream = &llvm::errs();
  o.outbound = outbound;
  o.progress = &progress.reporter;
  o.passes.beforePass = [this](const passes::Pass &pass, const passes::CompileContext &ctx) {
    progress.reporter.pass(pass, ctx);
  };
  return o;
}

void CommonOptions::apply(Compilation &c) const {
  c.diags.setWarningsAsErrors(werror);
  start();
}

void CommonOptions::start() const {
  // The passes' llvm::parallelForEach reads this process-wide setting; -j 1 runs them inline.
  llvm::parallel::strategy = llvm::hardware_concurrency(jobs);
  progress.start();
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

size_t peakMemoryMiB() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return size_t(usage.ru_maxrss) / 1024; // KiB on Linux
}

void printStageTime(llvm::raw_ostream &os, llvm::StringRef stage, double ms) {
  os << fmt::format("{:<24}{:>59.2f}\n", stage.str(), ms); // ms in the pass table's last column
}

bool compile(llvm::StringRef path, const CompileOptions &options, Compilation &c) {
  auto start = std::chrono::steady_clock::now();
  if (options.progress)
    options.progress->stage("reading " + path);
  c.model = frontend::loadModel(path, c.diags, options.frontend);
  if (options.passes.stats && options.passes.statsStream)
    printStageTime(*options.passes.statsStream, "frontend", millisecondsSince(start));
  if (!c.model)
    return false;
  c.ctx = std::make_unique<passes::CompileContext>(*c.model, c.diags);
  c.ctx->flows.sourceMgr = &c.sourceMgr;
  c.ctx->placeOutbound = options.outbound;
  c.ctx->shareRulesets = options.shareRulesets;
  if (!options.runPipeline || (!c.model->hierarchy && !options.requireHierarchy))
    return !c.diags.hasErrors();
  passes::PassRunOptions run = options.passes;
  if (options.keepDocumentedFlows) {
    // A copy of the flows before lowering merges them (several catalog rows and endpoints
    // into one rule).
    auto commandHook = run.afterPolicy;
    run.afterPolicy = [&, commandHook](passes::CompileContext &ctx) {
      c.documentedFlows = ctx.flows.flows;
      return !commandHook || commandHook(ctx);
    };
  }
  if (!passes::runPipelines(*c.ctx, run))
    return false;
  c.pipelinesFinished = true;
  if (options.keepDocumentedFlows)
    c.ctx->placed.documentedFlows = &c.documentedFlows;
  return !c.diags.hasErrors();
}

} // namespace cmnet::driver
