// AddressSet: IPv4 and IPv6 addresses as two interval sets, with exact CIDR covers.
#pragma once

#include "ir/IntervalSet.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cmnet::ir {

using uint128 = unsigned __int128;
using V4Set = IntervalSet<uint32_t>;
using V6Set = IntervalSet<uint128>;

enum class Family : unsigned char { V4, V6 };

/// One CIDR block: family, network address (host bits zero) and prefix length.
struct Cidr {
  Family family;
  uint128 network;
  unsigned prefixLength;
  std::string str() const;
  bool operator==(const Cidr &o) const {
    return family == o.family && network == o.network && prefixLength == o.prefixLength;
  }
};

class AddressSet {
public:
  AddressSet() = default;
  /// Every IPv4 and IPv6 address (`any`).
  static AddressSet any();
  /// Parse "10.0.0.1", "10.0.0.0/8", "fd00::1", "fd00::/8". Host bits set in a prefix
  /// ("10.0.0.1/8") are an error: \p error says why when nullopt is returned.
  static std::optional<AddressSet> parse(llvm::StringRef text, std::string *error = nullptr);
  static AddressSet fromCidr(const Cidr &cidr);

  const V4Set &v4() const { return ipv4; }
  const V6Set &v6() const { return ipv6; }
  V4Set &v4() { return ipv4; }
  V6Set &v6() { return ipv6; }

  bool empty() const { return ipv4.empty() && ipv6.empty(); }
  bool isAny() const { return ipv4.isAll() && ipv6.isAll(); }
  AddressSet unite(const AddressSet &o) const { return {ipv4.unite(o.ipv4), ipv6.unite(o.ipv6)}; }
  AddressSet intersect(const AddressSet &o) const {
    return {ipv4.intersect(o.ipv4), ipv6.intersect(o.ipv6)};
  }
  AddressSet subtract(const AddressSet &o) const {
    return {ipv4.subtract(o.ipv4), ipv6.subtract(o.ipv6)};
  }
  bool contains(const AddressSet &o) const { return ipv4.contains(o.ipv4) && ipv6.contains(o.ipv6); }
  bool intersects(const AddressSet &o) const { return ipv4.intersects(o.ipv4) || ipv6.intersects(o.ipv6); }

  /// The minimal list of CIDR blocks whose union is exactly this set, IPv4 first, ascending.
  std::vector<Cidr> cidrs() const;
  std::vector<Cidr> cidrs(Family family) const;
  /// "10.0.0.0/8, fd00::/8" ("any" for everything, "none" for the empty set).
  std::string str() const;

  bool operator==(const AddressSet &o) const { return ipv4 == o.ipv4 && ipv6 == o.ipv6; }
  bool operator!=(const AddressSet &o) const { return !(*this == o); }
  bool operator<(const AddressSet &o) const {
    return ipv4 < o.ipv4 || (ipv4 == o.ipv4 && ipv6 < o.ipv6);
  }

private:
  AddressSet(V4Set a, V6Set b) : ipv4(std::move(a)), ipv6(std::move(b)) {}
  V4Set ipv4;
  V6Set ipv6;
};

inline llvm::hash_code hash_value(const AddressSet &set) { return llvm::hash_combine(set.v4(), set.v6()); }

/// Text form of a single address of either family.
std::string formatAddress(Family family, uint128 value);

} // namespace cmnet::ir
