// Running `dot -Tsvg` through temporary files (llvm::sys::ExecuteAndWait redirects to files).
#include "Graphviz.h"

#include "fmt/format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <csignal>
#include <thread>

namespace cmnet::driver {

/// A temporary file that is removed when it goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  std::optional<llvm::FileRemover> remover;
  std::error_code create(llvm::StringRef suffix) {
    std::error_code ec = llvm::sys::fs::createTemporaryFile("cmnet-doc", suffix, path);
    if (!ec)
      remover.emplace(path);
    return ec;
  }
};

static std::string fileText(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

constexpr int timedOut = -3;

/// Run \p program to completion or for \p seconds at most (0: no limit), then kill it. Returns its exit
/// status, -1 or -2 as llvm::sys::ExecuteAndWait does, or timedOut. ExecuteAndWait's own time
/// limit is an alarm signal, which another thread of this process (the passes' workers) may
/// receive instead: polling is certain.
static int runWithTimeLimit(llvm::StringRef program, llvm::ArrayRef<llvm::StringRef> args,
                     llvm::ArrayRef<llvm::Optional<llvm::StringRef>> redirects, unsigned seconds, std::string &message) {
  bool failed = false;
  llvm::sys::ProcessInfo child = llvm::sys::ExecuteNoWait(program, args, llvm::None, redirects, 0, &message, &failed);
  if (failed)
    return -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    llvm::sys::ProcessInfo done = llvm::sys::Wait(child, /*SecondsToWait=*/0, /*WaitUntilTerminates=*/false, &message);
    if (done.Pid == child.Pid)
      return done.ReturnCode;
    if (seconds && std::chrono::steady_clock::now() >= deadline) {
      ::kill(child.Pid, SIGKILL);
      llvm::sys::Wait(child, 0, /*WaitUntilTerminates=*/true);
      return timedOut;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<std::string> renderSvgWithDot(llvm::StringRef dot, unsigned secondsAllowed, DiagnosticEngine &diags) {
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName("dot");
  if (!program) {
    diags.report(DiagKind::ToolMissing, llvm::SMRange(),
                 "Graphviz 'dot' is not on PATH; install it (apt-get install graphviz) or use --format=dot or md");
    return std::nullopt;
  }
  TempFile input, output, errors;
  for (auto [file, suffix] : {std::pair{&input, "dot"}, {&output, "svg"}, {&errors, "txt"}})
    if (std::error_code ec = file->create(suffix)) {
      diags.report(DiagKind::ToolFailed, llvm::SMRange(),
                   fmt::format("cannot create a temporary file for Graphviz: {}", ec.message()));
      return std::nullopt;
    }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(input.path, ec);
    os << dot;
    if (ec || os.has_error()) {
      diags.report(DiagKind::ToolFailed, llvm::SMRange(),
                   fmt::format("cannot write '{}' for Graphviz", input.path.str().str()));
      os.clear_error();
      return std::nullopt;
    }
  }
  llvm::StringRef args[] = {*program, "-Tsvg", input.path};
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(output.path),
                                                 llvm::StringRef(errors.path)};
  std::string message;
  int status = runWithTimeLimit(*program, args, redirects, secondsAllowed, message);
  if (status == timedOut) {
    diags.report(DiagKind::ToolFailed, llvm::SMRange(),
                 fmt::format("'{} -Tsvg' did not finish in {} s and was stopped; draw fewer nodes "
                             "(--diagram=groups or sites), allow more time (--dot-timeout), or use --format=md",
                             *program, secondsAllowed));
    return std::nullopt;
  }
  if (status != 0) {
    std::string said = llvm::StringRef(fileText(errors.path)).trim().str();
    diags.report(DiagKind::ToolFailed, llvm::SMRange(),
                 fmt::format("'{} -Tsvg' failed ({}): {}", *program, status < 0 ? message : fmt::format("exit {}", status),
                             said.empty() ? "no message" : said));
    return std::nullopt;
  }
  return fileText(output.path);
}

} // namespace cmnet::driver
