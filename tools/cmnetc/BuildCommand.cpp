// `cmnetc build`: compile a hierarchy to one or more targets, writing every file atomically.
#include "Commands.h"
#include "DocModelStage.h"
#include "Driver.h"
#include "OutputWriter.h"

#include "doc/DocTarget.h"
#include "ir/Printer.h"
#include "support/Version.h"
#include "targets/Registry.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ThreadPool.h"

#include <atomic>
#include <chrono>

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand buildCmd("build", "Compile a hierarchy to firewall configurations");
cl::opt<std::string> input(cl::Positional, cl::desc("<file.cmnet>"), cl::Required, cl::sub(buildCmd));
cl::opt<std::string> outputDir("o", cl::desc("Output directory (one sub-directory per target)"),
                               cl::value_desc("dir"), cl::sub(buildCmd));
cl::list<std::string> targets("target", cl::desc("Targets to build, comma-separated, or 'all' (default: all)"),
                              cl::CommaSeparated, cl::value_desc("name"), cl::sub(buildCmd));
cl::opt<std::string> emit("emit", cl::desc("Print an intermediate form to stdout: ir-json, ir"),
                          cl::value_desc("form"), cl::sub(buildCmd));
cl::opt<std::string> gpo("gpo", cl::desc("Windows Firewall: write rules to this GPO store instead of the local one"),
                         cl::value_desc("domain\\name"), cl::sub(buildCmd));
cl::opt<bool> shareRulesets("share-rulesets",
                            cl::desc("Hosts that need the same rules share one ruleset file per target; "
                                     "hosts.tsv in each target's directory says which file each host loads"),
                            cl::sub(buildCmd));
cl::opt<unsigned> lockTimeout("lock-timeout",
                              cl::desc("Seconds to wait for another build writing into the same -o directory "
                                       "(default: 600; 0 fails at once)"),
                              cl::value_desc("seconds"), cl::init(600), cl::sub(buildCmd));
CommonOptions common(buildCmd);

std::string knownTargets() {
  std::string out;
  for (const auto &e : targets::targetRegistry())
    out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out;
}

bool isDocTarget(const backends::BackendEntry *e) { return llvm::StringRef(e->name).startswith("doc-"); }

/// The targets as tasks for the render threads, each a list rendered in turn (the files are
/// still moved into place and listed in target order). The doc targets share one task, started
/// first: together they are the longest render, which should not be left to run alone at the
/// end, and one at a time their working text (topology.dot is built whole) never adds up.
std::vector<std::vector<size_t>> renderTasks(llvm::ArrayRef<const backends::BackendEntry *> chosen) {
  std::vector<std::vector<size_t>> tasks(1);
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (isDocTarget(chosen[i]))
      tasks.front().push_back(i);
    else
      tasks.push_back({i});
  }
  if (tasks.front().empty())
    tasks.erase(tasks.begin());
  return tasks;
}
} // namespace

bool buildSelected() { return static_cast<bool>(buildCmd); }

int runBuild() {
  auto start = std::chrono::steady_clock::now();
  std::vector<const backends::BackendEntry *> chosen;
  std::vector<std::string> names(targets.begin(), targets.end());
  if (names.empty() || llvm::is_contained(names, "all")) {
    names.clear();
    for (const auto &e : targets::targetRegistry())
      names.push_back(e.name);
  }
  for (const std::string &name : names) {
    const backends::BackendEntry *e = targets::findTarget(name);
    if (!e) {
      llvm::errs() << fmt::format("cmnetc: error: unknown target '{}' (targets: {})\n", name, knownTargets());
      return ExitUsage;
    }
    if (!llvm::is_contained(chosen, e))
      chosen.push_back(e);
  }
  if (outputDir.empty() && emit.empty()) {
    llvm::errs() << "cmnetc: error: build needs -o DIR (or --emit=ir-json to print the IR)\n";
    return ExitUsage;
  }
  if (!emit.empty() && emit != "ir-json" && emit != "ir") {
    llvm::errs() << fmt::format("cmnetc: error: unknown --emit form '{}' (ir-json, ir)\n", emit.getValue());
    return ExitUsage;
  }

  Compilation c;
  common.apply(c);
  CompileOptions compileOptions = common.get();
  std::optional<doc::DocModel> docModel;
  if (!outputDir.empty() && llvm::any_of(chosen, isDocTarget))
    buildDocModelAfterPolicy(compileOptions, docModel);
  compileOptions.shareRulesets = shareRulesets;
  if (!compile(input, compileOptions, c))
    return ExitInputError;
  const ir::PlacedPolicy &placed = c.ctx->placed;
  if (emit == "ir-json")
    ir::writePlacementJson(placed, llvm::outs());
  else if (emit == "ir")
    ir::printPlacement(placed, llvm::outs());
  if (outputDir.empty())
    return ExitSuccess;

  // Check every target first, then render, each file straight into the staging directory; the
  // files move into place only when every target succeeded, and then all of them or none.
  std::vector<std::unique_ptr<backends::Backend>> backends;
  for (const backends::BackendEntry *e : chosen) {
    backends.push_back(e->create());
    if (auto *docTarget = dynamic_cast<doc::DocTarget *>(backends.back().get()))
      docTarget->useModel(docModel ? &*docModel : nullptr);
    backends::checkCapabilities(*backends.back(), placed, c.diags);
  }
  if (c.diags.hasErrors())
    return ExitInputError;
  backends::BackendOptions options{CMNET_VERSION, gpo};
  std::vector<std::string> targetDirs;
  for (const backends::BackendEntry *e : chosen)
    targetDirs.push_back(e->name);
  OutputWriter writer(outputDir, targetDirs, c.diags);
  if (!writer.open(lockTimeout))
    return ExitInputError;
  // Targets are independent readers of `placed`: render them on every core. After a failure
  // the others stop at their next file.
  std::atomic<bool> failed{false};
  std::atomic<size_t> rendered{0};
  std::vector<double> renderMs(chosen.size());
  compileOptions.progress->stage(fmt::format("rendering {} target(s)", chosen.size()));
  {
    llvm::ThreadPool pool(llvm::hardware_concurrency(common.jobs));
    for (std::vector<size_t> &task : renderTasks(chosen))
      pool.async([&, task = std::move(task)] {
        for (size_t i : task) {
          auto targetStart = std::chrono::steady_clock::now();
          if (!backends[i]->render(placed, options, [&](llvm::StringRef path, std::string contents) {
                return !failed && writer.stage(i, path, contents);
              }))
            failed = true;
          renderMs[i] = millisecondsSince(targetStart);
          compileOptions.progress->stage(
              fmt::format("rendered {} ({} of {})", chosen[i]->name, ++rendered, chosen.size()));
        }
      });
    pool.wait();
  }
  if (failed)
    return ExitInputError;
  if (common.stats)
    for (size_t i = 0; i < chosen.size(); ++i)
      printStageTime(llvm::errs(), std::string("render/") + chosen[i]->name, renderMs[i]);
  size_t files = writer.staged();
  auto commitStart = std::chrono::steady_clock::now();
  compileOptions.progress->stage(fmt::format("moving {} files into place", files));
  if (!writer.commit(llvm::outs()))
    return ExitInputError;
  if (common.stats)
    printStageTime(llvm::errs(), "commit", millisecondsSince(commitStart));
  llvm::errs() << fmt::format("cmnetc: {} files for {} target(s) in {:.0f} ms, peak memory {} MiB{}\n", files,
                              chosen.size(), millisecondsSince(start), peakMemoryMiB(),
                              writer.removed() ? fmt::format("; removed {} file(s) of an earlier build that this "
                                                             "one no longer writes",
                                                             writer.removed())
                                               : "");
  return ExitSuccess;
}

} // namespace cmnet::driver
