// nftables lowering: named interval sets per rule, default-drop input, provenance comments.
#include "backends/NftablesBackend.h"
#include "backends/RuleFormat.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

// nft limits comments to 128 bytes.
constexpr size_t maxCommentBytes = 120;

std::string elements(const std::vector<Cidr> &cidrs) {
  std::string out;
  for (const Cidr &c : cidrs) {
    if (!out.empty())
      out += ", ";
    out += c.str();
  }
  return out;
}

std::string portElements(const PortSet &ports) {
  std::string out;
  for (const auto &r : ports.intervals()) {
    if (!out.empty())
      out += ", ";
    out += r.lo == r.hi ? fmt::format("{}", r.lo) : fmt::format("{}-{}", r.lo, r.hi);
  }
  return out;
}

/// An nft double-quoted string. nft's strings have no escapes, so a '"' cannot be inside one:
/// it becomes '\''.
std::string nftQuote(llvm::StringRef text) {
  return "\"" + plainText(text, [](char c) -> const char * { return c == '"' ? "'" : nullptr; }) + "\"";
}

/// ICMP type for IPv6 where a v4 type has an ICMPv6 equivalent (echo request/reply).
int icmpv6Equivalent(int type) {
  switch (type) {
  case 8: return 128;
  case 0: return 129;
  default: return -1;
  }
}

/// Writes one chain's rules, declaring the named sets they use into `sets`.
class ChainWriter {
public:
  ChainWriter(const PlacedPolicy &placed, std::string &sets, std::string &rules, const char *prefix, bool inbound,
              const AddressSet &self)
      : placed(placed), sets(sets), rules(rules), prefix(prefix), inbound(inbound), self(self) {}

  void write(const PlacedRule &r) {
    unsigned id = counter++;
    std::string comment = nftQuote(shortComment(placed, r, maxCommentBytes));
    const AddressSet &peer = inbound ? r.src : r.dst;
    const AddressSet &own = inbound ? r.dst : r.src;
    std::string portMatch = ports(r, id);
    for (Family family : {Family::V4, Family::V6}) {
      bool peerEmpty = family == Family::V4 ? peer.v4().empty() : peer.v6().empty();
      bool ownEmpty = family == Family::V4 ? own.v4().empty() : own.v6().empty();
      if (peerEmpty || ownEmpty)
        continue;
      std::string proto = protocol(r, family, !portMatch.empty());
      if (r.proto == Protocol::ICMP && proto.empty())
        continue;
      // Appended straight to the chain: this runs once per rule and family on every host.
      rules += "    ";
      addressMatch(peer, family, inbound ? "saddr" : "daddr", id, "peer");
      // The host's own side needs matching only when the rule covers part of its addresses.
      if (family == Family::V4 ? own.v4() != self.v4() : own.v6() != self.v6())
        addressMatch(own, family, inbound ? "daddr" : "saddr", id, "self");
      rules += proto;
      rules += portMatch;
      rules += r.action == FlowAction::Allow ? "accept" : "drop";
      rules += " comment ";
      rules += comment;
      rules += '\n';
    }
  }

private:
  /// The protocol match; for TCP/UDP with a port match, `tcp dport …` already implies it.
  std::string protocol(const PlacedRule &r, Family family, bool hasPortMatch) {
    if (r.proto != Protocol::ICMP)
      return hasPortMatch ? "" : fmt::format("meta l4proto {} ", protocolName(r.proto).str());
    if (family == Family::V4)
      return r.icmpType < 0 ? "meta l4proto icmp " : fmt::format("icmp type {} ", r.icmpType);
    if (r.icmpType < 0)
      return "meta l4proto ipv6-icmp ";
    int t6 = icmpv6Equivalent(r.icmpType);
    return t6 < 0 ? "" : fmt::format("icmpv6 type {} ", t6);
  }

  std::string ports(const PlacedRule &r, unsigned id) {
    if (r.proto == Protocol::ICMP || r.ports.empty() || r.ports.contains(PortSet(1, 65535)))
      return "";
    const char *proto = r.proto == Protocol::TCP ? "tcp" : "udp";
    auto iv = r.ports.intervals();
    if (iv.size() == 1)
      return iv[0].lo == iv[0].hi ? fmt::format("{} dport {} ", proto, iv[0].lo)
                                  : fmt::format("{} dport {}-{} ", proto, iv[0].lo, iv[0].hi);
    std::string set = fmt::format("{}{}_ports", prefix, id);
    sets += fmt::format("  set {} {{\n    type inet_service; flags interval;\n    elements = {{ {} }}\n  }}\n", set,
                        portElements(r.ports));
    return fmt::format("{} dport @{} ", proto, set);
  }

  /// Appends the match of \p addrs (declaring a named set, `<prefix><id>_<role>4|6`, when it
  /// takes more than one CIDR block).
  void addressMatch(const AddressSet &addrs, Family family, const char *dir, unsigned id, const char *role) {
    bool all = family == Family::V4 ? addrs.v4().isAll() : addrs.v6().isAll();
    const char *fam = family == Family::V4 ? "ip" : "ip6";
    if (all) {
      fmt::format_to(std::back_inserter(rules), "meta nfproto {} ", family == Family::V4 ? "ipv4" : "ipv6");
      return;
    }
    std::vector<Cidr> cidrs = addrs.cidrs(family);
    if (cidrs.size() == 1) {
      fmt::format_to(std::back_inserter(rules), "{} {} {} ", fam, dir, cidrs[0].str());
      return;
    }
    std::string name = fmt::format("{}{}_{}{}", prefix, id, role, family == Family::V4 ? "4" : "6");
    sets += fmt::format("  set {} {{\n    type {}; flags interval;\n    elements = {{ {} }}\n  }}\n", name,
                        family == Family::V4 ? "ipv4_addr" : "ipv6_addr", elements(cidrs));
    fmt::format_to(std::back_inserter(rules), "{} {} @{} ", fam, dir, name);
  }

  const PlacedPolicy &placed;
  std::string &sets, &rules;
  const char *prefix;
  bool inbound;
  const AddressSet &self;
  unsigned counter = 0;
};

std::string renderHost(const PlacedPolicy &placed, const EnforcementPoint &p, const BackendOptions &options) {
  std::string sets, in, out;
  ChainWriter inWriter(placed, sets, in, "in", /*inbound=*/true, p.addresses);
  for (const PlacedRule &r : p.inbound)
    inWriter.write(r);
  ChainWriter outWriter(placed, sets, out, "out", /*inbound=*/false, p.addresses);
  for (const PlacedRule &r : p.outbound)
    outWriter.write(r);

  std::string text = "#!/usr/sbin/nft -f\n" + generatedHeader(placed, p, options, "#") +
                     "# Loading this file replaces table inet cmnet in one transaction.\n"
                     "table inet cmnet\n"
                     "delete table inet cmnet\n"
                     "table inet cmnet {\n";
  text += sets;
  text += "  chain input {\n"
          "    type filter hook input priority filter; policy drop;\n"
          "    ct state established,related accept\n"
          "    ct state invalid drop\n"
          "    iif \"lo\" accept\n"
          "    # IPv6 neighbour discovery: without it no IPv6 peer can reach the host at all.\n"
          "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept\n";
  text += in;
  text += "  }\n";
  if (!p.outbound.empty()) {
    text += "  chain output {\n"
            "    type filter hook output priority filter; policy drop;\n"
            "    ct state established,related accept\n"
            "    oif \"lo\" accept\n"
            "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept\n";
    text += out;
    text += "  }\n";
  }
  text += "}\n";
  return text;
}

} // namespace

bool NftablesBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  return renderPerHost(placed, ".nft", emit,
                       [&](const EnforcementPoint &host) { return renderHost(placed, host, options); });
}

} // namespace cmnet::backends
