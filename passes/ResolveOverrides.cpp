// resolve-overrides: evaluate every flow's conditions and ports with its ends' parameter values.
#include "passes/FlowEvaluation.h"
#include "passes/Pass.h"

using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Evaluates every flow's conditions and ports with the parameter values of its two ends
/// (computed by instantiate-hierarchy, closest override first: see BindingValues.h), dropping
/// flows whose `when` is false.
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
  }
};

} // namespace

std::unique_ptr<Pass> createResolveOverridesPass() { return std::make_unique<ResolveOverridesPass>(); }

} // namespace cmnet::passes
