// Progress: which stage a long command has reached, on stderr.
#pragma once

#include "passes/Pass.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <mutex>

namespace cmnet::driver {

/// Reports each stage of a command as it starts, with the time since the command started, so
/// that a build at Microsoft's published limits (ten seconds, a minute with one file per host)
/// does not sit silent. By default only on a terminal and only from half a second in, so that
/// a short run prints nothing; --progress reports every stage wherever stderr goes (a CI log),
/// --progress=false none. Each report is a whole line, never rewritten in place: a diagnostic
/// printed meanwhile cannot land in the middle of one. Stages may be reported from several
/// threads (the targets render in parallel).
class Progress {
public:
  /// Start the clock; report to \p os (none when null), every stage when \p fromStart, else
  /// only those that start after the first half second. Only the first call counts: `diff`
  /// compiles two policies, and its times run on from the first.
  void start(llvm::raw_ostream *os, bool fromStart);
  void stage(const llvm::Twine &what);
  /// A pass as a stage, with the flows it starts from (the enforcement points after place).
  void pass(const passes::Pass &pass, const passes::CompileContext &ctx);

private:
  llvm::raw_ostream *os = nullptr;
  bool started = false, fromStart = false;
  std::chrono::steady_clock::time_point begin;
  std::mutex lock;
};

/// --progress for one subcommand, and the report it turns on.
struct ProgressOption {
  explicit ProgressOption(llvm::cl::SubCommand &sub);
  /// Start the report as the option and stderr say; returns it.
  Progress &start();

  llvm::cl::opt<llvm::cl::boolOrDefault> option;
  Progress reporter;
};

} // namespace cmnet::driver
