// Expr: parameter-default and condition expressions (`http_port == 80 ? 443 : http_port + 1`).
#pragma once

#include "ir/Value.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"

#include <memory>
#include <optional>
#include <string>

namespace cmnet::ir {

/// Where a parameter reference points once resolved: a global or a role's parameter.
struct ParamTarget {
  static constexpr unsigned Global = ~0u;
  unsigned role = Global;
  unsigned param = 0;
  /// `from.NAME` in a link: the parameter of the end the flow comes from (by name, so either
  /// end of a `<->` link), not the destination's.
  bool fromSource = false;
  bool isGlobal() const { return role == Global; }
  bool operator==(const ParamTarget &o) const {
    return role == o.role && param == o.param && fromSource == o.fromSource;
  }
};

class Expr {
public:
  enum ExprKind { IntLitKind, RangeLitKind, BoolLitKind, StringLitKind, AddressLitKind, RefKind,
                  UnaryKind, BinaryKind, CondKind };
  Expr(ExprKind kind, llvm::SMRange range) : kind(kind), range(range) {}
  virtual ~Expr() = default;
  ExprKind getKind() const { return kind; }
  llvm::SMRange getRange() const { return range; }

private:
  ExprKind kind;
  llvm::SMRange range;
};

/// A literal: integer, port range, bool, string or address.
class LiteralExpr : public Expr {
public:
  LiteralExpr(ExprKind kind, llvm::SMRange range, Value value) : Expr(kind, range), value(std::move(value)) {}
  const Value &getValue() const { return value; }
  static bool classof(const Expr *e) { return e->getKind() <= AddressLitKind; }

private:
  Value value;
};

/// `name` or `role.name`; resolved by the frontend to a ParamTarget.
class RefExpr : public Expr {
public:
  RefExpr(llvm::SMRange range, std::string qualifier, std::string name)
      : Expr(RefKind, range), qualifier(std::move(qualifier)), name(std::move(name)) {}
  llvm::StringRef getQualifier() const { return qualifier; }
  llvm::StringRef getName() const { return name; }
  const std::optional<ParamTarget> &getTarget() const { return target; }
  void setTarget(ParamTarget t) { target = t; }
  static bool classof(const Expr *e) { return e->getKind() == RefKind; }

private:
  std::string qualifier, name;
  std::optional<ParamTarget> target;
};

class UnaryExpr : public Expr {
public:
  enum Op { Not, Negate };
  UnaryExpr(llvm::SMRange range, Op op, std::unique_ptr<Expr> operand)
      : Expr(UnaryKind, range), op(op), operand(std::move(operand)) {}
  Op getOp() const { return op; }
  const Expr &getOperand() const { return *operand; }
  Expr &getOperand() { return *operand; }
  static bool classof(const Expr *e) { return e->getKind() == UnaryKind; }

private:
  Op op;
  std::unique_ptr<Expr> operand;
};

class BinaryExpr : public Expr {
public:
  enum Op { Add, Sub, Lt, Le, Gt, Ge, Eq, Ne, And, Or };
  BinaryExpr(llvm::SMRange range, Op op, std::unique_ptr<Expr> lhs, std::unique_ptr<Expr> rhs)
      : Expr(BinaryKind, range), op(op), lhs(std::move(lhs)), rhs(std::move(rhs)) {}
  Op getOp() const { return op; }
  const Expr &getLHS() const { return *lhs; }
  const Expr &getRHS() const { return *rhs; }
  Expr &getLHS() { return *lhs; }
  Expr &getRHS() { return *rhs; }
  static bool classof(const Expr *e) { return e->getKind() == BinaryKind; }

private:
  Op op;
  std::unique_ptr<Expr> lhs, rhs;
};

class CondExpr : public Expr {
public:
  CondExpr(llvm::SMRange range, std::unique_ptr<Expr> c, std::unique_ptr<Expr> t, std::unique_ptr<Expr> f)
      : Expr(CondKind, range), cond(std::move(c)), onTrue(std::move(t)), onFalse(std::move(f)) {}
  const Expr &getCond() const { return *cond; }
  const Expr &getTrue() const { return *onTrue; }
  const Expr &getFalse() const { return *onFalse; }
  Expr &getCond() { return *cond; }
  Expr &getTrue() { return *onTrue; }
  Expr &getFalse() { return *onFalse; }
  static bool classof(const Expr *e) { return e->getKind() == CondKind; }

private:
  std::unique_ptr<Expr> cond, onTrue, onFalse;
};

/// Supplies a value for each resolved parameter reference during evaluation.
using ParamLookup = llvm::function_ref<std::optional<Value>(const RefExpr &)>;

/// Evaluate \p expr. On failure returns a Value of TypeKind::Error and sets \p error. A
/// reference whose value is itself an error (reported where it was computed) makes the result
/// an error with \p error left empty, so callers do not report the same mistake twice.
Value evaluate(const Expr &expr, ParamLookup lookup, std::string &error);

/// Print an expression back as source text (for dumps and explanations).
std::string printExpr(const Expr &expr);

/// Visit every RefExpr in \p expr.
void forEachRef(Expr &expr, llvm::function_ref<void(RefExpr &)> fn);

} // namespace cmnet::ir
