// BindingValues: global and per-instance parameter values, the closest override winning.
#include "analysis/BindingValues.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::analysis {
namespace {

const Assignment *find(const std::vector<Assignment> &list, const ParamTarget &t) {
  const Assignment *found = nullptr;
  for (const Assignment &a : list)
    if (a.target == t)
      found = &a; // the last assignment at one level wins
  return found;
}

bool checkValue(CompileContext &ctx, const ParamDecl &decl, Value &v, const std::string &error, const Expr *e) {
  if (v.type == TypeKind::Error) {
    if (error.empty())
      return false; // a parameter it uses failed and was reported already
    ctx.diags.report(DiagKind::EvaluationError, e->getRange(),
                     fmt::format("cannot evaluate '{}' for parameter '{}': {}", printExpr(*e), decl.name, error),
                     {{decl.loc, "parameter declared here"}});
    return false;
  }
  bool isPort = decl.type == TypeKind::Port || decl.type == TypeKind::Ports;
  if (isPort && v.isNumeric()) {
    if (v.number < 1 || v.number > 65535) {
      ctx.diags.report(DiagKind::PortOutOfRange, e->getRange(),
                       fmt::format("'{}' gives {} the value {}, outside 1-65535", printExpr(*e), decl.name, v.number),
                       {{decl.loc, "parameter declared here"}});
      return false;
    }
    v = decl.type == TypeKind::Ports ? Value::makeRange(uint16_t(v.number), uint16_t(v.number))
                                     : Value::makePort(v.number);
  }
  return true;
}

void resolveGlobals(CompileContext &ctx, const Hierarchy &h) {
  const Model &model = ctx.model;
  ctx.flows.globals.assign(model.globals.size(), Value());
  ctx.flows.globalSource.assign(model.globals.size(), NoSource);
  for (unsigned g = 0; g < model.globals.size(); ++g) {
    const Assignment *a = find(h.overrides, {ParamTarget::Global, g});
    const Expr *e = a ? a->value.get() : model.globals[g].defaultValue.get();
    if (!e)
      continue;
    std::string error;
    Value v = evaluate(*e, [&](const RefExpr &ref) -> std::optional<Value> {
      auto t = ref.getTarget();
      if (t && t->isGlobal() && t->param < g)
        return ctx.flows.globals[t->param];
      return std::nullopt;
    }, error);
    if (!checkValue(ctx, model.globals[g], v, error, e))
      continue;
    ctx.flows.globals[g] = v;
    if (a)
      ctx.flows.globalSource[g] = ctx.flows.addProvenance(
          Provenance::Override, fmt::format("{} = {} (hierarchy)", model.globals[g].name, v.str()), a->loc);
  }
}

/// Evaluate parameter \p p of binding \p b, evaluating the parameters it refers to first.
void resolveParam(CompileContext &ctx, const Hierarchy &h, Binding &b, const std::vector<Assignment> *own,
                  unsigned p, llvm::SmallVectorImpl<unsigned char> &state) {
  if (state[p] == 2)
    return;
  const Role &role = ctx.model.roles[b.role];
  const ParamDecl &decl = role.params[p];
  state[p] = 1;
  ParamTarget target{b.role, p};
  const Assignment *a = own ? find(*own, target) : nullptr;
  const Site *from = nullptr; // the site whose override applies, for the provenance text
  for (unsigned site = b.site; !a && site != Binding::None;) {
    a = find(h.sites[site].overrides, target);
    from = &h.sites[site];
    site = h.sites[site].parent ? *h.sites[site].parent : Binding::None;
  }
  bool hierarchyLevel = !a;
  if (!a)
    a = find(h.overrides, target);
  const Expr *e = a ? a->value.get() : decl.defaultValue.get();
  if (!e) {
    state[p] = 2;
    return;
  }
  std::string error;
  Value v = evaluate(*e, [&](const RefExpr &ref) -> std::optional<Value> {
    auto t = ref.getTarget();
    if (!t)
      return std::nullopt;
    if (t->isGlobal())
      return ctx.flows.globals[t->param];
    if (t->role != b.role)
      return std::nullopt;
    if (state[t->param] == 1) {
      // This reference closes a cycle (through the overrides in effect for this binding):
      // report it where it is written; the Error value then fails quietly upstream.
      ctx.diags.report(DiagKind::EvaluationError, ref.getRange(),
                       fmt::format("'{}' depends on itself for '{}': {}.{} uses it while it is being computed; "
                                   "check the overrides of these parameters",
                                   printExpr(ref), b.label, role.name, decl.name),
                       {{role.params[t->param].loc, "parameter declared here"}});
      return Value();
    }
    resolveParam(ctx, h, b, own, t->param, state);
    return b.values[t->param];
  }, error);
  if (checkValue(ctx, decl, v, error, e)) {
    b.values[p] = v;
    if (a) {
      std::string level = hierarchyLevel ? "hierarchy" : from ? "site " + from->name : "host";
      b.valueSource[p] = ctx.flows.addProvenance(
          Provenance::Override, fmt::format("{}.{} = {} ({})", role.name, decl.name, v.str(), level), a->loc);
    }
  }
  state[p] = 2;
}
void resolveBinding(CompileContext &ctx, const Hierarchy &h, Binding &b) {
  if (b.role == Binding::None)
    return;
  const Role &role = ctx.model.roles[b.role];
  const std::vector<Assignment> *own = nullptr;
  if (b.kind == Binding::HostRole)
    for (const HostRole &hr : h.hosts[b.owner].roles)
      if (hr.role == b.role)
        own = &hr.params;
  if (b.kind == Binding::Clients)
    own = &h.clientGroups[b.owner].params;

  b.values.assign(role.params.size(), Value());
  b.valueSource.assign(role.params.size(), NoSource);
  llvm::SmallVector<unsigned char, 16> state(role.params.size(), 0); // 0 new, 1 busy, 2 done
  for (unsigned p = 0; p < role.params.size(); ++p)
    resolveParam(ctx, h, b, own, p, state);
}

} // namespace

void resolveGlobalValues(CompileContext &ctx) { resolveGlobals(ctx, *ctx.model.hierarchy); }

void resolveBindingValues(CompileContext &ctx, Binding &b) { resolveBinding(ctx, *ctx.model.hierarchy, b); }

} // namespace cmnet::analysis
