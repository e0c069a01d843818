// Markdown rendering of the port reference.
#include "doc/DocMarkdown.h"

#include "doc/DocReport.h"

#include "llvm/ADT/StringExtras.h"

#include <array>
#include <cctype>
#include <optional>

namespace cmnet::doc {
namespace {

/// Bytes that may need a backslash in a Markdown table cell or paragraph, or (a control
/// character, which would end the line or the table row) a space; needsEscape decides for '<',
/// controlLength for the lead bytes of the controls outside ASCII.
constexpr std::array<bool, 256> markdownSpecial = [] {
  std::array<bool, 256> special{};
  for (unsigned char c : {'|', '*', '`', '[', ']', '\\', '<'})
    special[c] = true;
  for (unsigned c = 0; c < 0x20; ++c)
    special[c] = true;
  special[0x7F] = true;
  special[0xC2] = special[0xE2] = true;
  return special;
}();

/// The bytes of the control character at \p i, 0 when there is none: C0 and DEL, C1 (U+0080 to
/// U+009F) and the line and paragraph separators (U+2028, U+2029), as plainText has them.
size_t controlLength(llvm::StringRef text, size_t i) {
  unsigned char c = text[i];
  if (c < 0x20 || c == 0x7F)
    return 1;
  llvm::StringRef rest = text.substr(i);
  if (c == 0xC2 && rest.size() > 1 && (unsigned char)rest[1] >= 0x80 && (unsigned char)rest[1] <= 0x9F)
    return 2;
  return rest.startswith("\u2028") || rest.startswith("\u2029") ? 3 : 0;
}

/// For a markdownSpecial character at \p i other than a newline: true when it needs a
/// backslash. '<' starts HTML only before a letter, '/', '!' or '?' ("<-->" stays as written).
bool needsEscape(llvm::StringRef text, size_t i) {
  char c = text[i];
  if (c != '<')
    return true;
  if (i + 1 == text.size())
    return false;
  char next = text[i + 1];
  return isalpha((unsigned char)next) || next == '/' || next == '!' || next == '?';
}

/// Writes straight to a stream: a temporary string per cell and line cost more than the text
/// itself, and the reference of a hierarchy at Microsoft's published limits is close to a
/// gigabyte, which the backend hands on in pieces (FileSinkStream).
class MarkdownWriter : public DocWriter {
public:
  explicit MarkdownWriter(llvm::raw_ostream &os) : os(os) {}

  void heading(unsigned level, llvm::StringRef anchor, llvm::StringRef title) override {
    os << "<a id=\"" << anchor << "\"></a>\n\n";
    for (unsigned i = 0; i < level; ++i)
      os << '#';
    os << ' ';
    writeEscaped(title);
    os << "\n\n";
  }
  void paragraph(llvm::StringRef body) override {
    writeEscaped(body);
    os << "\n\n";
  }
  void facts(llvm::ArrayRef<std::pair<std::string, DocCell>> facts) override {
    for (const auto &[name, value] : facts) {
      os << "- **";
      writeEscaped(name);
      os << ":** ";
      writeCell(value);
      os << '\n';
    }
    os << '\n';
  }
  void contents(llvm::ArrayRef<ContentsEntry> entries) override {
    for (const ContentsEntry &e : entries) {
      os.indent(2 * (e.level - 1)) << "- [";
      writeEscaped(e.text);
      os << "](#" << e.anchor << ")\n";
    }
    os << '\n';
  }
  void diagram() override {
    os << "The diagram is Graphviz: `cmnetc doc FILE --format=svg -o diagram.svg` draws it, "
          "`--format=html` embeds it in a single-page report. Its edge labels are the connection "
          "numbers below.\n\n";
  }
  void beginTable(llvm::ArrayRef<std::string> header) override {
    os << '|';
    for (const std::string &h : header) {
      os << ' ';
      writeEscaped(h);
      os << " |";
    }
    os << "\n|";
    for (const std::string &h : header)
      os << (h == "#" ? "--:|" : "---|");
    os << '\n';
  }
  void tableRow(llvm::ArrayRef<DocCell> row) override {
    os << '|';
    for (const DocCell &cell : row) {
      os << ' ';
      writeCell(cell);
      os << " |";
    }
    os << '\n';
  }
  void endTable() override { os << '\n'; }

private:
  /// \p raw made safe for a table cell or paragraph: runs that need nothing are copied whole.
  void writeEscaped(llvm::StringRef raw) {
    size_t copied = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (!markdownSpecial[(unsigned char)raw[i]])
        continue;
      size_t control = controlLength(raw, i);
      if (!control && (!llvm::isASCII(raw[i]) || !needsEscape(raw, i)))
        continue;
      os << raw.slice(copied, i) << (control ? ' ' : '\\');
      copied = i + control; // a control character is left out, a special one kept after its backslash
      i += control ? control - 1 : 0;
    }
    os << raw.substr(copied);
  }

  void writeCell(const DocCell &cell) {
    if (!cell.id.empty())
      os << "<a id=\"" << cell.id << "\"></a>";
    if (cell.anchor.empty())
      return writeEscaped(cell.text);
    os << '[';
    writeEscaped(cell.text);
    os << "](#" << cell.anchor << ")";
  }

  llvm::raw_ostream &os;
};

} // namespace

void writeDocMarkdown(const DocModel &doc, const backends::BackendOptions &options, llvm::raw_ostream &os) {
  MarkdownWriter writer(os);
  writeReport(doc, options, writer);
}

bool DocMarkdownTarget::render(const ir::PlacedPolicy &placed, const backends::BackendOptions &options,
                               backends::FileSink emit) const {
  backends::FileSinkStream out(emit, "reference.md");
  std::optional<DocModel> built;
  writeDocMarkdown(model(placed, built), options, out);
  return out.finish();
}

} // namespace cmnet::doc
