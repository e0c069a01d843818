// cmnetc: the cmnet compiler's command-line entry point.
#include "Commands.h"
#include "Driver.h"

#include "support/Version.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace cmnet::driver;

static const CommandEntry commands[] = {
    {"build", buildSelected, runBuild},
    {"check", checkSelected, runCheck},
    {"doc", docSelected, runDoc},
    {"catalog", catalogSelected, runCatalog},
    {"lint", lintSelected, runLint},
    {"diff", diffSelected, runDiff},
    {"explain", explainSelected, runExplain},
};

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) { os << "cmnetc " << CMNET_VERSION << "\n"; });
  llvm::cl::HideUnrelatedOptions({}); // LLVM's own options are not ours to show
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
                                         "  cmnetc explain FILE --from HOST|ADDRESS --to HOST|ADDRESS [--port N/tcp|udp]\n\n"
                                         "Exit status: 0 success, 1 errors in the input, 2 bad command line.\n",
                                         &errStream)) {
    llvm::errs() << errStream.str();
    return ExitUsage;
  }
  for (const CommandEntry &c : commands)
    if (c.selected())
      return c.run();
  llvm::errs() << "cmnetc: error: no command given; see 'cmnetc --help'\n";
  return ExitUsage;
}
