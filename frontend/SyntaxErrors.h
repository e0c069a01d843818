// SyntaxErrorStrategy: ANTLR error recovery with messages written for people.
#pragma once

#include "antlr4-runtime.h"

#include <string>

namespace cmnet::frontend {

/// ANTLR's default recovery, with its messages ("mismatched input ';' expecting {'catalog',
/// 'port', … 40 tokens}") replaced by short ones that name what may come next in the
/// grammar's own terms: "unexpected ';'; expected an expression". Expected-token sets are
/// summarised by the grammar rule they start ("a declaration (import, catalog, …)").
class SyntaxErrorStrategy : public antlr4::DefaultErrorStrategy {
protected:
  void reportNoViableAlternative(antlr4::Parser *parser, const antlr4::NoViableAltException &e) override;
  void reportInputMismatch(antlr4::Parser *parser, const antlr4::InputMismatchException &e) override;
  void reportUnwantedToken(antlr4::Parser *parser) override;
  void reportMissingToken(antlr4::Parser *parser) override;
};

/// How a token is quoted in a message: "';'", "end of file", long texts cut to 40 characters.
std::string describeToken(const antlr4::Token *token, const antlr4::dfa::Vocabulary &vocabulary);

} // namespace cmnet::frontend
