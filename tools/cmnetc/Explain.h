// Explain: what is open between two endpoints and why, and why a port is closed.
// The analysis behind `cmnetc explain`; it reads the flows the pipeline produced up to
// apply-policy, where every flow still belongs to one catalog row or statement.
#pragma once

#include "passes/Pass.h"

#include <optional>
#include <string>
#include <vector>

namespace cmnet::driver {

/// One side of the question: a host (by name) or addresses.
struct ExplainEndpoint {
  std::string text;                 // as the user wrote it
  ir::AddressSet addresses;
  std::optional<unsigned> host;     // index into Hierarchy::hosts
  /// The role instances standing here: the host's roles, or every binding whose addresses
  /// hold these addresses (a client subnet, an external endpoint).
  std::vector<unsigned> bindings;
  std::string describe(const passes::CompileContext &ctx) const;
};

/// Resolve \p text as a host name, else as an address or prefix. nullopt: neither.
std::optional<ExplainEndpoint> resolveEndpoint(const passes::CompileContext &ctx, llvm::StringRef text);

/// A run of ports (or one ICMP type) opened by the same flows, with their reasons.
struct OpenPorts {
  ir::Protocol proto;
  int icmpType = -1;
  ir::PortSet ports;
  llvm::SmallVector<ir::ProvId, 8> why;
  ir::AddressSet fromCovered, toCovered; // the parts of the endpoints these flows reach
};

/// Everything \p flows allow from \p from to \p to, per protocol and run of ports, in order.
std::vector<OpenPorts> openPorts(llvm::ArrayRef<ir::Flow> flows, const ExplainEndpoint &from,
                                 const ExplainEndpoint &to);

/// Why \p proto \p port is closed from \p from to \p to: the denies that removed it, or the
/// catalog links between the endpoints' roles and why none of their rows applies.
/// \p beforePolicy are the flows just before apply-policy.
std::vector<std::string> closedReasons(passes::CompileContext &ctx, llvm::ArrayRef<ir::Flow> beforePolicy,
                                       const ExplainEndpoint &from, const ExplainEndpoint &to, ir::Protocol proto,
                                       uint16_t port);

} // namespace cmnet::driver
