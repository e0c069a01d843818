// aggregate-addresses: flows that differ only in one end's addresses merge into one address set.
#include "analysis/FlowMerge.h"
#include "passes/Pass.h"

using namespace cmnet::analysis;

namespace cmnet::passes {
namespace {

/// Merges flows identical except for their sources into one flow whose source is the union
/// (then does the same for destinations). AddressSet keeps intervals coalesced and prints the
/// minimal CIDR cover, so two adjacent /24 client subnets become one /23 in every backend.
///
///   flow P01 clients (10.1.16.0/24) -> p01 tcp 80
///   flow S01 clients (10.1.17.0/24) -> p01 tcp 80
///   becomes
///   flow P01 clients, S01 clients (10.1.16.0/23) -> p01 tcp 80
///
/// Clients, external endpoints and hosts are aggregated only with their own kind (see
/// EndpointClass): a host firewall must keep getting exactly the rules it got before.
///
/// @pre  merge-port-ranges ran (so equal port sets compare equal).
/// @post no two flows differ only in their sources, and after that none differ only in their
///       destinations; the set of tuples allowed is unchanged.
class AggregateAddressesPass : public Pass {
public:
  llvm::StringRef name() const override { return "aggregate-addresses"; }
  llvm::StringRef summary() const override { return "merge the addresses of flows that differ only there"; }
  void run(CompileContext &ctx) override {
    mergeFlows(ctx.flows, SourceAddresses);
    mergeFlows(ctx.flows, DestinationAddresses);
  }
};

} // namespace

std::unique_ptr<Pass> createAggregateAddressesPass() { return std::make_unique<AggregateAddressesPass>(); }

} // namespace cmnet::passes
