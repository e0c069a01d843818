// merge-port-ranges: flows between the same addresses on one protocol share one port set.
#include "analysis/FlowMerge.h"
#include "passes/Pass.h"

using namespace cmnet::analysis;

namespace cmnet::passes {
namespace {

/// Merges flows that differ only in their ports into one flow whose port set is the union,
/// across links and rules (not only within one catalog row), so a backend writes one rule with
/// a port list instead of one rule per port. Adjacent and overlapping ranges coalesce.
///
///   flow p01 -> cassql tcp 1433      [catalog: Site server --> SQL Server: SQL over TCP]
///   flow p01 -> cassql tcp 445       [catalog: Site server --> SQL Server: SMB]
///   flow p01 -> cassql tcp 50000-50999 [catalog: … RPC]
///   becomes
///   flow p01 -> cassql tcp 445,1433,50000-50999 [all three]
///
/// @pre  dedup ran (not required for correctness, only for fewer hash collisions).
/// @post no two TCP/UDP flows share sources, destinations, protocol, action and enforcement
///       class; the set of tuples allowed is unchanged.
class MergePortRangesPass : public Pass {
public:
  llvm::StringRef name() const override { return "merge-port-ranges"; }
  llvm::StringRef summary() const override { return "merge the ports of flows between the same addresses"; }
  void run(CompileContext &ctx) override { mergeFlows(ctx.flows, Ports); }
};

} // namespace

std::unique_ptr<Pass> createMergePortRangesPass() { return std::make_unique<MergePortRangesPass>(); }

} // namespace cmnet::passes
