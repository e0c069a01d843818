// detect-shadowing: user allow statements that open nothing the other flows do not open.
#include "analysis/AddressIndex.h"
#include "analysis/FlowBox.h"
#include "analysis/FlowMerge.h"
#include "passes/Pass.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <map>

using namespace cmnet::analysis;
using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Warns (`shadowed-rule`) about every `allow` statement whose flows are covered by the union
/// of all other flows — catalog flows and other statements together, not only by a single one —
/// with a note at each covering catalog row or statement, and records it in
/// FlowTable::shadowed for the linter. A statement's flows are the flows carrying its
/// provenance: the optimizing passes never merge flows of different statements.
///
///   link client -> management_point … { tcp http_port "HTTP"; }      (P01 clients -> p01 tcp 80)
///   allow 10.1.16.0/24 -> p01 tcp 80;                                 (inside P01's clients)
///   warning: allow opens nothing that is not already open [shadowed-rule]
///   note: covered by catalog: Client --> Management point: HTTP
///
/// Statements are checked in order, and one reported no longer covers those after it, so
/// deleting every statement warned about never closes a tuple: of two statements that cover
/// each other, only the first is reported (covered by the second).
///
/// Each of the statement's flows is cut by the flows that overlap it (found through address
/// indexes on sources and on destinations, asking the one with fewer matches, so the cost
/// follows the overlaps, not all pairs of flows) until nothing is left or a piece survives.
///
/// @pre  apply-policy ran; flows of different allow statements are kept apart.
/// @post flows are unchanged; FlowTable::shadowed lists the shadowed statements in order.
class DetectShadowingPass : public Pass {
public:
  llvm::StringRef name() const override { return "detect-shadowing"; }
  llvm::StringRef summary() const override { return "warn about allow statements other flows already cover"; }

  void run(CompileContext &ctx) override {
    const Hierarchy &h = *ctx.model.hierarchy;
    llvm::DenseMap<const char *, unsigned> statementAt;
    for (unsigned i = 0; i < h.statements.size(); ++i)
      if (h.statements[i].action == PolicyStatement::Allow)
        statementAt[h.statements[i].loc.Start.getPointer()] = i;

    const std::vector<Flow> &flows = ctx.flows.flows;
    std::map<unsigned, std::vector<unsigned>> flowsOf; // statement -> its flows, statement order
    for (unsigned i = 0; i < flows.size(); ++i)
      for (ProvId id : allowStatementsOf(ctx.flows, flows[i])) {
        auto it = statementAt.find(ctx.flows.provenance(id).loc.Start.getPointer());
        if (it != statementAt.end())
          flowsOf[it->second].push_back(i);
      }
    if (flowsOf.empty())
      return;

    BoxIndex overlaps;
    for (unsigned i = 0; i < flows.size(); ++i)
      overlaps.add(flows[i].srcAddrs, flows[i].dstAddrs, i);
    overlaps.build();

    // The statement's own flows, and those of statements already reported: the warning says
    // to delete them, so they cover nothing later.
    std::vector<bool> excluded(flows.size());
    for (const auto &[statement, mine] : flowsOf) {
      for (unsigned i : mine)
        excluded[i] = true;
      llvm::SmallVector<unsigned, 8> covering;
      bool shadowed = llvm::all_of(mine, [&](unsigned i) { return covered(ctx, overlaps, excluded, i, covering); });
      if (shadowed) {
        report(ctx, statement, covering);
        continue;
      }
      for (unsigned i : mine)
        excluded[i] = false;
    }
  }

private:
  /// True when the flows not \p excluded cover flow \p i entirely; collects the flows that cut it.
  static bool covered(const CompileContext &ctx, const BoxIndex &overlaps, const std::vector<bool> &excluded,
                      unsigned i, llvm::SmallVectorImpl<unsigned> &covering) {
    const std::vector<Flow> &flows = ctx.flows.flows;
    std::vector<Flow> pieces{flows[i]};
    for (unsigned c : overlaps.overlapping(flows[i].srcAddrs, flows[i].dstAddrs)) {
      const Flow &other = flows[c];
      if (excluded[c] || other.action != FlowAction::Allow || other.proto != flows[i].proto ||
          (other.icmpType >= 0 && other.icmpType != flows[i].icmpType) ||
          llvm::none_of(pieces, [&](const Flow &p) { return boxesIntersect(p, other); }))
        continue;
      std::vector<Flow> rest;
      bool cut = false;
      for (const Flow &p : pieces) {
        if (!boxesIntersect(p, other)) {
          rest.push_back(p);
          continue;
        }
        cut = true;
        subtractBox(p, other.srcAddrs, other.dstAddrs, &other.ports, [&](Flow &&r) { rest.push_back(std::move(r)); });
      }
      if (cut)
        covering.push_back(c);
      pieces = std::move(rest);
      if (pieces.empty())
        return true;
    }
    return false;
  }

  static void report(CompileContext &ctx, unsigned statement, llvm::ArrayRef<unsigned> covering) {
    const PolicyStatement &st = ctx.model.hierarchy->statements[statement];
    ShadowedStatement record;
    record.statement = statement;
    llvm::DenseSet<ProvId> seen;
    for (unsigned c : covering)
      for (ProvId id : ctx.flows.flows[c].why) {
        auto kind = ctx.flows.provenance(id).kind;
        if ((kind == Provenance::CatalogEntry || kind == Provenance::Allow) && seen.insert(id).second)
          record.coveredBy.push_back(id);
      }
    constexpr size_t maxNotes = 8;
    std::vector<DiagNote> notes;
    for (size_t n = 0; n < record.coveredBy.size() && n < maxNotes; ++n) {
      const Provenance &p = ctx.flows.provenance(record.coveredBy[n]);
      notes.push_back({p.loc, fmt::format("covered by {}: {}", provenanceKindName(p.kind).str(), p.text)});
    }
    if (record.coveredBy.size() > maxNotes)
      notes.push_back({llvm::SMRange(), fmt::format("and by {} more", record.coveredBy.size() - maxNotes)});
    ctx.diags.report(DiagKind::ShadowedRule, st.loc,
                     "allow opens nothing that is not already open; remove it, or narrow the rules that cover it",
                     std::move(notes));
    ctx.flows.shadowed.push_back(std::move(record));
  }
};

} // namespace

std::unique_ptr<Pass> createDetectShadowingPass() { return std::make_unique<DetectShadowingPass>(); }

} // namespace cmnet::passes
