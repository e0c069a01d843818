// ConfigMgrExport: the JSON file tools/export-configmgr.ps1 writes, read into plain structs.
#pragma once

#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cmnet::import {

/// The schema this reader understands ("SchemaVersion" in the file); docs/import.md.
constexpr int64_t ExportSchemaVersion = 1;

/// One SMS_EmbeddedProperty of a site control item: `Value` is a number, `Value1` and
/// `Value2` are strings; unset fields are absent.
struct EmbeddedProperty {
  std::string name;
  std::optional<int64_t> value;
  std::string value1, value2;
};

/// One SMS_EmbeddedPropertyList of a site control item: a named list of strings (a pull
/// distribution point's SourceDistributionPoints, NAL paths).
struct EmbeddedPropertyList {
  std::string name;
  std::vector<std::string> values;
};

/// SMS_Site (Get-CMSite).
struct ExportSite {
  std::string code, name, parentCode, serverName;
  int64_t type = 0; // 1 secondary, 2 primary, 4 central administration site
};

/// SMS_SCI_SysResUse (Get-CMSiteRole, Get-CMSiteSystemServer): one role of one server.
struct ExportRole {
  std::string siteCode, server, roleName; // server: NetworkOSPath without the leading "\\"
  std::vector<EmbeddedProperty> props;
  std::vector<EmbeddedPropertyList> propLists;
};

/// The name a site definition is read under, its ItemName in the site control file.
constexpr llvm::StringLiteral SiteDefinitionName = "Site Definition";

/// SMS_SCI_Component (Get-CMSiteComponent) or SMS_SCI_SiteDefinition (Get-CMSiteDefinition):
/// a site's settings; `name` is the ComponentName, or SiteDefinitionName.
struct ExportComponent {
  std::string siteCode, name;
  std::vector<EmbeddedProperty> props;
};

/// SMS_Boundary (Get-CMBoundary).
enum class BoundaryKind : int64_t { IPSubnet = 0, ADSite = 1, IPv6Prefix = 2, IPRange = 3 };
struct ExportBoundary {
  int64_t id = 0, type = 0;
  std::string value, displayName;
};

/// SMS_BoundaryGroup with its members (SMS_BoundaryGroupMembers) and site systems
/// (SMS_BoundaryGroupSiteSystems, Get-CMBoundaryGroupSiteSystem).
struct ExportBoundaryGroup {
  struct SiteSystem {
    std::string server, siteCode;
  };
  int64_t id = 0;
  std::string name, defaultSiteCode;
  std::vector<int64_t> boundaryIds;
  std::vector<SiteSystem> siteSystems;
};

struct ConfigMgrExport {
  int64_t schemaVersion = 0;
  std::string exportedAt, providerSiteCode;
  std::vector<ExportSite> sites;
  std::vector<ExportRole> roles;
  std::vector<ExportComponent> components; // site definitions included
  std::vector<ExportBoundary> boundaries;
  std::vector<ExportBoundaryGroup> boundaryGroups;
};

/// Read the export held in source buffer \p bufferId. Malformed JSON is reported at its line
/// and column; a missing or mistyped field by its path ("Sites[2].Type"). Returns nullopt
/// after reporting every error found.
std::optional<ConfigMgrExport> parseExport(unsigned bufferId, DiagnosticEngine &diags);

/// "server.contoso.com" from a NetworkOSPath ("\\server.contoso.com") or a NAL path
/// (`["Display=\\server.contoso.com\"]MSWNET:["SMS_SITE=P01"]\\server.contoso.com\`).
std::string serverFromPath(llvm::StringRef path);

} // namespace cmnet::import
