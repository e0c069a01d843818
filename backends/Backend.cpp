// The shared capability check and helpers every backend uses.
#include "backends/Backend.h"

#include "backends/RuleFormat.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::backends {

llvm::SMRange ruleLoc(const PlacedPolicy &placed, const PlacedRule &r) {
  for (ProvId id : r.why)
    if (placed.reasons[id].loc.Start.isValid())
      return placed.reasons[id].loc;
  return {};
}

llvm::SMRange pointLoc(const PlacedPolicy &placed, const EnforcementPoint &point) {
  return point.loc.Start.isValid() ? point.loc : placed.loc;
}

FileSinkStream::FileSinkStream(FileSink emit, llvm::StringRef path) : emit(emit), path(path.str()) {
  SetBufferSize(1 << 20);
}

FileSinkStream::~FileSinkStream() { flush(); }

void FileSinkStream::write_impl(const char *ptr, size_t size) {
  written += size;
  if (ok)
    ok = emit(path, std::string(ptr, size));
}

bool FileSinkStream::finish() {
  flush();
  if (ok && written == 0)
    ok = emit(path, std::string()); // the file exists even when empty
  return ok;
}

std::vector<OutputFile> Backend::renderToMemory(const PlacedPolicy &placed, const BackendOptions &options) const {
  std::vector<OutputFile> files;
  render(placed, options, [&](llvm::StringRef path, std::string contents) {
    if (!files.empty() && files.back().path == path)
      files.back().contents += contents; // the next piece of the same file
    else
      files.push_back({path.str(), std::move(contents)});
    return true;
  });
  return files;
}

bool checkCapabilities(const Backend &backend, const PlacedPolicy &placed, DiagnosticEngine &diags) {
  Capabilities caps = backend.capabilities();
  unsigned before = diags.errorCount();
  auto check = [&](const EnforcementPoint &p, const PlacedRule &r) {
    bool v6 = !r.src.v6().empty() || !r.dst.v6().empty();
    bool v4 = !r.src.v4().empty() || !r.dst.v4().empty();
    // A rule from `any` is representable with IPv4 only: the IPv6 half is dropped only when the
    // target has no IPv6 and the rule is IPv6-only, which is an error.
    if (!caps.ipv6 && v6 && !v4)
      diags.report(DiagKind::Unsupported, ruleLoc(placed, r),
                   fmt::format("target '{}' cannot express IPv6 rules (on {})", backend.name().str(), p.name));
    if (!caps.icmp && r.proto == Protocol::ICMP)
      diags.report(DiagKind::Unsupported, ruleLoc(placed, r),
                   fmt::format("target '{}' cannot express ICMP rules (on {})", backend.name().str(), p.name));
    if (caps.icmp && !caps.icmpTypes && r.proto == Protocol::ICMP && r.icmpType >= 0)
      diags.report(DiagKind::Unsupported, ruleLoc(placed, r),
                   fmt::format("target '{}' matches ICMP only as a whole, not ICMP type {} (on {}); open all of "
                               "ICMP or drop the type",
                               backend.name().str(), r.icmpType, p.name));
    if (!caps.denyRules && r.action == FlowAction::Deny)
      diags.report(DiagKind::Unsupported, ruleLoc(placed, r),
                   fmt::format("target '{}' can only allow traffic, not deny it (on {})", backend.name().str(), p.name));
  };
  for (const EnforcementPoint &p : placed.points) {
    if (p.kind == EnforcementPoint::NetworkFirewall && !caps.networkFirewalls)
      continue; // host-firewall targets render only hosts
    if (p.kind == EnforcementPoint::HostFirewall && !caps.hostFirewalls)
      continue;
    if (p.forClients() && !caps.clientRulesets)
      continue;
    for (const PlacedRule &r : p.inbound)
      check(p, r);
    for (const PlacedRule &r : p.outbound)
      check(p, r);
    for (const ZonePair &z : p.zonePairs)
      for (const PlacedRule &r : z.rules)
        check(p, r);
  }
  backend.checkLimits(placed, diags);
  return diags.errorCount() == before;
}

std::string ruleComment(const PlacedPolicy &placed, const PlacedRule &rule) {
  std::string out;
  for (ProvId id : rule.why) {
    if (!out.empty())
      out += "; ";
    out += placed.reasons[id].text;
  }
  // One line, short: each target's quoting function then escapes what its language needs.
  return truncateUtf8(plainText(out), 200);
}

std::string safeFileName(llvm::StringRef name) {
  std::string out;
  for (char c : name)
    out += (isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out;
}

} // namespace cmnet::backends
