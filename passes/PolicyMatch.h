// PolicyMatch: what the endpoints and service of an allow/deny statement cover. Shared by
// apply-policy and by `cmnetc explain`, which names the deny that closes a port.
#pragma once

#include "passes/Pass.h"

namespace cmnet::passes {

/// The addresses a statement endpoint stands for: `*` is any; a host, site or role stands for
/// the addresses of its hosts and client subnets (a role: of every binding with that role).
ir::AddressSet policyEndpointAddresses(const CompileContext &ctx, const ir::PolicyEndpoint &ep);

/// True when \p svc names \p flow's protocol and at least one of its ports (or its entry tag).
bool serviceMatches(const ir::PolicyService &svc, const ir::Flow &flow);

} // namespace cmnet::passes
