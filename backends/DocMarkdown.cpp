// Markdown rendering of the port reference.
#include "backends/DocMarkdown.h"

#include "backends/DocReport.h"

#include "fmt/format.h"

#include <cctype>

namespace cmnet::backends {
namespace {

/// Text safe inside a Markdown table cell or paragraph.
std::string escape(llvm::StringRef text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    // '<' starts HTML only before a letter, '/', '!' or '?' ("<-->" stays as written).
    bool tag = c == '<' && i + 1 < text.size() && (isalpha((unsigned char)text[i + 1]) || text[i + 1] == '/' ||
                                                   text[i + 1] == '!' || text[i + 1] == '?');
    if (c == '|' || c == '*' || c == '`' || c == '[' || c == ']' || c == '\\' || tag)
      out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string cellText(const doc::DocCell &cell) {
  std::string text = cell.anchor.empty() ? escape(cell.text) : fmt::format("[{}](#{})", escape(cell.text), cell.anchor);
  return cell.id.empty() ? text : fmt::format("<a id=\"{}\"></a>{}", cell.id, text);
}

class MarkdownWriter : public doc::DocWriter {
public:
  std::string text;

  void heading(unsigned level, llvm::StringRef anchor, llvm::StringRef title) override {
    text += fmt::format("<a id=\"{}\"></a>\n\n{} {}\n\n", anchor.str(), std::string(level, '#'), escape(title));
  }
  void paragraph(llvm::StringRef body) override { text += escape(body) + "\n\n"; }
  void facts(llvm::ArrayRef<std::pair<std::string, doc::DocCell>> facts) override {
    for (const auto &[name, value] : facts)
      text += fmt::format("- **{}:** {}\n", escape(name), cellText(value));
    text += "\n";
  }
  void contents(llvm::ArrayRef<doc::ContentsEntry> entries) override {
    for (const doc::ContentsEntry &e : entries)
      text += fmt::format("{}- [{}](#{})\n", std::string(2 * (e.level - 1), ' '), escape(e.text), e.anchor);
    text += "\n";
  }
  void diagram() override {
    text += "The diagram is Graphviz: `cmnetc doc FILE --format=svg -o diagram.svg` draws it, "
            "`--format=html` embeds it in a single-page report. Its edge labels are the connection "
            "numbers below.\n\n";
  }
  void table(const doc::DocTable &t) override {
    std::string rule;
    text += "|";
    for (const std::string &h : t.header) {
      text += " " + escape(h) + " |";
      rule += h == "#" ? "--:|" : "---|";
    }
    text += "\n|" + rule + "\n";
    for (const auto &row : t.rows) {
      text += "|";
      for (const doc::DocCell &cell : row)
        text += " " + cellText(cell) + " |";
      text += "\n";
    }
    text += "\n";
  }
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
  return emit("reference.md", renderDocMarkdown(doc::buildDocModel(placed), options));
}

} // namespace cmnet::backends
