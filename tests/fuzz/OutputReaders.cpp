// Readers of the generated files for the quoting fuzz target: each splits one target's output
// into its shape and the text of its strings, following the consumer's rules (nft's scanner,
// iptables-restore's argument splitter, PowerShell's tokenizer, the ASA and Junos command
// lines, JSON, CommonMark blocks, DOT), not the backends' quoting functions.
#include "OutputReaders.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/JSON.h"

namespace cmnet::fuzz {
namespace {

/// Stands in the shape for a string's content.
constexpr const char *stringMarker = "\x01string";

/// Characters no output may hold raw, and no string may hold at all: C0 and C1 controls, DEL,
/// and the Unicode line and paragraph separators.
bool isControl(llvm::UTF32 c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029; }

/// The code point at \p i of \p s, moving \p i past it; false at a byte that does not start a
/// valid UTF-8 sequence.
bool nextCodePoint(llvm::StringRef s, size_t &i, llvm::UTF32 &c) {
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(s.data() + i);
  unsigned length = llvm::getNumBytesForUTF8(*begin);
  if (i + length > s.size() || !llvm::isLegalUTF8Sequence(begin, begin + length))
    return false;
  const llvm::UTF8 *next = begin;
  if (llvm::convertUTF8Sequence(&next, begin + length, &c, llvm::strictConversion) != llvm::conversionOK)
    return false;
  i += length;
  return true;
}

std::string encode(llvm::UTF32 c) {
  char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
  char *end = buffer;
  if (!llvm::ConvertCodePointToUTF8(c, end))
    return "\xEF\xBF\xBD";
  return std::string(buffer, end);
}

/// JSON files carry text as data: JSON escapes C0 controls (the parse checks that no raw one is
/// left) and may leave DEL, C1 and the separators as they are. Only the fields a vendor shows
/// (descriptions) must hold none; metadata such as the source file's path and the IR keep the
/// text exactly.
bool isJson(llvm::StringRef target) { return target == "azure-nsg" || target == "aws-sg" || target == "ir-json"; }
bool isVendorJsonField(llvm::StringRef target, llvm::StringRef field) {
  return target != "ir-json" && field.ltrim('/').equals_insensitive("description");
}

/// Every byte of the file is valid UTF-8 and, unless \p json, no code point in it is a control
/// character other than the line feed.
std::string checkEncoding(llvm::StringRef bytes, bool json) {
  size_t line = 1;
  for (size_t i = 0; i < bytes.size();) {
    size_t at = i;
    llvm::UTF32 c;
    if (!nextCodePoint(bytes, i, c))
      return "invalid UTF-8 at byte " + std::to_string(at) + ", line " + std::to_string(line);
    line += c == '\n';
    if (c != '\n' && isControl(c) && !json)
      return "control character U+" + llvm::utohexstr(c) + " on line " + std::to_string(line) + ": " +
             bytes.substr(bytes.rfind('\n', at) + 1).split('\n').first.str();
  }
  return "";
}

/// The shape and texts of one file, built token by token.
class Reader {
public:
  explicit Reader(OutputRead &out) : out(out) {}

  void word(llvm::StringRef w) {
    out.shape.push_back(w.str());
    lastWord = w.str();
  }
  void string(std::string text) {
    out.shape.push_back(stringMarker);
    out.texts.push_back({lastWord, std::move(text)});
  }
  /// A string whose field is named explicitly (a comment line, a remark, a Markdown line).
  void string(llvm::StringRef field, llvm::StringRef text) {
    out.shape.push_back(stringMarker);
    out.texts.push_back({field.str(), text.str()});
  }
  void endLine() {
    out.shape.push_back("\n");
    lastWord.clear();
  }

private:
  OutputRead &out;
  std::string lastWord;
};

/// Lines of words and double-quoted strings: nft scripts (no escapes in strings, `#` starts a
/// comment at any token), iptables-restore files (a quote may open inside a word, a backslash
/// escapes any character inside quotes, `#` starts a comment line), Junos set commands and DOT
/// (backslash escapes). A string must end on its line: the generators never continue one.
std::string readQuotedWords(llvm::StringRef bytes, bool backslashEscapes, bool commentAnywhere,
                            llvm::StringRef commentLeader, OutputRead &out) {
  Reader r(out);
  llvm::SmallVector<llvm::StringRef, 64> lines;
  bytes.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    size_t i = 0;
    while (i < line.size()) {
      if (line[i] == ' ' || line[i] == '\t') {
        ++i;
        continue;
      }
      if ((commentAnywhere || i == line.find_first_not_of(" \t")) && line.substr(i).startswith(commentLeader)) {
        r.string("#", line.substr(i + commentLeader.size()));
        break;
      }
      std::string word, text;
      bool quoted = false;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
        if (line[i] != '"') {
          word += line[i++];
          continue;
        }
        quoted = true;
        for (++i;; ++i) {
          if (i == line.size())
            return "a string does not end on its line: " + line.str();
          if (backslashEscapes && line[i] == '\\' && i + 1 < line.size()) {
            text += line[++i];
            continue;
          }
          if (line[i] == '"')
            break;
          text += line[i];
        }
        ++i;
      }
      if (!word.empty())
        r.word(word);
      if (quoted)
        r.string(text);
    }
    r.endLine();
  }
  return "";
}

/// PowerShell's quote characters (about_Quoting_Rules; the language specification's
/// single-quote-character and double-quote-character).
bool isPsSingleQuote(llvm::UTF32 c) { return c == '\'' || (c >= 0x2018 && c <= 0x201B); }
bool isPsDoubleQuote(llvm::UTF32 c) { return c == '"' || (c >= 0x201C && c <= 0x201E); }

/// PowerShell tokens of one line, on code points.
class PsLine {
public:
  PsLine(llvm::StringRef line, Reader &r) : line(line), r(r) {}

  std::string read() {
    while (skipSpace() < line.size()) {
      size_t start = i;
      llvm::UTF32 c = peek();
      if (c == '#') {
        r.string("#", line.substr(i + 1));
        return "";
      }
      std::vector<llvm::UTF16> units;
      if (isPsSingleQuote(c) || isPsDoubleQuote(c)) {
        if (!quoted(units))
          return "a string does not end on its line: " + line.str();
        r.string(utf8(units));
        continue;
      }
      if (c == '(' && concatenation(units)) {
        r.string(utf8(units));
        continue;
      }
      i = start;
      r.word(bareWord());
    }
    return "";
  }

private:
  llvm::StringRef line;
  Reader &r;
  size_t i = 0;

  llvm::UTF32 peek() const {
    size_t j = i;
    llvm::UTF32 c = 0;
    return nextCodePoint(line, j, c) ? c : 0xFFFD;
  }
  llvm::UTF32 take() {
    llvm::UTF32 c = 0;
    if (!nextCodePoint(line, i, c))
      ++i;
    return c;
  }
  size_t skipSpace() {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    return i;
  }
  static void append(std::vector<llvm::UTF16> &units, llvm::UTF32 c) {
    if (c < 0x10000) {
      units.push_back(llvm::UTF16(c));
      return;
    }
    c -= 0x10000;
    units.push_back(llvm::UTF16(0xD800 + (c >> 10)));
    units.push_back(llvm::UTF16(0xDC00 + (c & 0x3FF)));
  }
  /// A single-quoted string ('' and any pair of single-quote characters is one quote), or a
  /// double-quoted one (a backtick escapes, a pair of double-quote characters is one quote).
  bool quoted(std::vector<llvm::UTF16> &units) {
    bool single = isPsSingleQuote(take());
    while (i < line.size()) {
      llvm::UTF32 c = take();
      if (!single && c == '`') {
        if (i == line.size())
          return false;
        append(units, take());
        continue;
      }
      if (single ? isPsSingleQuote(c) : isPsDoubleQuote(c)) {
        if (i < line.size() && (single ? isPsSingleQuote(peek()) : isPsDoubleQuote(peek()))) {
          append(units, take());
          continue;
        }
        return true;
      }
      append(units, c);
    }
    return false;
  }
  /// `[char]0xNNNN`: one UTF-16 code unit.
  bool charCast(std::vector<llvm::UTF16> &units) {
    if (!line.substr(i).startswith("[char]0x"))
      return false;
    i += 8;
    size_t digits = 0;
    unsigned value = 0;
    while (i < line.size() && digits < 4 && llvm::isHexDigit(line[i])) {
      value = value * 16 + llvm::hexDigitValue(line[i++]);
      ++digits;
    }
    if (digits == 0)
      return false;
    units.push_back(llvm::UTF16(value));
    return true;
  }
  /// ('text' + [char]0xNNNN + ...): the one string expression, apart from a plain string, that
  /// the generator writes where text goes. False, with nothing consumed that matters, when the
  /// parenthesis opens something else.
  bool concatenation(std::vector<llvm::UTF16> &units) {
    size_t start = i;
    take(); // '('
    for (bool first = true;; first = false) {
      skipSpace();
      if (!first) {
        if (i < line.size() && line[i] == ')') {
          ++i;
          return true;
        }
        if (i == line.size() || line[i] != '+')
          break;
        ++i;
        skipSpace();
      }
      if (i < line.size() && isPsSingleQuote(peek())) {
        if (!quoted(units))
          break;
        continue;
      }
      if (!charCast(units))
        break;
    }
    i = start;
    units.clear();
    return false;
  }
  /// A run of characters up to white space, a quote or a parenthesis (which is a word alone).
  std::string bareWord() {
    size_t start = i;
    llvm::UTF32 c = take();
    if (c == '(' || c == ')')
      return line.substr(start, i - start).str();
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      size_t before = i;
      c = take();
      if (isPsSingleQuote(c) || isPsDoubleQuote(c) || c == '(' || c == ')') {
        i = before;
        break;
      }
    }
    return line.substr(start, i - start).str();
  }
  /// The UTF-8 of \p units; a lone surrogate reads as U+FFFD.
  static std::string utf8(const std::vector<llvm::UTF16> &units) {
    std::string out;
    for (size_t k = 0; k < units.size(); ++k) {
      llvm::UTF32 c = units[k];
      if (c >= 0xD800 && c <= 0xDBFF && k + 1 < units.size() && units[k + 1] >= 0xDC00 && units[k + 1] <= 0xDFFF)
        c = 0x10000 + ((c - 0xD800) << 10) + (units[++k] - 0xDC00);
      else if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
      out += encode(c);
    }
    return out;
  }
};

/// A Windows script: a UTF-8 byte-order mark, then ASCII only, so that Windows PowerShell
/// reads the same characters whether it decodes the file as UTF-8 or in an ANSI code page.
std::string readPowerShell(llvm::StringRef bytes, OutputRead &out) {
  if (!bytes.consume_front("\xEF\xBB\xBF"))
    return "no UTF-8 byte-order mark";
  for (size_t k = 0; k < bytes.size(); ++k)
    if ((unsigned char)bytes[k] >= 0x80)
      return "a byte outside ASCII after the byte-order mark, at byte " + std::to_string(k + 3);
  Reader r(out);
  llvm::SmallVector<llvm::StringRef, 64> lines;
  bytes.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    std::string error = PsLine(line, r).read();
    if (!error.empty())
      return error;
    r.endLine();
  }
  return "";
}

/// ASA configuration: `!` comment lines, and `access-list NAME remark TEXT`, whose text runs to
/// the end of the line; every other line is words, its indentation (sub-commands) included.
std::string readAsa(llvm::StringRef bytes, OutputRead &out) {
  Reader r(out);
  llvm::SmallVector<llvm::StringRef, 64> lines;
  bytes.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    size_t indent = line.find_first_not_of(' ');
    r.word(std::string(indent == llvm::StringRef::npos ? line.size() : indent, ' '));
    llvm::StringRef rest = line.ltrim(' ');
    if (rest.consume_front("!")) {
      r.string("#", rest);
    } else {
      llvm::SmallVector<llvm::StringRef, 4> words;
      rest.split(words, ' ', 3);
      if (words.size() == 4 && words[0] == "access-list" && words[2] == "remark") {
        for (size_t k = 0; k < 3; ++k)
          r.word(words[k]);
        r.string("remark", words[3]);
      } else {
        llvm::SmallVector<llvm::StringRef, 16> all;
        rest.split(all, ' ', -1, /*KeepEmpty=*/false);
        for (llvm::StringRef w : all)
          r.word(w);
      }
    }
    r.endLine();
  }
  return "";
}

/// JSON: the shape is the document with every string value emptied and object keys sorted;
/// each string's field is its key ("/Description" for the top level's).
void readJsonValue(const llvm::json::Value &v, llvm::StringRef field, Reader &r) {
  if (const llvm::json::Object *o = v.getAsObject()) {
    std::vector<std::string> keys;
    for (const auto &member : *o)
      keys.push_back(member.first.str());
    llvm::sort(keys);
    r.word("{");
    for (const std::string &k : keys) {
      r.word(k);
      readJsonValue(*o->get(k), field.empty() ? "/" + k : k, r);
    }
    r.word("}");
    return;
  }
  if (const llvm::json::Array *a = v.getAsArray()) {
    r.word("[");
    for (const llvm::json::Value &e : *a)
      readJsonValue(e, field, r);
    r.word("]");
    return;
  }
  if (llvm::Optional<llvm::StringRef> s = v.getAsString()) {
    r.string(field, *s);
    return;
  }
  std::string scalar;
  llvm::raw_string_ostream(scalar) << v;
  r.word(scalar);
}

std::string readJson(llvm::StringRef bytes, OutputRead &out) {
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(bytes);
  if (!value)
    return "invalid JSON: " + llvm::toString(value.takeError());
  Reader r(out);
  readJsonValue(*value, "", r);
  return "";
}

/// The block a Markdown line starts (CommonMark): blank, heading, quote, list item, fence,
/// thematic break or setext underline, indented code, table row, raw HTML, or paragraph text.
std::string markdownBlock(llvm::StringRef line) {
  if (line.trim().empty())
    return "blank";
  size_t indent = line.find_first_not_of(' ');
  if (indent >= 4)
    return "code";
  llvm::StringRef rest = line.drop_front(indent);
  std::string lead = "indent" + std::to_string(indent) + " ";
  if (rest.startswith("#"))
    return lead + "heading" + std::to_string(rest.find_first_not_of('#'));
  for (llvm::StringRef prefix : {">", "```", "~~~", "|", "<"})
    if (rest.startswith(prefix))
      return lead + prefix.str();
  if (rest.size() >= 2 && llvm::is_contained("-*+", rest[0]) && rest[1] == ' ')
    return lead + "item " + rest.take_front(1).str();
  size_t digits = rest.find_first_not_of("0123456789");
  if (digits > 0 && digits != llvm::StringRef::npos && llvm::is_contained(".)", rest[digits]))
    return lead + "numbered";
  if (rest.find_first_not_of("-=_* ") == llvm::StringRef::npos)
    return lead + "rule";
  return lead + "text";
}

/// Markdown: each line's block and the inline markup characters that are not escaped with a
/// backslash (table cell bars, emphasis, code, links, HTML tags); the line itself is the text.
std::string readMarkdown(llvm::StringRef bytes, OutputRead &out) {
  Reader r(out);
  llvm::SmallVector<llvm::StringRef, 64> lines;
  bytes.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    r.word(markdownBlock(line));
    std::string markup;
    for (size_t k = 0; k < line.size(); ++k) {
      char c = line[k];
      if (c == '\\') {
        ++k;
        continue;
      }
      bool tag = c == '<' && k + 1 < line.size() &&
                 (llvm::isAlpha(line[k + 1]) || llvm::is_contained("/!?", line[k + 1]));
      if (tag || llvm::is_contained("|*`[]", c))
        markup += c;
    }
    r.word(markup);
    r.string("md", line);
    r.endLine();
  }
  return "";
}

} // namespace

std::string readOutput(llvm::StringRef target, llvm::StringRef fileName, llvm::StringRef bytes, OutputRead &out) {
  std::string error = checkEncoding(bytes, isJson(target));
  if (!error.empty())
    return error;
  if (target == "windows" && fileName.endswith(".ps1"))
    return readPowerShell(bytes, out);
  if (fileName.endswith(".json"))
    return readJson(bytes, out);
  if (target == "nftables")
    return readQuotedWords(bytes, /*backslashEscapes=*/false, /*commentAnywhere=*/true, "#", out);
  if (target == "iptables" || target == "juniper-srx")
    return readQuotedWords(bytes, /*backslashEscapes=*/true, /*commentAnywhere=*/false, "#", out);
  if (target == "doc-dot")
    return readQuotedWords(bytes, /*backslashEscapes=*/true, /*commentAnywhere=*/false, "//", out);
  if (target == "cisco-asa")
    return readAsa(bytes, out);
  if (target == "doc-md")
    return readMarkdown(bytes, out);
  return readQuotedWords(bytes, /*backslashEscapes=*/false, /*commentAnywhere=*/false, "#", out);
}

std::string checkText(llvm::StringRef target, const OutputText &text) {
  llvm::StringRef s = text.text;
  for (size_t i = 0; i < s.size();) {
    llvm::UTF32 c;
    if (!nextCodePoint(s, i, c))
      return "invalid UTF-8";
    if (isControl(c) && (!isJson(target) || isVendorJsonField(target, text.field)))
      return "control character U+" + llvm::utohexstr(c);
  }
  auto tooLong = [&](size_t limit) {
    return s.size() > limit ? text.field + " of " + std::to_string(s.size()) + " bytes, over " + target.str() +
                                  "'s limit of " + std::to_string(limit)
                            : std::string();
  };
  // nft: "comment too long, 128 characters maximum allowed".
  if (target == "nftables" && text.field == "comment")
    return tooLong(128);
  // xt_comment keeps 256 bytes with the terminating NUL.
  if (target == "iptables" && text.field == "--comment")
    return tooLong(255);
  // The firewall API rejects '|' in rule names, display names and descriptions.
  if (target == "windows" && text.field != "#" && s.contains('|'))
    return "'|' in " + text.field;
  if (target == "cisco-asa" && text.field == "remark")
    return s.contains('?') ? "'?' in a remark" : tooLong(100);
  if (target == "azure-nsg" && text.field == "description")
    return tooLong(140);
  if (target == "aws-sg" && (text.field == "Description" || text.field == "/Description")) {
    static const llvm::StringRef allowed = "._-:/()#,@[]+=&;{}!$* ";
    if (llvm::any_of(s, [](char c) { return !llvm::isAlnum(c) && !allowed.contains(c); }))
      return "a character AWS does not accept in " + text.field;
    return tooLong(text.field == "Description" ? 255 : 1024);
  }
  return "";
}

} // namespace cmnet::fuzz
