// iptables lowering: one iptables-restore file per host and family, own chains, default drop.
#include "backends/IptablesBackend.h"

#include "backends/RuleFormat.h"

#include "fmt/format.h"

#include <algorithm>

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

/// `-m multiport` takes at most 15 ports, a range counting as two.
constexpr unsigned maxMultiportWeight = 15;

/// The port matches of one TCP/UDP rule, each small enough for one line: "--dport 80",
/// "--dport 8530:8531" or "-m multiport --dports 80,443,8530:8531" (empty: every port).
std::vector<std::string> portMatches(const PortSet &ports) {
  if (coversAllPorts(ports))
    return {""};
  std::vector<std::string> out;
  PortSet chunk;
  unsigned weight = 0;
  auto flush = [&] {
    if (chunk.intervals().size() == 1)
      out.push_back(fmt::format("--dport {} ", joinPorts(chunk, ":", ",")));
    else
      out.push_back(fmt::format("-m multiport --dports {} ", joinPorts(chunk, ":", ",")));
    chunk = PortSet();
    weight = 0;
  };
  for (const auto &iv : ports.intervals()) {
    unsigned w = iv.lo == iv.hi ? 1 : 2;
    if (weight + w > maxMultiportWeight)
      flush();
    chunk.add(iv.lo, iv.hi);
    weight += w;
  }
  flush();
  return out;
}

/// The protocol part of each line of a rule in one family ("-p tcp --dport 80 ").
std::vector<std::string> protocolMatches(const PlacedRule &r, Family family) {
  if (r.proto != Protocol::ICMP) {
    std::string proto = fmt::format("-p {} ", protocolName(r.proto).str());
    std::vector<std::string> out;
    for (const std::string &ports : portMatches(r.ports))
      out.push_back(proto + ports);
    return out;
  }
  int type = *icmpTypeIn(r.icmpType, family);
  if (family == Family::V4)
    return {type < 0 ? "-p icmp " : fmt::format("-p icmp --icmp-type {} ", type)};
  return {type < 0 ? "-p ipv6-icmp " : fmt::format("-p ipv6-icmp --icmpv6-type {} ", type)};
}

/// "-s 10.1.16.0/20 " per CIDR block, or one empty match when the set is the whole family.
std::vector<std::string> addressMatches(const AddressSet &set, Family family, const char *flag) {
  if (coversFamily(set, family))
    return {""};
  std::vector<std::string> out;
  for (const Cidr &c : set.cidrs(family))
    out.push_back(fmt::format("{} {} ", flag, c.str()));
  return out;
}

/// Writes one family's filter table: chain declarations first (iptables-restore needs a chain
/// declared before a rule jumps to it), then the rules.
class FamilyWriter {
public:
  FamilyWriter(const PlacedPolicy &placed, const EnforcementPoint &host, Family family)
      : placed(placed), self(familyPart(host.addresses, family)), family(family) {}

  /// Rules of one direction into \p chain; per-rule chains are named \p subPrefix-N.
  void writeChain(const std::string &chain, const std::string &subPrefix, llvm::ArrayRef<PlacedRule> rules,
                  bool inbound) {
    declare(chain);
    for (const PlacedRule &r : rules)
      if (llvm::is_contained(ruleFamilies(r), family))
        writeRule(chain, subPrefix, r, inbound);
  }

  /// One rule line, formatted straight into the body: a host's files are written 250,960
  /// times at Microsoft's published limits, and a temporary string per line cost more than
  /// the text.
  template <typename... Args> void line(fmt::format_string<Args...> format, Args &&...args) {
    fmt::format_to(std::back_inserter(body), format, std::forward<Args>(args)...);
    body += '\n';
  }
  void declare(llvm::StringRef chain) {
    declarations += ':';
    declarations += chain;
    declarations += " - [0:0]\n";
  }

  std::string declarations, body;

private:
  void writeRule(const std::string &chain, const std::string &subPrefix, const PlacedRule &r, bool inbound) {
    AddressSet peer = familyPart(inbound ? r.src : r.dst, family);
    AddressSet own = familyPart(inbound ? r.dst : r.src, family);
    std::vector<std::string> peers = addressMatches(peer, family, inbound ? "-s" : "-d");
    // The host's own side needs matching only when the rule covers part of its addresses.
    std::vector<std::string> owns =
        own == self ? std::vector<std::string>{""} : addressMatches(own, family, inbound ? "-d" : "-s");
    std::vector<std::string> protos = protocolMatches(r, family);
    // iptables-restore reads a double-quoted argument with backslash escapes.
    std::string comment = backslashQuote(ruleComment(placed, r));
    const char *verdict = r.action == FlowAction::Allow ? "ACCEPT" : "DROP";
    if (protos.size() == 1 || peers.size() * owns.size() == 1) {
      for (const std::string &a : peers)
        for (const std::string &o : owns)
          for (const std::string &p : protos)
            line("-A {} {}{}{}-m comment --comment {} -j {}", chain, a, o, p, comment, verdict);
      return;
    }
    // Many peers and many port groups: one jump per peer into a chain of the port lines.
    std::string sub = fmt::format("{}-{}", subPrefix, ++subChains);
    declare(sub);
    for (const std::string &a : peers)
      for (const std::string &o : owns)
        line("-A {} {}{}-m comment --comment {} -j {}", chain, a, o, comment, sub);
    for (const std::string &p : protos)
      line("-A {} {}-m comment --comment {} -j {}", sub, p, comment, verdict);
  }

  const PlacedPolicy &placed;
  AddressSet self;
  Family family;
  unsigned subChains = 0;
};

/// What one direction of a host needs besides its rules.
struct Direction {
  const char *builtin, *chain, *subPrefix, *loopback;
  /// ICMPv6 neighbour discovery the host receives (or sends): without it no IPv6 peer can
  /// reach the host at all, and connection tracking does not cover it.
  const char *discovery[3];
  bool inbound;
};

const Direction inboundDirection{"INPUT",
                                 "CMNET-INPUT",
                                 "CMNET-IN",
                                 "-i lo",
                                 {"neighbour-solicitation", "neighbour-advertisement", "router-advertisement"},
                                 true};
const Direction outboundDirection{"OUTPUT",
                                  "CMNET-OUTPUT",
                                  "CMNET-OUT",
                                  "-o lo",
                                  {"neighbour-solicitation", "neighbour-advertisement", "router-solicitation"},
                                  false};

void writeDirection(FamilyWriter &w, const Direction &d, llvm::ArrayRef<PlacedRule> rules, Family family) {
  w.line("-A {} -j {}", d.builtin, d.chain);
  w.line("-A {} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", d.chain);
  if (d.inbound)
    w.line("-A {} -m conntrack --ctstate INVALID -j DROP", d.chain);
  w.line("-A {} {} -j ACCEPT", d.chain, d.loopback);
  if (family == Family::V6)
    for (const char *type : d.discovery)
      w.line("-A {} -p ipv6-icmp --icmpv6-type {} -j ACCEPT", d.chain, type);
  w.writeChain(d.chain, d.subPrefix, rules, d.inbound);
}

std::string renderFamily(const PlacedPolicy &placed, const EnforcementPoint &host, Family family,
                         const BackendOptions &options, const std::string &fileName) {
  bool v6 = family == Family::V6;
  bool outbound = !host.outbound.empty();
  FamilyWriter w(placed, host, family);
  writeDirection(w, inboundDirection, host.inbound, family);
  if (outbound)
    writeDirection(w, outboundDirection, host.outbound, family);
  std::string text = generatedHeader(placed, host, options, "#");
  text += fmt::format("# Load with `{} < {}`: it replaces the filter table in one commit, so\n"
                      "# loading it again leaves the same rules (the jump from INPUT is written once).\n",
                      v6 ? "ip6tables-restore" : "iptables-restore", fileName);
  text += fmt::format("*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT {} [0:0]\n",
                      outbound ? "DROP" : "ACCEPT");
  text += w.declarations;
  text += w.body;
  text += "COMMIT\n";
  return text;
}

} // namespace

bool IptablesBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  for (const EnforcementPoint *host : hostPoints(placed)) {
    std::string stem = safeFileName(host->name);
    if (!emit(stem + ".rules", renderFamily(placed, *host, Family::V4, options, stem + ".rules")) ||
        !emit(stem + ".rules6", renderFamily(placed, *host, Family::V6, options, stem + ".rules6")))
      return false;
  }
  return emitRulesetMap(placed, {".rules", ".rules6"}, emit);
}

} // namespace cmnet::backends
