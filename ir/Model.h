// Model: the resolved program — catalogs (roles, links, rules) and the user's hierarchy.
// The frontend builds it from source; passes read it to produce flows.
#pragma once

#include "ir/AddressSet.h"
#include "ir/Expr.h"
#include "ir/PortSet.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SMLoc.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cmnet::ir {

enum class Protocol : unsigned char { TCP, UDP, ICMP };
llvm::StringRef protocolName(Protocol p);

struct ParamDecl {
  std::string name;
  TypeKind type = TypeKind::Int;
  std::unique_ptr<Expr> defaultValue;
  bool fixed = false;
  llvm::SMRange loc;
};

enum class RoleKind : unsigned char { Host, Client, External };

struct Role {
  std::string name, displayName;
  RoleKind kind = RoleKind::Host;
  std::vector<ParamDecl> params;
  llvm::SMRange loc;
  std::optional<unsigned> findParam(llvm::StringRef name) const;
};

/// One port item of a catalog entry: a literal range, `dynamic`, or a parameter reference.
struct PortItem {
  enum ItemKind { Literal, Dynamic, Param } kind = Literal;
  uint16_t lo = 0, hi = 0;
  std::unique_ptr<RefExpr> ref; // Param (and Dynamic, resolved to the global dynamic_rpc)
  llvm::SMRange loc;
};

/// One row of a catalog table: protocols, ports, description and the notes that shape it.
struct Entry {
  llvm::SmallVector<Protocol, 2> protocols;
  int icmpType = -1;
  std::vector<PortItem> ports;
  std::string description;
  bool alternate = false;
  std::vector<std::string> notes;
  std::string tag;
  std::unique_ptr<Expr> when;
  bool proxy = false;
  std::optional<std::string> advisory; // "not needed": never opened, linted when opened
  std::string since;
  /// On a `<->` link, only the link's first end initiates this row (`forward`).
  bool forwardOnly = false;
  llvm::SMRange loc;
};

enum class Scope : unsigned char { Site, Parent, Adjacent, Hierarchy, Top, External };
llvm::StringRef scopeName(Scope s);

struct Link {
  unsigned srcRole = 0, dstRole = 0;
  std::string srcName, dstName; // as the source document writes them
  bool bidirectional = false;
  Scope scope = Scope::Site;
  std::string section;
  std::unique_ptr<Expr> when;
  std::vector<Entry> entries;
  unsigned catalog = 0;
  llvm::SMRange loc;
};

struct RuleAction {
  enum ActionKind { Require, Oneway, Warn, Error } kind;
  std::string tag, alongside; // Require
  unsigned role = 0;          // Oneway: the role that keeps initiating
  std::string message;        // Warn, Error
  llvm::SMRange loc;
};

struct CatalogRule {
  std::string name;
  std::optional<unsigned> role; // nullopt: `on *`
  std::unique_ptr<Expr> when;
  std::vector<RuleAction> actions;
  llvm::SMRange loc;
};

struct Catalog {
  std::string name, title;
  std::string file;
  llvm::SMRange loc;
};

// ---- Hierarchy ----

enum class SiteKind : unsigned char { Central, Primary, Secondary };
llvm::StringRef siteKindName(SiteKind k);

/// `role.param = value` (or a global `param = value`) at some level of the hierarchy.
struct Assignment {
  ParamTarget target;
  std::unique_ptr<Expr> value;
  llvm::SMRange loc;
};

struct HostRole {
  unsigned role = 0;
  std::vector<Assignment> params; // host-level values, closest of all
  llvm::SMRange loc;
};

struct Host {
  std::string name;
  unsigned site = 0;
  AddressSet addresses;
  std::vector<HostRole> roles;
  llvm::SMRange loc;
};

struct ClientGroup {
  unsigned site = 0;
  AddressSet addresses;
  std::vector<Assignment> params;
  llvm::SMRange loc;
};

struct Site {
  std::string name;
  SiteKind kind = SiteKind::Primary;
  std::optional<unsigned> parent;
  std::vector<Assignment> overrides;
  std::vector<unsigned> hosts, clientGroups;
  llvm::SMRange loc;
};

struct ExternalBinding {
  unsigned role = 0;
  AddressSet addresses;
  llvm::SMRange loc;
};

/// The subject of an allow/deny statement.
struct PolicyEndpoint {
  enum EndpointKind { Any, Host, Role, Site, Addresses } kind = Any;
  unsigned index = 0;
  AddressSet addresses; // Addresses
  std::string text;     // as written, for messages
  llvm::SMRange loc;
};

struct PolicyService {
  llvm::SmallVector<Protocol, 2> protocols; // empty: every protocol
  int icmpType = -1;
  PortSet ports;      // empty with TCP/UDP: every port
  std::string tag;    // entry tag instead of protocol/ports
  bool any() const { return protocols.empty() && tag.empty(); }
};

struct PolicyStatement {
  enum ActionKind { Allow, Deny } action = Allow;
  PolicyEndpoint src, dst;
  PolicyService service;
  std::string reason;
  llvm::SMRange loc;
};

struct Zone {
  std::string name;
  AddressSet addresses;
  llvm::SMRange loc;
};

struct Firewall {
  std::string name;
  std::vector<Zone> zones;
  llvm::SMRange loc;
};

struct Hierarchy {
  std::string name;
  std::vector<Assignment> overrides; // hierarchy level
  std::vector<Site> sites;
  std::vector<Host> hosts;
  std::vector<ClientGroup> clientGroups;
  std::vector<ExternalBinding> externals;
  std::vector<PolicyStatement> statements;
  std::vector<Firewall> firewalls;
  llvm::SMRange loc;
};

/// Everything the frontend resolved: catalogs and, for a topology, its hierarchy.
struct Model {
  std::vector<Catalog> catalogs;
  std::vector<ParamDecl> globals;
  std::vector<Role> roles;
  std::vector<Link> links;
  std::vector<CatalogRule> rules;
  std::optional<Hierarchy> hierarchy;
  std::string mainFile;

  std::optional<unsigned> findRole(llvm::StringRef name) const;
  std::optional<unsigned> findGlobal(llvm::StringRef name) const;
  /// The role of kind Client, if a catalog declares one.
  std::optional<unsigned> clientRole() const;

  llvm::StringMap<unsigned> roleIndex, globalIndex;
};

} // namespace cmnet::ir
