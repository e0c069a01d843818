// AddressBook: the addresses of the servers an export names, from a map file or the resolver.
#pragma once

#include "ir/AddressSet.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace cmnet::import {

class AddressBook {
public:
  /// Read `NAME,ADDRESS` lines (CSV) from source buffer \p bufferId: a name may have several
  /// lines (one per address); `#` comments, blank lines and a `name,address` header are
  /// skipped. A malformed line is reported at its line and column. False after any error.
  bool load(unsigned bufferId, DiagnosticEngine &diags);
  /// Ask the system resolver (getaddrinfo) for names the map file does not list.
  void setResolve(bool value) { resolve = value; }

  /// The addresses of \p server ("p01dp.contoso.com"): the map's lines for the full name, or
  /// else for its first label ("p01dp"), or else (with setResolve) the resolver's answer,
  /// IPv4 before IPv6 and ascending. Names compare without regard to case. On failure,
  /// nullopt and \p why says what was tried.
  std::optional<std::vector<ir::AddressSet>> lookup(llvm::StringRef server, std::string &why) const;

  /// The prefix the map gives for \p subnetId (an IP subnet boundary's value), if any.
  std::optional<ir::AddressSet> prefixFor(llvm::StringRef subnetId) const;

private:
  llvm::StringMap<std::vector<ir::AddressSet>> entries; // lower-case name -> addresses in file order
  bool resolve = false;
};

} // namespace cmnet::import
