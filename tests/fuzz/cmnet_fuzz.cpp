// libFuzzer target: arbitrary bytes through the whole compiler, from source text to every backend.
//
// Valid UTF-8 inputs are first lexed by both frontend::Lexer and the generated ANTLR lexer,
// which must agree token for token (the generated lexer is the grammar's definition).
//
// Each input is written to a file in a private temporary directory (the frontend reads files,
// resolves imports relative to them, and checks size and encoding on the way in), loaded with
// the standard library available, run through the default pipeline, and rendered by every
// registered backend in memory; nothing is written to an output directory. Diagnostics go
// nowhere: the fuzzer looks for crashes, sanitizer reports, hangs and memory blow-ups only.
#include "doc/DocModel.h"
#include "doc/DocTarget.h"
#include "frontend/Frontend.h"
#include "ir/Printer.h"
#include "passes/Pass.h"
#include "support/Diagnostics.h"
#include "support/LexerOracle.h"
#include "targets/Registry.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

using namespace cmnet;

namespace {

std::string inputDir;

void removeInputDir() {
  llvm::sys::fs::remove_directories(inputDir);
}

/// The file every input is written to, in a directory created once per fuzzing process and
/// removed when it exits (fork mode starts hundreds of processes).
std::string inputPath() {
  static std::string path = [] {
    llvm::SmallString<128> dir;
    if (llvm::sys::fs::createUniqueDirectory("cmnet-fuzz", dir))
      std::abort();
    inputDir = std::string(dir);
    std::atexit(removeInputDir);
    llvm::sys::path::append(dir, "input.cmnet");
    return std::string(dir);
  }();
  return path;
}

bool writeInput(const uint8_t *data, size_t size) {
  std::error_code ec;
  llvm::raw_fd_ostream os(inputPath(), ec);
  if (ec)
    return false;
  os.write(reinterpret_cast<const char *>(data), size);
  return !os.has_error();
}

/// Aborts, with the difference, when the two lexers disagree on \p text.
void checkLexerAgainstOracle(llvm::StringRef text) {
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  if (text.contains('\0') || !llvm::isLegalUTF8String(&begin, begin + text.size()))
    return; // the frontend rejects it before lexing
  std::string difference = testing::firstLexerDifference(text);
  if (!difference.empty()) {
    llvm::errs() << "lexer mismatch: " << difference << "\n";
    std::abort();
  }
}

void renderEveryBackend(const ir::PlacedPolicy &placed, const doc::DocModel *doc, DiagnosticEngine &diags) {
  backends::BackendOptions options{"fuzz", ""};
  for (const backends::BackendEntry &entry : targets::targetRegistry()) {
    std::unique_ptr<backends::Backend> backend = entry.create();
    if (auto *docTarget = dynamic_cast<doc::DocTarget *>(backend.get()))
      docTarget->useModel(doc);
    if (backends::checkCapabilities(*backend, placed, diags))
      (void)backend->render(placed, options, [](llvm::StringRef, std::string) { return true; });
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  checkLexerAgainstOracle(llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!writeInput(data, size))
    return 0;
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags(sourceMgr, llvm::nulls());
  diags.setQuiet(true);
  frontend::FrontendOptions options;
  options.stdlibDir = frontend::defaultStdlibDir();
  std::unique_ptr<ir::Model> model = frontend::loadModel(inputPath(), diags, options);
  if (!model || !model->hierarchy)
    return 0;
  passes::CompileContext ctx(*model, diags);
  ctx.flows.sourceMgr = &sourceMgr;
  ctx.placeOutbound = size % 2; // both placements, chosen by a bit the fuzzer controls
  ctx.shareRulesets = size / 4 % 2; // and shared rulesets or one per host, by another
  passes::PassRunOptions runOptions;
  runOptions.printAfter = {"all"};
  runOptions.dumpStream = &llvm::nulls();
  // Documentation both ways, by another bit: from the flows as apply-policy leaves them (what
  // `cmnetc build` and `cmnetc doc` do), or built by the doc targets from the final flows.
  std::optional<doc::DocModel> doc;
  if (size / 2 % 2)
    runOptions.afterPolicy = [&](passes::CompileContext &policy) {
      doc = doc::buildDocModel(policy.placed, policy.flows.flows);
      return true;
    };
  if (!passes::runPipelines(ctx, runOptions))
    return 0;
  renderEveryBackend(ctx.placed, doc ? &*doc : nullptr, diags);
  return 0;
}
