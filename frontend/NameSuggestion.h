// Near-miss suggestions for unknown names ("did you mean 'management_point'?").
#pragma once

#include "ir/Expr.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <string>

namespace cmnet::frontend {

/// Collects candidate names and keeps the one closest to a misspelt name.
class NameSuggestion {
public:
  explicit NameSuggestion(llvm::StringRef wanted) : wanted(wanted) {}

  /// Consider \p candidate; keeps the closest so far within the typo threshold.
  void consider(llvm::StringRef candidate);

  /// "; did you mean 'x'?" for the closest candidate, or "" when none is close enough.
  std::string hint() const;

private:
  llvm::StringRef wanted;
  std::string best;
  unsigned bestDistance = ~0u;
};

/// Where the role of a qualified reference `role.param` is written (for "unknown role").
llvm::SMRange qualifierRange(const ir::RefExpr &ref);
/// Where the parameter of a qualified reference `role.param` is written (for "no parameter").
llvm::SMRange paramNameRange(const ir::RefExpr &ref);

} // namespace cmnet::frontend
