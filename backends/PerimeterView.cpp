// PerimeterView: declared firewalls as devices, or one stand-in device per host.
#include "backends/PerimeterView.h"

#include "llvm/Support/ErrorHandling.h"

using namespace cmnet::ir;

namespace cmnet::backends {

const Zone &PerimeterDevice::zone(llvm::StringRef name) const {
  for (const Zone &z : zones)
    if (z.name == name)
      return z;
  llvm_unreachable("zone pair names an unknown zone");
}

std::vector<PerimeterDevice> perimeterDevices(const PlacedPolicy &placed) {
  std::vector<PerimeterDevice> devices;
  for (const EnforcementPoint &p : placed.points)
    if (p.kind == EnforcementPoint::NetworkFirewall)
      devices.push_back({&p, p.zones, p.zonePairs, {}});
  if (!devices.empty())
    return devices;
  for (const EnforcementPoint &p : placed.points) {
    PerimeterDevice d{&p, {{"outside", AddressSet::any(), {}}, {"inside", p.addresses, {}}}, {}, {}};
    if (!p.inbound.empty())
      d.pairs.push_back({"outside", "inside", p.inbound});
    if (!p.outbound.empty())
      d.pairs.push_back({"inside", "outside", p.outbound});
    else
      d.unfilteredPairs.push_back({"inside", "outside"});
    devices.push_back(std::move(d));
  }
  return devices;
}

bool PerimeterBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  for (const PerimeterDevice &d : perimeterDevices(placed))
    if (!emit(safeFileName(d.point->name) + fileSuffix().str(), renderDevice(placed, d, options)))
      return false;
  return true;
}

} // namespace cmnet::backends
