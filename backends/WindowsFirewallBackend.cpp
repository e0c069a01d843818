// Windows Defender Firewall lowering: New-NetFirewallRule per rule, one group, idempotent script.
#include "backends/WindowsFirewallBackend.h"

#include "backends/RuleFormat.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

using namespace cmnet::ir;

namespace cmnet::backends {
namespace {

/// DisplayName shows in the firewall console's list: keep it short.
constexpr size_t maxDisplayNameBytes = 100;

/// Scripts start with a UTF-8 byte-order mark: without one Windows PowerShell 5.1 reads them in
/// the ANSI code page.
constexpr const char *byteOrderMark = "\xEF\xBB\xBF";

/// The code point at \p i of valid UTF-8 \p text; moves \p i past it.
llvm::UTF32 takeCodePoint(llvm::StringRef text, size_t &i) {
  const auto *sequence = reinterpret_cast<const llvm::UTF8 *>(text.data() + i);
  const llvm::UTF8 *next = sequence;
  llvm::UTF32 codePoint = 0xFFFD;
  llvm::convertUTF8Sequence(&next, sequence + llvm::getNumBytesForUTF8(*sequence), &codePoint, llvm::strictConversion);
  i += std::max<size_t>(next - sequence, 1);
  return codePoint;
}

/// \p text (valid UTF-8) with every character outside ASCII written as U+NNNN, for the header's
/// comments: the script stays ASCII whatever the source file is called.
std::string asciiText(llvm::StringRef text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (llvm::isASCII(text[i]))
      out += text[i++];
    else
      out += fmt::format("U+{:04X}", takeCodePoint(text, i));
  }
  return out;
}

/// A PowerShell string expression in ASCII only, so that it ends where it should however
/// PowerShell decodes the script: in the ANSI code page the bytes of a multi-byte character read
/// as characters such as U+2018, which PowerShell counts as quotes. ASCII text is one
/// single-quoted string ('' is a quote); other text a parenthesised concatenation of such
/// strings and [char]0xNNNN, one per UTF-16 code unit: ('Gy' + [char]0x0151 + 'r'). '|', which
/// the firewall forbids in rule names and descriptions, becomes '/'.
std::string psQuote(llvm::StringRef text) {
  std::string plain = plainText(text, [](char c) -> const char * {
    return c == '\'' ? "''" : c == '|' ? "/" : nullptr;
  });
  if (llvm::all_of(plain, [](char c) { return llvm::isASCII(c); }))
    return "'" + plain + "'";
  std::vector<std::string> parts;
  bool inString = false;
  for (size_t i = 0; i < plain.size();) {
    if (llvm::isASCII(plain[i])) {
      if (!inString)
        parts.push_back("'");
      parts.back() += plain[i++];
      inString = true;
      continue;
    }
    if (inString)
      parts.back() += '\'';
    inString = false;
    llvm::UTF32 codePoint = takeCodePoint(plain, i);
    if (codePoint < 0x10000) {
      parts.push_back(fmt::format("[char]0x{:04X}", codePoint));
      continue;
    }
    codePoint -= 0x10000;
    parts.push_back(fmt::format("[char]0x{:04X}", 0xD800 + (codePoint >> 10)));
    parts.push_back(fmt::format("[char]0x{:04X}", 0xDC00 + (codePoint & 0x3FF)));
  }
  if (inString)
    parts.back() += '\'';
  // '+' concatenates only when its left operand is a string.
  if (parts.front().front() != '\'')
    parts.insert(parts.begin(), "''");
  return "(" + llvm::join(parts, " + ") + ")";
}

/// One address, a CIDR block or a "first-last" range per interval: the firewall takes all three,
/// and a range is exact where a CIDR cover would need several blocks.
void appendIntervals(std::string &out, const AddressSet &set, Family family) {
  auto add = [&](uint128 lo, uint128 hi) {
    AddressSet one;
    if (family == Family::V4)
      one.v4().add(uint32_t(lo), uint32_t(hi));
    else
      one.v6().add(lo, hi);
    std::vector<Cidr> cidrs = one.cidrs(family);
    if (!out.empty())
      out += ",";
    out +=
        cidrs.size() == 1 ? cidrs[0].str() : fmt::format("{}-{}", formatAddress(family, lo), formatAddress(family, hi));
  };
  if (family == Family::V4)
    for (const auto &iv : set.v4().intervals())
      add(iv.lo, iv.hi);
  else
    for (const auto &iv : set.v6().intervals())
      add(iv.lo, iv.hi);
}

/// The -RemoteAddress / -LocalAddress value: "Any" when the set holds every address of each
/// family the rule matches (the other end already fixes the family).
std::string addressList(const AddressSet &set, llvm::ArrayRef<Family> families) {
  if (llvm::all_of(families, [&](Family f) { return coversFamily(set, f); }))
    return "Any";
  std::string out;
  for (Family family : families)
    appendIntervals(out, set, family);
  return out;
}

class ScriptWriter {
public:
  ScriptWriter(const PlacedPolicy &placed, const EnforcementPoint &host) : placed(placed), host(host) {}

  void writeRules(llvm::ArrayRef<PlacedRule> rules, bool inbound) {
    for (const PlacedRule &r : rules) {
      std::vector<Family> families = ruleFamilies(r);
      if (families.empty())
        continue;
      // A rule has one protocol: ICMPv4 and ICMPv6 are different protocols, so ICMP splits.
      if (r.proto == Protocol::ICMP)
        for (Family f : families)
          writeRule(r, {f}, inbound);
      else
        writeRule(r, families, inbound);
    }
  }

  std::string text;

private:
  void writeRule(const PlacedRule &r, llvm::ArrayRef<Family> families, bool inbound) {
    unsigned n = ++count[inbound];
    const char *dir = inbound ? "in" : "out";
    std::string protocol;
    if (r.proto == Protocol::ICMP) {
      int type = *icmpTypeIn(r.icmpType, families[0]);
      protocol = families[0] == Family::V4 ? "-Protocol ICMPv4" : "-Protocol ICMPv6";
      if (type >= 0)
        protocol += fmt::format(" -IcmpType {}", type);
    } else {
      protocol = r.proto == Protocol::TCP ? "-Protocol TCP" : "-Protocol UDP";
      if (!coversAllPorts(r.ports))
        protocol += fmt::format(" -{} {}", inbound ? "LocalPort" : "RemotePort", joinPorts(r.ports, "-", ","));
    }
    const AddressSet &local = inbound ? r.dst : r.src;
    const AddressSet &remote = inbound ? r.src : r.dst;
    text += fmt::format(
        "New-NetFirewallRule -Name {} -DisplayName {} -Description {} -Group $group -Direction {} -Action {} "
        "-Profile Any {} -LocalAddress {} -RemoteAddress {} @store | Out-Null\n",
        psQuote(fmt::format("cmnet-{}-{}-{}", host.name, dir, n)),
        psQuote(fmt::format("cmnet {} {} {}: {}", host.name, dir, n, shortComment(placed, r, maxDisplayNameBytes))),
        psQuote(placed.describeWhy(r.why)), inbound ? "Inbound" : "Outbound",
        r.action == FlowAction::Allow ? "Allow" : "Block", protocol, addressList(local, families),
        addressList(remote, families));
  }

  const PlacedPolicy &placed;
  const EnforcementPoint &host;
  unsigned count[2] = {0, 0};
};

std::string renderHost(const PlacedPolicy &placed, const EnforcementPoint &host, const BackendOptions &options) {
  bool gpo = !options.gpoStore.empty();
  std::string text = byteOrderMark + asciiText(generatedHeader(placed, host, options, "#"));
  text += fmt::format("# Run elevated{} (Windows PowerShell 5.1 or later). It removes the rules of group\n"
                      "# {} and re-creates them, so running it again leaves the same rules.\n",
                      gpo ? " by a domain administrator" : " on " + pointHostNames(host),
                      gpo ? psQuote("cmnet-" + host.name) : psQuote("cmnet"));
  text += "#Requires -RunAsAdministrator\n"
          "$ErrorActionPreference = 'Stop'\n";
  if (gpo) {
    // One cached copy of the GPO, written back once by Save-NetGPO: the domain controller sees
    // a single change, not one per rule.
    text += fmt::format("$gpo = Open-NetGPO -PolicyStore {}\n", psQuote(options.gpoStore));
    text += "$store = @{ GPOSession = $gpo }\n";
    text += fmt::format("$group = {}\n", psQuote("cmnet-" + host.name));
  } else {
    text += "$store = @{ PolicyStore = 'PersistentStore' }\n"
            "$group = 'cmnet'\n";
  }
  text += "if (Get-NetFirewallRule -Group $group @store -ErrorAction SilentlyContinue) {\n"
          "  Remove-NetFirewallRule -Group $group @store\n"
          "}\n";
  text += fmt::format("Set-NetFirewallProfile -Profile Domain,Private,Public -Enabled True "
                      "-DefaultInboundAction Block -DefaultOutboundAction {} @store\n",
                      host.outbound.empty() ? "Allow" : "Block");
  ScriptWriter w(placed, host);
  w.writeRules(host.inbound, /*inbound=*/true);
  w.writeRules(host.outbound, /*inbound=*/false);
  text += w.text;
  if (gpo)
    text += "Save-NetGPO -GPOSession $gpo\n";
  return text;
}

} // namespace

bool WindowsFirewallBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  return renderPerHost(placed, ".ps1", emit,
                       [&](const EnforcementPoint &host) { return renderHost(placed, host, options); });
}

} // namespace cmnet::backends
