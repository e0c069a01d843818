// `cmnetc import configmgr EXPORT.json`: a first topology from what Configuration Manager knows
// (the export tools/export-configmgr.ps1 writes), checked before it is written.
#include "Commands.h"
#include "Driver.h"
#include "OutputWriter.h"

#include "frontend/ParsedFile.h"
#include "import/ConfigMgrImporter.h"

#include "fmt/format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand importCmd("import", "Write a .cmnet topology from a Configuration Manager export");
cl::opt<std::string> source(cl::Positional, cl::desc("configmgr"), cl::Required, cl::sub(importCmd));
cl::opt<std::string> input(cl::Positional, cl::desc("<EXPORT.json>"), cl::Required, cl::sub(importCmd));
cl::opt<std::string> addresses("addresses", cl::desc("NAME,ADDRESS lines giving server addresses and subnet prefixes"),
                               cl::value_desc("MAP.csv"), cl::sub(importCmd));
cl::opt<bool> resolve("resolve", cl::desc("Ask the system resolver for servers the map does not list"),
                      cl::sub(importCmd));
cl::opt<std::string> output("o", cl::desc("Output file (default: standard output)"), cl::value_desc("topo.cmnet"),
                            cl::init("-"), cl::sub(importCmd));
cl::opt<std::string> hierarchyName("name", cl::desc("The hierarchy's name (default: configmgr)"),
                                   cl::value_desc("name"), cl::init("configmgr"), cl::sub(importCmd));
cl::opt<std::string> stdlib("stdlib", cl::desc("Standard library directory"), cl::value_desc("dir"),
                            cl::sub(importCmd));

/// Run `check` on \p text as the file \p display: the frontend and every pass. The text goes
/// through a temporary file because the frontend reads files.
bool checks(const std::string &text, const std::string &display, const frontend::FrontendOptions &frontend) {
  llvm::SmallString<128> temp;
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("cmnet-import", "cmnet", fd, temp)) {
    llvm::errs() << fmt::format("cmnetc: error: cannot create a temporary file: {}\n", ec.message());
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
  }
  Compilation c;
  CompileOptions options;
  options.frontend = frontend;
  options.frontend.displayName = display;
  bool ok = compile(temp.str(), options, c);
  llvm::sys::fs::remove(temp);
  return ok;
}
} // namespace

bool importSelected() { return static_cast<bool>(importCmd); }

int runImport() {
  if (source != "configmgr") {
    llvm::errs() << fmt::format("cmnetc: error: unknown import source '{}' (configmgr)\n", source.getValue());
    return ExitUsage;
  }
  if (!import::isUsableName(hierarchyName)) {
    llvm::errs() << fmt::format("cmnetc: error: --name '{}' is not an identifier, or is a reserved word\n",
                                hierarchyName.getValue());
    return ExitUsage;
  }
  frontend::FrontendOptions frontend;
  frontend.stdlibDir = stdlib.empty() ? frontend::defaultStdlibDir() : stdlib.getValue();
  Compilation c;
  unsigned exportBuffer = frontend::loadSourceFile(input, input, c.diags, frontend, llvm::SMRange());
  std::optional<import::ConfigMgrExport> ex = exportBuffer ? import::parseExport(exportBuffer, c.diags) : std::nullopt;
  import::AddressBook book;
  book.setResolve(resolve);
  bool mapRead = true;
  if (!addresses.empty()) {
    unsigned mapBuffer = frontend::loadSourceFile(addresses, addresses, c.diags, frontend, llvm::SMRange());
    mapRead = mapBuffer && book.load(mapBuffer, c.diags);
  }
  if (!ex || !mapRead)
    return ExitInputError;
  std::unique_ptr<ir::Model> catalog = frontend::loadCatalog("cm.current_branch", c.diags, frontend);
  if (!catalog)
    return ExitInputError;

  import::ImportOptions options;
  options.hierarchyName = hierarchyName;
  options.exportName = llvm::sys::path::filename(input).str();
  std::string text = import::importConfigMgr(*ex, book, *catalog, options, c.diags);
  if (!checks(text, output == "-" ? "<stdout>" : output.getValue(), frontend)) {
    llvm::errs() << "cmnetc: error: the imported topology does not check (errors above); nothing was written\n";
    return ExitInputError;
  }
  return writeFileAtomically(output, text, c.diags) ? ExitSuccess : ExitInputError;
}

} // namespace cmnet::driver
