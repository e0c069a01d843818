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

/// \p path made absolute (against the working directory) with `.` and `..` taken out, without
/// looking at the file system.
std::string lexicallyAbsolute(llvm::StringRef path) {
  llvm::SmallString<256> out(path);
  llvm::sys::fs::make_absolute(out);
  llvm::sys::path::remove_dots(out, /*remove_dot_dot=*/true);
  return std::string(out);
}

bool isUnder(llvm::StringRef path, llvm::StringRef root) {
  return path.consume_front(root) && (path.empty() || path.front() == '/' || root.endswith("/"));
}

/// The directories `import "PATH";` may reach: each as written (made absolute) and as its real
/// path, so that an import is checked both before looking at the file (`..`) and after
/// resolving every symbolic link on the way to it.
class ImportRoots {
public:
  void add(llvm::StringRef dir) {
    lexical.push_back(lexicallyAbsolute(dir));
    llvm::SmallString<256> real;
    if (!llvm::sys::fs::real_path(dir, real))
      resolved.push_back(std::string(real));
  }
  /// Whether \p path, as written, is under a root as written or as resolved (a root given
  /// through a symbolic link may be named either way).
  bool holdsLexically(llvm::StringRef path) const { return holds(lexical, path) || holds(resolved, path); }
  bool holdsResolved(llvm::StringRef path) const { return holds(resolved, path); }
  /// For messages: "'a' or 'b'".
  std::string describe() const {
    std::string out;
    for (size_t i = 0; i < lexical.size(); ++i)
      out += fmt::format("{}'{}'", i == 0 ? "" : i + 1 == lexical.size() ? " or " : ", ", lexical[i]);
    return out;
  }

private:
  static bool holds(const std::vector<std::string> &roots, llvm::StringRef path) {
    return llvm::any_of(roots, [&](const std::string &root) { return isUnder(path, root); });
  }
  std::vector<std::string> lexical, resolved;
};

/// Loads files once each, imports before importers, reporting cycles at the import that
/// closes them.
class ImportLoader {
public:
  ImportLoader(DiagnosticEngine &diags, const FrontendOptions &options, ImportRoots roots)
      : diags(diags), options(options), roots(std::move(roots)) {}

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
        llvm::SmallString<256> target(llvm::sys::path::parent_path(path)), display(llvm::sys::path::parent_path(
            diags.getSourceMgr().getMemoryBuffer(file.bufferId())->getBufferIdentifier()));
        llvm::sys::path::append(target, rel);
        llvm::sys::path::append(display, rel);
        if (allowedImport(rel, target, display, loc))
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

  /// Whether `import "REL";` may read \p target (REL joined to the importer's directory): it
  /// exists and lies inside the roots, both as written and once symbolic links are resolved.
  /// The checks come before anything is opened, so no byte of a file outside the roots is
  /// read, and the messages do not say whether such a file exists.
  bool allowedImport(llvm::StringRef rel, llvm::StringRef target, llvm::StringRef display, llvm::SMRange loc) {
    if (llvm::sys::path::is_absolute(rel)) {
      diags.report(DiagKind::ImportAbsolutePath, loc,
                   fmt::format("cannot import '{}': imports name files relative to the importing file, inside {}",
                               rel.str(), roots.describe()));
      return false;
    }
    if (!roots.holdsLexically(lexicallyAbsolute(target))) {
      diags.report(DiagKind::ImportEscapesRoot, loc,
                   fmt::format("cannot import '{}': '..' leads outside {}; add --import-path DIR to allow "
                               "imports from DIR",
                               rel.str(), roots.describe()));
      return false;
    }
    // Resolve the deepest part of the path that exists. A link that leads nowhere counts as
    // leading outside: telling it apart would say whether its target exists.
    llvm::SmallString<256> absolute(target), existing, real;
    llvm::sys::fs::make_absolute(absolute);
    existing = absolute;
    bool dangling = false;
    while (llvm::sys::fs::real_path(existing, real) && llvm::sys::path::has_relative_path(existing)) {
      dangling |= llvm::sys::fs::is_symlink_file(existing);
      llvm::sys::path::remove_filename(existing);
    }
    bool found = existing == absolute;
    if (dangling || !roots.holdsResolved(real)) {
      diags.report(DiagKind::ImportEscapesRoot, loc,
                   fmt::format("cannot import '{}': a symbolic link on the way does not lead to a file inside {}; "
                               "add --import-path DIR to allow imports from DIR",
                               rel.str(), roots.describe()));
      return false;
    }
    if (!found)
      diags.report(DiagKind::UnknownImport, loc, fmt::format("cannot find imported file '{}'", display.str()));
    return found;
  }

  DiagnosticEngine &diags;
  const FrontendOptions &options;
  ImportRoots roots;
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
  if (!llvm::sys::fs::exists(path)) {
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(), fmt::format("no such file '{}'", path.str()));
    return nullptr;
  }
  ImportRoots roots;
  llvm::SmallString<256> mainDir(path);
  llvm::sys::fs::make_absolute(mainDir);
  llvm::sys::path::remove_filename(mainDir);
  roots.add(mainDir);
  for (const std::string &dir : options.importPaths)
    roots.add(dir);
  roots.add(options.stdlibDir);
  ImportLoader loader(diags, options, std::move(roots));
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
  ImportRoots roots;
  roots.add(options.stdlibDir);
  ImportLoader loader(diags, options, std::move(roots));
  loader.load(std::string(target), "stdlib/" + rel + ".cmnet", llvm::SMRange());
  auto model = buildModel(loader, diags);
  if (model)
    model->mainFile = "stdlib/" + rel + ".cmnet";
  return model;
}

} // namespace cmnet::frontend
