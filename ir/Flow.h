// FlowTable: who may reach whom, on what, and why — the IR every pass rewrites.
#pragma once

#include "ir/AddressSet.h"
#include "ir/Model.h"
#include "ir/PortSet.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>
#include <vector>

namespace cmnet::ir {

using ProvId = uint32_t;
/// A value that comes from a catalog default rather than an override has no provenance.
constexpr ProvId NoSource = ~ProvId(0);

/// One reason a flow exists or is shaped as it is, with the source line that says so.
struct Provenance {
  enum ProvKind : unsigned char { CatalogEntry, Note, Override, Rule, Allow, Deny, Default, Pass };
  ProvKind kind;
  std::string text;
  llvm::SMRange loc;
};
llvm::StringRef provenanceKindName(Provenance::ProvKind kind);

/// An instance of a role at a place in the hierarchy: a host's role, a site's clients, or an
/// external endpoint. Parameter values are filled in by resolve-overrides.
struct Binding {
  enum BindingKind : unsigned char { HostRole, Clients, External, User } kind = HostRole;
  static constexpr unsigned None = ~0u;
  unsigned role = None;
  unsigned owner = None; // host / client group / external binding index
  unsigned site = None;
  AddressSet addresses;
  std::string label;
  std::vector<Value> values;       // per role parameter
  std::vector<ProvId> valueSource; // provenance of each value (override or default)
};

enum class FlowAction : unsigned char { Allow, Deny };

/// A part of a merged flow and the reasons behind exactly its tuples: lowering merges flows of
/// different catalog rows, statements and endpoints into one, and a rule cut from it later
/// cites only the parts it intersects. A dimension left null is the whole flow's. The sets are
/// shared: the parts of alike flows, and the parts of one class of a merge, point at the same.
struct FlowPart {
  std::shared_ptr<const AddressSet> src, dst;
  std::shared_ptr<const PortSet> ports;
  llvm::SmallVector<ProvId, 2> why;
  /// Equal in value: the same sets (or both the flow's own) and reasons.
  bool operator==(const FlowPart &o) const;
};
using FlowParts = std::vector<FlowPart>;
llvm::hash_code hash_value(const FlowPart &part);

struct Flow {
  // Moves are noexcept (SmallVector's are not declared so): std::vector then moves flows when
  // it grows instead of copying them, which matters with millions of them.
  Flow() = default;
  Flow(const Flow &) = default;
  Flow(Flow &&) noexcept = default;
  Flow &operator=(const Flow &) = default;
  Flow &operator=(Flow &&) noexcept = default;

  static constexpr unsigned Mixed = ~0u;
  unsigned src = Mixed, dst = Mixed; // bindings (Mixed once passes merge flows)
  AddressSet srcAddrs, dstAddrs;
  Protocol proto = Protocol::TCP;
  int icmpType = -1;
  PortSet ports;
  FlowAction action = FlowAction::Allow;
  const Link *link = nullptr;   // null for user statements
  const Entry *entry = nullptr; // null for user statements
  unsigned entryItem = 0;       // which protocol of a tcp+udp entry
  bool resolved = false;        // ports and addresses are concrete
  /// Every reason behind the flow, in the order first seen.
  llvm::SmallVector<ProvId, 4> why;
  /// Null: every tuple of the flow has every reason in why (a flow before lowering, or a merge
  /// of flows with the same reasons). Else the parts, which together are the flow, and whose
  /// reasons together are why.
  std::shared_ptr<const FlowParts> parts;
};

/// Append to \p cited the reasons of \p flow behind the tuples it shares with the box \p src x
/// \p dst x \p ports (a null dimension is not narrowed), in the order of flow.why. The box
/// must intersect the flow.
void citeIntersecting(const Flow &flow, const AddressSet *src, const AddressSet *dst, const PortSet *ports,
                      llvm::SmallVectorImpl<ProvId> &cited);

/// A user `allow` statement that opens nothing beyond what the other flows open (found by
/// detect-shadowing; the linter reports it from here).
struct ShadowedStatement {
  unsigned statement = 0;                // index into Hierarchy::statements
  llvm::SmallVector<ProvId, 4> coveredBy; // the catalog entries and statements that cover it
};

/// The flows plus the tables they index into.
class FlowTable {
public:
  std::vector<Binding> bindings;
  std::vector<Flow> flows;
  std::vector<Value> globals;
  std::vector<ProvId> globalSource;
  /// Resolves provenance locations to file:line for dumps and comments.
  const llvm::SourceMgr *sourceMgr = nullptr;
  /// Diagnostics-free notes that passes leave for lint and stats.
  std::vector<std::string> remarks;
  /// Allow statements covered entirely by other flows, in statement order.
  std::vector<ShadowedStatement> shadowed;

  ProvId addProvenance(Provenance::ProvKind kind, std::string text, llvm::SMRange loc);
  const Provenance &provenance(ProvId id) const { return provTable[id]; }
  size_t provenanceCount() const { return provTable.size(); }

  /// Label of one end of a flow: the binding's label or the addresses.
  std::string endpointLabel(const Flow &flow, bool source) const;
  /// "file:line" of a provenance record ("" when it has no location).
  std::string where(ProvId id) const;
  /// "kind: text (file:line)" of one provenance record.
  std::string describe(ProvId id) const;

private:
  std::vector<Provenance> provTable;
  llvm::StringMap<ProvId> provIndex;
};

/// Merge \p from's provenance into \p into (keeping order, no repeats).
void mergeWhy(llvm::SmallVectorImpl<ProvId> &into, llvm::ArrayRef<ProvId> from);

} // namespace cmnet::ir
