// The generated ANTLR lexer as the oracle for frontend::Lexer: both must produce the same
// tokens (type, text, byte offset) for any valid UTF-8 text. Used by LexerTest and the fuzz
// target.
#pragma once

#include "frontend/Lexer.h"

#include "CmnetLexer.h"

#include "fmt/format.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace cmnet::testing {

struct OracleToken {
  size_t type;
  std::string text;
  size_t offset; // bytes from the start of the text

  bool operator==(const OracleToken &o) const { return type == o.type && text == o.text && offset == o.offset; }
};

/// Default-channel tokens of \p text from the generated lexer, EOF included.
inline std::vector<OracleToken> antlrTokens(llvm::StringRef text) {
  std::vector<size_t> byteOffset; // of each code point, for the generated lexer's indexes
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      byteOffset.push_back(i);
  byteOffset.push_back(text.size());
  antlr4::ANTLRInputStream input(text.data(), text.size());
  grammar::CmnetLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<OracleToken> tokens;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
      tokens.push_back({t->getType(), t->getType() == antlr4::Token::EOF ? "<EOF>" : t->getText(),
                        byteOffset[std::min(t->getStartIndex(), byteOffset.size() - 1)]});
    if (t->getType() == antlr4::Token::EOF)
      return tokens;
  }
}

/// The same from frontend::Lexer.
inline std::vector<OracleToken> lexerTokens(llvm::StringRef text) {
  frontend::Lexer lexer(text);
  std::vector<OracleToken> tokens;
  for (;;) {
    std::unique_ptr<antlr4::Token> t = lexer.nextToken();
    tokens.push_back({t->getType(), t->getText(), t->getStartIndex()});
    if (t->getType() == antlr4::Token::EOF)
      return tokens;
  }
}

/// The first token where the two lexers differ, described; empty when they agree.
inline std::string firstLexerDifference(llvm::StringRef text) {
  std::vector<OracleToken> expected = antlrTokens(text), actual = lexerTokens(text);
  for (size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
    auto describe = [](const std::vector<OracleToken> &tokens, size_t i) {
      return i < tokens.size()
                 ? fmt::format("type {} '{}' at byte {}", tokens[i].type, tokens[i].text, tokens[i].offset)
                 : std::string("nothing");
    };
    if (i >= expected.size() || i >= actual.size() || !(expected[i] == actual[i]))
      return fmt::format("token {}: generated lexer has {}, frontend::Lexer has {}", i, describe(expected, i),
                         describe(actual, i));
  }
  return "";
}

} // namespace cmnet::testing
