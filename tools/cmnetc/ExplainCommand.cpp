// `cmnetc explain`: every port the enforcement points between two hosts or addresses open,
// each point's verdict with the placed rule and its chain of reasons, or why one port is closed.
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
cl::opt<std::string> format("format", cl::desc("Output format: text or json"), cl::value_desc("text|json"),
                            cl::init("text"), cl::sub(explainCmd));
CommonOptions common(explainCmd);

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

int explainInto(llvm::raw_ostream &out) {
  std::optional<PortQuery> query;
  if (!port.empty() && !(query = parsePort(port))) {
    llvm::errs() << fmt::format("cmnetc: error: --port '{}' is not N/tcp or N/udp with N in 1-65535\n",
                                port.getValue());
    return ExitUsage;
  }
  if (format != "text" && format != "json") {
    llvm::errs() << fmt::format("cmnetc: error: --format '{}' is not text or json\n", format.getValue());
    return ExitUsage;
  }
  Compilation c;
  common.apply(c);
  CompileOptions options = common.get();
  // The flows before the statements apply (for "closed by a deny") and after (what is open),
  // each still one catalog row or statement: lowering merges them and blurs their reasons.
  std::vector<ir::Flow> beforePolicy, policyFlows;
  size_t roleInstances = 0;
  options.passes.beforeStatements = [&](const passes::CompileContext &ctx) { beforePolicy = ctx.flows.flows; };
  options.passes.afterPolicy = [&](passes::CompileContext &ctx) {
    policyFlows = ctx.flows.flows;
    roleInstances = ctx.flows.bindings.size();
    return true;
  };
  if (!compile(input, options, c))
    return ExitInputError;
  passes::CompileContext &ctx = *c.ctx;
  // Endpoints resolve to role instances, not to the merged ends lowering added after them.
  std::optional<ExplainEndpoint> src = resolveEndpoint(ctx, from, roleInstances),
                                 dst = resolveEndpoint(ctx, to, roleInstances);
  for (auto [endpoint, text] : {std::pair{&src, &from}, std::pair{&dst, &to}})
    if (!*endpoint) {
      llvm::errs() << fmt::format("cmnetc: error: '{}' is neither a host of hierarchy '{}' nor an address\n",
                                  text->getValue(), ctx.model.hierarchy->name);
      return ExitUsage;
    }
  Explanation e = explain(ctx, policyFlows, beforePolicy, std::move(*src), std::move(*dst), query);
  if (format == "json")
    printExplanationJson(ctx, e, out);
  else
    printExplanationText(ctx, e, out);
  return ExitSuccess;
}
} // namespace

bool explainSelected() { return static_cast<bool>(explainCmd); }

int runExplain() {
  // Names and reasons come from the policy: printed escaped, as diagnostics are.
  std::string text;
  llvm::raw_string_ostream out(text);
  int status = explainInto(out);
  llvm::outs() << escapeControls(out.str(), /*keepLineBreaks=*/true);
  return status;
}

} // namespace cmnet::driver
