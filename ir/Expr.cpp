// Expression evaluation and printing.
#include "ir/Expr.h"

#include "fmt/format.h"

namespace cmnet::ir {

llvm::StringRef typeName(TypeKind type) {
  switch (type) {
  case TypeKind::Port: return "port";
  case TypeKind::Ports: return "ports";
  case TypeKind::Bool: return "bool";
  case TypeKind::Int: return "int";
  case TypeKind::Address: return "address";
  case TypeKind::String: return "string";
  case TypeKind::Error: return "<error>";
  }
  return "<error>";
}

PortSet Value::ports() const {
  if (type == TypeKind::Port && number >= 0 && number <= 65535)
    return PortSet(uint16_t(number), uint16_t(number));
  if (type == TypeKind::Ports)
    return PortSet(lo, hi);
  return {};
}

std::string Value::str() const {
  switch (type) {
  case TypeKind::Port:
  case TypeKind::Int: return fmt::format("{}", number);
  case TypeKind::Ports: return lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
  case TypeKind::Bool: return boolean ? "true" : "false";
  case TypeKind::String: return fmt::format("\"{}\"", text);
  case TypeKind::Address: return addresses.str();
  case TypeKind::Error: return "<error>";
  }
  return "<error>";
}

bool Value::operator==(const Value &o) const {
  if (isNumeric() && o.isNumeric())
    return number == o.number;
  if (type != o.type)
    return false;
  switch (type) {
  case TypeKind::Ports: return lo == o.lo && hi == o.hi;
  case TypeKind::Bool: return boolean == o.boolean;
  case TypeKind::String: return text == o.text;
  case TypeKind::Address: return addresses == o.addresses;
  default: return number == o.number;
  }
}

namespace {

class Evaluator {
public:
  Evaluator(ParamLookup lookup, std::string &error) : lookup(lookup), error(error) {}

  Value eval(const Expr &e) {
    if (auto *lit = llvm::dyn_cast<LiteralExpr>(&e))
      return lit->getValue();
    if (auto *ref = llvm::dyn_cast<RefExpr>(&e))
      return evalRef(*ref);
    if (auto *un = llvm::dyn_cast<UnaryExpr>(&e))
      return evalUnary(*un);
    if (auto *bin = llvm::dyn_cast<BinaryExpr>(&e))
      return evalBinary(*bin);
    auto &c = llvm::cast<CondExpr>(e);
    Value cond = eval(c.getCond());
    if (cond.type == TypeKind::Error)
      return {};
    if (cond.type != TypeKind::Bool)
      return fail("condition of '?:' is not a bool");
    return eval(cond.boolean ? c.getTrue() : c.getFalse());
  }

private:
  Value fail(std::string why) {
    if (error.empty())
      error = std::move(why);
    return {};
  }

  Value evalRef(const RefExpr &ref) {
    std::optional<Value> v = lookup(ref);
    if (!v)
      return fail(fmt::format("'{}' has no value here", printExpr(ref)));
    return *v; // an Error value propagates quietly: it was reported where it was computed
  }

  Value evalUnary(const UnaryExpr &un) {
    Value v = eval(un.getOperand());
    if (v.type == TypeKind::Error)
      return {};
    if (un.getOp() == UnaryExpr::Not) {
      if (v.type != TypeKind::Bool)
        return fail("'!' needs a bool");
      return Value::makeBool(!v.boolean);
    }
    if (!v.isNumeric())
      return fail("'-' needs a number");
    return Value::makeInt(-v.number);
  }

  Value evalBinary(const BinaryExpr &bin) {
    BinaryExpr::Op op = bin.getOp();
    if (op == BinaryExpr::And || op == BinaryExpr::Or) {
      Value l = eval(bin.getLHS());
      if (l.type == TypeKind::Error)
        return {};
      if (l.type != TypeKind::Bool)
        return fail("'&&' and '||' need bools");
      if (op == BinaryExpr::And ? !l.boolean : l.boolean)
        return l;
      Value r = eval(bin.getRHS());
      if (r.type == TypeKind::Error)
        return {};
      if (r.type != TypeKind::Bool)
        return fail("'&&' and '||' need bools");
      return r;
    }
    Value l = eval(bin.getLHS()), r = eval(bin.getRHS());
    if (l.type == TypeKind::Error || r.type == TypeKind::Error)
      return {};
    if (op == BinaryExpr::Eq || op == BinaryExpr::Ne)
      return Value::makeBool((l == r) == (op == BinaryExpr::Eq));
    if (!l.isNumeric() || !r.isNumeric())
      return fail("arithmetic and comparison need numbers");
    switch (op) {
    case BinaryExpr::Add:
    case BinaryExpr::Sub: {
      int64_t n = op == BinaryExpr::Add ? l.number + r.number : l.number - r.number;
      // port +/- int stays a port, so `http_port + 1` keeps its type.
      return l.type == TypeKind::Port || r.type == TypeKind::Port ? Value::makePort(n) : Value::makeInt(n);
    }
    case BinaryExpr::Lt: return Value::makeBool(l.number < r.number);
    case BinaryExpr::Le: return Value::makeBool(l.number <= r.number);
    case BinaryExpr::Gt: return Value::makeBool(l.number > r.number);
    case BinaryExpr::Ge: return Value::makeBool(l.number >= r.number);
    default: return fail("unknown operator");
    }
  }

  ParamLookup lookup;
  std::string &error;
};

const char *binaryOpText(BinaryExpr::Op op) {
  static const char *text[] = {"+", "-", "<", "<=", ">", ">=", "==", "!=", "&&", "||"};
  return text[op];
}

} // namespace

Value evaluate(const Expr &expr, ParamLookup lookup, std::string &error) {
  return Evaluator(lookup, error).eval(expr);
}

std::string printExpr(const Expr &e) {
  if (auto *lit = llvm::dyn_cast<LiteralExpr>(&e))
    return lit->getValue().str();
  if (auto *ref = llvm::dyn_cast<RefExpr>(&e))
    return ref->getQualifier().empty() ? ref->getName().str()
                                       : fmt::format("{}.{}", ref->getQualifier().str(), ref->getName().str());
  if (auto *un = llvm::dyn_cast<UnaryExpr>(&e))
    return fmt::format("{}{}", un->getOp() == UnaryExpr::Not ? "!" : "-", printExpr(un->getOperand()));
  if (auto *bin = llvm::dyn_cast<BinaryExpr>(&e))
    return fmt::format("({} {} {})", printExpr(bin->getLHS()), binaryOpText(bin->getOp()), printExpr(bin->getRHS()));
  auto &c = llvm::cast<CondExpr>(e);
  return fmt::format("({} ? {} : {})", printExpr(c.getCond()), printExpr(c.getTrue()), printExpr(c.getFalse()));
}

void forEachRef(Expr &e, llvm::function_ref<void(RefExpr &)> fn) {
  if (auto *ref = llvm::dyn_cast<RefExpr>(&e))
    return fn(*ref);
  if (auto *un = llvm::dyn_cast<UnaryExpr>(&e))
    return forEachRef(un->getOperand(), fn);
  if (auto *bin = llvm::dyn_cast<BinaryExpr>(&e)) {
    forEachRef(bin->getLHS(), fn);
    return forEachRef(bin->getRHS(), fn);
  }
  if (auto *c = llvm::dyn_cast<CondExpr>(&e)) {
    forEachRef(c->getCond(), fn);
    forEachRef(c->getTrue(), fn);
    forEachRef(c->getFalse(), fn);
  }
}

} // namespace cmnet::ir
