// JuniperSrxBackend: per perimeter device a Junos `set` command file (NAME.set) with address
// books, applications and application-sets, and zone-pair security policies.
#pragma once

#include "backends/PerimeterView.h"

namespace cmnet::backends {

/// Everything lives in the configuration group `cmnet`, applied with `set apply-groups cmnet`:
/// the file starts with `delete groups cmnet`, so loading it again (`load set`, `commit`)
/// replaces the previous version in one commit. Devices are chosen as for Cisco ASA (declared
/// firewalls, else one stand-in per host; see perimeterDevices).
class JuniperSrxBackend : public PerimeterBackend {
public:
  llvm::StringRef name() const override { return "juniper-srx"; }

protected:
  llvm::StringRef fileSuffix() const override { return ".set"; }
  std::string renderDevice(const ir::PlacedPolicy &placed, const PerimeterDevice &device,
                           const BackendOptions &options) const override;
};

} // namespace cmnet::backends
