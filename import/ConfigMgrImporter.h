// ConfigMgrImporter: a Configuration Manager export as a .cmnet topology a person would write.
#pragma once

#include "import/AddressBook.h"
#include "import/ConfigMgrExport.h"

#include "ir/Model.h"

#include <string>

namespace cmnet::import {

struct ImportOptions {
  /// The hierarchy's name in the output (`hierarchy NAME { … }`).
  std::string hierarchyName = "configmgr";
  /// The export file as the header names it.
  std::string exportName;
};

/// Whether \p name can name a hierarchy, site or host: an identifier the grammar does not
/// reserve.
bool isUsableName(llvm::StringRef name);

/// Write \p ex as a topology for the catalog \p catalog (cm.current_branch, loaded): sites in
/// hierarchy order, each site's hosts (site server first, then by role and name) with the
/// role settings that differ from the catalog's defaults, the site's settings and its client
/// subnets from the boundaries its boundary groups assign. What cannot be mapped becomes a
/// `# not imported: …` line where it would have gone, and a not-imported warning. Every name
/// from the export is checked before it becomes an identifier, and comment text never
/// carries a line break. The same input gives the same bytes.
std::string importConfigMgr(const ConfigMgrExport &ex, const AddressBook &book, const ir::Model &catalog,
                            const ImportOptions &options, DiagnosticEngine &diags);

} // namespace cmnet::import
