// AddressSet parsing, CIDR decomposition and printing.
#include "ir/AddressSet.h"

#include "fmt/format.h"

#include <arpa/inet.h>

namespace cmnet::ir {
namespace {

unsigned familyBits(Family family) { return family == Family::V4 ? 32 : 128; }

uint128 hostMask(unsigned bits, unsigned prefix) {
  unsigned hostBits = bits - prefix;
  if (hostBits == 0)
    return 0;
  if (hostBits >= 128)
    return ~uint128(0);
  return (uint128(1) << hostBits) - 1;
}

/// Trailing zero bits of \p v, which is not 0.
unsigned trailingZeros(uint128 v) {
  uint64_t low = uint64_t(v);
  return low ? unsigned(__builtin_ctzll(low)) : 64 + unsigned(__builtin_ctzll(uint64_t(v >> 64)));
}

/// floor(log2(v)) for v > 0.
unsigned floorLog2(uint128 v) {
  uint64_t high = uint64_t(v >> 64);
  return high ? 127 - unsigned(__builtin_clzll(high)) : 63 - unsigned(__builtin_clzll(uint64_t(v)));
}

/// Split [lo, hi] into the fewest aligned blocks: at each step the largest block that starts
/// at lo (as many bits as lo has trailing zeros) and does not pass hi. Linear in the number
/// of blocks (at most 2*bits); each block's size comes from two bit scans, not a search.
template <typename T>
void appendCidrs(Family family, T lo, T hi, std::vector<Cidr> &out) {
  unsigned bits = familyBits(family);
  uint128 cur = lo, end = hi;
  while (true) {
    unsigned aligned = cur == 0 ? bits : std::min(bits, trailingZeros(cur));
    uint128 count = end - cur + 1; // 0 only for the whole IPv6 space
    unsigned fits = count == 0 ? 128 : floorLog2(count);
    unsigned size = std::min(aligned, fits);
    out.push_back({family, cur, bits - size});
    uint128 last = cur + hostMask(bits, bits - size);
    if (last >= end)
      return;
    cur = last + 1;
  }
}

} // namespace

std::string formatAddress(Family family, uint128 value) {
  if (family == Family::V4) {
    // Four decimal bytes by hand: glibc's inet_ntop goes through sprintf, a cost paid for
    // every address of every rule written (docs/performance.md).
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) {
      unsigned byte = unsigned(value >> shift) & 0xff;
      if (byte >= 100)
        out += char('0' + byte / 100);
      if (byte >= 10)
        out += char('0' + byte / 10 % 10);
      out += char('0' + byte % 10);
      if (shift)
        out += '.';
    }
    return out;
  }
  char buf[INET6_ADDRSTRLEN];
  in6_addr a;
  for (int i = 15; i >= 0; --i) {
    a.s6_addr[i] = uint8_t(value & 0xff);
    value >>= 8;
  }
  inet_ntop(AF_INET6, &a, buf, sizeof buf);
  return buf;
}

std::string Cidr::str() const {
  if (prefixLength == familyBits(family))
    return formatAddress(family, network);
  return fmt::format("{}/{}", formatAddress(family, network), prefixLength);
}

AddressSet AddressSet::any() { return {V4Set::all(), V6Set::all()}; }

AddressSet AddressSet::fromCidr(const Cidr &cidr) {
  AddressSet out;
  uint128 last = cidr.network | hostMask(familyBits(cidr.family), cidr.prefixLength);
  if (cidr.family == Family::V4)
    out.ipv4.add(uint32_t(cidr.network), uint32_t(last));
  else
    out.ipv6.add(cidr.network, last);
  return out;
}

std::optional<AddressSet> AddressSet::parse(llvm::StringRef text, std::string *error) {
  auto fail = [&](std::string why) -> std::optional<AddressSet> {
    if (error)
      *error = std::move(why);
    return std::nullopt;
  };
  if (text == "any")
    return any();
  auto [addrText, prefixText] = text.split('/');
  bool hasPrefix = text.contains('/');
  Family family = addrText.contains(':') ? Family::V6 : Family::V4;
  unsigned bits = familyBits(family);
  std::string addr = addrText.str();
  uint128 value = 0;
  if (family == Family::V4) {
    in_addr a;
    if (inet_pton(AF_INET, addr.c_str(), &a) != 1)
      return fail(fmt::format("'{}' is not an IPv4 address", addr));
    value = ntohl(a.s_addr);
  } else {
    in6_addr a;
    if (inet_pton(AF_INET6, addr.c_str(), &a) != 1)
      return fail(fmt::format("'{}' is not an IPv6 address", addr));
    for (unsigned i = 0; i < 16; ++i)
      value = (value << 8) | a.s6_addr[i];
  }
  unsigned prefix = bits;
  if (hasPrefix) {
    if (prefixText.empty() || prefixText.getAsInteger(10, prefix) || prefix > bits)
      return fail(fmt::format("prefix length '/{}' is not between 0 and {}", prefixText.str(), bits));
    if (value & hostMask(bits, prefix))
      return fail(fmt::format("'{}' has host bits set; the network is {}", text.str(),
                              Cidr{family, value & ~hostMask(bits, prefix), prefix}.str()));
  }
  return fromCidr({family, value, prefix});
}

std::vector<Cidr> AddressSet::cidrs(Family family) const {
  std::vector<Cidr> out;
  if (family == Family::V4) {
    for (const auto &r : ipv4.intervals())
      appendCidrs(Family::V4, r.lo, r.hi, out);
  } else {
    for (const auto &r : ipv6.intervals())
      appendCidrs(Family::V6, r.lo, r.hi, out);
  }
  return out;
}

std::vector<Cidr> AddressSet::cidrs() const {
  std::vector<Cidr> out = cidrs(Family::V4);
  std::vector<Cidr> six = cidrs(Family::V6);
  out.insert(out.end(), six.begin(), six.end());
  return out;
}

std::string AddressSet::str() const {
  if (isAny())
    return "any";
  if (empty())
    return "none";
  std::string out;
  for (const Cidr &c : cidrs()) {
    if (!out.empty())
      out += ", ";
    out += c.str();
  }
  return out;
}

} // namespace cmnet::ir
