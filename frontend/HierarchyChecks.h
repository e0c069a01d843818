// Whole-hierarchy checks: site parents (cycles, kinds), unique host names and addresses.
#pragma once

#include "ir/Model.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"

namespace cmnet::frontend {

/// Report parent cycles (once per cycle) and parents that do not fit a site's kind: a central
/// site has no parent, a primary's parent is a central site (or, with \p primaryUnderPrimary,
/// a primary site), a secondary's is a primary.
/// \p parentLocs[i] is where site i names its parent (an empty range when it names none).
void checkSiteParents(const ir::Hierarchy &h, llvm::ArrayRef<llvm::SMRange> parentLocs, DiagnosticEngine &diags,
                      bool primaryUnderPrimary = false);

/// One address (or prefix) of a host's address list, where it is written.
struct HostAddressRef {
  unsigned host = 0;
  ir::AddressSet addresses;
  llvm::SMRange loc;
};

/// Report every address that overlaps an address written before it, on the same host or on
/// another one, at the later of the two with a note at the first one it overlaps. \p refs are
/// in source order. O(n log n) in the number of addresses.
void checkHostAddresses(const ir::Hierarchy &h, llvm::ArrayRef<HostAddressRef> refs, DiagnosticEngine &diags);

/// Report hosts declared twice under one name.
void checkHostNames(const ir::Hierarchy &h, DiagnosticEngine &diags);

/// Report names some target cannot write, at the name, so that `check` finds what `build`
/// would otherwise fail on: host and firewall names too long for a file name, zone names over
/// Cisco ASA's interface-name limit, and zone pairs whose Juniper SRX policy name is too long.
void checkTargetNameLimits(const ir::Hierarchy &h, DiagnosticEngine &diags);

} // namespace cmnet::frontend
