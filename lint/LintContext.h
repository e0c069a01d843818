// LintContext: what every lint check reads (the model, the flows the catalog requires, what
// the final policy allows) and where it reports.
#pragma once

#include "lint/Coverage.h"
#include "lint/LintRule.h"

#include "analysis/CompileContext.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cmnet::lint {

/// A user allow/deny statement with its endpoints resolved to addresses.
struct StatementBox {
  unsigned index; ///< into Hierarchy::statements
  const ir::PolicyStatement *statement;
  ir::AddressSet srcs, dsts;
};

class LintContext {
public:
  /// \p required: the flows before apply-policy (what the catalog and its notes need).
  LintContext(const analysis::CompileContext &ctx, llvm::ArrayRef<ir::Flow> required);

  const ir::Model &model;
  const ir::Hierarchy &hierarchy;
  const ir::FlowTable &table;
  const llvm::ArrayRef<ir::Flow> required; // not a copy: 1.5 million flows at the published limits
  /// What the final flow table allows.
  const Coverage allowed;

  // ---- Names and places ----
  /// A catalog role by name; checks about one role (management_point …) do nothing when the
  /// imported catalogs lack it.
  std::optional<unsigned> role(llvm::StringRef name) const { return model.findRole(name); }
  /// Indices of the hosts that have \p role.
  std::vector<unsigned> hostsWithRole(unsigned role) const;
  ir::AddressSet addressesOf(llvm::ArrayRef<unsigned> hosts) const;
  /// A role instance's parameter value, by parameter name (nullopt: the role has none).
  std::optional<ir::Value> value(const ir::Binding &binding, llvm::StringRef param) const;
  /// Where a parameter's value came from: the override's range, or \p fallback for a default.
  llvm::SMRange valueSourceRange(const ir::Binding &binding, llvm::StringRef param, llvm::SMRange fallback) const;
  /// The user's declaration of a role instance: the host's role name, the clients statement,
  /// the external statement (the hierarchy's name for an external role never bound).
  llvm::SMRange declarationOf(const ir::Binding &binding) const;
  const ir::Binding *binding(unsigned index) const {
    return index < table.bindings.size() ? &table.bindings[index] : nullptr;
  }
  /// The binding of \p host's role \p role, if the host has it.
  std::optional<unsigned> hostBinding(unsigned host, unsigned role) const;
  bool hasRole(const ir::Binding *binding, std::optional<unsigned> role) const {
    return binding && role && binding->role == *role;
  }

  // ---- Statements ----
  llvm::ArrayRef<StatementBox> statements() const { return statementBoxes; }
  /// The deny statements that remove part of \p piece (a part of \p flow), in statement order.
  std::vector<const StatementBox *> denialsOf(const ir::Flow &flow, const ir::Flow &piece) const;
  /// The part of \p flow that statement \p s covers, for a flow its service matches (see
  /// analysis::serviceMatches): its sources and destinations, and its ports when it names any.
  static ir::Flow coveredPart(const StatementBox &s, const ir::Flow &flow);
  /// The flows an allow statement adds, one per protocol (as apply-policy makes them).
  static std::vector<ir::Flow> allowFlows(const StatementBox &s);
  /// True for an allow statement that still opens something after the denies.
  bool allowSurvives(unsigned statement) const { return surviving[statement]; }
  /// The allow statements whose provenance \p flow carries, in statement order.
  std::vector<const StatementBox *> allowsOf(const ir::Flow &flow) const;
  /// "deny client -> * tcp 3389": a statement as its meaning, independent of layout.
  static std::string statementText(const ir::PolicyStatement &st);

  // ---- Required flows and their losses ----
  /// The parts of required flow \p index that the final policy does not allow (cached). Only
  /// deny statements remove tuples after the snapshot (the passes after apply-policy keep
  /// every tuple they are given), so a flow no deny touches has lost nothing and costs no
  /// coverage query.
  const std::vector<ir::Flow> &missing(unsigned index);
  /// The deny statements that remove part of required flow \p index, in statement order.
  std::vector<const StatementBox *> culpritsOf(unsigned index);
  /// The required flows whose source is binding \p binding, in order.
  llvm::ArrayRef<unsigned> requiredFrom(unsigned binding) const {
    return binding < requiredBySource.size() ? llvm::ArrayRef<unsigned>(requiredBySource[binding])
                                             : llvm::ArrayRef<unsigned>();
  }
  /// A specific check explains this loss; the generic denied-requirement check skips it.
  void claim(unsigned index) { claimed[index] = true; }
  bool isClaimed(unsigned index) const { return claimed[index]; }

  // ---- Reporting ----
  void report(Finding finding) { found.push_back(std::move(finding)); }
  void report(RuleId rule, llvm::SMRange range, std::string message, std::string key, std::vector<DiagNote> notes = {},
              llvm::SMLoc subject = llvm::SMLoc());
  std::vector<Finding> &findings() { return found; }

private:
  std::map<std::pair<unsigned, unsigned>, unsigned> hostBindings; // (host, role) -> binding
  std::vector<StatementBox> statementBoxes;
  analysis::AddressIndex denyDestinations;               // deny statements by destination, ids into statementBoxes
  std::vector<bool> surviving;                         // per statement: an allow with a flow in the final table
  llvm::DenseMap<const char *, unsigned> statementAt;  // statement start -> index in statementBoxes
  std::vector<std::vector<unsigned>> requiredBySource; // binding -> required flows from it
  std::vector<std::optional<std::vector<ir::Flow>>> missingCache;
  std::vector<bool> claimed;
  std::vector<Finding> found;
};

/// One note per statement: "\p text" at each.
std::vector<DiagNote> statementNotes(llvm::ArrayRef<const StatementBox *> statements, llvm::StringRef text);
/// Append \p items to \p list, skipping those already there.
template <typename T> void appendNew(std::vector<T> &list, llvm::ArrayRef<T> items) {
  for (const T &item : items)
    if (std::find(list.begin(), list.end(), item) == list.end())
      list.push_back(item);
}
/// "tcp 8530", "udp 49152-65535", "icmp type 8".
std::string serviceText(const ir::Flow &flow);
/// "P01 clients -> p01sup": the two ends of a required flow.
std::string pairText(const ir::FlowTable &table, const ir::Flow &flow);
/// "Client --> Software update point: HTTPS": a catalog entry as the document names it.
std::string entryText(const ir::Flow &flow);
/// "10.0.0.0/8, 203.0.113.0/24 and 4 more": an address set's CIDR blocks, a few of them.
std::string addressesText(const ir::AddressSet &set, size_t limit = 3);
/// Up to \p limit items joined by ", ", then "and N more".
std::string listSome(llvm::ArrayRef<std::string> items, size_t limit = 3);

} // namespace cmnet::lint
