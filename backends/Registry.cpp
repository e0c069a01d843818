// The backend registry: one row per target {name, suffix, description, factory}.
#include "backends/AwsSecurityGroupBackend.h"
#include "backends/AzureNsgBackend.h"
#include "backends/Backend.h"
#include "backends/CiscoAsaBackend.h"
#include "backends/DocDot.h"
#include "backends/DocMarkdown.h"
#include "backends/IptablesBackend.h"
#include "backends/IrJsonBackend.h"
#include "backends/JuniperSrxBackend.h"
#include "backends/NftablesBackend.h"
#include "backends/WindowsFirewallBackend.h"

namespace cmnet::backends {

template <typename T> static std::unique_ptr<Backend> make() { return std::make_unique<T>(); }

const std::vector<BackendEntry> &backendRegistry() {
  static const std::vector<BackendEntry> registry = {
      {"nftables", ".nft", "nftables script per host (nft -f)", make<NftablesBackend>},
      {"iptables", ".rules", "iptables-restore and ip6tables-restore files per host", make<IptablesBackend>},
      {"windows", ".ps1", "Windows Defender Firewall PowerShell script per host", make<WindowsFirewallBackend>},
      {"cisco-asa", ".cfg", "Cisco ASA object-groups and access-lists per firewall", make<CiscoAsaBackend>},
      {"juniper-srx", ".set", "Juniper SRX set commands per firewall", make<JuniperSrxBackend>},
      {"azure-nsg", ".json", "Azure network security group ARM template per host", make<AzureNsgBackend>},
      {"aws-sg", ".json", "AWS security group CloudFormation template per host", make<AwsSecurityGroupBackend>},
      {"ir-json", ".json", "the placed IR as JSON", make<IrJsonBackend>},
      {"doc-md", ".md", "port reference of the topology (Markdown)", make<DocMarkdownBackend>},
      {"doc-dot", ".dot", "topology diagram (Graphviz DOT)", make<DocDotBackend>},
  };
  return registry;
}

} // namespace cmnet::backends
