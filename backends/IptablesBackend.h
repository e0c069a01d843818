// IptablesBackend: per host an iptables-restore file (HOST.rules) and an ip6tables-restore file
// (HOST.rules6), each replacing the filter table in one commit.
#pragma once

#include "backends/Backend.h"

namespace cmnet::backends {

/// Rules live in CMNET-INPUT (and CMNET-OUTPUT when outbound rules are placed), jumped to from
/// the built-in chains whose policy is DROP. No ipset: a rule with many peers and many port
/// groups jumps from one line per peer into a per-rule chain of port lines, so the line count
/// grows as peers + ports, not peers x ports.
class IptablesBackend : public Backend {
public:
  llvm::StringRef name() const override { return "iptables"; }
  Capabilities capabilities() const override { return {}; }
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
