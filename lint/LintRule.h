// LintRule: the table of lint rules (LintRules.def), their levels, and one finding.
#pragma once

#include "support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <vector>

namespace cmnet::lint {

enum class RuleId : unsigned {
#define LINT_RULE(ENUM, ID, SLUG, LEVEL, CATEGORY, ENABLED, SUMMARY, DESCRIPTION, HELP) ENUM,
#include "lint/LintRules.def"
  NumRules
};

/// How serious a finding is; the SARIF levels of the same names.
enum class Level : unsigned char { Note, Warning, Error };
llvm::StringRef levelName(Level level);

enum class Category : unsigned char { Compiler, Missing, NoteViolation, Overbroad, Hygiene };
llvm::StringRef categoryName(Category category);

/// One row of LintRules.def.
struct RuleInfo {
  RuleId rule;
  const char *id;   ///< "CM001": stable, what SARIF and --disable use
  const char *slug; ///< "denied-requirement": stable, readable
  const char *name; ///< "DeniedRequirement": SARIF's rule name
  Level level;      ///< the default level
  Category category;
  bool enabledByDefault;
  const char *summary, *description, *help;
};

const RuleInfo &ruleInfo(RuleId rule);
/// Every rule, in ID order.
llvm::ArrayRef<RuleInfo> allRules();
/// The rule named by its ID ("CM001", any case) or its slug ("denied-requirement").
std::optional<RuleId> findRule(llvm::StringRef idOrSlug);

/// One problem the linter found. The range is in the user's .cmnet; notes may point anywhere
/// (catalog entries, the statement that caused it).
struct Finding {
  RuleId rule;
  Level level;
  llvm::SMRange range;
  std::string message;
  std::vector<DiagNote> notes;
  /// What the finding is about, without line numbers ("deny client -> * tcp 3389|cas01|P01
  /// clients"): with the rule ID and the file it makes the SARIF fingerprint, so a finding
  /// keeps its identity when lines move.
  std::string key;
  /// The declaration of the role instance the finding is about (a host role or a clients
  /// statement), when there is one: a catalog rule's diagnostic at the same place is folded
  /// into this finding instead of being reported twice.
  llvm::SMLoc subject;
};

} // namespace cmnet::lint
