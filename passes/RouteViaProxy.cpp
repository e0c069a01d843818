// route-via-proxy: Note 1 as behaviour — Internet-bound rows go to the configured proxy.
#include "passes/Pass.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// When the hierarchy sets the global `proxy` (an address) the catalog's entries marked
/// `proxy` ("can't be configured but can be routed through a configured proxy server") no
/// longer open the Internet port directly: the flow goes to the proxy on `proxy_port`.
///
///   hierarchy { proxy = "10.0.0.5"; proxy_port = 8080; }
///   before: sup -> internet (any) tcp 80            after: sup -> 10.0.0.5 tcp 8080 [note: …]
///
/// @pre  flows are resolved (global values known).
/// @post no flow of a `proxy` entry reaches its original destination while a proxy is set.
class RouteViaProxyPass : public Pass {
public:
  llvm::StringRef name() const override { return "route-via-proxy"; }
  llvm::StringRef summary() const override { return "send Internet-bound rows through the proxy (Note 1)"; }

  void run(CompileContext &ctx) override {
    auto proxyIndex = ctx.model.findGlobal("proxy");
    auto portIndex = ctx.model.findGlobal("proxy_port");
    if (!proxyIndex || *proxyIndex >= ctx.flows.globals.size())
      return;
    const Value &proxy = ctx.flows.globals[*proxyIndex];
    if (proxy.type != TypeKind::String || proxy.text.empty())
      return;
    llvm::SMRange where = overrideLoc(ctx, *proxyIndex);
    std::string error;
    auto address = AddressSet::parse(proxy.text, &error);
    if (!address) {
      ctx.diags.report(DiagKind::MalformedAddress, where, fmt::format("proxy '{}': {}", proxy.text, error));
      return;
    }
    if (!portIndex || ctx.flows.globals[*portIndex].type != TypeKind::Port) {
      ctx.diags.report(DiagKind::EvaluationError, where, "a proxy needs the global 'proxy_port' to be set");
      return;
    }
    uint16_t port = uint16_t(ctx.flows.globals[*portIndex].number);
    ProvId why = ctx.flows.addProvenance(Provenance::Note,
                                         fmt::format("Note 1: routed through proxy {} port {}", proxy.text, port),
                                         where);
    for (Flow &f : ctx.flows.flows) {
      if (!f.entry || !f.entry->proxy || f.proto != Protocol::TCP)
        continue;
      f.dstAddrs = *address;
      f.ports = PortSet(port, port);
      f.dst = Flow::Mixed; // the proxy may be one of the hierarchy's hosts: place by address
      mergeWhy(f.why, {why});
    }
  }

private:
  static llvm::SMRange overrideLoc(const CompileContext &ctx, unsigned global) {
    ProvId source = ctx.flows.globalSource[global];
    return source == NoSource ? ctx.model.hierarchy->loc : ctx.flows.provenance(source).loc;
  }
};

} // namespace

std::unique_ptr<Pass> createRouteViaProxyPass() { return std::make_unique<RouteViaProxyPass>(); }

} // namespace cmnet::passes
