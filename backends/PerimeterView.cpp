// PerimeterView: declared firewalls as devices, or one stand-in device per host.
#include "backends/PerimeterView.h"
#include "backends/RuleFormat.h"

#include "llvm/Support/ErrorHandling.h"

using namespace cmnet::ir;

namespace cmnet::backends {

const Zone &PerimeterDevice::zone(llvm::StringRef name) const {
  for (const Zone &z : zones)
    if (z.name == name)
      return z;
  llvm_unreachable("zone pair names an unknown zone");
}

/// The device standing in front of \p host.
static PerimeterDevice standInDevice(const EnforcementPoint &host) {
  PerimeterDevice d{&host, {{"outside", AddressSet::any(), {}}, {"inside", host.addresses, {}}}, {}, {}};
  if (!host.inbound.empty())
    d.pairs.push_back({"outside", "inside", host.inbound});
  if (!host.outbound.empty())
    d.pairs.push_back({"inside", "outside", host.outbound});
  else
    d.unfilteredPairs.push_back({"inside", "outside"});
  return d;
}

/// Declared firewalls are the devices; without any, each host gets a stand-in.
static bool hasFirewalls(const PlacedPolicy &placed) {
  return llvm::any_of(placed.points, [](const EnforcementPoint &p) { return p.kind == EnforcementPoint::NetworkFirewall; });
}

bool forEachPerimeterDevice(const PlacedPolicy &placed, llvm::function_ref<bool(const PerimeterDevice &)> each) {
  bool firewalls = hasFirewalls(placed);
  for (const EnforcementPoint &p : placed.points) {
    if (firewalls && p.kind != EnforcementPoint::NetworkFirewall)
      continue;
    if (!each(firewalls ? PerimeterDevice{&p, p.zones, p.zonePairs, {}} : standInDevice(p)))
      return false;
  }
  return true;
}

bool PerimeterBackend::render(const PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  return forEachPerimeterDevice(placed, [&](const PerimeterDevice &d) {
           return emit(safeFileName(d.point->name) + fileSuffix().str(), renderDevice(placed, d, options));
         }) &&
         (hasFirewalls(placed) || emitRulesetMap(placed, {fileSuffix()}, emit));
}

} // namespace cmnet::backends
