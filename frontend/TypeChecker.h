// TypeChecker: infers and checks the types of resolved expressions against the model.
#pragma once

#include "ir/Model.h"
#include "support/Diagnostics.h"

namespace cmnet::frontend {

/// Type rules of the language: `port` and `int` mix in arithmetic (a port plus an int stays a
/// port), comparisons need numbers, `&&`/`||`/`!` need bools, `==` needs matching types.
/// Every violation is reported once, at the smallest subexpression that is wrong, and the
/// result is TypeKind::Error so that callers do not report it again.
class TypeChecker {
public:
  TypeChecker(const ir::Model &model, DiagnosticEngine &diags) : model(model), diags(diags) {}

  /// The type of \p expr; references must be resolved (unresolved ones give Error quietly,
  /// since resolution already reported them).
  ir::TypeKind infer(const ir::Expr &expr);

  /// Check that \p expr (a `when` condition) is a bool.
  void checkCondition(const ir::Expr &expr);

  /// Check that \p value may be stored in parameter \p decl (an override or a default).
  void checkAssignable(const ir::ParamDecl &decl, const ir::Expr &value);

  /// The declaration a resolved reference points at, or null.
  const ir::ParamDecl *paramOf(const ir::ParamTarget &target) const;

private:
  ir::TypeKind inferBinary(const ir::BinaryExpr &bin);
  ir::TypeKind inferConditional(const ir::CondExpr &cond);
  bool expectType(const ir::Expr &e, ir::TypeKind actual, ir::TypeKind expected);
  bool expectNumeric(const ir::Expr &e, ir::TypeKind actual);

  const ir::Model &model;
  DiagnosticEngine &diags;
};

/// Can a value of type \p actual be stored in a parameter of type \p declared? Numbers go into
/// `port`, `int` and `ports` (a single port is a one-port range).
bool isAssignable(ir::TypeKind declared, ir::TypeKind actual);

} // namespace cmnet::frontend
