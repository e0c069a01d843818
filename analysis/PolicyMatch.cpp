// Statement endpoints and services resolved against the flow table.
#include "analysis/PolicyMatch.h"

#include "analysis/SetUnion.h"

#include <algorithm>

using namespace cmnet::ir;

namespace cmnet::analysis {

AddressSet policyEndpointAddresses(const CompileContext &ctx, const PolicyEndpoint &ep) {
  if (ep.kind != PolicyEndpoint::Role)
    return EndpointAddresses(ctx).of(ep);
  std::vector<const AddressSet *> sets;
  for (const Binding &b : ctx.flows.bindings)
    if (b.role == ep.index)
      sets.push_back(&b.addresses);
  return uniteAll(sets);
}

static const AddressSet &anyAddresses() {
  static const AddressSet any = AddressSet::any();
  return any;
}

static const AddressSet &noAddresses() {
  static const AddressSet none;
  return none;
}

const AddressSet &EndpointAddresses::of(const PolicyEndpoint &ep) {
  const Hierarchy &h = *ctx.model.hierarchy;
  switch (ep.kind) {
  case PolicyEndpoint::Any:
    return anyAddresses();
  case PolicyEndpoint::Addresses:
    return ep.addresses;
  case PolicyEndpoint::Host:
    return h.hosts[ep.index].addresses;
  case PolicyEndpoint::Site:
    return ofSite(ep.index);
  case PolicyEndpoint::Role:
    return ofRole(ep.index);
  }
  return noAddresses();
}

const AddressSet &EndpointAddresses::ofRole(unsigned role) {
  if (!rolesIndexed) {
    rolesIndexed = true;
    std::vector<std::vector<const AddressSet *>> members;
    for (const Binding &b : ctx.flows.bindings) {
      if (b.role == Binding::None)
        continue;
      if (b.role >= members.size())
        members.resize(b.role + 1);
      members[b.role].push_back(&b.addresses);
    }
    byRole.reserve(members.size());
    for (const auto &sets : members)
      byRole.push_back(uniteAll(sets));
  }
  if (role >= byRole.size())
    return noAddresses();
  return byRole[role];
}

const AddressSet &EndpointAddresses::ofSite(unsigned site) {
  const Hierarchy &h = *ctx.model.hierarchy;
  if (bySite.empty())
    bySite.resize(h.sites.size());
  std::optional<AddressSet> &slot = bySite[site];
  if (slot)
    return *slot;
  std::vector<const AddressSet *> sets;
  for (unsigned host : h.sites[site].hosts)
    sets.push_back(&h.hosts[host].addresses);
  for (unsigned group : h.sites[site].clientGroups)
    sets.push_back(&h.clientGroups[group].addresses);
  slot = uniteAll(sets);
  return *slot;
}

bool serviceMatches(const PolicyService &svc, const Flow &f) {
  if (!svc.tag.empty())
    return f.entry && f.entry->tag == svc.tag;
  if (svc.protocols.empty())
    return true;
  if (std::find(svc.protocols.begin(), svc.protocols.end(), f.proto) == svc.protocols.end())
    return false;
  if (f.proto == Protocol::ICMP)
    return svc.icmpType < 0 || svc.icmpType == f.icmpType;
  return svc.ports.empty() || svc.ports.intersects(f.ports);
}

} // namespace cmnet::analysis
