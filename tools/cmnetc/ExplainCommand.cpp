// `cmnetc explain`: every open port between two hosts or addresses with its chain of reasons,
// or why one port is closed.
#include "Commands.h"
#include "Driver.h"
#include "Explain.h"

#include "support/ControlEscapes.h"

#include "fmt/format.h"

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand explainCmd("explain", "Explain which ports are open between two hosts or addresses, and why");
cl::opt<std::string> input(cl::Positional, cl::desc("<file.cmnet>"), cl::Required, cl::sub(explainCmd));
cl::opt<std::string> from("from", cl::desc("The initiating host name or address"), cl::value_desc("host|address"),
                          cl::Required, cl::sub(explainCmd));
cl::opt<std::string> to("to", cl::desc("The answering host name or address"), cl::value_desc("host|address"),
                        cl::Required, cl::sub(explainCmd));
cl::opt<std::string> port("port", cl::desc("Explain only this port: open (why) or closed (why not)"),
                          cl::value_desc("N/tcp|udp"), cl::sub(explainCmd));
CommonOptions common(explainCmd);

struct PortQuery {
  ir::Protocol proto;
  uint16_t port;
};

std::optional<PortQuery> parsePort(llvm::StringRef text) {
  auto [number, proto] = text.split('/');
  unsigned value = 0;
  if (number.getAsInteger(10, value) || value < 1 || value > 65535)
    return std::nullopt;
  if (proto == "tcp")
    return PortQuery{ir::Protocol::TCP, uint16_t(value)};
  if (proto == "udp")
    return PortQuery{ir::Protocol::UDP, uint16_t(value)};
  return std::nullopt;
}

/// Run the default pipeline up to and including apply-policy; keep the flows as they were just
/// before it (for "closed by a deny"). Later passes merge flows and blur their reasons.
bool runUntilPolicy(Compilation &c, const CompileOptions &options, std::vector<ir::Flow> &beforePolicy) {
  for (auto &pass : passes::createDefaultPipeline()) {
    if (pass->name() == "apply-policy")
      beforePolicy = c.ctx->flows.flows;
    std::vector<std::unique_ptr<passes::Pass>> one;
    bool last = pass->name() == "apply-policy";
    one.push_back(std::move(pass));
    if (!passes::runPipeline(one, *c.ctx, options.passes))
      return false;
    if (last)
      return true;
  }
  return true;
}

std::string portsText(const OpenPorts &run) {
  if (run.proto == ir::Protocol::ICMP)
    return run.icmpType < 0 ? "icmp (any type)" : fmt::format("icmp type {}", run.icmpType);
  return fmt::format("{} {}", ir::protocolName(run.proto).str(), run.ports.str());
}

void printOpen(llvm::raw_ostream &out, const passes::CompileContext &ctx, const OpenPorts &run,
               const ExplainEndpoint &src, const ExplainEndpoint &dst) {
  out << "  " << portsText(run);
  if (run.fromCovered != src.addresses)
    out << " (only from " << run.fromCovered.str() << ")";
  if (run.toCovered != dst.addresses)
    out << " (only to " << run.toCovered.str() << ")";
  out << "\n";
  // A deny in an open run's history carved a hole elsewhere in the same flow.
  for (ir::ProvId id : run.why)
    out << (ctx.flows.provenance(id).kind == ir::Provenance::Deny ? "    narrowed by " : "    ")
        << ctx.flows.describe(id) << "\n";
}

int explain(llvm::raw_ostream &out) {
  std::optional<PortQuery> query;
  if (!port.empty() && !(query = parsePort(port))) {
    llvm::errs() << fmt::format("cmnetc: error: --port '{}' is not N/tcp or N/udp with N in 1-65535\n",
                                port.getValue());
    return ExitUsage;
  }
  Compilation c;
  common.apply(c);
  CompileOptions options = common.get();
  options.runPipeline = false;
  std::vector<ir::Flow> beforePolicy;
  if (!compile(input, options, c) || !c.model->hierarchy || !runUntilPolicy(c, options, beforePolicy))
    return ExitInputError;
  passes::CompileContext &ctx = *c.ctx;
  std::optional<ExplainEndpoint> src = resolveEndpoint(ctx, from), dst = resolveEndpoint(ctx, to);
  for (auto [endpoint, text] : {std::pair{&src, &from}, std::pair{&dst, &to}})
    if (!*endpoint) {
      llvm::errs() << fmt::format("cmnetc: error: '{}' is neither a host of hierarchy '{}' nor an address\n",
                                  text->getValue(), ctx.model.hierarchy->name);
      return ExitUsage;
    }

  out << "from " << src->describe(ctx) << "\n";
  out << "to   " << dst->describe(ctx) << "\n";
  std::vector<OpenPorts> open = openPorts(ctx.flows.flows, *src, *dst);
  if (!query) {
    out << (open.empty() ? "open: nothing\n" : "open:\n");
    for (const OpenPorts &run : open)
      printOpen(out, ctx, run, *src, *dst);
    return ExitSuccess;
  }
  for (OpenPorts &run : open)
    if (run.proto == query->proto && run.ports.contains(query->port)) {
      out << "open:\n";
      run.ports = ir::PortSet(query->port, query->port);
      printOpen(out, ctx, run, *src, *dst);
      return ExitSuccess;
    }
  out << fmt::format("closed: {} {}\n", ir::protocolName(query->proto).str(), query->port);
  for (const std::string &reason : closedReasons(ctx, beforePolicy, *src, *dst, query->proto, query->port))
    out << "  " << reason << "\n";
  return ExitSuccess;
}
} // namespace

bool explainSelected() { return static_cast<bool>(explainCmd); }

int runExplain() {
  // Names and reasons come from the policy: printed escaped, as diagnostics are.
  std::string text;
  llvm::raw_string_ostream out(text);
  int status = explain(out);
  llvm::outs() << escapeControls(out.str(), /*keepLineBreaks=*/true);
  return status;
}

} // namespace cmnet::driver
