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

} // namespace cmnet::driver
