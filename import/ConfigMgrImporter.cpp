// ConfigMgrImporter: maps an export's sites, site systems, role settings and boundaries to the
// catalog's roles and parameters, and prints the topology.
#include "import/ConfigMgrImporter.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace cmnet::import {
namespace {

/// A Configuration Manager role (SMS_SCI_SysResUse.RoleName) and the catalog role it is.
struct RoleMapping {
  llvm::StringLiteral cmRole, catalogRole;
};
const RoleMapping roleMappings[] = {
    {"SMS Site Server", "site_server"},
    {"SMS Provider", "sms_provider"},
    {"SMS SQL Server", "site_database"},
    {"SMS Management Point", "management_point"},
    {"SMS Distribution Point", "distribution_point"},
    {"SMS Software Update Point", "software_update_point"},
    {"SMS State Migration Point", "state_migration_point"},
    {"SMS Fallback Status Point", "fallback_status_point"},
    {"SMS SRS Reporting Point", "reporting_services_point"},
    {"AI Update Service Point", "asset_intelligence_sync_point"},
    {"SMS Certificate Registration Point", "certificate_registration_point"},
    {"SMS Cloud Proxy Connector", "cmg_connection_point"},
    {"SMS Endpoint Protection Point", "endpoint_protection_point"},
    {"SMS Enrollment Server", "enrollment_point"},
    {"SMS Enrollment Web Site", "enrollment_proxy_point"},
    {"SMS Dmp Connector", "service_connection_point"},
    {"SMS Data Warehouse Service Point", "data_warehouse_point"},
    {"Data Warehouse Service Point", "data_warehouse_point"},
};

/// Every site system server has these; they say the server exists, not what it serves.
const llvm::StringLiteral structuralRoles[] = {"SMS Site System", "SMS Component Server"};

enum class SettingKind { Port, Flag };

/// A role property (SMS_EmbeddedProperty) that sets a parameter of the host's role.
struct RoleSetting {
  llvm::StringLiteral cmRole, property, param;
  SettingKind kind;
};
const RoleSetting roleSettings[] = {
    {"SMS Distribution Point", "IsPXE", "pxe", SettingKind::Flag},
    {"SMS Distribution Point", "IsMulticast", "multicast", SettingKind::Flag},
    {"SMS Software Update Point", "WSUSIISPort", "http_port", SettingKind::Port},
    {"SMS Software Update Point", "WSUSIISSSLPort", "https_port", SettingKind::Port},
    {"SMS Software Update Point", "SSLWSUS", "https", SettingKind::Flag},
};

/// A site component or site definition property that sets a role parameter for every host of
/// the site: the client request ports and the site database's ports are site settings in
/// Configuration Manager.
struct SiteSetting {
  llvm::StringLiteral component, property, role, param;
};
const SiteSetting siteSettings[] = {
    {"SMS_MP_CONTROL_MANAGER", "IISPortsList", "management_point", "http_port"},
    {"SMS_MP_CONTROL_MANAGER", "IISSSLPortsList", "management_point", "https_port"},
    {SiteDefinitionName, "SQlServicePort", "site_database", "sql_port"},
    {SiteDefinitionName, "SSBPort", "site_database", "service_broker_port"},
};

/// The site system properties (role "SMS Site System") that give the server's proxy for the
/// Internet, and the distribution point properties that name a pull distribution point's
/// sources.
constexpr llvm::StringLiteral siteSystemRole = "SMS Site System", useProxy = "UseProxy", proxyName = "ProxyName",
                              proxyPort = "ProxyServerPort";
constexpr llvm::StringLiteral distributionPointRole = "SMS Distribution Point", isPullDP = "IsPullDP",
                              sourceDPs = "SourceDistributionPoints";

/// Words the grammar reserves; every other identifier may name a host.
const llvm::StringLiteral reservedWords[] = {"allow", "alongside", "any", "as", "clients", "deny", "dynamic",
                                             "false", "fixed", "icmp", "import", "link", "on", "param",
                                             "require", "role", "rule", "tcp", "true", "udp", "when"};

bool isReserved(llvm::StringRef word) { return llvm::is_contained(reservedWords, word); }

/// Export text as it may appear in a comment or a message: control characters (a line break
/// would end the comment and let the rest be read as code) become \xNN.
std::string printable(llvm::StringRef s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += char(c);
  }
  return out;
}

std::string quoted(llvm::StringRef s) { return "'" + printable(s) + "'"; }

/// Whether \p c is a single address (one /32 or /128).
bool isOneAddress(const std::vector<ir::Cidr> &c) {
  return c.size() == 1 && c[0].prefixLength == (c[0].family == ir::Family::V4 ? 32u : 128u);
}

bool sameValue(const ir::Value &a, const ir::Value &b) {
  if (a.isNumeric() && b.isNumeric())
    return a.number == b.number;
  return a == b;
}

/// The port a property gives: the first of the list in `Value1` ("80" or "80,8080") when it
/// holds one (the site components' port lists), else its number (`Value`).
std::optional<int64_t> portOf(const EmbeddedProperty &p) {
  llvm::StringRef first = llvm::StringRef(p.value1).split(',').first.trim();
  if (first.empty())
    return p.value;
  int64_t n = 0;
  if (first.getAsInteger(10, n))
    return std::nullopt;
  return n;
}

/// A setting's value from its property, or why it has none.
std::optional<ir::Value> settingValue(const EmbeddedProperty &p, SettingKind kind, std::string &why) {
  if (kind == SettingKind::Flag) {
    if (!p.value) {
      why = "it has no numeric Value";
      return std::nullopt;
    }
    return ir::Value::makeBool(*p.value != 0);
  }
  std::optional<int64_t> port = portOf(p);
  if (!port || *port < 1 || *port > 65535) {
    why = fmt::format("{} is not a port (1-65535)", p.value1.empty() && p.value ? std::to_string(*p.value) : quoted(p.value1));
    return std::nullopt;
  }
  return ir::Value::makePort(*port);
}

struct RoleOut {
  unsigned role = 0;
  std::map<std::string, ir::Value> values; // from the export, by parameter name
};

struct HostOut {
  std::string server, name;
  std::vector<ir::AddressSet> addresses;
  std::vector<RoleOut> roles; // catalog order
  const ExportRole *siteSystem = nullptr; // its "SMS Site System" role, with the proxy settings
};

/// A pull distribution point's source, to be marked once every host is placed.
struct PullSource {
  size_t site; // where a source that is not imported is reported
  std::string label, source;
};

struct SiteOut {
  const ExportSite *src = nullptr;
  ir::SiteKind kind = ir::SiteKind::Primary;
  std::optional<size_t> parent; // index into sites
  std::vector<HostOut> hosts;
  ir::AddressSet clients;
  std::map<std::string, ir::Value> values; // "role.param" from the site's components
  std::vector<std::string> notes;          // not-imported lines, in order
};

class Importer {
public:
  Importer(const ConfigMgrExport &ex, const AddressBook &book, const ir::Model &catalog, DiagnosticEngine &diags)
      : ex(ex), book(book), catalog(catalog), diags(diags) {}

  std::string run(const ImportOptions &options) {
    placeSites();
    placeHosts();
    placePullSources();
    placeProxy();
    placeSiteSettings();
    placeBoundaries();
    return print(options);
  }

private:
  /// Report \p message as not imported and keep it for the output at \p notes.
  void notImported(std::vector<std::string> &notes, const std::string &message) {
    diags.report(DiagKind::NotImported, llvm::SMRange(), message);
    notes.push_back(message);
  }

  /// The property named \p name (case aside), if the list holds it.
  static const EmbeddedProperty *property(const std::vector<EmbeddedProperty> &props, llvm::StringRef name) {
    auto it = llvm::find_if(props,
                            [&](const EmbeddedProperty &p) { return llvm::StringRef(p.name).equals_insensitive(name); });
    return it == props.end() ? nullptr : &*it;
  }

  std::optional<size_t> siteIndex(llvm::StringRef code) const {
    auto it = siteByCode.find(code);
    return it == siteByCode.end() ? std::nullopt : std::optional<size_t>(it->second);
  }

  // ---- Sites: kinds and parents, in hierarchy order ----

  void placeSites() {
    std::vector<const ExportSite *> candidates;
    llvm::StringSet<> seen;
    for (const ExportSite &s : ex.sites) {
      std::string label = fmt::format("site {}", quoted(s.code));
      if (!isUsableName(s.code))
        notImported(topNotes, label + ": the site code is not a name cmnet can use");
      else if (!seen.insert(s.code).second)
        notImported(topNotes, label + ": the export lists it twice; the first is imported");
      else if (s.type != 1 && s.type != 2 && s.type != 4)
        notImported(topNotes, fmt::format("{}: type {} is none of 1 (secondary), 2 (primary), 4 (central "
                                          "administration site)",
                                          label, s.type));
      else
        candidates.push_back(&s);
    }
    std::map<std::string, const ExportSite *> byCode;
    for (const ExportSite *s : candidates)
      byCode[s->code] = s;
    // Roots first, then each site's children by site code, depth first.
    std::map<std::string, std::vector<const ExportSite *>> children;
    std::vector<const ExportSite *> roots;
    for (const auto &[code, s] : byCode) {
      bool hasParent = !s->parentCode.empty() && s->parentCode != s->code;
      if (hasParent && byCode.count(s->parentCode)) {
        children[s->parentCode].push_back(s);
        continue;
      }
      if (hasParent && s->type == 1) {
        notImported(topNotes, fmt::format("site {}: a secondary site needs its parent, and the export does not "
                                          "hold site {}",
                                          quoted(s->code), quoted(s->parentCode)));
        continue;
      }
      if (hasParent)
        notImported(topNotes, fmt::format("site {}: its parent {} is not in the export; imported without a parent",
                                          quoted(s->code), quoted(s->parentCode)));
      roots.push_back(s);
    }
    std::function<void(const ExportSite *, std::optional<size_t>)> visit = [&](const ExportSite *s,
                                                                               std::optional<size_t> parent) {
      SiteOut out;
      out.src = s;
      out.kind = s->type == 4 ? ir::SiteKind::Central : s->type == 2 ? ir::SiteKind::Primary : ir::SiteKind::Secondary;
      out.parent = parent;
      size_t index = sites.size();
      siteByCode[s->code] = index;
      sites.push_back(std::move(out));
      for (const ExportSite *child : children[s->code])
        visit(child, index);
    };
    for (const ExportSite *root : roots)
      visit(root, std::nullopt);
    for (const auto &[code, s] : byCode)
      if (!siteByCode.count(code) && (s->parentCode.empty() || byCode.count(s->parentCode)))
        notImported(topNotes, fmt::format("site {}: its parents lead back to itself and never to a top-level site",
                                          quoted(code)));
  }

  // ---- Hosts: one per server, with its catalog roles and their settings ----

  /// The catalog role of a Configuration Manager role, or why there is none (empty for the
  /// structural roles every site system has).
  std::optional<unsigned> catalogRole(llvm::StringRef cmRole, std::string &why) const {
    if (llvm::is_contained(structuralRoles, cmRole))
      return std::nullopt;
    for (const RoleMapping &m : roleMappings)
      if (m.cmRole == cmRole) {
        if (std::optional<unsigned> r = catalog.findRole(m.catalogRole))
          return r;
        why = fmt::format("the catalog has no role {}", m.catalogRole.str());
        return std::nullopt;
      }
    why = "the catalog has no role for it";
    return std::nullopt;
  }

  /// A host name from a server name: its first label, lower case, with anything an
  /// identifier cannot hold replaced; the whole name when the first label is taken.
  std::string hostName(const std::string &server) {
    auto sanitize = [](llvm::StringRef s) {
      std::string out;
      for (char c : s.lower())
        out += llvm::isAlnum(c) ? c : '_';
      if (out.empty() || llvm::isDigit(out[0]))
        out = "h" + out;
      if (isReserved(out))
        out += "_host";
      return out;
    };
    std::string name = sanitize(llvm::StringRef(server).split('.').first);
    if (hostNames.count(name) || siteByCode.count(name))
      name = sanitize(server);
    std::string unique = name;
    for (unsigned n = 2; hostNames.count(unique) || siteByCode.count(unique); ++n)
      unique = fmt::format("{}_{}", name, n);
    hostNames.insert(unique);
    return unique;
  }

  void placeHosts() {
    // Servers in name order, so that the names given on a collision do not depend on the
    // order of the export.
    std::map<std::string, std::vector<const ExportRole *>> byServer;
    for (const ExportRole &r : ex.roles)
      byServer[llvm::StringRef(r.server).lower()].push_back(&r);
    for (const auto &[key, roles] : byServer)
      placeHost(roles);
    auto rank = [](const HostOut &h) { return h.roles.front().role; };
    for (SiteOut &site : sites)
      std::stable_sort(site.hosts.begin(), site.hosts.end(), [&](const HostOut &a, const HostOut &b) {
        return rank(a) != rank(b) ? rank(a) < rank(b) : a.name < b.name;
      });
  }

  void placeHost(const std::vector<const ExportRole *> &roles) {
    const std::string &server = roles.front()->server;
    std::string label = fmt::format("server {}", quoted(server));
    // A host is in one site: the first of its roles' sites in hierarchy order.
    std::optional<size_t> home;
    for (const ExportRole *r : roles)
      if (std::optional<size_t> s = siteIndex(r->siteCode))
        home = home ? std::min(*home, *s) : *s;
    if (!home) {
      notImported(topNotes, fmt::format("{}: its site {} is not imported", label, quoted(roles.front()->siteCode)));
      return;
    }
    SiteOut &site = sites[*home];
    if (server.empty()) {
      notImported(site.notes, "a site system with an empty NetworkOSPath");
      return;
    }
    HostOut host;
    host.server = server;
    std::vector<std::string> notes;
    for (const ExportRole *r : roles) {
      if (r->roleName == siteSystemRole && (!host.siteSystem || r->siteCode == site.src->code))
        host.siteSystem = r;
      if (r->siteCode != site.src->code) {
        if (!llvm::is_contained(structuralRoles, r->roleName))
          notes.push_back(fmt::format("{} role {} of site {}: a host belongs to one site, and this one is in site {}",
                                      label, quoted(r->roleName), quoted(r->siteCode), site.src->code));
        continue;
      }
      std::string why;
      std::optional<unsigned> role = catalogRole(r->roleName, why);
      if (!role) {
        if (!why.empty())
          notes.push_back(fmt::format("{} role {}: {}", label, quoted(r->roleName), why));
        continue;
      }
      auto existing = llvm::find_if(host.roles, [&](const RoleOut &o) { return o.role == *role; });
      RoleOut &out = existing != host.roles.end() ? *existing : host.roles.emplace_back();
      out.role = *role;
      applySettings(*r, out, label, notes);
      if (r->roleName == distributionPointRole)
        notePullSources(*r, *home, label, notes);
    }
    llvm::sort(host.roles, [](const RoleOut &a, const RoleOut &b) { return a.role < b.role; });
    std::string why;
    std::optional<std::vector<ir::AddressSet>> addresses = book.lookup(server, why);
    if (host.roles.empty())
      notes.push_back(fmt::format("{}: none of its roles is in the catalog", label));
    else if (!addresses)
      notes.push_back(fmt::format("{}: no address: {}", label, why));
    for (const std::string &n : notes)
      notImported(site.notes, n);
    if (host.roles.empty() || !addresses)
      return;
    host.addresses = *addresses;
    host.name = hostName(server);
    site.hosts.push_back(std::move(host));
  }

  void applySettings(const ExportRole &r, RoleOut &out, const std::string &label, std::vector<std::string> &notes) {
    const ir::Role &role = catalog.roles[out.role];
    for (const RoleSetting &s : roleSettings) {
      if (s.cmRole != r.roleName || !role.findParam(s.param))
        continue;
      for (const EmbeddedProperty &p : r.props) {
        if (!llvm::StringRef(p.name).equals_insensitive(s.property))
          continue;
        std::string why;
        if (std::optional<ir::Value> v = settingValue(p, s.kind, why))
          out.values[s.param.str()] = *v;
        else
          notes.push_back(fmt::format("{} role {} setting {}: {}", label, quoted(r.roleName), s.property.str(), why));
      }
    }
  }

  // ---- Pull distribution points ----

  /// Keep the sources of \p r, a distribution point that is a pull distribution point.
  void notePullSources(const ExportRole &r, size_t site, const std::string &label, std::vector<std::string> &notes) {
    const EmbeddedProperty *pull = property(r.props, isPullDP);
    if (!pull)
      return;
    std::string why;
    std::optional<ir::Value> on = settingValue(*pull, SettingKind::Flag, why);
    if (!on) {
      notes.push_back(fmt::format("{} role {} setting {}: {}", label, quoted(r.roleName), isPullDP.str(), why));
      return;
    }
    if (!on->boolean)
      return;
    for (const EmbeddedPropertyList &list : r.propLists)
      if (llvm::StringRef(list.name).equals_insensitive(sourceDPs))
        for (const std::string &path : list.values)
          pullSources.push_back({site, fmt::format("{} role {}", label, quoted(r.roleName)), serverFromPath(path)});
  }

  /// A pull distribution point's sources are the distribution points configured as source
  /// (`pull_source`): the catalog opens the pull traffic towards them.
  void placePullSources() {
    std::optional<unsigned> role = catalog.findRole("distribution_point");
    for (const PullSource &p : pullSources) {
      RoleOut *dp = nullptr;
      for (SiteOut &site : sites)
        for (HostOut &h : site.hosts)
          if (llvm::StringRef(h.server).equals_insensitive(p.source))
            for (RoleOut &r : h.roles)
              if (role && r.role == *role)
                dp = &r;
      if (dp && catalog.roles[dp->role].findParam("pull_source"))
        dp->values["pull_source"] = ir::Value::makeBool(true);
      else
        notImported(sites[p.site].notes, fmt::format("{} source distribution point {}: it is not an imported "
                                                     "distribution point",
                                                     p.label, quoted(p.source)));
    }
  }

  // ---- Proxy ----

  /// Whether a host of \p role opens an entry the catalog routes through the proxy (Note 1).
  bool reachesProxy(unsigned role) const {
    for (const ir::Link &l : catalog.links)
      for (const ir::Entry &e : l.entries)
        if (e.proxy && (l.srcRole == role || (l.bidirectional && !e.forwardOnly && l.dstRole == role)))
          return true;
    return false;
  }

  /// The hierarchy's `proxy` and `proxy_port` from the site systems whose Internet-bound rows
  /// go through it. The catalog has one proxy for the hierarchy, so they are set only when
  /// every such site system uses the same proxy, or none does.
  void placeProxy() {
    std::vector<std::pair<const HostOut *, std::string>> uses; // host, "NAME:PORT" or "" (none)
    std::map<std::string, std::pair<const EmbeddedProperty *, const EmbeddedProperty *>> settings;
    for (const SiteOut &site : sites)
      for (const HostOut &h : site.hosts) {
        if (!llvm::any_of(h.roles, [&](const RoleOut &r) { return reachesProxy(r.role); }))
          continue;
        const std::vector<EmbeddedProperty> none;
        const std::vector<EmbeddedProperty> &props = h.siteSystem ? h.siteSystem->props : none;
        const EmbeddedProperty *use = property(props, useProxy);
        if (!use || !use->value || *use->value == 0) {
          uses.push_back({&h, ""});
          continue;
        }
        const EmbeddedProperty *name = property(props, proxyName), *port = property(props, proxyPort);
        std::string key = fmt::format("{}:{}", name ? llvm::StringRef(name->value2).trim().lower() : "",
                                      port && port->value ? std::to_string(*port->value) : "");
        settings[key] = {name, port};
        uses.push_back({&h, key});
      }
    if (settings.empty())
      return;
    if (settings.size() > 1 || llvm::any_of(uses, [](const auto &u) { return u.second.empty(); })) {
      std::vector<std::string> who;
      for (const auto &[host, key] : uses)
        who.push_back(fmt::format("{} uses {}", quoted(host->server), key.empty() ? "none" : quoted(key)));
      notImported(topNotes, fmt::format("proxy: the catalog has one proxy for the hierarchy, and the site systems "
                                        "that reach the Internet through it differ ({})",
                                        fmt::join(who, ", ")));
      return;
    }
    auto [name, port] = settings.begin()->second;
    std::string label = fmt::format("proxy of {}", quoted(uses.front().first->server));
    std::string server = name ? llvm::StringRef(name->value2).trim().str() : "";
    if (server.empty()) {
      notImported(topNotes, fmt::format("{}: {} names no server", label, proxyName.str()));
      return;
    }
    std::string why;
    std::optional<ir::Value> portValue = port ? settingValue(*port, SettingKind::Port, why) : std::nullopt;
    if (!portValue) {
      notImported(topNotes, fmt::format("{} setting {}: {}", label, proxyPort.str(),
                                        port ? why : "the export does not hold it"));
      return;
    }
    std::optional<ir::AddressSet> address = ir::AddressSet::parse(server);
    if (!address) {
      std::optional<std::vector<ir::AddressSet>> found = book.lookup(server, why);
      if (found && found->size() == 1)
        address = found->front();
      else if (found)
        why = "it has several addresses, and the catalog's proxy is one address";
    }
    if (address && !isOneAddress(address->cidrs())) {
      address.reset();
      why = "it is not one address";
    }
    if (!address) {
      notImported(topNotes, fmt::format("{} {}: {}", label, quoted(server), why));
      return;
    }
    globals["proxy"] = ir::Value::makeString(address->str());
    globals["proxy_port"] = *portValue;
  }

  // ---- Site settings ----

  void placeSiteSettings() {
    for (const ExportComponent &c : ex.components) {
      std::optional<size_t> site = siteIndex(c.siteCode);
      for (const SiteSetting &s : siteSettings) {
        if (s.component != c.name)
          continue;
        for (const EmbeddedProperty &p : c.props) {
          if (!llvm::StringRef(p.name).equals_insensitive(s.property))
            continue;
          std::string label = fmt::format("site {} {} setting {}", quoted(c.siteCode),
                                          s.component == SiteDefinitionName ? "site definition"
                                                                            : "component " + s.component.str(),
                                          s.property.str());
          std::string why;
          std::optional<ir::Value> v = settingValue(p, SettingKind::Port, why);
          if (!site)
            notImported(topNotes, label + ": the site is not imported");
          else if (!v)
            notImported(sites[*site].notes, label + ": " + why);
          else
            sites[*site].values[(s.role + "." + s.param).str()] = *v;
        }
      }
    }
  }

  /// The catalog default of global parameter \p global (a literal: globals refer to nothing).
  std::optional<ir::Value> globalDefault(unsigned global) const {
    const ir::ParamDecl &g = catalog.globals[global];
    std::string error;
    return g.defaultValue ? std::optional<ir::Value>(ir::evaluate(
                                *g.defaultValue, [](const ir::RefExpr &) { return std::optional<ir::Value>(); }, error))
                          : std::nullopt;
  }

  /// The catalog default of \p role's parameter \p param, given the values \p set on the same
  /// role instance (a default may refer to the role's other parameters).
  std::optional<ir::Value> defaultOf(unsigned role, unsigned param, const std::map<std::string, ir::Value> &set,
                                     unsigned depth = 0) const {
    const ir::ParamDecl &decl = catalog.roles[role].params[param];
    if (!decl.defaultValue || depth > 16)
      return std::nullopt;
    std::string error;
    ir::Value v = ir::evaluate(
        *decl.defaultValue,
        [&](const ir::RefExpr &ref) -> std::optional<ir::Value> {
          const std::optional<ir::ParamTarget> &t = ref.getTarget();
          if (!t)
            return std::nullopt;
          if (t->isGlobal())
            return globalDefault(t->param);
          if (t->role == role) {
            auto it = set.find(catalog.roles[role].params[t->param].name);
            if (it != set.end())
              return it->second;
          }
          return defaultOf(t->role, t->param, t->role == role ? set : std::map<std::string, ir::Value>(), depth + 1);
        },
        error);
    if (v.type == ir::TypeKind::Error)
      return std::nullopt;
    return v;
  }

  /// The value \p key ("role.param") has at \p site without its own setting: its parent's,
  /// or the catalog's default.
  std::optional<ir::Value> inherited(const SiteOut &site, const std::string &key) const {
    for (std::optional<size_t> s = site.parent; s; s = sites[*s].parent) {
      auto it = sites[*s].values.find(key);
      if (it != sites[*s].values.end())
        return it->second;
    }
    auto [roleName, paramName] = llvm::StringRef(key).split('.');
    std::optional<unsigned> role = catalog.findRole(roleName);
    std::optional<unsigned> param = role ? catalog.roles[*role].findParam(paramName) : std::nullopt;
    return param ? defaultOf(*role, *param, {}) : std::nullopt;
  }

  // ---- Boundaries ----

  /// A boundary's addresses, or why it has none.
  std::optional<ir::AddressSet> boundaryAddresses(const ExportBoundary &b, std::string &why) const {
    llvm::StringRef value = llvm::StringRef(b.value).trim();
    std::string error;
    switch (BoundaryKind(b.type)) {
    case BoundaryKind::ADSite:
      why = "an Active Directory site boundary names no addresses; add the site's subnets as IP subnet or IP "
            "range boundaries, or write their clients line by hand";
      return std::nullopt;
    case BoundaryKind::IPSubnet: {
      if (value.contains('/')) {
        std::optional<ir::AddressSet> set = ir::AddressSet::parse(value, &error);
        if (!set || !set->v6().empty())
          why = set ? "not an IPv4 subnet" : "not a subnet: " + error;
        return set && set->v6().empty() ? set : std::nullopt;
      }
      std::optional<ir::AddressSet> id = ir::AddressSet::parse(value, &error);
      if (!id) {
        why = "not a subnet ID: " + error;
        return std::nullopt;
      }
      std::optional<ir::AddressSet> prefix = book.prefixFor(value);
      if (prefix && prefix->contains(*id))
        return prefix;
      why = fmt::format("Configuration Manager keeps only the subnet ID of an IP subnet boundary; give its prefix "
                        "in the address map ({},{}/LENGTH)",
                        printable(value), printable(value));
      return std::nullopt;
    }
    case BoundaryKind::IPv6Prefix: {
      std::string text = value.str();
      if (!value.contains('/')) // Configuration Manager writes the 64-bit prefix alone
        text = fmt::format("{}{}/64", text, value.contains("::") || llvm::count(value, ':') >= 7 ? "" : "::");
      std::optional<ir::AddressSet> set = ir::AddressSet::parse(text, &error);
      if (!set || !set->v4().empty())
        why = set ? "not an IPv6 prefix" : "not an IPv6 prefix: " + error;
      return set && set->v4().empty() ? set : std::nullopt;
    }
    case BoundaryKind::IPRange: {
      auto [loText, hiText] = value.split('-');
      std::optional<ir::AddressSet> lo = ir::AddressSet::parse(loText.trim()), hi = ir::AddressSet::parse(hiText.trim());
      std::vector<ir::Cidr> a = lo ? lo->cidrs() : std::vector<ir::Cidr>(), z = hi ? hi->cidrs() : std::vector<ir::Cidr>();
      if (!isOneAddress(a) || !isOneAddress(z) || a[0].family != z[0].family || a[0].network > z[0].network) {
        why = "not a range FIRST-LAST of two addresses of one family, first not above last";
        return std::nullopt;
      }
      ir::AddressSet set;
      if (a[0].family == ir::Family::V4)
        set.v4().add(uint32_t(a[0].network), uint32_t(z[0].network));
      else
        set.v6().add(a[0].network, z[0].network);
      return set;
    }
    }
    why = fmt::format("boundary type {} is none of 0 (IP subnet), 1 (Active Directory site), 2 (IPv6 prefix), 3 "
                      "(IP range)",
                      b.type);
    return std::nullopt;
  }

  /// The site whose clients a boundary group's boundaries are: the site it assigns, or the
  /// secondary site below it that serves the group (all of the group's site systems are
  /// there), whose management point and distribution points those clients use.
  std::optional<size_t> groupSite(const ExportBoundaryGroup &g) const {
    std::optional<size_t> assigned = siteIndex(g.defaultSiteCode);
    if (!assigned || g.siteSystems.empty())
      return assigned;
    const std::string &code = g.siteSystems.front().siteCode;
    bool one = llvm::all_of(g.siteSystems, [&](const ExportBoundaryGroup::SiteSystem &s) { return s.siteCode == code; });
    std::optional<size_t> serving = siteIndex(code);
    if (one && serving && sites[*serving].kind == ir::SiteKind::Secondary && sites[*serving].parent == assigned)
      return serving;
    return assigned;
  }

  void placeBoundaries() {
    std::map<int64_t, const ExportBoundary *> byId;
    for (const ExportBoundary &b : ex.boundaries)
      byId.emplace(b.id, &b);
    std::set<int64_t> grouped;
    std::vector<const ExportBoundaryGroup *> groups;
    for (const ExportBoundaryGroup &g : ex.boundaryGroups)
      groups.push_back(&g);
    llvm::stable_sort(groups, [](auto *a, auto *b) { return a->id < b->id; });
    std::set<std::pair<size_t, int64_t>> placed; // (site, boundary) already handled
    for (const ExportBoundaryGroup *g : groups) {
      std::string label = fmt::format("boundary group {}", quoted(g->name));
      std::optional<size_t> site = groupSite(*g);
      if (!site && !g->boundaryIds.empty())
        notImported(topNotes, g->defaultSiteCode.empty()
                                  ? label + ": it assigns no site, so its boundaries are no site's clients"
                                  : fmt::format("{}: the site it assigns, {}, is not imported", label,
                                                quoted(g->defaultSiteCode)));
      for (int64_t id : g->boundaryIds) {
        grouped.insert(id);
        auto it = byId.find(id);
        if (it == byId.end()) {
          notImported(topNotes, fmt::format("{}: it lists boundary {}, which the export does not hold", label, id));
          continue;
        }
        if (!site || !placed.insert({*site, id}).second)
          continue;
        std::string why;
        if (std::optional<ir::AddressSet> set = boundaryAddresses(*it->second, why))
          sites[*site].clients = sites[*site].clients.unite(*set);
        else
          notImported(sites[*site].notes, fmt::format("boundary {} ({}): {}", quoted(it->second->displayName),
                                                      quoted(it->second->value), why));
      }
    }
    for (const auto &[id, b] : byId)
      if (!grouped.count(id))
        notImported(topNotes, fmt::format("boundary {} ({}): it is in no boundary group, so it is no site's clients",
                                          quoted(b->displayName), quoted(b->value)));
  }

  // ---- Printing ----

  static void printNotes(std::string &out, const std::vector<std::string> &notes, llvm::StringRef indent) {
    for (const std::string &n : notes)
      out += fmt::format("{}# not imported: {}\n", indent.str(), printable(n));
  }

  std::string settingsBlock(const RoleOut &r) const {
    const ir::Role &role = catalog.roles[r.role];
    std::string block;
    for (unsigned p = 0; p < role.params.size(); ++p) {
      auto it = r.values.find(role.params[p].name);
      if (it == r.values.end())
        continue;
      std::optional<ir::Value> def = defaultOf(r.role, p, r.values);
      if (def && sameValue(*def, it->second))
        continue;
      block += fmt::format(" {} = {};", role.params[p].name, it->second.str());
    }
    return block.empty() ? "" : " {" + block + " }";
  }

  void printSite(std::string &out, const SiteOut &site) const {
    out += fmt::format("  site {} {}", site.src->code, ir::siteKindName(site.kind).str());
    if (site.parent)
      out += fmt::format(" parent {}", sites[*site.parent].src->code);
    out += " {\n";
    size_t width = 0;
    for (const HostOut &h : site.hosts)
      width = std::max(width, h.name.size());
    for (const HostOut &h : site.hosts) {
      std::vector<std::string> addresses, roles;
      for (const ir::AddressSet &a : h.addresses)
        addresses.push_back(a.str());
      for (const RoleOut &r : h.roles)
        roles.push_back(catalog.roles[r.role].name + settingsBlock(r));
      // A role with settings ends in a block, which needs no ';'.
      bool block = !h.roles.empty() && llvm::StringRef(roles.back()).endswith("}");
      out += fmt::format("    host {:<{}} {} : {}{}\n", h.name, width, fmt::join(addresses, ", "),
                         fmt::join(roles, ", "), block ? "" : ";");
    }
    if (!site.clients.empty()) {
      std::vector<std::string> prefixes;
      for (const ir::Cidr &c : site.clients.cidrs())
        prefixes.push_back(c.str());
      out += fmt::format("    clients {};\n", fmt::join(prefixes, ", "));
    }
    for (const auto &[key, value] : site.values) {
      std::optional<ir::Value> before = inherited(site, key);
      if (!before || !sameValue(*before, value))
        out += fmt::format("    {} = {};\n", key, value.str());
    }
    printNotes(out, site.notes, "    ");
    out += "  }\n";
  }

  std::string print(const ImportOptions &options) const {
    std::string out;
    out += fmt::format("# Imported by `cmnetc import configmgr` from {}\n", printable(options.exportName));
    out += fmt::format("# (exported {}{}).\n", ex.exportedAt.empty() ? "at an unknown time" : printable(ex.exportedAt),
                       ex.providerSiteCode.empty() ? "" : " from site " + printable(ex.providerSiteCode));
    out += "# Bind the external roles and add allow/deny statements by hand: see docs/import.md.\n";
    out += "import cm.current_branch;\n\n";
    out += fmt::format("hierarchy {} {{\n", options.hierarchyName);
    bool wroteGlobal = false;
    for (const auto &[name, value] : globals) {
      std::optional<unsigned> g = catalog.findGlobal(name);
      std::optional<ir::Value> def = g ? globalDefault(*g) : std::nullopt;
      if (def && sameValue(*def, value))
        continue;
      out += fmt::format("  {} = {};\n", name, value.str());
      wroteGlobal = true;
    }
    if (wroteGlobal && !sites.empty())
      out += "\n";
    for (size_t i = 0; i < sites.size(); ++i) {
      if (i)
        out += "\n";
      printSite(out, sites[i]);
    }
    if (!topNotes.empty()) {
      if (!sites.empty())
        out += "\n";
      printNotes(out, topNotes, "  ");
    }
    out += "}\n";
    return out;
  }

  const ConfigMgrExport &ex;
  const AddressBook &book;
  const ir::Model &catalog;
  DiagnosticEngine &diags;
  std::vector<SiteOut> sites; // hierarchy order
  std::map<std::string, size_t, std::less<>> siteByCode;
  std::set<std::string> hostNames;
  std::vector<std::string> topNotes; // at the hierarchy level
  std::map<std::string, ir::Value> globals; // global parameters from the export, by name
  std::vector<PullSource> pullSources;
};

} // namespace

bool isUsableName(llvm::StringRef name) {
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }) && !isReserved(name);
}

std::string importConfigMgr(const ConfigMgrExport &ex, const AddressBook &book, const ir::Model &catalog,
                            const ImportOptions &options, DiagnosticEngine &diags) {
  return Importer(ex, book, catalog, diags).run(options);
}

} // namespace cmnet::import
