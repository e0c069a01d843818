// Reads the Configuration Manager export (JSON) into ConfigMgrExport, reporting what is wrong
// with it by line and column (syntax) or by the path of the field (content).
#include "import/ConfigMgrExport.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"

namespace cmnet::import {
namespace {

/// llvm::json::parse recurses once per nesting level; an export is four levels deep, so
/// anything much deeper is rejected before it can exhaust the stack.
constexpr unsigned MaxJsonDepth = 64;

/// The byte offset of the first bracket nested deeper than MaxJsonDepth, if any.
std::optional<size_t> tooDeep(llvm::StringRef text) {
  unsigned depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '[' || c == '{') {
      if (++depth > MaxJsonDepth)
        return i;
    } else if ((c == ']' || c == '}') && depth > 0)
      --depth;
  }
  return std::nullopt;
}

/// Reads fields by name, reporting a missing or mistyped one with its path.
class Reader {
public:
  Reader(DiagnosticEngine &diags, llvm::StringRef file) : diags(diags), file(file) {}

  bool failed() const { return errors; }

  void error(const std::string &path, const std::string &message) {
    diags.report(DiagKind::MalformedExport, llvm::SMRange(),
                 fmt::format("{}: {}: {}", file.str(), path, message));
    errors = true;
  }

  const llvm::json::Object *object(const llvm::json::Value *v, const std::string &path) {
    const llvm::json::Object *o = v ? v->getAsObject() : nullptr;
    if (!o)
      error(path, v ? "expected an object" : "missing");
    return o;
  }

  /// The array at \p key; absent or null is an empty list (ConvertTo-Json writes null for
  /// an empty result).
  const llvm::json::Array *array(const llvm::json::Object &o, llvm::StringRef key, const std::string &path) {
    const llvm::json::Value *v = o.get(key);
    if (!v || v->kind() == llvm::json::Value::Null)
      return nullptr;
    const llvm::json::Array *a = v->getAsArray();
    if (!a)
      error(path + "." + key.str(), "expected an array");
    return a;
  }

  std::string string(const llvm::json::Object &o, llvm::StringRef key, const std::string &path, bool required) {
    const llvm::json::Value *v = o.get(key);
    if (!v || v->kind() == llvm::json::Value::Null) {
      if (required)
        error(path + "." + key.str(), "missing");
      return {};
    }
    if (auto s = v->getAsString())
      return s->str();
    error(path + "." + key.str(), "expected a string");
    return {};
  }

  std::optional<int64_t> integer(const llvm::json::Object &o, llvm::StringRef key, const std::string &path,
                                 bool required) {
    const llvm::json::Value *v = o.get(key);
    if (!v || v->kind() == llvm::json::Value::Null) {
      if (required)
        error(path + "." + key.str(), "missing");
      return std::nullopt;
    }
    if (auto n = v->getAsInteger())
      return *n;
    if (auto b = v->getAsBoolean()) // ConvertTo-Json writes a WMI boolean as true/false
      return *b ? 1 : 0;
    error(path + "." + key.str(), "expected an integer");
    return std::nullopt;
  }

  std::vector<EmbeddedProperty> props(const llvm::json::Object &o, const std::string &path) {
    std::vector<EmbeddedProperty> out;
    const llvm::json::Array *a = array(o, "Props", path);
    if (!a)
      return out;
    for (size_t i = 0; i < a->size(); ++i) {
      std::string at = fmt::format("{}.Props[{}]", path, i);
      const llvm::json::Object *p = object(&(*a)[i], at);
      if (!p)
        continue;
      EmbeddedProperty prop;
      prop.name = string(*p, "PropertyName", at, true);
      prop.value = integer(*p, "Value", at, false);
      prop.value1 = string(*p, "Value1", at, false);
      prop.value2 = string(*p, "Value2", at, false);
      out.push_back(std::move(prop));
    }
    return out;
  }

  std::vector<EmbeddedPropertyList> propLists(const llvm::json::Object &o, const std::string &path) {
    std::vector<EmbeddedPropertyList> out;
    const llvm::json::Array *a = array(o, "PropLists", path);
    if (!a)
      return out;
    for (size_t i = 0; i < a->size(); ++i) {
      std::string at = fmt::format("{}.PropLists[{}]", path, i);
      const llvm::json::Object *p = object(&(*a)[i], at);
      if (!p)
        continue;
      EmbeddedPropertyList list;
      list.name = string(*p, "PropertyListName", at, true);
      if (const llvm::json::Array *values = array(*p, "Values", at))
        for (size_t j = 0; j < values->size(); ++j) {
          if (auto v = (*values)[j].getAsString())
            list.values.push_back(v->str());
          else
            error(fmt::format("{}.Values[{}]", at, j), "expected a string");
        }
      out.push_back(std::move(list));
    }
    return out;
  }

private:
  DiagnosticEngine &diags;
  llvm::StringRef file;
  bool errors = false;
};

/// Calls \p each for every object of the array at \p key, with its path.
template <typename Fn>
void forEachObject(Reader &r, const llvm::json::Object &root, llvm::StringRef key, Fn each) {
  const llvm::json::Array *a = r.array(root, key, "$");
  if (!a)
    return;
  for (size_t i = 0; i < a->size(); ++i) {
    std::string path = fmt::format("{}[{}]", key.str(), i);
    if (const llvm::json::Object *o = r.object(&(*a)[i], path))
      each(*o, path);
  }
}

void readSites(Reader &r, const llvm::json::Object &root, ConfigMgrExport &out) {
  forEachObject(r, root, "Sites", [&](const llvm::json::Object &o, const std::string &path) {
    ExportSite s;
    s.code = r.string(o, "SiteCode", path, true);
    s.name = r.string(o, "SiteName", path, false);
    s.parentCode = r.string(o, "ReportingSiteCode", path, false);
    s.serverName = r.string(o, "ServerName", path, false);
    s.type = r.integer(o, "Type", path, true).value_or(0);
    out.sites.push_back(std::move(s));
  });
}

void readRoles(Reader &r, const llvm::json::Object &root, ConfigMgrExport &out) {
  forEachObject(r, root, "SiteSystemRoles", [&](const llvm::json::Object &o, const std::string &path) {
    ExportRole role;
    role.siteCode = r.string(o, "SiteCode", path, true);
    role.server = serverFromPath(r.string(o, "NetworkOSPath", path, true));
    role.roleName = r.string(o, "RoleName", path, true);
    role.props = r.props(o, path);
    role.propLists = r.propLists(o, path);
    out.roles.push_back(std::move(role));
  });
  forEachObject(r, root, "SiteComponents", [&](const llvm::json::Object &o, const std::string &path) {
    ExportComponent c;
    c.siteCode = r.string(o, "SiteCode", path, true);
    c.name = r.string(o, "ComponentName", path, true);
    c.props = r.props(o, path);
    out.components.push_back(std::move(c));
  });
  forEachObject(r, root, "SiteDefinitions", [&](const llvm::json::Object &o, const std::string &path) {
    ExportComponent c;
    c.siteCode = r.string(o, "SiteCode", path, true);
    c.name = SiteDefinitionName;
    c.props = r.props(o, path);
    out.components.push_back(std::move(c));
  });
}

void readBoundaries(Reader &r, const llvm::json::Object &root, ConfigMgrExport &out) {
  forEachObject(r, root, "Boundaries", [&](const llvm::json::Object &o, const std::string &path) {
    ExportBoundary b;
    b.id = r.integer(o, "BoundaryID", path, true).value_or(0);
    b.type = r.integer(o, "BoundaryType", path, true).value_or(0);
    b.value = r.string(o, "Value", path, true);
    b.displayName = r.string(o, "DisplayName", path, false);
    out.boundaries.push_back(std::move(b));
  });
  forEachObject(r, root, "BoundaryGroups", [&](const llvm::json::Object &o, const std::string &path) {
    ExportBoundaryGroup g;
    g.id = r.integer(o, "GroupID", path, true).value_or(0);
    g.name = r.string(o, "Name", path, true);
    g.defaultSiteCode = r.string(o, "DefaultSiteCode", path, false);
    if (const llvm::json::Array *members = r.array(o, "Boundaries", path))
      for (size_t i = 0; i < members->size(); ++i) {
        if (auto id = (*members)[i].getAsInteger())
          g.boundaryIds.push_back(*id);
        else
          r.error(fmt::format("{}.Boundaries[{}]", path, i), "expected a BoundaryID");
      }
    forEachObject(r, o, "SiteSystems", [&](const llvm::json::Object &s, const std::string &at) {
      std::string where = path + "." + at;
      g.siteSystems.push_back({serverFromPath(r.string(s, "ServerNALPath", where, true)),
                               r.string(s, "SiteCode", where, false)});
    });
    out.boundaryGroups.push_back(std::move(g));
  });
}

} // namespace

std::string serverFromPath(llvm::StringRef path) {
  // The server is the last backslash-separated part, as the module's documentation reads a
  // NAL path: TrimEnd('\').Split('\')[-1].
  path = path.rtrim('\\');
  size_t slash = path.rfind('\\');
  return (slash == llvm::StringRef::npos ? path : path.substr(slash + 1)).str();
}

std::optional<ConfigMgrExport> parseExport(unsigned bufferId, DiagnosticEngine &diags) {
  const llvm::MemoryBuffer *buffer = diags.getSourceMgr().getMemoryBuffer(bufferId);
  llvm::StringRef text = buffer->getBuffer();
  llvm::StringRef file = buffer->getBufferIdentifier();
  if (std::optional<size_t> at = tooDeep(text)) {
    diags.report(DiagKind::MalformedExport, llvm::SMLoc::getFromPointer(text.data() + *at),
                 fmt::format("JSON nested more than {} levels deep; this is not an export", MaxJsonDepth));
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json) {
    // llvm::json reports "[LINE:COL, byte=OFFSET]: MESSAGE"; the offset becomes a location.
    std::string message = llvm::toString(json.takeError());
    llvm::SmallVector<llvm::StringRef, 4> parts;
    size_t offset = 0;
    if (llvm::Regex("^\\[[0-9]+:[0-9]+, byte=([0-9]+)\\]: (.*)$").match(message, &parts) &&
        !parts[1].getAsInteger(10, offset) && offset <= text.size())
      message = parts[2].str();
    if (!message.empty()) // diagnostics start lower-case
      message[0] = llvm::toLower(message[0]);
    diags.report(DiagKind::MalformedExport, llvm::SMLoc::getFromPointer(text.data() + offset),
                 fmt::format("invalid JSON: {}", message));
    return std::nullopt;
  }
  Reader r(diags, file);
  const llvm::json::Object *root = r.object(&*json, "$");
  if (!root)
    return std::nullopt;
  ConfigMgrExport out;
  if (std::optional<int64_t> version = r.integer(*root, "SchemaVersion", "$", true)) {
    out.schemaVersion = *version;
    if (*version != ExportSchemaVersion) {
      r.error("$.SchemaVersion", fmt::format("version {} is not one this cmnetc reads (it reads {}); export "
                                             "again with the tools/export-configmgr.ps1 of this release",
                                             *version, ExportSchemaVersion));
      return std::nullopt;
    }
  }
  out.exportedAt = r.string(*root, "ExportedAt", "$", false);
  out.providerSiteCode = r.string(*root, "ProviderSiteCode", "$", false);
  readSites(r, *root, out);
  readRoles(r, *root, out);
  readBoundaries(r, *root, out);
  if (r.failed())
    return std::nullopt;
  return out;
}

} // namespace cmnet::import
