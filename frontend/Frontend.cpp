// Frontend driver: loads the import graph depth-first, then builds and checks the model.
#include "frontend/Frontend.h"

#include "frontend/ModelBuilder.h"
#include "frontend/ParsedFile.h"

#include "CmnetParser.h"
#include "antlr4-runtime.h"

#include "fmt/format.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using P = cmnet::grammar::CmnetParser;

namespace cmnet::frontend {
namespace {

/// Loads files once each, imports before importers, reporting cycles at the import that
/// closes them.
class ImportLoader {
public:
  ImportLoader(DiagnosticEngine &diags, const FrontendOptions &options) : diags(diags), options(options) {}

  /// \p path on disk, \p display as it appears in diagnostics and generated comments.
  void load(const std::string &path, const std::string &display, llvm::SMRange importLoc) {
    llvm::SmallString<256> real;
    std::string key = llvm::sys::fs::real_path(path, real) ? path : std::string(real);
    auto state = states.find(key);
    if (state != states.end()) {
      if (state->second == InProgress)
        diags.report(DiagKind::ImportCycle, importLoc,
                     fmt::format("importing '{}' here creates a cycle: {}", display, cycleText(key)));
      return;
    }
    states[key] = InProgress;
    stack.push_back({key, display});
    unsigned buffer = loadSourceFile(path, display, diags, options, importLoc);
    if (buffer) {
      std::unique_ptr<ParsedFile> file = ParsedFile::parse(buffer, diags, options);
      if (file && file->root())
        loadImports(*file, path);
      if (file)
        files.push_back(std::move(file));
    }
    stack.pop_back();
    states[key] = Done;
  }

  std::vector<std::unique_ptr<ParsedFile>> files;

private:
  enum State { InProgress, Done };

  std::string cycleText(const std::string &key) const {
    std::string out;
    bool on = false;
    for (const auto &[k, display] : stack) {
      on |= k == key;
      if (on)
        out += display + " -> ";
    }
    for (const auto &[k, display] : stack)
      if (k == key)
        return out + display;
    return out;
  }

  void loadImports(const ParsedFile &file, const std::string &path) {
    auto *root = static_cast<P::FileContext *>(file.root());
    for (P::TopDeclContext *decl : root->topDecl()) {
      P::ImportDeclContext *imp = decl->importDecl();
      if (!imp)
        continue;
      llvm::SMRange loc = file.rangeOf(imp);
      if (imp->STRING()) {
        std::string rel = imp->STRING()->getText();
        rel = rel.substr(1, rel.size() - 2);
        // Relative to the importing file; an absolute path stands as written.
        llvm::SmallString<256> target, display;
        if (!llvm::sys::path::is_absolute(rel)) {
          target = llvm::sys::path::parent_path(path);
          display = llvm::sys::path::parent_path(
              diags.getSourceMgr().getMemoryBuffer(file.bufferId())->getBufferIdentifier());
        }
        llvm::sys::path::append(target, rel);
        llvm::sys::path::append(display, rel);
        if (!llvm::sys::fs::exists(target)) {
          diags.report(DiagKind::UnknownImport, loc, fmt::format("cannot find imported file '{}'", std::string(display)));
          continue;
        }
        load(std::string(target), std::string(display), loc);
        continue;
      }
      if (!imp->dottedName())
        continue; // a syntax error left the import without a name; it is already reported
      std::string dotted = imp->dottedName()->getText();
      std::string rel = dotted;
      std::replace(rel.begin(), rel.end(), '.', '/');
      rel += ".cmnet";
      llvm::SmallString<256> target(options.stdlibDir);
      llvm::sys::path::append(target, rel);
      if (!llvm::sys::fs::exists(target)) {
        diags.report(DiagKind::UnknownImport, loc,
                     fmt::format("no catalog '{}' in the standard library (looked for {})", dotted,
                                 std::string(target)));
        continue;
      }
      load(std::string(target), "stdlib/" + rel, loc);
    }
  }

  DiagnosticEngine &diags;
  const FrontendOptions &options;
  llvm::StringMap<State> states;
  std::vector<std::pair<std::string, std::string>> stack;
};

std::unique_ptr<ir::Model> buildModel(ImportLoader &loader, DiagnosticEngine &diags) {
  // A file that failed to load or parse leaves its names undeclared: checking the others would
  // mostly report consequences ("unknown role …") of the one real error.
  if (diags.hasErrors())
    return nullptr;
  auto model = std::make_unique<ir::Model>();
  ModelBuilder builder(*model, diags);
  for (auto &file : loader.files)
    builder.declare(*file);
  for (auto &file : loader.files)
    builder.define(*file);
  builder.finish();
  if (diags.hasErrors())
    return nullptr;
  return model;
}

} // namespace

std::string defaultStdlibDir() {
  if (const char *env = std::getenv("CMNET_STDLIB"))
    return env;
  return CMNET_STDLIB_DIR;
}

std::unique_ptr<ir::Model> loadModel(llvm::StringRef path, DiagnosticEngine &diags,
                                     const FrontendOptions &options) {
  ImportLoader loader(diags, options);
  if (!llvm::sys::fs::exists(path)) {
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(), fmt::format("no such file '{}'", path.str()));
    return nullptr;
  }
  std::string display = options.displayName.empty() ? path.str() : options.displayName;
  loader.load(path.str(), display, llvm::SMRange());
  auto model = buildModel(loader, diags);
  if (model)
    model->mainFile = display;
  return model;
}

std::unique_ptr<ir::Model> loadCatalog(llvm::StringRef dottedName, DiagnosticEngine &diags,
                                       const FrontendOptions &options) {
  std::string rel = dottedName.str();
  std::replace(rel.begin(), rel.end(), '.', '/');
  llvm::SmallString<256> target(options.stdlibDir);
  llvm::sys::path::append(target, rel + ".cmnet");
  if (!llvm::sys::fs::exists(target)) {
    diags.report(DiagKind::UnknownImport, llvm::SMRange(),
                 fmt::format("no catalog '{}' in the standard library ({})", dottedName.str(), std::string(target)));
    return nullptr;
  }
  ImportLoader loader(diags, options);
  loader.load(std::string(target), "stdlib/" + rel + ".cmnet", llvm::SMRange());
  auto model = buildModel(loader, diags);
  if (model)
    model->mainFile = "stdlib/" + rel + ".cmnet";
  return model;
}

} // namespace cmnet::frontend
