// Parameter defaults: name resolution, types, constant ranges and dependency cycles.
#include "frontend/ParamDefaults.h"

#include "frontend/NameSuggestion.h"
#include "frontend/TypeChecker.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::frontend {
namespace {

/// A parameter of the model: a global (role == ParamTarget::Global) or a role's.
struct ParamNode {
  ParamTarget target;
  ParamDecl *decl;
  std::string label; // "dynamic_rpc" or "server.http_port"
};

class DefaultChecker {
public:
  DefaultChecker(Model &model, DiagnosticEngine &diags) : model(model), diags(diags), types(model, diags) {
    for (unsigned g = 0; g < model.globals.size(); ++g)
      nodes.push_back({{ParamTarget::Global, g}, &model.globals[g], model.globals[g].name});
    for (unsigned r = 0; r < model.roles.size(); ++r) {
      roleOffsets.push_back(unsigned(nodes.size()));
      for (unsigned p = 0; p < model.roles[r].params.size(); ++p)
        nodes.push_back({{r, p}, &model.roles[r].params[p],
                         fmt::format("{}.{}", model.roles[r].name, model.roles[r].params[p].name)});
    }
  }

  void run() {
    for (ParamNode &n : nodes)
      if (n.decl->defaultValue)
        check(n);
    findCycles();
  }

private:
  void check(ParamNode &n) {
    Expr &value = *n.decl->defaultValue;
    bool resolved = true;
    forEachRef(value, [&](RefExpr &ref) { resolved &= resolve(ref, n.target); });
    if (!resolved)
      return;
    types.checkAssignable(*n.decl, value);
    checkConstantPort(*n.decl, value);
  }

  /// Resolve \p ref inside the default of \p owner; reports and returns false when it cannot.
  bool resolve(RefExpr &ref, const ParamTarget &owner) {
    std::optional<unsigned> role = owner.isGlobal() ? std::nullopt : std::optional<unsigned>(owner.role);
    if (!ref.getQualifier().empty()) {
      if (role && ref.getQualifier() == model.roles[*role].name)
        if (auto p = model.roles[*role].findParam(ref.getName()))
          return ref.setTarget({*role, *p}), true;
      if (!model.findRole(ref.getQualifier())) {
        NameSuggestion suggest(ref.getQualifier());
        for (const Role &r : model.roles)
          suggest.consider(r.name);
        diags.report(DiagKind::UnknownRole, qualifierRange(ref),
                     fmt::format("unknown role '{}'{}", ref.getQualifier().str(), suggest.hint()));
        return false;
      }
      diags.report(DiagKind::UnknownParameter, ref.getRange(),
                   role ? fmt::format("the default value of '{}' may use only parameters of role '{}' and "
                                      "global parameters, not '{}'",
                                      nodes[indexOf(owner)].label, model.roles[*role].name, printExpr(ref))
                        : fmt::format("the default value of global parameter '{}' may use only global "
                                      "parameters, not '{}'",
                                      nodes[indexOf(owner)].label, printExpr(ref)));
      return false;
    }
    if (role)
      if (auto p = model.roles[*role].findParam(ref.getName()))
        return ref.setTarget({*role, *p}), true;
    if (auto g = model.findGlobal(ref.getName()))
      return ref.setTarget({ParamTarget::Global, *g}), true;
    NameSuggestion suggest(ref.getName());
    for (const ParamDecl &g : model.globals)
      suggest.consider(g.name);
    if (role)
      for (const ParamDecl &p : model.roles[*role].params)
        suggest.consider(p.name);
    diags.report(DiagKind::UnknownParameter, ref.getRange(),
                 fmt::format("unknown parameter '{}' in the default value of '{}'{}", ref.getName().str(),
                             nodes[indexOf(owner)].label, suggest.hint()));
    return false;
  }

  /// A default without references is a constant: a port outside 1-65535 is wrong in every
  /// hierarchy, so say so now rather than at every build that uses the catalog.
  void checkConstantPort(const ParamDecl &decl, Expr &value) {
    if (decl.type != TypeKind::Port && decl.type != TypeKind::Ports)
      return;
    bool constant = true;
    forEachRef(value, [&](RefExpr &) { constant = false; });
    if (!constant)
      return;
    std::string error;
    Value v = evaluate(value, [](const RefExpr &) { return std::optional<Value>(); }, error);
    if (v.isNumeric() && (v.number < 1 || v.number > 65535))
      diags.report(DiagKind::PortOutOfRange, value.getRange(),
                   fmt::format("default value {} of '{}' is outside 1-65535", v.number, decl.name));
  }

  /// The node of a parameter: globals first, then each role's parameters in order.
  unsigned indexOf(const ParamTarget &t) const { return (t.isGlobal() ? 0 : roleOffsets[t.role]) + t.param; }

  /// Depth-first search over "default uses parameter" edges; a back edge is a cycle. Each
  /// cycle is reported once, at the default of the parameter where the search entered it.
  void findCycles() {
    state.assign(nodes.size(), Unvisited);
    for (unsigned i = 0; i < nodes.size(); ++i)
      if (state[i] == Unvisited)
        visit(i);
  }

  void visit(unsigned i) {
    state[i] = OnPath;
    path.push_back(i);
    if (Expr *value = nodes[i].decl->defaultValue.get())
      forEachRef(*value, [&](RefExpr &ref) {
        if (!ref.getTarget())
          return;
        unsigned next = indexOf(*ref.getTarget());
        if (state[next] == OnPath)
          reportCycle(next);
        else if (state[next] == Unvisited)
          visit(next);
      });
    path.pop_back();
    state[i] = Done;
  }

  void reportCycle(unsigned start) {
    auto begin = std::find(path.begin(), path.end(), start);
    std::string chain;
    for (auto it = begin; it != path.end(); ++it)
      chain += nodes[*it].decl->name + " -> ";
    chain += nodes[start].decl->name;
    const ParamDecl &decl = *nodes[start].decl;
    diags.report(DiagKind::EvaluationError, decl.defaultValue->getRange(),
                 fmt::format("the default value of '{}' depends on itself ({}); give one of them a value that "
                             "does not",
                             nodes[start].label, chain),
                 {{decl.loc, "parameter declared here"}});
  }

  enum : unsigned char { Unvisited, OnPath, Done };
  Model &model;
  DiagnosticEngine &diags;
  TypeChecker types;
  std::vector<ParamNode> nodes;
  std::vector<unsigned> roleOffsets;
  std::vector<unsigned char> state;
  std::vector<unsigned> path;
};

} // namespace

void checkParamDefaults(Model &model, DiagnosticEngine &diags) { DefaultChecker(model, diags).run(); }

} // namespace cmnet::frontend
