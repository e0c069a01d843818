// Markdown rendering of the port reference.
#include "backends/DocMarkdown.h"

#include "backends/DocReport.h"

#include <cctype>

namespace cmnet::backends {
namespace {

/// True when \p c at \p i needs a backslash in a Markdown table cell or paragraph. '<' starts
/// HTML only before a letter, '/', '!' or '?' ("<-->" stays as written).
bool needsEscape(llvm::StringRef text, size_t i) {
  char c = text[i];
  if (c == '|' || c == '*' || c == '`' || c == '[' || c == ']' || c == '\\')
    return true;
  if (c != '<' || i + 1 == text.size())
    return false;
  char next = text[i + 1];
  return isalpha((unsigned char)next) || next == '/' || next == '!' || next == '?';
}

/// Appends straight to one buffer: a temporary string per cell and line cost more than the
/// text itself. With a \c flush, the buffer is handed on whenever it passes a megabyte, as
/// the reference of a hierarchy at Microsoft's published limits is close to a gigabyte.
class MarkdownWriter : public doc::DocWriter {
public:
  using Flush = llvm::function_ref<bool(std::string)>;
  explicit MarkdownWriter(Flush flush = nullptr) : flush(flush) {}

  std::string text;

  /// Hand on what is left; false when a flush failed (and the rest was dropped).
  bool finish() {
    if (flush && ok)
      ok = flush(std::move(text));
    text.clear();
    return ok;
  }

  void heading(unsigned level, llvm::StringRef anchor, llvm::StringRef title) override {
    append("<a id=\"", anchor, "\"></a>\n\n");
    text.append(level, '#');
    text += ' ';
    appendEscaped(title);
    text += "\n\n";
    maybeFlush();
  }
  void paragraph(llvm::StringRef body) override {
    appendEscaped(body);
    text += "\n\n";
    maybeFlush();
  }
  void facts(llvm::ArrayRef<std::pair<std::string, doc::DocCell>> facts) override {
    for (const auto &[name, value] : facts) {
      text += "- **";
      appendEscaped(name);
      text += ":** ";
      appendCell(value);
      text += '\n';
    }
    text += '\n';
    maybeFlush();
  }
  void contents(llvm::ArrayRef<doc::ContentsEntry> entries) override {
    for (const doc::ContentsEntry &e : entries) {
      text.append(2 * (e.level - 1), ' ');
      text += "- [";
      appendEscaped(e.text);
      append("](#", e.anchor, ")\n");
    }
    text += '\n';
    maybeFlush();
  }
  void diagram() override {
    text += "The diagram is Graphviz: `cmnetc doc FILE --format=svg -o diagram.svg` draws it, "
            "`--format=html` embeds it in a single-page report. Its edge labels are the connection "
            "numbers below.\n\n";
  }
  void table(const doc::DocTable &t) override {
    text += '|';
    for (const std::string &h : t.header) {
      text += ' ';
      appendEscaped(h);
      text += " |";
    }
    text += "\n|";
    for (const std::string &h : t.header)
      text += h == "#" ? "--:|" : "---|";
    text += '\n';
    for (const auto &row : t.rows) {
      text += '|';
      for (const doc::DocCell &cell : row) {
        text += ' ';
        appendCell(cell);
        text += " |";
      }
      text += '\n';
      maybeFlush();
    }
    text += '\n';
  }

private:
  static constexpr size_t FlushBytes = 1 << 20;

  void maybeFlush() {
    if (!flush || text.size() < FlushBytes)
      return;
    ok = ok && flush(std::move(text));
    text.clear();
  }

  void append(llvm::StringRef before, llvm::StringRef middle, llvm::StringRef after) {
    text.append(before.data(), before.size());
    text.append(middle.data(), middle.size());
    text.append(after.data(), after.size());
  }

  /// \p raw made safe for a table cell or paragraph: runs that need nothing are copied whole.
  void appendEscaped(llvm::StringRef raw) {
    size_t copied = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      bool newline = raw[i] == '\n';
      if (!newline && !needsEscape(raw, i))
        continue;
      text.append(raw.data() + copied, i - copied);
      text += newline ? " " : "\\";
      copied = newline ? i + 1 : i;
    }
    text.append(raw.data() + copied, raw.size() - copied);
  }

  void appendCell(const doc::DocCell &cell) {
    if (!cell.id.empty())
      append("<a id=\"", cell.id, "\"></a>");
    if (cell.anchor.empty())
      return appendEscaped(cell.text);
    text += '[';
    appendEscaped(cell.text);
    append("](#", cell.anchor, ")");
  }

  Flush flush;
  bool ok = true;
};

} // namespace

std::string renderDocMarkdown(const doc::DocModel &doc, const BackendOptions &options) {
  MarkdownWriter writer;
  doc::writeReport(doc, options, writer);
  return std::move(writer.text);
}

Capabilities DocMarkdownBackend::capabilities() const {
  Capabilities c;
  c.networkFirewalls = true;
  return c;
}

bool DocMarkdownBackend::render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const {
  auto piece = [&](std::string text) { return emit("reference.md", std::move(text)); };
  MarkdownWriter writer(piece); // a function_ref: the lambda must outlive it
  doc::writeReport(doc::buildDocModel(placed), options, writer);
  return writer.finish();
}

} // namespace cmnet::backends
