// `cmnetc explain`: every open port between two hosts or addresses with its chain of reasons,
// or why one port is closed.
#include "Commands.h"
#include "Driver.h"
#include "Explain.h"

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

std::string portsText(const OpenPorts &run) {
  if (run.proto == ir::Protocol::ICMP)
    return run.icmpType < 0 ? "icmp (any type)" : fmt::format("icmp type {}", run.icmpType);
  return fmt::format("{} {}", ir::protocolName(run.proto).str(), run.ports.str());
}

void printOpen(const passes::CompileContext &ctx, const OpenPorts &run, const ExplainEndpoint &src,
               const ExplainEndpoint &dst) {
  llvm::outs() << "  " << portsText(run);
  if (run.fromCovered != src.addresses)
    llvm::outs() << " (only from " << run.fromCovered.str() << ")";
  if (run.toCovered != dst.addresses)
    llvm::outs() << " (only to " << run.toCovered.str() << ")";
  llvm::outs() << "\n";
  // A deny in an open run's history carved a hole elsewhere in the same flow.
  for (ir::ProvId id : run.why)
    llvm::outs() << (ctx.flows.provenance(id).kind == ir::Provenance::Deny ? "    narrowed by " : "    ")
                 << ctx.flows.describe(id) << "\n";
}
} // namespace

bool explainSelected() { return static_cast<bool>(explainCmd); }

int runExplain() {
  std::optional<PortQuery> query;
  if (!port.empty() && !(query = parsePort(port))) {
    llvm::errs() << fmt::format("cmnetc: error: --port '{}' is not N/tcp or N/udp with N in 1-65535\n",
                                port.getValue());
    return ExitUsage;
  }
  Compilation c;
  common.apply(c);
  CompileOptions options = common.get();
  // The flows before the statements apply (for "closed by a deny") and after (what is open),
  // each still one catalog row or statement: lowering merges them and blurs their reasons.
  std::vector<ir::Flow> beforePolicy, policy;
  size_t roleInstances = 0;
  options.passes.beforeStatements = [&](const passes::CompileContext &ctx) { beforePolicy = ctx.flows.flows; };
  options.passes.afterPolicy = [&](passes::CompileContext &ctx) {
    policy = ctx.flows.flows;
    roleInstances = ctx.flows.bindings.size();
    return true;
  };
  if (!compile(input, options, c))
    return ExitInputError;
  passes::CompileContext &ctx = *c.ctx;
  // Endpoints resolve to role instances, not to the merged ends lowering added after them.
  ctx.flows.bindings.resize(roleInstances);
  std::optional<ExplainEndpoint> src = resolveEndpoint(ctx, from), dst = resolveEndpoint(ctx, to);
  for (auto [endpoint, text] : {std::pair{&src, &from}, std::pair{&dst, &to}})
    if (!*endpoint) {
      llvm::errs() << fmt::format("cmnetc: error: '{}' is neither a host of hierarchy '{}' nor an address\n",
                                  text->getValue(), ctx.model.hierarchy->name);
      return ExitUsage;
    }

  llvm::outs() << "from " << src->describe(ctx) << "\n";
  llvm::outs() << "to   " << dst->describe(ctx) << "\n";
  std::vector<OpenPorts> open = openPorts(policy, *src, *dst);
  if (!query) {
    llvm::outs() << (open.empty() ? "open: nothing\n" : "open:\n");
    for (const OpenPorts &run : open)
      printOpen(ctx, run, *src, *dst);
    return ExitSuccess;
  }
  for (OpenPorts &run : open)
    if (run.proto == query->proto && run.ports.contains(query->port)) {
      llvm::outs() << "open:\n";
      run.ports = ir::PortSet(query->port, query->port);
      printOpen(ctx, run, *src, *dst);
      return ExitSuccess;
    }
  llvm::outs() << fmt::format("closed: {} {}\n", ir::protocolName(query->proto).str(), query->port);
  for (const std::string &reason : closedReasons(ctx, beforePolicy, *src, *dst, query->proto, query->port))
    llvm::outs() << "  " << reason << "\n";
  return ExitSuccess;
}

} // namespace cmnet::driver
