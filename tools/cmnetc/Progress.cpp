// Progress: which stage a long command has reached, on stderr.
#include "Progress.h"

#include "fmt/format.h"

namespace cmnet::driver {

/// Stages that start sooner than this are not worth a line on a terminal.
constexpr std::chrono::milliseconds quietFor(500);

void Progress::start(llvm::raw_ostream *stream, bool reportFromStart) {
  if (started)
    return;
  started = true;
  os = stream;
  fromStart = reportFromStart;
  begin = std::chrono::steady_clock::now();
}

void Progress::stage(const llvm::Twine &what) {
  if (!os)
    return;
  auto elapsed = std::chrono::steady_clock::now() - begin;
  if (!fromStart && elapsed < quietFor)
    return;
  std::string line = fmt::format("cmnetc: {:.2f} s: {}\n", std::chrono::duration<double>(elapsed).count(), what.str());
  std::lock_guard<std::mutex> guard(lock);
  *os << line;
  os->flush();
}

void Progress::pass(const passes::Pass &pass, const passes::CompileContext &ctx) {
  if (!os)
    return;
  if (ctx.placedReady)
    stage(fmt::format("{} ({} enforcement points)", pass.name().str(), ctx.placed.points.size()));
  else if (!ctx.flows.flows.empty())
    stage(fmt::format("{} ({} flows)", pass.name().str(), ctx.flows.flows.size()));
  else
    stage(pass.name());
}

ProgressOption::ProgressOption(llvm::cl::SubCommand &sub)
    : option("progress",
             llvm::cl::desc("Report each stage on stderr as it starts (default: on a terminal, from half a second in)"),
             llvm::cl::sub(sub)) {}

Progress &ProgressOption::start() {
  bool show = option == llvm::cl::BOU_TRUE || (option == llvm::cl::BOU_UNSET && llvm::errs().is_displayed());
  reporter.start(show ? &llvm::errs() : nullptr, /*fromStart=*/option == llvm::cl::BOU_TRUE);
  return reporter;
}

} // namespace cmnet::driver
