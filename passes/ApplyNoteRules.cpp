// apply-note-rules: the catalog's note rules (require, oneway, warn, error) per role instance.
#include "analysis/FlowEvaluation.h"
#include "passes/Pass.h"

#include "fmt/format.h"

#include <set>
#include <tuple>

using namespace cmnet::analysis;
using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// For each role instance a rule is `on` whose `when` holds:
///  - `require A alongside B`: wherever an entry tagged B opens a flow to or from the instance,
///    the link's entry tagged A is opened for the same pair even if its own `when` is false;
///  - `oneway from R`: on `<->` links, flows the instance initiates towards R are removed;
///  - `warn` / `error`: a diagnostic at the host.
///
///   rule "https implies http" on software_update_point when https { require http alongside https; }
///   (entry http has `when !https_only`; host sets https_only = true, https = true)
///   before: sup <- clients tcp 8531          after: + sup <- clients tcp 8530 [rule: https implies http]
///
/// @pre  resolve-overrides ran (bindings have values, flows are resolved).
/// @post flows reflect every applicable note rule.
class ApplyNoteRulesPass : public Pass {
public:
  llvm::StringRef name() const override { return "apply-note-rules"; }
  llvm::StringRef summary() const override { return "apply the catalog's note rules"; }

  void run(CompileContext &ctx) override {
    FlowEvaluation eval(ctx);
    for (const CatalogRule &rule : ctx.model.rules) {
      // Which role instances the rule is about; then one sweep over the flows per action.
      std::vector<bool> on(ctx.flows.bindings.size());
      bool any = false;
      for (unsigned b = 0; b < ctx.flows.bindings.size(); ++b)
        any |= (on[b] = applies(ctx, eval, rule, b));
      if (!any)
        continue;
      for (const RuleAction &action : rule.actions)
        apply(ctx, eval, rule, action, on);
    }
  }

private:
  bool applies(CompileContext &ctx, const FlowEvaluation &eval, const CatalogRule &rule, unsigned b) {
    const Binding &binding = ctx.flows.bindings[b];
    if (binding.role == Binding::None || binding.values.empty())
      return false;
    if (rule.role && *rule.role != binding.role)
      return false;
    if (!rule.when)
      return true;
    // `on *` rules name parameters only some roles have: a missing one means "does not apply".
    std::string error;
    Value v = evaluate(*rule.when, [&](const RefExpr &ref) { return eval.lookup(ref, &binding, nullptr); }, error);
    if (v.type != TypeKind::Bool) {
      if (rule.role)
        ctx.diags.report(DiagKind::EvaluationError, rule.when->getRange(),
                         fmt::format("cannot evaluate rule condition: {}", error));
      return false;
    }
    return v.boolean;
  }

  llvm::SMRange bindingLoc(CompileContext &ctx, const Binding &b) {
    const Hierarchy &h = *ctx.model.hierarchy;
    if (b.kind == Binding::HostRole)
      for (const HostRole &hr : h.hosts[b.owner].roles)
        if (hr.role == b.role)
          return hr.loc;
    if (b.kind == Binding::Clients)
      return h.clientGroups[b.owner].loc;
    return h.loc;
  }

  void apply(CompileContext &ctx, const FlowEvaluation &eval, const CatalogRule &rule, const RuleAction &action,
             const std::vector<bool> &on) {
    switch (action.kind) {
    case RuleAction::Warn:
    case RuleAction::Error:
      for (unsigned b = 0; b < on.size(); ++b)
        if (on[b])
          ctx.diags.report(action.kind == RuleAction::Warn ? DiagKind::RuleWarning : DiagKind::RuleError,
                       bindingLoc(ctx, ctx.flows.bindings[b]),
                       fmt::format("{} (on {} '{}')", action.message, ctx.model.roles[ctx.flows.bindings[b].role].name,
                                   ctx.flows.bindings[b].label),
                       {{rule.loc, fmt::format("catalog rule '{}'", rule.name)}});
      return;
    case RuleAction::Oneway:
      return applyOneway(ctx, rule, action, on);
    case RuleAction::Require:
      return applyRequire(ctx, eval, rule, action, on);
    }
  }

  void applyOneway(CompileContext &ctx, const CatalogRule &rule, const RuleAction &action,
                   const std::vector<bool> &on) {
    ProvId why = ctx.flows.addProvenance(Provenance::Rule, rule.name, rule.loc);
    auto &flows = ctx.flows.flows;
    size_t before = flows.size();
    flows.erase(std::remove_if(flows.begin(), flows.end(), [&](const Flow &f) {
      return f.link && f.link->bidirectional && f.src != Flow::Mixed && on[f.src] && f.dst != Flow::Mixed &&
             ctx.flows.bindings[f.dst].role == action.role;
    }), flows.end());
    if (flows.size() != before)
      ctx.flows.remarks.push_back(fmt::format("{}: removed {} flows ({})", rule.name, before - flows.size(),
                                              ctx.flows.describe(why)));
  }

  void applyRequire(CompileContext &ctx, const FlowEvaluation &eval, const CatalogRule &rule,
                    const RuleAction &action, const std::vector<bool> &on) {
    // Existing (entry, item, src, dst) combinations of the required entries, so each is added
    // only once. Only flows of entries tagged action.tag can match: indexing just those keeps
    // the set a few entries long instead of one per flow (1.9M at Microsoft's limits).
    std::set<std::tuple<const Entry *, unsigned, unsigned, unsigned>> present;
    for (const Flow &f : ctx.flows.flows)
      if (f.entry && f.entry->tag == action.tag)
        present.insert({f.entry, f.entryItem, f.src, f.dst});
    std::vector<Flow> added;
    ProvId why = ctx.flows.addProvenance(Provenance::Rule, rule.name, rule.loc);
    for (const Flow &f : ctx.flows.flows) {
      bool touches = (f.src != Flow::Mixed && on[f.src]) || (f.dst != Flow::Mixed && on[f.dst]);
      if (!f.entry || f.entry->tag != action.alongside || !touches)
        continue;
      for (const Entry &e : f.link->entries) {
        if (e.tag != action.tag || e.advisory)
          continue;
        for (unsigned item = 0; item < e.protocols.size(); ++item) {
          if (present.count({&e, item, f.src, f.dst}))
            continue;
          Flow req;
          req.src = f.src;
          req.dst = f.dst;
          req.proto = e.protocols[item];
          req.icmpType = e.icmpType;
          req.link = f.link;
          req.entry = &e;
          req.entryItem = item;
          appendEntryProvenance(ctx.flows, ctx.model, *f.link, e, /*reverse=*/false, req.why);
          req.why.push_back(why);
          if (!eval.resolve(req, /*ignoreEntryCondition=*/true))
            continue;
          present.insert({&e, item, f.src, f.dst});
          added.push_back(std::move(req));
        }
      }
    }
    for (Flow &f : added)
      ctx.flows.flows.push_back(std::move(f));
  }
};

} // namespace

std::unique_ptr<Pass> createApplyNoteRulesPass() { return std::make_unique<ApplyNoteRulesPass>(); }

} // namespace cmnet::passes
