// ModelBuilder: parse trees of all loaded files to one resolved, checked ir::Model.
#pragma once

#include "frontend/ParsedFile.h"
#include "ir/Model.h"

#include <vector>

namespace cmnet::frontend {

/// Files are processed in two phases so declarations may be used before (or in files
/// imported after) their definition: declare() registers catalogs, globals and roles of every
/// file; define() then builds links, rules and the hierarchy, resolving names as it goes.
class ModelBuilder {
public:
  ModelBuilder(ir::Model &model, DiagnosticEngine &diags) : model(model), diags(diags) {}

  void declare(const ParsedFile &file);
  void define(const ParsedFile &file);
  /// Checks that need every file: parameter defaults (their names may come from any file).
  void finish();

private:
  friend class FileScope;
  ir::Model &model;
  DiagnosticEngine &diags;
};

} // namespace cmnet::frontend
