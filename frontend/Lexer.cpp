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

std::unique_ptr<antlr4::Token> Lexer::nextToken() {
  skipTrivia();
  size_t start = size_t(pos - text.begin());
  size_t column = size_t(pos - lineStart);
  auto source = std::make_pair(static_cast<antlr4::TokenSource *>(this), static_cast<antlr4::CharStream *>(nullptr));
  if (pos == text.end())
    return getTokenFactory()->create(source, antlr4::Token::EOF, "<EOF>", antlr4::Token::DEFAULT_CHANNEL, start, start - 1,
                           line, column);
  auto [length, type] = scanToken();
  std::string tokenText(pos, length);
  pos += length;
  return getTokenFactory()->create(source, type, tokenText, antlr4::Token::DEFAULT_CHANNEL, start, start + length - 1, line,
                         column);
}

} // namespace cmnet::frontend
