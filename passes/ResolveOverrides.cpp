// resolve-overrides: evaluate every flow's conditions and ports with its ends' parameter values.
#include "analysis/FlowEvaluation.h"
#include "passes/Pass.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseMap.h"

using namespace cmnet::analysis;
using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Evaluates every flow's conditions and ports with the parameter values of its two ends
/// (computed by instantiate-hierarchy, closest override first: see BindingValues.h), dropping
/// flows whose `when` is false. Then warns about each external role the hierarchy never binds
/// that a remaining flow needs (instantiate-hierarchy bound it to `any`).
///
///   hierarchy { management_point.http_port = 8080; }
///   flow P01 clients -> p01 tcp {http_port}   becomes   flow … tcp 8080 [override: …]
///
/// @pre  instantiate-hierarchy ran: bindings carry their values.
/// @post every flow is resolved: concrete ports and addresses.
class ResolveOverridesPass : public Pass {
public:
  llvm::StringRef name() const override { return "resolve-overrides"; }
  llvm::StringRef summary() const override { return "apply overrides (closest wins) and evaluate ports"; }

  void run(CompileContext &ctx) override {
    FlowEvaluation eval(ctx);
    // Compacted in place: a second vector of every flow is a third of a gigabyte at
    // Microsoft's published limits.
    std::vector<Flow> &flows = ctx.flows.flows;
    size_t kept = 0;
    for (size_t i = 0; i < flows.size(); ++i)
      if (eval.resolve(flows[i])) {
        if (i != kept)
          flows[kept] = std::move(flows[i]);
        ++kept;
      }
    flows.resize(kept);
    warnUnboundExternals(ctx);
  }

private:
  /// An unbound external role matters only when a flow still needs it: a link whose condition
  /// is false (`when certificate_profiles`) opens nothing and needs no binding.
  static void warnUnboundExternals(CompileContext &ctx) {
    if (ctx.unboundExternals.empty())
      return;
    llvm::DenseMap<unsigned, const Link *> neededBy;
    for (unsigned b : ctx.unboundExternals)
      neededBy[b] = nullptr;
    for (const Flow &f : ctx.flows.flows)
      for (unsigned end : {f.src, f.dst}) {
        auto it = neededBy.find(end);
        if (it != neededBy.end() && !it->second)
          it->second = f.link;
      }
    for (unsigned b : ctx.unboundExternals) {
      const Link *link = neededBy[b];
      if (!link)
        continue;
      llvm::StringRef role = ctx.model.roles[ctx.flows.bindings[b].role].name;
      ctx.diags.report(DiagKind::UnboundExternal, ctx.model.hierarchy->loc,
                       fmt::format("external role '{}' is never bound; treating it as 'any' address "
                                   "(add 'external {} ADDRESSES;' to narrow it)",
                                   role.str(), role.str()),
                       {{link->loc, "needed by this link"}});
    }
  }
};

} // namespace

std::unique_ptr<Pass> createResolveOverridesPass() { return std::make_unique<ResolveOverridesPass>(); }

} // namespace cmnet::passes
