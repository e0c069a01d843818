// Driver: the shared front half of every cmnetc command (load, check, run the pipeline).
#pragma once

#include "frontend/Frontend.h"
#include "passes/Pass.h"
#include "support/Diagnostics.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
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
};

struct CompileOptions {
  frontend::FrontendOptions frontend;
  passes::PassRunOptions passes;
  bool outbound = false;
  bool runPipeline = true;
  /// A catalog has no hierarchy; `check` accepts that, `build` does not.
  bool requireHierarchy = true;
  /// Keep the flows before merging for documentation (PlacedPolicy::documentedFlows).
  bool keepDocumentedFlows = false;
};

/// Load \p path and (unless options say otherwise) run the default pipeline on it.
/// Returns false when any error was reported.
bool compile(llvm::StringRef path, const CompileOptions &options, Compilation &c);

/// Options every compiling command shares (--stdlib, --Werror, --print-after, --stats …),
/// registered into \p sub and turned into CompileOptions.
struct CommonOptions {
  explicit CommonOptions(llvm::cl::SubCommand &sub);
  CompileOptions get() const;
  void apply(Compilation &c) const;

  llvm::cl::opt<std::string> stdlib;
  llvm::cl::opt<bool> werror;
  llvm::cl::list<std::string> printAfter;
  llvm::cl::opt<bool> stats;
  llvm::cl::opt<bool> outbound;
};

/// Write \p files under \p dir atomically: each file goes to a temporary name in the same
/// directory and is renamed into place, so readers never see half a file. The renames start
/// only once every temporary is written; when one cannot be, the temporaries and any directory
/// this call created are removed and the output is left as it was. Prints "wrote PATH" per file
/// to \p log.
bool writeOutputs(llvm::StringRef dir, const std::vector<std::pair<std::string, std::string>> &files,
                  llvm::raw_ostream &log, DiagnosticEngine &diags);

/// Write one file atomically (temporary + rename). "-" writes to stdout.
bool writeFileAtomically(llvm::StringRef path, llvm::StringRef contents, DiagnosticEngine &diags);

} // namespace cmnet::driver
