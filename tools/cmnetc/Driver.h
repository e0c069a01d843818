// Driver: the shared front half of every cmnetc command (load, check, run the pipeline).
#pragma once

#include "backends/DocModel.h"
#include "frontend/Frontend.h"
#include "passes/Pass.h"
#include "Progress.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <memory>
#include <mutex>
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
  /// Documentation of the flows before merging (CompileOptions::buildDocModel).
  std::optional<backends::doc::DocModel> docModel;
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
  /// Build the documentation (Compilation::docModel) from the flows before merging, when the
  /// pipeline reaches them: no copy of them is kept (a third of a gigabyte at Microsoft's
  /// published limits).
  bool buildDocModel = false;
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

/// Options every compiling command shares (--stdlib, --Werror, --print-after, --stats,
/// --progress …), so that they mean the same in build, check, lint, explain, doc and diff;
/// registered into \p sub and turned into CompileOptions.
struct CommonOptions {
  explicit CommonOptions(llvm::cl::SubCommand &sub);
  CompileOptions get() const;
  /// --Werror for the compiler's diagnostics, then start().
  void apply(Compilation &c) const;
  /// -j and --progress (lint applies --Werror to its findings instead).
  void start() const;

  llvm::cl::opt<std::string> stdlib;
  llvm::cl::opt<bool> werror;
  llvm::cl::list<std::string> printAfter;
  llvm::cl::opt<bool> stats;
  llvm::cl::opt<bool> outbound;
  llvm::cl::opt<unsigned> jobs;
  mutable ProgressOption progress;
};

/// Writes a build's files under one directory, atomically as a whole: each target's files go
/// to its own sub-directory, and only when every target rendered. stage() writes each file as
/// soon as it is rendered, so a build's outputs never all sit in memory at once (gigabytes at
/// Microsoft's published limits); commit() moves them into place, so readers never see half a
/// file. Without a commit (a later target failed, or a file could not be written) the
/// destructor removes everything staged and every directory the writer created: the output
/// directory is left as it was.
///
/// Each target directory lists the files the build wrote there in `.cmnet-files` (written
/// last, atomically). The next build removes the files listed there that it no longer writes
/// (a host taken out of the hierarchy, per-host files after a switch to --share-rulesets), and
/// only those: a file cmnetc never wrote stays.
///
/// A target whose directory does not exist yet is staged whole in a hidden directory beside it
/// and moved into place with one rename; a target whose directory exists has each file staged
/// beside its destination and renamed over it, leaving other files there alone. (At the
/// maximum hierarchy the per-file renames of a fresh build cost 19 s for a million files.)
///
/// Targets render in parallel: stage() may be called from several threads at once, each
/// target's files from one thread. Files are kept per target so that commit() moves them, and
/// logs them, in the same order whatever the threads did.
class OutputWriter {
public:
  /// \p targetDirs: each target's sub-directory of \p dir.
  OutputWriter(llvm::StringRef dir, llvm::ArrayRef<std::string> targetDirs, DiagnosticEngine &diags)
      : dir(dir.str()), targets(targetDirs.begin(), targetDirs.end()), diags(diags) {}
  ~OutputWriter();
  /// Write \p contents for \p relPath (under its target's directory) of target number \p target;
  /// a piece for the same path as the target's last file is appended to it (FileSink). False
  /// after reporting why it could not be written.
  bool stage(size_t target, llvm::StringRef relPath, llvm::StringRef contents);
  /// Move every staged file into place and remove the stale ones, printing "wrote PATH" or
  /// "removed PATH" per file to \p log.
  bool commit(llvm::raw_ostream &log);
  size_t staged() const;
  /// How many files of earlier builds commit() removed.
  size_t removed() const { return removedFiles; }

private:
  struct StagedFile {
    std::string temp, path; // where it was written, where it belongs
  };
  struct Target {
    Target(std::string dir) : dir(std::move(dir)) {}
    std::string dir;
    bool prepared = false, fresh = false; // fresh: staged whole under `staging`
    std::vector<StagedFile> files;
  };
  /// Append the next piece of a streamed file to its staged copy \p temp.
  bool appendPiece(llvm::StringRef temp, llvm::StringRef contents);
  /// Decide how \p t is staged, creating the output and staging directories (under `lock`).
  bool prepare(Target &t);
  /// Remove the files of \p t's old manifest that this build did not write, then write the new
  /// manifest (into the staging directory when \p t is fresh).
  bool replaceManifest(Target &t, llvm::raw_ostream &log);

  std::string dir;
  std::vector<Target> targets;
  std::mutex lock; // guards the directories and diags
  DiagnosticEngine &diags;
  std::string staging; // DIR/.cmnet-build-XXXXXX, once a fresh target needs it
  std::vector<std::string> created;
  llvm::StringSet<> ready; // directories known to exist
  size_t removedFiles = 0;
};

/// Writes a file's contents to the stream it is given.
using WriteContents = llvm::function_ref<void(llvm::raw_ostream &)>;

/// Write one file atomically (temporary + rename). "-" writes to stdout.
bool writeFileAtomically(llvm::StringRef path, llvm::StringRef contents, DiagnosticEngine &diags);
/// The same for contents written straight to the file as they are made (a 0.7 GB reference at
/// Microsoft's published limits), never held whole.
bool writeFileAtomically(llvm::StringRef path, WriteContents write, DiagnosticEngine &diags);

} // namespace cmnet::driver
