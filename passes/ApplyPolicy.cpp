// apply-policy: the user's explicit allow and deny statements (denies are subtractive and win).
#include "analysis/FlowBox.h"
#include "passes/Pass.h"
#include "analysis/PolicyMatch.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"

#include <iterator>

using namespace cmnet::analysis;
using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Adds a flow for every `allow`, then removes what every `deny` covers from every flow,
/// exactly: a flow is a box (sources x destinations x ports) and subtracting a box leaves at
/// most three boxes.
///
///   deny client -> * tcp 3389;
///   before: P01 clients -> p01 tcp 80,3389        after: P01 clients -> p01 tcp 80 [deny: …]
///
/// @pre  flows are resolved.
/// @post no flow intersects any deny statement; allows are present as flows.
class ApplyPolicyPass : public Pass {
public:
  llvm::StringRef name() const override { return "apply-policy"; }
  llvm::StringRef summary() const override { return "add allow statements, subtract deny statements"; }

  void run(CompileContext &ctx) override {
    const Hierarchy &h = *ctx.model.hierarchy;
    EndpointAddresses endpoints(ctx);
    for (const PolicyStatement &st : h.statements)
      if (st.action == PolicyStatement::Allow)
        addAllow(ctx, endpoints, st);
    for (const PolicyStatement &st : h.statements)
      if (st.action == PolicyStatement::Deny)
        applyDeny(ctx, endpoints, st);
  }

private:
  void addAllow(CompileContext &ctx, EndpointAddresses &endpoints, const PolicyStatement &st) {
    if (!st.service.tag.empty()) {
      ctx.diags.report(DiagKind::TypeMismatch, st.loc,
                       "an allow must name its protocol and ports; entry tags are for deny");
      return;
    }
    ProvId why = ctx.flows.addProvenance(Provenance::Allow,
                                         st.reason.empty() ? fmt::format("allow {} -> {}", st.src.text, st.dst.text)
                                                           : st.reason,
                                         st.loc);
    for (Protocol proto : st.service.protocols) {
      Flow f;
      f.srcAddrs = endpoints.of(st.src);
      f.dstAddrs = endpoints.of(st.dst);
      f.proto = proto;
      f.icmpType = st.service.icmpType;
      f.ports = proto == Protocol::ICMP ? PortSet() : st.service.ports.empty() ? PortSet(1, 65535) : st.service.ports;
      f.resolved = true;
      f.why.push_back(why);
      ctx.flows.flows.push_back(std::move(f));
    }
  }

  void applyDeny(CompileContext &ctx, EndpointAddresses &endpoints, const PolicyStatement &st) {
    const AddressSet &dsrc = endpoints.of(st.src), &ddst = endpoints.of(st.dst);
    ProvId why = ctx.flows.addProvenance(Provenance::Deny,
                                         st.reason.empty() ? fmt::format("deny {} -> {}", st.src.text, st.dst.text)
                                                           : st.reason,
                                         st.loc);
    // Port dimension of the deny: everything unless ports are named (tags cover whole entries).
    bool portsNamed = st.service.tag.empty() && !st.service.protocols.empty() && !st.service.ports.empty();
    auto hit = [&](const Flow &f) {
      return serviceMatches(st.service, f) && f.srcAddrs.intersects(dsrc) && f.dstAddrs.intersects(ddst);
    };
    // Only the flows from the first one the deny hits are rebuilt: at Microsoft's published
    // limits a copy of all of them is a third of a gigabyte, for a deny that may hit none.
    std::vector<Flow> &flows = ctx.flows.flows;
    auto first = llvm::find_if(flows, hit);
    std::vector<Flow> rest;
    for (Flow &f : llvm::make_range(first, flows.end())) {
      if (!hit(f)) {
        rest.push_back(std::move(f));
        continue;
      }
      subtractBox(f, dsrc, ddst, portsNamed ? &st.service.ports : nullptr, [&](Flow &&piece) {
        mergeWhy(piece.why, {why});
        rest.push_back(std::move(piece));
      });
    }
    flows.erase(first, flows.end());
    std::move(rest.begin(), rest.end(), std::back_inserter(flows));
  }
};

} // namespace

std::unique_ptr<Pass> createApplyPolicyPass() { return std::make_unique<ApplyPolicyPass>(); }

} // namespace cmnet::passes
