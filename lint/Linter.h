// Linter: every check over a compiled policy, then filter and order.
#pragma once

#include "lint/LintRule.h"

#include "analysis/CompileContext.h"

#include <vector>

namespace cmnet::lint {

/// What a compile left for lint.
struct LintInput {
  /// Null when the model did not load (only the compiler's diagnostics are reported then).
  const analysis::CompileContext *compiled = nullptr;
  /// False when a compiler error (other than a catalog rule's) stopped the pipeline: the flows
  /// are incomplete and the checks do not run.
  bool pipelineFinished = false;
  /// The flows before apply-policy (PassRunOptions::beforeStatements): every connection the
  /// catalog and its notes require.
  std::vector<ir::Flow> required;
  /// Everything the compiler reported, collected quietly.
  llvm::ArrayRef<Diagnostic> diagnostics;
  /// The sources the findings point into (orders findings by file and offset).
  const llvm::SourceMgr *sourceMgr = nullptr;
};

struct LintOptions {
  /// Per rule (indexed by RuleId): report it or not.
  std::vector<bool> enabled;
  /// Report warnings as errors (--Werror).
  bool warningsAsErrors = false;
  LintOptions();
};

/// Whether an error in \p diags stops lint's run of the pipelines (PassRunOptions::stopsRun):
/// any error but a catalog rule's (rule-warning, rule-error), which lint reports as a finding
/// while the flows are still whole.
bool stopsLint(const DiagnosticEngine &diags);

/// Every enabled finding, ordered by location, at its final level. Compiler diagnostics become
/// compiler-diagnostic (CM000) or catalog-rule (CM009) findings, or fold into the specific
/// finding about the same role instance.
std::vector<Finding> lintPolicy(const LintInput &input, const LintOptions &options);

} // namespace cmnet::lint
