// Readable syntax errors: expected-token sets summarised by the grammar rules they start.
#include "frontend/SyntaxErrors.h"

#include "CmnetLexer.h"
#include "CmnetParser.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"

#include <vector>

using P = cmnet::grammar::CmnetParser;

namespace cmnet::frontend {
namespace {

/// A grammar rule whose first tokens, when all expected, are named as one thing. Larger sets
/// come first and absorb the smaller ones inside them: an expression may start with a name,
/// and a name may be the keyword `port`, so "an expression" stands for all three.
/// With `listMembers`, the rule's keywords follow in parentheses.
struct Category {
  size_t rule;
  const char *noun;
  bool listMembers;
};
constexpr Category categories[] = {
    {P::RuleExpr, "an expression", false},
    {P::RuleTopDecl, "a declaration", true},
    {P::RuleHierarchyItem, "a hierarchy statement (site, external, allow, deny, firewall or NAME = value)", false},
    {P::RuleSiteItem, "a site statement (host, clients, external, allow, deny or NAME = value)", false},
    {P::RulePortList, "a port", false},
    {P::RuleName, "a name", false},
    {P::RuleAddress, "an address", false},
    {P::RuleEntryAttr, "an entry attribute", true},
    {P::RuleRuleAction, "a rule action", true},
    {P::RuleTypeName, "a type", true},
    {P::RuleScopeKind, "a scope", true},
    {P::RuleSiteKind, "a site kind", true},
    {P::RuleRoleKind, "a role kind", true},
    {P::RuleProtocol, "a protocol", true},
};

constexpr size_t maxQuotedChars = 40;

std::string unquoted(llvm::StringRef literal) { return literal.trim('\'').str(); }

/// One expected token type as a phrase: "';'", "a number", "end of file".
std::string describeType(size_t type, const antlr4::dfa::Vocabulary &vocabulary) {
  switch (type) {
  case antlr4::Token::EOF: return "end of file";
  case grammar::CmnetLexer::IDENT: return "a name";
  case grammar::CmnetLexer::INT: return "a number";
  case grammar::CmnetLexer::RANGE: return "a port range";
  case grammar::CmnetLexer::ADDRESS: return "an address";
  case grammar::CmnetLexer::STRING: return "a string";
  default: break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  return literal.empty() ? vocabulary.getDisplayName(type) : literal;
}

std::string joinAlternatives(const std::vector<std::string> &items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return out;
}

/// "an expression", "a declaration (import, catalog, …) or end of file", "';' or '{'".
std::string describeExpected(antlr4::Parser *parser, antlr4::misc::IntervalSet expected) {
  const antlr4::atn::ATN &atn = parser->getATN();
  const antlr4::dfa::Vocabulary &vocabulary = parser->getVocabulary();
  expected.remove(antlr4::Token::EPSILON);
  std::vector<std::string> parts;
  antlr4::misc::IntervalSet covered;
  for (const Category &c : categories) {
    antlr4::misc::IntervalSet first = atn.nextTokens(atn.ruleToStartState[c.rule]);
    first.remove(antlr4::Token::EPSILON);
    if (first.isEmpty() || !first.subtract(expected).isEmpty() || first.subtract(covered).isEmpty())
      continue;
    std::string part = c.noun;
    if (c.listMembers) {
      std::vector<std::string> members;
      for (ssize_t type : first.toList())
        members.push_back(unquoted(vocabulary.getLiteralName(size_t(type))));
      part += " (" + llvm::join(members, ", ") + ")";
    }
    parts.push_back(std::move(part));
    covered.addAll(first);
  }
  for (ssize_t type : expected.subtract(covered).toList())
    parts.push_back(describeType(size_t(type), vocabulary));
  return joinAlternatives(parts);
}
} // namespace

std::string describeToken(const antlr4::Token *token, const antlr4::dfa::Vocabulary &vocabulary) {
  if (!token || token->getType() == antlr4::Token::EOF)
    return "end of file";
  std::string text = token->getText();
  if (text.size() > maxQuotedChars)
    text = text.substr(0, maxQuotedChars) + "...";
  if (token->getType() == grammar::CmnetLexer::ERROR_CHAR)
    return fmt::format("character '{}'", text);
  return fmt::format("'{}'", text);
}

/// "unexpected X; expected Y" at \p at.
static void reportUnexpected(antlr4::Parser *parser, antlr4::Token *at, const antlr4::misc::IntervalSet &expected) {
  parser->notifyErrorListeners(at,
                               fmt::format("unexpected {}; expected {}", describeToken(at, parser->getVocabulary()),
                                           describeExpected(parser, expected)),
                               nullptr);
}

void SyntaxErrorStrategy::reportNoViableAlternative(antlr4::Parser *parser, const antlr4::NoViableAltException &e) {
  reportUnexpected(parser, e.getOffendingToken(), e.getExpectedTokens());
}

void SyntaxErrorStrategy::reportInputMismatch(antlr4::Parser *parser, const antlr4::InputMismatchException &e) {
  reportUnexpected(parser, e.getOffendingToken(), e.getExpectedTokens());
}

void SyntaxErrorStrategy::reportUnwantedToken(antlr4::Parser *parser) {
  if (inErrorRecoveryMode(parser))
    return;
  beginErrorCondition(parser);
  reportUnexpected(parser, parser->getCurrentToken(), getExpectedTokens(parser));
}

void SyntaxErrorStrategy::reportMissingToken(antlr4::Parser *parser) {
  if (inErrorRecoveryMode(parser))
    return;
  beginErrorCondition(parser);
  antlr4::Token *t = parser->getCurrentToken();
  parser->notifyErrorListeners(t,
                               fmt::format("missing {} before {}", describeExpected(parser, getExpectedTokens(parser)),
                                           describeToken(t, parser->getVocabulary())),
                               nullptr);
}

} // namespace cmnet::frontend
