// Hygiene of allow and deny statements: shadowed, cancelled and unmatched statements.
#include "lint/Checks.h"

#include "analysis/AddressIndex.h"
#include "analysis/FlowBox.h"
#include "analysis/PolicyMatch.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::lint {
namespace {

/// Allows that other flows cover entirely, as detect-shadowing recorded them.
void reportShadowedAllows(LintContext &lc) {
  constexpr size_t maxNotes = 8;
  for (const ShadowedStatement &record : lc.table.shadowed) {
    const PolicyStatement &st = lc.hierarchy.statements[record.statement];
    std::vector<DiagNote> notes;
    for (ProvId id : llvm::ArrayRef<ProvId>(record.coveredBy).take_front(maxNotes))
      notes.push_back({lc.table.provenance(id).loc,
                       fmt::format("covered by {}: {}", provenanceKindName(lc.table.provenance(id).kind).str(),
                                   lc.table.provenance(id).text)});
    lc.report(RuleId::ShadowedRule, st.loc,
              "allow opens nothing that catalog flows and other allows do not already open; delete it",
              LintContext::statementText(st), std::move(notes));
  }
}

/// What each deny removes that no earlier deny has removed, from the catalog's flows and the
/// allows: nothing at all (unmatched), or nothing new (shadowed by earlier denies).
void checkDenies(LintContext &lc) {
  std::vector<Flow> candidates(lc.required.begin(), lc.required.end());
  for (const StatementBox &s : lc.statements())
    if (s.statement->action == PolicyStatement::Allow)
      for (Flow &f : LintContext::allowFlows(s))
        candidates.push_back(std::move(f));
  analysis::AddressIndex byDestination;
  for (unsigned i = 0; i < candidates.size(); ++i)
    byDestination.add(candidates[i].dstAddrs, i);
  byDestination.build();
  std::vector<const StatementBox *> earlier;
  for (const StatementBox &deny : lc.statements()) {
    if (deny.statement->action != PolicyStatement::Deny)
      continue;
    bool matched = false, removesNew = false;
    std::vector<const StatementBox *> covering;
    for (unsigned i : byDestination.query(deny.dsts)) {
      const Flow &c = candidates[i];
      if (!analysis::serviceMatches(deny.statement->service, c))
        continue;
      std::vector<Flow> left{LintContext::coveredPart(deny, c)};
      if (isEmptyBox(left[0]))
        continue;
      matched = true;
      for (const StatementBox *prior : earlier) {
        if (!analysis::serviceMatches(prior->statement->service, c))
          continue;
        std::vector<Flow> next;
        for (const Flow &piece : left) {
          Flow cut = LintContext::coveredPart(*prior, piece);
          if (isEmptyBox(cut)) {
            next.push_back(piece);
            continue;
          }
          appendNew<const StatementBox *>(covering, {prior});
          analysis::subtractBox(piece, cut.srcAddrs, cut.dstAddrs, &cut.ports,
                              [&](Flow &&r) { next.push_back(std::move(r)); });
        }
        left = std::move(next);
      }
      if (!left.empty()) {
        removesNew = true;
        break;
      }
    }
    earlier.push_back(&deny);
    const PolicyStatement &st = *deny.statement;
    if (!matched)
      lc.report(RuleId::UnmatchedDeny, st.loc,
                "deny matches no catalog flow and no allow, so it removes nothing; delete it or check its "
                "endpoints and service",
                LintContext::statementText(st));
    else if (!removesNew)
      lc.report(RuleId::ShadowedRule, st.loc, "deny removes nothing that earlier denies have not removed; delete it",
                LintContext::statementText(st), statementNotes(covering, "covered by this deny"));
  }
}

/// Allows of which every flow a deny removes.
void checkCancelledAllows(LintContext &lc) {
  for (const StatementBox &allow : lc.statements()) {
    if (allow.statement->action != PolicyStatement::Allow || lc.allowSurvives(allow.index) ||
        allow.statement->service.protocols.empty())
      continue;
    std::vector<const StatementBox *> denies;
    for (const Flow &f : LintContext::allowFlows(allow))
      appendNew<const StatementBox *>(denies, lc.denialsOf(f, f));
    if (denies.empty())
      continue; // its endpoints stand for no address: nothing to cancel
    lc.report(RuleId::CancelledAllow, allow.statement->loc,
              "allow has no effect: deny statements remove all of it (denies always win); narrow the deny or delete "
              "the allow",
              LintContext::statementText(*allow.statement), statementNotes(denies, "removed by this deny"));
  }
}

} // namespace

void checkStatements(LintContext &lc) {
  reportShadowedAllows(lc);
  checkCancelledAllows(lc);
  checkDenies(lc);
}

} // namespace cmnet::lint
