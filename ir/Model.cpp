// Model look-ups and enum names.
#include "ir/Model.h"

namespace cmnet::ir {

llvm::StringRef protocolName(Protocol p) {
  switch (p) {
  case Protocol::TCP: return "tcp";
  case Protocol::UDP: return "udp";
  case Protocol::ICMP: return "icmp";
  }
  return "?";
}

llvm::StringRef scopeName(Scope s) {
  switch (s) {
  case Scope::Site: return "site";
  case Scope::Parent: return "parent";
  case Scope::Adjacent: return "adjacent";
  case Scope::Hierarchy: return "hierarchy";
  case Scope::Top: return "top";
  case Scope::External: return "external";
  }
  return "?";
}

llvm::StringRef siteKindName(SiteKind k) {
  switch (k) {
  case SiteKind::Central: return "central";
  case SiteKind::Primary: return "primary";
  case SiteKind::Secondary: return "secondary";
  }
  return "?";
}

std::optional<unsigned> Role::findParam(llvm::StringRef n) const {
  for (unsigned i = 0; i < params.size(); ++i)
    if (params[i].name == n)
      return i;
  return std::nullopt;
}

std::optional<unsigned> Model::findRole(llvm::StringRef name) const {
  auto it = roleIndex.find(name);
  if (it == roleIndex.end())
    return std::nullopt;
  return it->second;
}

std::optional<unsigned> Model::findGlobal(llvm::StringRef name) const {
  auto it = globalIndex.find(name);
  if (it == globalIndex.end())
    return std::nullopt;
  return it->second;
}

std::optional<unsigned> Model::clientRole() const {
  for (unsigned i = 0; i < roles.size(); ++i)
    if (roles[i].kind == RoleKind::Client)
      return i;
  return std::nullopt;
}

} // namespace cmnet::ir
