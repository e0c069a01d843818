// CiscoAsaBackend: per perimeter device an ASA 9.x configuration (NAME.cfg) of object-groups,
// extended access-lists per zone interface and access-group bindings.
#pragma once

#include "backends/PerimeterView.h"

namespace cmnet::backends {

/// ASA is a perimeter device: each declared `firewall` becomes one file with an access-list
/// per zone (applied `in` on the interface whose nameif is the zone name). A hierarchy without
/// firewalls gets one file per host, as if an ASA stood in front of it (see perimeterDevices).
/// IPv4 and IPv6 share the access-lists (ASA 9.0 and later); address sets with more than one
/// block and port sets with more than one range become object-groups, shared by equal content.
class CiscoAsaBackend : public PerimeterBackend {
public:
  llvm::StringRef name() const override { return "cisco-asa"; }

protected:
  llvm::StringRef fileSuffix() const override { return ".cfg"; }
  std::string renderDevice(const ir::PlacedPolicy &placed, const PerimeterDevice &device,
                           const BackendOptions &options) const override;
};

} // namespace cmnet::backends
