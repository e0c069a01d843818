// AzureNsgBackend: per host an ARM template (HOST.json) with one network security group.
#pragma once

#include "backends/Backend.h"

namespace cmnet::backends {

/// One NSG per host, meant for the NIC of a site system that runs in Azure (a cloud
/// distribution point, a management point or SUP on an Azure VM); on-premises `firewall`
/// declarations are not Azure's to enforce. Each rule covers one address family (Azure does not
/// mix IPv4 and IPv6 prefixes in a rule). Priorities count up from 100 in rule order, per
/// direction; an explicit deny-all at 4096 overrides Azure's AllowVnetInBound default, after
/// an allow for the AzureLoadBalancer service tag at 4095 (health probes). Azure matches ICMP
/// only as a whole: an ICMP type is a located `unsupported` error, as is a host whose rules
/// exceed Azure's limits (1000 rules, 4000 address prefixes per NSG).
class AzureNsgBackend : public Backend {
public:
  llvm::StringRef name() const override { return "azure-nsg"; }
  Capabilities capabilities() const override {
    Capabilities caps;
    caps.icmpTypes = false;
    // An NSG is for a site system's NIC in Azure; every client ruleset opens the wake-up
    // proxy's ICMP echo request, which an NSG cannot match by type.
    caps.clientRulesets = false;
    return caps;
  }
  void checkLimits(const ir::PlacedPolicy &placed, DiagnosticEngine &diags) const override;
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
