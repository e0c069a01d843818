// cmnetc: the cmnet compiler's command-line entry point.
#include "Commands.h"
#include "Driver.h"

#include "support/Version.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <malloc.h>

using namespace cmnet::driver;

static llvm::cl::OptionCategory generalCategory("General options");
static llvm::cl::opt<bool> listDiagnostics("list-diagnostics",
                                           llvm::cl::desc("Print every diagnostic's stable name, severity and "
                                                          "meaning, and exit"),
                                           llvm::cl::cat(generalCategory));

/// `cmnetc --list-diagnostics`: the stable names printed in brackets after each message.
static int printDiagnosticKinds() {
  for (unsigned k = 0; k < unsigned(cmnet::DiagKind::NumKinds); ++k) {
    auto kind = cmnet::DiagKind(k);
    bool error = cmnet::diagDefaultSeverity(kind) == cmnet::Severity::Error;
    llvm::outs() << llvm::formatv("{0,-20} {1,-8} {2}\n", cmnet::diagName(kind), error ? "error" : "warning",
                                  cmnet::diagSummary(kind));
  }
  return ExitSuccess;
}

static const CommandEntry commands[] = {
    {"build", buildSelected, runBuild},
    {"check", checkSelected, runCheck},
    {"doc", docSelected, runDoc},
    {"catalog", catalogSelected, runCatalog},
    {"lint", lintSelected, runLint},
    {"diff", diffSelected, runDiff},
    {"explain", explainSelected, runExplain},
    {"import", importSelected, runImport},
};

/// glibc's defaults suit long-lived servers, not a compiler that frees a parse tree of
/// millions of nodes and then allocates the next stage's tables: the first large allocation
/// after that free consolidates every freed small chunk, and trimming hands the heap back to
/// the kernel just before the next stage faults it in again. Large inputs compile markedly
/// faster with both off (figures in docs/performance.md).
static void tuneAllocator() {
  mallopt(M_MXFAST, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

int main(int argc, char **argv) {
  tuneAllocator();
  llvm::InitLLVM init(argc, argv);
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) { os << "cmnetc " << CMNET_VERSION << "\n"; });
  llvm::cl::HideUnrelatedOptions(generalCategory); // LLVM's own options are not ours to show
  std::string errors;
  llvm::raw_string_ostream errStream(errors);
  if (!llvm::cl::ParseCommandLineOptions(argc, argv,
                                         "cmnet compiler: Configuration Manager firewall policy as code\n\n"
                                         "  cmnetc build FILE -o DIR [--target=nftables,...]\n"
                                         "  cmnetc check FILE\n"
                                         "  cmnetc doc FILE --format=md|html|dot|svg -o PATH\n"
                                         "  cmnetc catalog cm.current_branch --format=tsv|json|md\n"
                                         "  cmnetc lint FILE... [--format=text|json|sarif] [--Werror] [--disable=ID]\n"
                                         "  cmnetc diff OLD NEW | FILE --git REV [--format=text|md|json]\n"
                                         "  cmnetc explain FILE --from HOST|ADDRESS --to HOST|ADDRESS [--port N/tcp|udp]\n"
                                         "  cmnetc import configmgr EXPORT.json [--addresses MAP.csv] [--resolve] -o FILE\n\n"
                                         "Exit status: 0 success, 1 errors in the input, 2 bad command line.\n",
                                         &errStream)) {
    llvm::errs() << errStream.str();
    return ExitUsage;
  }
  if (listDiagnostics)
    return printDiagnosticKinds();
  for (const CommandEntry &c : commands)
    if (c.selected())
      return c.run();
  llvm::errs() << "cmnetc: error: no command given; see 'cmnetc --help'\n";
  return ExitUsage;
}
