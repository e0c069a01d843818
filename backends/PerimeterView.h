// PerimeterView: the network-firewall shape the perimeter backends (Cisco ASA, Juniper SRX)
// render, and the base class they share.
#pragma once

#include "backends/Backend.h"

#include <string>
#include <vector>

namespace cmnet::backends {

/// One perimeter device to configure: its zones (interfaces), the ordered rules per zone pair,
/// and the zone pairs it passes unfiltered. Every other zone pair is denied.
struct PerimeterDevice {
  const ir::EnforcementPoint *point; // the firewall, or the host the device stands in front of
  std::vector<ir::Zone> zones;
  std::vector<ir::ZonePair> pairs;
  std::vector<std::pair<std::string, std::string>> unfilteredPairs; // (from, to)

  /// The zone named \p name (it exists: pairs only name the device's zones).
  const ir::Zone &zone(llvm::StringRef name) const;
};

/// The devices of a policy. Each declared `firewall` is one device. A hierarchy without
/// firewalls gets one device per host, as if a perimeter firewall stood in front of each host:
/// zone `outside` (every address) and zone `inside` (the host's addresses), with the host's
/// inbound rules from outside to inside and its outbound rules from inside to outside. Without
/// outbound rules (the default) a host firewall does not filter what the host sends, so the
/// stand-in passes inside to outside unfiltered. That keeps the perimeter targets useful for a
/// policy written for host firewalls only.
/// Calls \p each with every device in turn, until it returns false (then returns false). The
/// devices are made one at a time: the stand-ins copy their host's rules, 390,000 rules in all
/// at Microsoft's published limits.
bool forEachPerimeterDevice(const ir::PlacedPolicy &placed, llvm::function_ref<bool(const PerimeterDevice &)> each);

/// The family of perimeter targets: they render network firewalls (and the stand-ins above),
/// one file per device.
class PerimeterBackend : public Backend {
public:
  Capabilities capabilities() const override {
    Capabilities caps;
    caps.networkFirewalls = true;
    return caps;
  }
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;

protected:
  /// ".cfg", ".set": the suffix of each device's file.
  virtual llvm::StringRef fileSuffix() const = 0;
  virtual std::string renderDevice(const ir::PlacedPolicy &placed, const PerimeterDevice &device,
                                   const BackendOptions &options) const = 0;
};

} // namespace cmnet::backends
