// Type inference and checking for parameter values and conditions.
#include "frontend/TypeChecker.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::frontend {

static bool isNumber(TypeKind t) { return t == TypeKind::Int || t == TypeKind::Port; }

bool isAssignable(TypeKind declared, TypeKind actual) {
  if (declared == actual || actual == TypeKind::Error)
    return true;
  if (declared == TypeKind::Port || declared == TypeKind::Int || declared == TypeKind::Ports)
    return isNumber(actual);
  return false;
}

const ParamDecl *TypeChecker::paramOf(const ParamTarget &t) const {
  if (t.isGlobal())
    return t.param < model.globals.size() ? &model.globals[t.param] : nullptr;
  if (t.role >= model.roles.size() || t.param >= model.roles[t.role].params.size())
    return nullptr;
  return &model.roles[t.role].params[t.param];
}

TypeKind TypeChecker::infer(const Expr &e) {
  if (auto *lit = llvm::dyn_cast<LiteralExpr>(&e))
    return lit->getValue().type;
  if (auto *ref = llvm::dyn_cast<RefExpr>(&e)) {
    const ParamDecl *p = ref->getTarget() ? paramOf(*ref->getTarget()) : nullptr;
    return p ? p->type : TypeKind::Error;
  }
  if (auto *un = llvm::dyn_cast<UnaryExpr>(&e)) {
    TypeKind t = infer(un->getOperand());
    if (t == TypeKind::Error)
      return t;
    if (un->getOp() == UnaryExpr::Not)
      return expectType(un->getOperand(), t, TypeKind::Bool) ? TypeKind::Bool : TypeKind::Error;
    return expectNumeric(un->getOperand(), t) ? TypeKind::Int : TypeKind::Error;
  }
  if (auto *bin = llvm::dyn_cast<BinaryExpr>(&e))
    return inferBinary(*bin);
  return inferConditional(llvm::cast<CondExpr>(e));
}

TypeKind TypeChecker::inferConditional(const CondExpr &c) {
  TypeKind ct = infer(c.getCond());
  if (ct != TypeKind::Error)
    expectType(c.getCond(), ct, TypeKind::Bool);
  TypeKind a = infer(c.getTrue()), b = infer(c.getFalse());
  if (a == TypeKind::Error || b == TypeKind::Error)
    return TypeKind::Error;
  if (a == b)
    return a;
  if (isNumber(a) && isNumber(b))
    return TypeKind::Port;
  diags.report(DiagKind::TypeMismatch, c.getRange(),
               fmt::format("the branches of '?:' have different types, '{}' and '{}'", typeName(a).str(),
                           typeName(b).str()));
  return TypeKind::Error;
}

TypeKind TypeChecker::inferBinary(const BinaryExpr &bin) {
  TypeKind l = infer(bin.getLHS()), r = infer(bin.getRHS());
  if (l == TypeKind::Error || r == TypeKind::Error)
    return TypeKind::Error;
  switch (bin.getOp()) {
  case BinaryExpr::And:
  case BinaryExpr::Or:
    return expectType(bin.getLHS(), l, TypeKind::Bool) && expectType(bin.getRHS(), r, TypeKind::Bool)
               ? TypeKind::Bool
               : TypeKind::Error;
  case BinaryExpr::Eq:
  case BinaryExpr::Ne:
    if (l != r && !(isNumber(l) && isNumber(r))) {
      diags.report(DiagKind::TypeMismatch, bin.getRange(),
                   fmt::format("cannot compare a '{}' with a '{}'", typeName(l).str(), typeName(r).str()));
      return TypeKind::Error;
    }
    return TypeKind::Bool;
  case BinaryExpr::Add:
  case BinaryExpr::Sub:
    if (!expectNumeric(bin.getLHS(), l) || !expectNumeric(bin.getRHS(), r))
      return TypeKind::Error;
    return l == TypeKind::Port || r == TypeKind::Port ? TypeKind::Port : TypeKind::Int;
  default:
    return expectNumeric(bin.getLHS(), l) && expectNumeric(bin.getRHS(), r) ? TypeKind::Bool : TypeKind::Error;
  }
}

bool TypeChecker::expectType(const Expr &e, TypeKind actual, TypeKind expected) {
  if (actual == expected)
    return true;
  diags.report(DiagKind::TypeMismatch, e.getRange(),
               fmt::format("'{}' has type '{}'; expected '{}'", printExpr(e), typeName(actual).str(),
                           typeName(expected).str()));
  return false;
}

bool TypeChecker::expectNumeric(const Expr &e, TypeKind actual) {
  if (isNumber(actual))
    return true;
  diags.report(DiagKind::TypeMismatch, e.getRange(),
               fmt::format("'{}' has type '{}'; expected a number", printExpr(e), typeName(actual).str()));
  return false;
}

void TypeChecker::checkCondition(const Expr &e) {
  TypeKind t = infer(e);
  if (t != TypeKind::Bool && t != TypeKind::Error)
    diags.report(DiagKind::TypeMismatch, e.getRange(),
                 fmt::format("a condition must be a 'bool'; this one has type '{}'", typeName(t).str()));
}

void TypeChecker::checkAssignable(const ParamDecl &decl, const Expr &value) {
  TypeKind t = infer(value);
  if (isAssignable(decl.type, t))
    return;
  diags.report(DiagKind::TypeMismatch, value.getRange(),
               fmt::format("'{}' is a '{}' parameter, but this value has type '{}'", decl.name,
                           typeName(decl.type).str(), typeName(t).str()),
               {{decl.loc, "parameter declared here"}});
}

} // namespace cmnet::frontend
