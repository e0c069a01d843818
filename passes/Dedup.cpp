// dedup: identical flows become one, with the provenance of all of them.
#include "analysis/FlowMerge.h"
#include "passes/Pass.h"

using namespace cmnet::analysis;

namespace cmnet::passes {
namespace {

/// Merges flows that open exactly the same thing: same sources, destinations, protocol, ICMP
/// type, ports and action (and the same enforcement class per end). A host with two roles
/// often gets the same opening from two links; the rule is emitted once, citing both rows.
///
///   flow cas01 -> cassql tcp 1433 [catalog: Site server --> SQL Server: SQL over TCP]
///   flow cas01 -> cassql tcp 1433 [catalog: SMS Provider --> SQL Server: SQL over TCP]
///   becomes
///   flow cas01 -> cassql tcp 1433 [catalog: Site server --> …] [catalog: SMS Provider --> …]
///
/// @pre  flows are resolved (apply-policy ran).
/// @post no two flows are equal in every field but provenance and bindings; the set of
///       (source, destination, protocol, port) tuples allowed is unchanged.
class DedupPass : public Pass {
public:
  llvm::StringRef name() const override { return "dedup"; }
  llvm::StringRef summary() const override { return "merge identical flows, uniting their provenance"; }
  void run(CompileContext &ctx) override { mergeFlows(ctx.flows, NoField); }
};

} // namespace

std::unique_ptr<Pass> createDedupPass() { return std::make_unique<DedupPass>(); }

} // namespace cmnet::passes
