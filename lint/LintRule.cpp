// The lint rule table.
#include "lint/LintRule.h"

#include "llvm/ADT/StringExtras.h"

namespace cmnet::lint {
namespace {
constexpr RuleInfo ruleTable[] = {
#define LINT_RULE(ENUM, ID, SLUG, LEVEL, CATEGORY, ENABLED, SUMMARY, DESCRIPTION, HELP)                                \
  {RuleId::ENUM, ID, SLUG, #ENUM, Level::LEVEL, Category::CATEGORY, ENABLED, SUMMARY, DESCRIPTION, HELP},
#include "lint/LintRules.def"
};
static_assert(sizeof(ruleTable) / sizeof(ruleTable[0]) == unsigned(RuleId::NumRules));
} // namespace

llvm::StringRef levelName(Level level) {
  switch (level) {
  case Level::Note:
    return "note";
  case Level::Warning:
    return "warning";
  case Level::Error:
    return "error";
  }
  return "error";
}

llvm::StringRef categoryName(Category category) {
  switch (category) {
  case Category::Compiler:
    return "compiler";
  case Category::Missing:
    return "missing opening";
  case Category::NoteViolation:
    return "note violation";
  case Category::Overbroad:
    return "overbroad opening";
  case Category::Hygiene:
    return "hygiene";
  }
  return "?";
}

const RuleInfo &ruleInfo(RuleId rule) { return ruleTable[unsigned(rule)]; }

llvm::ArrayRef<RuleInfo> allRules() { return ruleTable; }

std::optional<RuleId> findRule(llvm::StringRef idOrSlug) {
  for (const RuleInfo &info : ruleTable)
    if (idOrSlug.equals_insensitive(info.id) || idOrSlug == info.slug)
      return info.rule;
  return std::nullopt;
}

} // namespace cmnet::lint
