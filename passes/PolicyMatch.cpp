// Statement endpoints and services resolved against the flow table.
#include "passes/PolicyMatch.h"

#include <algorithm>

using namespace cmnet::ir;

namespace cmnet::passes {

AddressSet policyEndpointAddresses(const CompileContext &ctx, const PolicyEndpoint &ep) {
  const Hierarchy &h = *ctx.model.hierarchy;
  AddressSet out;
  switch (ep.kind) {
  case PolicyEndpoint::Any:
    return AddressSet::any();
  case PolicyEndpoint::Addresses:
    return ep.addresses;
  case PolicyEndpoint::Host:
    return h.hosts[ep.index].addresses;
  case PolicyEndpoint::Site:
    for (unsigned host : h.sites[ep.index].hosts)
      out = out.unite(h.hosts[host].addresses);
    for (unsigned group : h.sites[ep.index].clientGroups)
      out = out.unite(h.clientGroups[group].addresses);
    return out;
  case PolicyEndpoint::Role:
    for (const Binding &b : ctx.flows.bindings)
      if (b.role == ep.index)
        out = out.unite(b.addresses);
    return out;
  }
  return out;
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

} // namespace cmnet::passes
