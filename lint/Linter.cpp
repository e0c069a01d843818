// The lint driver: the checks in order, compiler diagnostics folded in, then rule selection,
// levels and a stable order.
#include "lint/Linter.h"

#include "lint/Checks.h"

#include "fmt/format.h"

#include <algorithm>

namespace cmnet::lint {

LintOptions::LintOptions() {
  for (const RuleInfo &rule : allRules())
    enabled.push_back(rule.enabledByDefault);
}

namespace {

bool isCatalogRuleDiagnostic(const Diagnostic &d) {
  return d.kind == DiagKind::RuleWarning || d.kind == DiagKind::RuleError;
}

Level levelOf(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return Level::Error;
  case Severity::Warning:
    return Level::Warning;
  case Severity::Remark:
  case Severity::Note:
    return Level::Note;
  }
  return Level::Error;
}

/// The checks, in order: the specific missing-opening checks claim the losses they explain
/// before denied-requirement reports the rest.
void runChecks(LintContext &lc) {
  for (void (*check)(LintContext &) :
       {checkClientsReachServices, checkManagementPointDatabase, checkCompanionPorts, checkPxeTftpRange,
        checkDeniedRequirements, checkZones, checkWsusPortPair, checkSqlNamedInstance, checkWsusHttpsOff,
        checkAnySource,
        checkClientExposure, checkInternetExposure, checkAdvisoryPorts, checkStatements, checkOverrides,
        checkDeclarations})
    check(lc);
}

/// Compiler diagnostics as findings. A catalog rule's diagnostic about a role instance that a
/// specific note finding is about folds into that finding (at the stricter level); the
/// shadowed-rule warning is reported by the shadowed-rule check from the pass's record.
void foldCompilerDiagnostics(std::vector<Finding> &findings, llvm::ArrayRef<Diagnostic> diagnostics) {
  for (const Diagnostic &d : diagnostics) {
    if (d.kind == DiagKind::ShadowedRule)
      continue;
    Level level = levelOf(d.severity);
    if (!isCatalogRuleDiagnostic(d)) {
      findings.push_back({RuleId::CompilerDiagnostic, level, d.range,
                          fmt::format("{} [{}]", d.message, diagName(d.kind).str()), d.notes,
                          fmt::format("{}|{}", diagName(d.kind).str(), d.message), llvm::SMLoc()});
      continue;
    }
    auto specific = llvm::find_if(findings, [&](const Finding &f) {
      return ruleInfo(f.rule).category == Category::NoteViolation && f.subject.isValid() && f.subject == d.range.Start;
    });
    if (specific == findings.end()) {
      findings.push_back({RuleId::CatalogRule, level, d.range, d.message, d.notes, d.message, llvm::SMLoc()});
      continue;
    }
    specific->level = std::max(specific->level, level);
    llvm::SMRange ruleAt = d.notes.empty() ? llvm::SMRange() : d.notes.front().range;
    specific->notes.push_back({ruleAt, "the catalog's rule reports this too: " + d.message});
  }
}

} // namespace

bool stopsLint(const DiagnosticEngine &diags) {
  return llvm::any_of(diags.diagnostics(),
                      [](const Diagnostic &d) { return d.severity == Severity::Error && !isCatalogRuleDiagnostic(d); });
}

std::vector<Finding> lintPolicy(const LintInput &input, const LintOptions &options) {
  std::vector<Finding> findings;
  if (input.compiled && input.pipelineFinished && input.compiled->model.hierarchy) {
    LintContext lc(*input.compiled, input.required);
    runChecks(lc);
    findings = std::move(lc.findings());
  }
  foldCompilerDiagnostics(findings, input.diagnostics);

  std::vector<Finding> out;
  for (Finding &f : findings) {
    if (!options.enabled[unsigned(f.rule)])
      continue;
    if (options.warningsAsErrors && f.level == Level::Warning)
      f.level = Level::Error;
    out.push_back(std::move(f));
  }
  auto position = [&](const Finding &f) {
    const char *at = f.range.Start.getPointer();
    unsigned buffer = at && input.sourceMgr ? input.sourceMgr->FindBufferContainingLoc(f.range.Start) : 0;
    return std::make_pair(buffer, at);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Finding &a, const Finding &b) {
    auto pa = position(a), pb = position(b);
    if (pa != pb)
      return pa < pb;
    return std::tie(a.rule, a.message) < std::tie(b.rule, b.message);
  });
  return out;
}

} // namespace cmnet::lint
