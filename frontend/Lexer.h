// Lexer: the tokens of grammar/Cmnet.g4, scanned straight from the UTF-8 source buffer.
//
// The lexer ANTLR generates from the grammar converts the file to UTF-32 and simulates its ATN
// per character: about 150 ns a byte here, most of the frontend's time on large inputs. This
// scanner implements the same lexical rules (longest match; on a tie the rule listed first,
// literals before named rules) over bytes, and feeds the generated parser through ANTLR's
// TokenSource interface. The generated lexer stays the specification: LexerTest and the fuzz
// target check that both produce the same tokens.
//
// Differences that do not reach the parser: whitespace and comments are dropped instead of
// being put on the hidden channel, and a token's start and stop are byte offsets into the buffer
// (the generated lexer counts code points).
#pragma once

#include "antlr4-runtime.h"

#include "llvm/ADT/StringRef.h"

namespace cmnet::frontend {

class Lexer final : public antlr4::TokenSource {
public:
  explicit Lexer(llvm::StringRef text, std::string sourceName = "");

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line; }
  size_t getCharPositionInLine() override { return size_t(pos - lineStart); }
  /// There is no ANTLR character stream: every token carries its own text.
  antlr4::CharStream *getInputStream() override { return nullptr; }
  std::string getSourceName() override { return sourceName; }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

private:
  /// Length and token type of the longest token at `pos` (text remains).
  std::pair<size_t, size_t> scanToken() const;
  /// Skips whitespace and comments, counting lines.
  void skipTrivia();

  llvm::StringRef text;
  const char *pos;
  const char *lineStart;
  size_t line = 1;
  std::string sourceName;
};

} // namespace cmnet::frontend
