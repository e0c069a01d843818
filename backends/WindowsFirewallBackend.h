// WindowsFirewallBackend: per host a PowerShell script (HOST.ps1) of NetSecurity cmdlets for
// Windows Defender Firewall, local store or a GPO.
#pragma once

#include "backends/Backend.h"

namespace cmnet::backends {

/// Every rule goes into one rule group; the script first removes the group's rules and then
/// re-creates them, so running it again leaves the same rules. With `--gpo DOMAIN\NAME` the
/// rules go into that GPO through one Open-NetGPO / Save-NetGPO session, in a group per host
/// (several hosts may share the GPO; each rule's -LocalAddress confines it to its host).
class WindowsFirewallBackend : public Backend {
public:
  llvm::StringRef name() const override { return "windows"; }
  Capabilities capabilities() const override { return {}; }
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
