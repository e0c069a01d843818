// The backends' registry rows: one per target {name, suffix, description, factory}.
#include "backends/AwsSecurityGroupBackend.h"
#include "backends/AzureNsgBackend.h"
#include "backends/Backend.h"
#include "backends/CiscoAsaBackend.h"
#include "backends/IptablesBackend.h"
#include "backends/IrJsonBackend.h"
#include "backends/JuniperSrxBackend.h"
#include "backends/NftablesBackend.h"
#include "backends/WindowsFirewallBackend.h"

namespace cmnet::backends {

template <typename T> static std::unique_ptr<Backend> make() { return std::make_unique<T>(); }

const std::vector<BackendEntry> &backendTargets() {
  static const std::vector<BackendEntry> registry = {
      {"nftables", ".nft", "nftables script per host (nft -f)", make<NftablesBackend>},
      {"iptables", ".rules", "iptables-restore and ip6tables-restore files per host", make<IptablesBackend>},
      {"windows", ".ps1", "Windows Defender Firewall PowerShell script per host", make<WindowsFirewallBackend>},
      {"cisco-asa", ".cfg", "Cisco ASA object-groups and access-lists per firewall", make<CiscoAsaBackend>},
      {"juniper-srx", ".set", "Juniper SRX set commands per firewall", make<JuniperSrxBackend>},
      {"azure-nsg", ".json", "Azure network security group ARM template per host", make<AzureNsgBackend>},
      {"aws-sg", ".json", "AWS security group CloudFormation template per host", make<AwsSecurityGroupBackend>},
      {"ir-json", ".json", "the placed IR as JSON", make<IrJsonBackend>},
  };
  return registry;
}

} // namespace cmnet::backends
