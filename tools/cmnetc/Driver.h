// Driver: the shared front half of every cmnetc command (load, check, run the pipeline).
#pragma once

#include "frontend/Frontend.h"
#include "passes/Pass.h"
#include "Progress.h"
#include "support/Diagnostics.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cmnet::driver {

/// Exit codes shared by every command.
enum ExitCode : int { ExitSuccess = 0, ExitInputError = 1, ExitUsage = 2 };

/// One compilation: owns the sources, diagnostics, model and IR so that they outlive the
/// passes and backends that point into them.
struct Compilation {
  Compilation() : diags(sourceMgr, llvm::errs()) {}
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags;
  std::unique_ptr<ir::Model> model;
  std::unique_ptr<passes::CompileContext> ctx;
  std::vector<ir::Flow> documentedFlows;
  /// Both pipelines ran to their end (lint's run carries on past the catalog's rule errors).
  bool pipelinesFinished = false;
};

struct CompileOptions {
  frontend::FrontendOptions frontend;
  passes::PassRunOptions passes;
  bool outbound = false;
  /// Hosts that need the same rules share one ruleset (build --share-rulesets).
  bool shareRulesets = false;
  bool runPipeline = true;
  /// A catalog has no hierarchy; `check` accepts that, `build` does not.
  bool requireHierarchy = true;
  /// Keep a copy of the flows before merging (PlacedPolicy::documentedFlows), for `diff`.
  bool keepDocumentedFlows = false;
  /// Where the stages are reported (CommonOptions::apply starts it).
  Progress *progress = nullptr;
};

double millisecondsSince(std::chrono::steady_clock::time_point start);
/// The most memory this process has held resident so far, in MiB (what `time -v` reports).
size_t peakMemoryMiB();
/// With --stats: one line "STAGE ... MS" under the pass table's ms column.
void printStageTime(llvm::raw_ostream &os, llvm::StringRef stage, double ms);

/// Load \p path and (unless options say otherwise) run both pipelines on it with
/// passes::runPipelines. Returns false when any error was reported.
bool compile(llvm::StringRef path, const CompileOptions &options, Compilation &c);

/// Options every compiling command shares (--stdlib, --import-path, --Werror, --print-after,
/// --stats, --progress …), so that they mean the same in build, check, lint, explain, doc and diff;
/// registered into \p sub and turned into CompileOptions.
struct CommonOptions {
  explicit CommonOptions(llvm::cl::SubCommand &sub);
  CompileOptions get() const;
  /// --Werror for the compiler's diagnostics, then start().
  void apply(Compilation &c) const;
  /// -j and --progress (lint applies --Werror to its findings instead).
  void start() const;

  llvm::cl::opt<std::string> stdlib;
  llvm::cl::list<std::string> importPaths;
  llvm::cl::opt<bool> werror;
  llvm::cl::list<std::string> printAfter;
  llvm::cl::opt<bool> stats;
  llvm::cl::opt<bool> outbound;
  llvm::cl::opt<unsigned> jobs;
  mutable ProgressOption progress;
};

} // namespace cmnet::driver
