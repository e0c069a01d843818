// The .cmnet token rules of grammar/Cmnet.g4, scanned over bytes (see Lexer.h for why).
#include "frontend/Lexer.h"

#include "CmnetLexer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ConvertUTF.h"

#include <array>
#include <deque>

namespace cmnet::frontend {
namespace {

using Tok = grammar::CmnetLexer;

/// The grammar's literal tokens by their text: words ('import', 'fixed') and punctuation
/// ('<->', ';'), the latter by first character, longest first.
struct LiteralTable {
  llvm::StringMap<size_t> words;
  std::array<llvm::SmallVector<std::pair<llvm::StringRef, size_t>, 4>, 128> punctuation;

  LiteralTable() {
    antlr4::ANTLRInputStream empty;
    const antlr4::dfa::Vocabulary &vocabulary = Tok(&empty).getVocabulary();
    for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
      llvm::StringRef quoted = storage.emplace_back(vocabulary.getLiteralName(type));
      if (quoted.size() < 3)
        continue;
      llvm::StringRef literal = quoted.drop_front().drop_back();
      if (isIdentStart(literal[0]))
        words[literal] = type;
      else
        punctuation[(unsigned char)literal[0]].emplace_back(literal, type);
    }
    for (auto &list : punctuation)
      llvm::sort(list, [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
  }

  static bool isIdentStart(char c) { return llvm::isAlpha(c) || c == '_'; }

private:
  std::deque<std::string> storage; // owns the literal texts the tables point into
};

const LiteralTable &literals() {
  static const LiteralTable table;
  return table;
}

bool isIdentChar(char c) { return llvm::isAlnum(c) || c == '_'; }
bool isAddressChar(char c) { return llvm::isHexDigit(c) || c == ':' || c == '.'; }

/// Length of the run of characters satisfying \p pred in \p s from \p at.
template <typename Pred> size_t runFrom(llvm::StringRef s, size_t at, Pred pred) {
  size_t end = at;
  while (end < s.size() && pred(s[end]))
    ++end;
  return end - at;
}

/// Length of `'/' DIGIT+` at \p at, or 0.
size_t prefixLengthAt(llvm::StringRef s, size_t at) {
  if (at >= s.size() || s[at] != '/')
    return 0;
  size_t digits = runFrom(s, at + 1, llvm::isDigit);
  return digits ? digits + 1 : 0;
}

/// ADDRESS: `DIGIT+ ('.' DIGIT+)+ ('/' DIGIT+)?` or `HEX* ':' HEX* ':' [0-9a-fA-F:.]* ('/' DIGIT+)?`;
/// the length of the longer alternative matching at the start of \p s, or 0.
size_t addressLength(llvm::StringRef s) {
  size_t dotted = runFrom(s, 0, llvm::isDigit);
  size_t groups = 0;
  while (dotted && dotted < s.size() && s[dotted] == '.') {
    size_t digits = runFrom(s, dotted + 1, llvm::isDigit);
    if (!digits)
      break;
    dotted += digits + 1;
    ++groups;
  }
  dotted = groups ? dotted + prefixLengthAt(s, dotted) : 0;

  size_t colon = runFrom(s, 0, llvm::isHexDigit);
  size_t coloned = 0;
  if (colon < s.size() && s[colon] == ':') {
    size_t second = colon + 1 + runFrom(s, colon + 1, llvm::isHexDigit);
    if (second < s.size() && s[second] == ':') {
      coloned = second + 1 + runFrom(s, second + 1, isAddressChar);
      coloned += prefixLengthAt(s, coloned);
    }
  }
  return std::max(dotted, coloned);
}

/// STRING: `'"' ('\\' . | ~["\\\r\n])* '"'`; its length at the start of \p s, or 0.
size_t stringLength(llvm::StringRef s) {
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"')
      return i + 1;
    if (c == '\r' || c == '\n')
      return 0;
    if (c == '\\' && ++i == s.size())
      return 0;
  }
  return 0;
}

} // namespace

Lexer::Lexer(llvm::StringRef text, std::string sourceName)
    : text(text), pos(text.begin()), lineStart(text.begin()), sourceName(std::move(sourceName)) {}

void Lexer::skipTrivia() {
  const char *end = text.end();
  while (pos < end) {
    char c = *pos;
    if (c == '\n') {
      ++line;
      lineStart = ++pos;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++pos;
    } else if (c == '#' || (c == '/' && pos + 1 < end && pos[1] == '/')) {
      while (pos < end && *pos != '\n' && *pos != '\r')
        ++pos;
    } else {
      return;
    }
  }
}

std::pair<size_t, size_t> Lexer::scanToken() const {
  llvm::StringRef s(pos, text.end() - pos);
  char c = s[0];
  const LiteralTable &table = literals();
  // Candidates in the grammar's rule order, so that `>` keeps the earlier rule on a tie.
  size_t length = 0, type = 0;
  auto consider = [&](size_t candidateLength, size_t candidateType) {
    if (candidateLength > length)
      length = candidateLength, type = candidateType;
  };
  if ((unsigned char)c < 128)
    for (const auto &[literal, literalType] : table.punctuation[(unsigned char)c])
      if (s.startswith(literal)) {
        consider(literal.size(), literalType);
        break;
      }
  size_t word = LiteralTable::isIdentStart(c) ? runFrom(s, 0, isIdentChar) : 0;
  if (word) {
    auto keyword = table.words.find(s.take_front(word));
    if (keyword != table.words.end())
      consider(word, keyword->second); // literals and FIXED precede IDENT
  }
  if (llvm::isDigit(c)) {
    size_t digits = runFrom(s, 0, llvm::isDigit);
    if (digits + 1 < s.size() && s[digits] == '-' && llvm::isDigit(s[digits + 1]))
      consider(digits + 1 + runFrom(s, digits + 1, llvm::isDigit), Tok::RANGE);
    consider(addressLength(s), Tok::ADDRESS);
    consider(digits, Tok::INT);
  } else if (llvm::isHexDigit(c) || c == ':') {
    consider(addressLength(s), Tok::ADDRESS);
  }
  consider(word, Tok::IDENT);
  if (c == '"')
    consider(stringLength(s), Tok::STRING);
  if (!length) { // ERROR_CHAR: one whole code point (the input is valid UTF-8)
    size_t bytes = llvm::getNumBytesForUTF8((unsigned char)c);
    return {std::min<size_t>(std::max<size_t>(bytes, 1), s.size()), Tok::ERROR_CHAR};
  }
  return {length, type};
}

Lexer::Lexeme Lexer::scan() {
  skipTrivia();
  Lexeme l{antlr4::Token::EOF, size_t(pos - text.begin()), 0, line, size_t(pos - lineStart)};
  if (pos == text.end())
    return l;
  std::tie(l.length, l.type) = scanToken();
  pos += l.length;
  return l;
}

std::unique_ptr<antlr4::Token> Lexer::nextToken() {
  Lexeme l = scan();
  auto source = std::make_pair(static_cast<antlr4::TokenSource *>(this), static_cast<antlr4::CharStream *>(nullptr));
  return getTokenFactory()->create(source, l.type, l.type == antlr4::Token::EOF ? "<EOF>" : textOf(l).str(),
                                   antlr4::Token::DEFAULT_CHANNEL, l.start, l.start + l.length - 1, l.line, l.column);
}

TokenBuffer::TokenBuffer(Lexer &lexer) : lexer(lexer) {
  auto source = std::make_pair(static_cast<antlr4::TokenSource *>(&lexer), static_cast<antlr4::CharStream *>(nullptr));
  for (;;) {
    Lexer::Lexeme l = lexer.scan();
    antlr4::CommonToken &t =
        tokens.emplace_back(source, l.type, antlr4::Token::DEFAULT_CHANNEL, l.start, l.start + l.length - 1);
    t.setLine(l.line);
    t.setCharPositionInLine(l.column);
    t.setText(l.type == antlr4::Token::EOF ? "<EOF>" : lexer.textOf(l).str());
    t.setTokenIndex(tokens.size() - 1);
    at.push_back(&t);
    if (l.type == antlr4::Token::EOF)
      return;
  }
}

antlr4::Token *TokenBuffer::LT(ssize_t k) {
  if (k == 0)
    return nullptr;
  if (k < 0)
    return ssize_t(next) + k >= 0 ? at[next + k] : nullptr;
  return at[std::min(next + size_t(k) - 1, at.size() - 1)];
}

size_t TokenBuffer::LA(ssize_t k) {
  antlr4::Token *t = LT(k);
  return t ? t->getType() : size_t(antlr4::Token::INVALID_TYPE);
}

void TokenBuffer::consume() {
  if (LA(1) == antlr4::Token::EOF)
    throw antlr4::IllegalStateException("cannot consume EOF");
  ++next;
}

void TokenBuffer::seek(size_t index) { next = std::min(index, tokens.size() - 1); }

antlr4::Token *TokenBuffer::get(size_t index) const {
  if (index >= tokens.size())
    throw antlr4::IndexOutOfBoundsException("token index " + std::to_string(index) + " out of range");
  return at[index];
}

std::string TokenBuffer::getText(const antlr4::misc::Interval &interval) {
  std::string out;
  if (interval.a < 0 || interval.b < 0)
    return out;
  for (size_t i = size_t(interval.a); i <= size_t(interval.b) && i < tokens.size(); ++i)
    if (tokens[i].getType() != antlr4::Token::EOF)
      out += tokens[i].getText();
  return out;
}

std::string TokenBuffer::getText(antlr4::Token *start, antlr4::Token *stop) {
  if (!start || !stop)
    return "";
  return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
}

} // namespace cmnet::frontend
