// PolicyMatch: what the endpoints and service of an allow/deny statement cover. Shared by
// apply-policy, lint and `cmnetc explain`, which names the deny that closes a port.
#pragma once

#include "analysis/CompileContext.h"

#include <optional>
#include <vector>

namespace cmnet::analysis {

/// The addresses a statement endpoint stands for: `*` is any; a host, site or role stands for
/// the addresses of its hosts and client subnets (a role: of every binding with that role).
ir::AddressSet policyEndpointAddresses(const CompileContext &ctx, const ir::PolicyEndpoint &ep);

/// policyEndpointAddresses for many statements over one flow table: each role's and site's
/// addresses are united once, in O(n log n) over its bindings, so resolving S statements costs
/// O(S + bindings) set unions instead of O(S x bindings). The flow table's bindings must not
/// change while it is in use.
class EndpointAddresses {
public:
  explicit EndpointAddresses(const CompileContext &ctx) : ctx(ctx) {}
  /// Valid until this object is destroyed.
  const ir::AddressSet &of(const ir::PolicyEndpoint &ep);

private:
  const ir::AddressSet &ofRole(unsigned role);
  const ir::AddressSet &ofSite(unsigned site);

  const CompileContext &ctx;
  std::vector<ir::AddressSet> byRole; // filled on first use of any role
  bool rolesIndexed = false;
  std::vector<std::optional<ir::AddressSet>> bySite; // sized once: references stay valid
};

/// True when \p svc names \p flow's protocol and at least one of its ports (or its entry tag).
bool serviceMatches(const ir::PolicyService &svc, const ir::Flow &flow);

} // namespace cmnet::analysis
