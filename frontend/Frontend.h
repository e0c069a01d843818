// Frontend entry points: source text (and its imports) to a checked ir::Model.
#pragma once

#include "ir/Model.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace cmnet::frontend {

struct FrontendOptions {
  /// Where `import cm.current_branch;` looks (stdlib/cm/current_branch.cmnet).
  std::string stdlibDir;
  /// Directories besides the main file's own (and the standard library) that `import "PATH";`
  /// may reach (--import-path). An import resolving anywhere else, by an absolute path, `..`
  /// or a symbolic link, is an error.
  std::vector<std::string> importPaths;
  /// Larger inputs are rejected with input-too-large before parsing.
  uint64_t maxFileBytes = 64ull << 20;
  /// A statement with more operators and parentheses is rejected with nesting-too-deep: this
  /// bounds every expression's depth, protecting the stack of the parser and the tree walks.
  unsigned maxNesting = 256;
  /// How the main file (and, relative to it, its imports) is named in diagnostics and
  /// provenance; empty: its path. `cmnetc diff --git REV` names an old version "REV:path".
  std::string displayName;
};

/// The built-in standard library directory (overridable with CMNET_STDLIB or --stdlib).
std::string defaultStdlibDir();

/// Parse \p path and everything it imports, then resolve and check it. Returns null when any
/// error was reported; every error in the input is reported, not only the first.
std::unique_ptr<ir::Model> loadModel(llvm::StringRef path, DiagnosticEngine &diags,
                                     const FrontendOptions &options);

/// Load a standard-library catalog by dotted name ("cm.current_branch").
std::unique_ptr<ir::Model> loadCatalog(llvm::StringRef dottedName, DiagnosticEngine &diags,
                                       const FrontendOptions &options);

} // namespace cmnet::frontend
