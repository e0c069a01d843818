// Lexer: the tokens of grammar/Cmnet.g4, scanned straight from the UTF-8 source buffer.
//
// The lexer ANTLR generates from the grammar converts the file to UTF-32 and simulates its ATN
// per character, which would be most of the frontend's time on large inputs. This
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

#include <deque>
#include <vector>

namespace cmnet::frontend {

class Lexer final : public antlr4::TokenSource {
public:
  explicit Lexer(llvm::StringRef text, std::string sourceName = "");

  /// One token, not yet an ANTLR object: type (Token::EOF at the end), byte offset and length,
  /// line and column.
  struct Lexeme {
    size_t type, start, length, line, column;
  };
  Lexeme scan();
  llvm::StringRef textOf(const Lexeme &l) const { return text.substr(l.start, l.length); }

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

/// Every token of one file, lexed up front, as the generated parser's token stream.
///
/// ANTLR's CommonTokenStream allocates each token by itself, dynamic_casts each one as it
/// buffers it, and skips hidden channels on every look-ahead (a backward scan for LT(-1), which
/// the parser asks at the end of every rule). This lexer puts nothing on a hidden channel, so
/// here the tokens sit in one deque and look-ahead is an index.
class TokenBuffer final : public antlr4::TokenStream {
public:
  explicit TokenBuffer(Lexer &lexer);

  antlr4::Token *LT(ssize_t k) override;
  size_t LA(ssize_t k) override;
  void consume() override;
  ssize_t mark() override { return 0; }
  void release(ssize_t) override {}
  size_t index() override { return next; }
  void seek(size_t index) override;
  size_t size() override { return tokens.size(); }
  std::string getSourceName() const override { return lexer.getSourceName(); }
  antlr4::Token *get(size_t index) const override;
  antlr4::TokenSource *getTokenSource() const override { return &lexer; }
  std::string getText(const antlr4::misc::Interval &interval) override;
  std::string getText() override { return getText(antlr4::misc::Interval(size_t(0), tokens.size() - 1)); }
  std::string getText(antlr4::RuleContext *ctx) override { return getText(ctx->getSourceInterval()); }
  std::string getText(antlr4::Token *start, antlr4::Token *stop) override;

  /// All tokens, the last one EOF.
  const std::deque<antlr4::CommonToken> &all() const { return tokens; }

private:
  Lexer &lexer;
  std::deque<antlr4::CommonToken> tokens; // a deque: the parse tree points at them
  std::vector<antlr4::Token *> at;        // tokens[i], without the deque's index arithmetic
  size_t next = 0;                        // index of LT(1)
};

} // namespace cmnet::frontend
