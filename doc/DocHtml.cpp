// HTML rendering of the port reference: one page, no external resources.
#include "doc/DocHtml.h"

#include "doc/DocReport.h"

#include "fmt/format.h"

namespace cmnet::doc {
namespace {

/// \p text with HTML's special characters escaped, written to \p os.
void writeEscaped(llvm::raw_ostream &os, llvm::StringRef text) {
  for (char c : text) {
    switch (c) {
    case '&': os << "&amp;"; break;
    case '<': os << "&lt;"; break;
    case '>': os << "&gt;"; break;
    case '"': os << "&quot;"; break;
    case '\'': os << "&#39;"; break;
    default: os << c;
    }
  }
}

constexpr const char *styleSheet = R"css(
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2d3a; margin: 0; }
main { max-width: 1600px; margin: 0 auto; padding: 16px 28px 48px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #d5dde5; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 17px; margin-top: 28px; }
h4 { font-size: 14px; margin: 18px 0 6px; color: #4a5968; }
a { color: #1f5fa8; text-decoration: none; }
a:hover { text-decoration: underline; }
nav.contents { background: #f6f8fa; border: 1px solid #d5dde5; border-radius: 6px; padding: 8px 16px; columns: 3 220px; }
nav.contents ul { margin: 0; padding-left: 16px; }
nav.contents > ul { padding-left: 0; list-style: none; }
nav.contents > ul > li { break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 8px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
div.diagram { border: 1px solid #d5dde5; border-radius: 6px; padding: 8px; overflow: auto; background: #fff; }
div.diagram svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
p.legend { color: #4a5968; font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid #d5dde5; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f6; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
tr:nth-child(even) td { background: #fafbfc; }
td:target { background: #fff3c4; }
)css";

/// Click a column header to sort by it (numbers numerically); click again to reverse.
constexpr const char *sortScript = R"js(
(function () {
  function key(row, index) { return row.cells[index] ? row.cells[index].textContent.trim() : ""; }
  function compare(x, y) {
    var nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) return nx - ny;
    return x.localeCompare(y, undefined, { numeric: true });
  }
  document.querySelectorAll("table.sortable th").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table"), body = table.tBodies[0];
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var c = compare(key(a, index), key(b, index));
        return ascending ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
)js";

/// Writes the page as the report is made (1 GB at Microsoft's published limits).
class HtmlWriter : public DocWriter {
public:
  HtmlWriter(llvm::raw_ostream &os, llvm::StringRef svg) : os(os), svg(svg) {}

  void heading(unsigned level, llvm::StringRef anchor, llvm::StringRef text) override {
    os << "<h" << level << " id=\"";
    writeEscaped(os, anchor);
    os << "\">";
    writeEscaped(os, text);
    os << "</h" << level << ">\n";
  }
  void paragraph(llvm::StringRef text) override {
    os << "<p>";
    writeEscaped(os, text);
    os << "</p>\n";
  }
  void facts(llvm::ArrayRef<std::pair<std::string, DocCell>> facts) override {
    os << "<dl class=\"facts\">\n";
    for (const auto &[name, value] : facts) {
      os << "<dt>";
      writeEscaped(os, name);
      os << "</dt><dd>";
      writeCell(value);
      os << "</dd>\n";
    }
    os << "</dl>\n";
  }
  void contents(llvm::ArrayRef<ContentsEntry> entries) override {
    os << "<nav class=\"contents\"><strong>Contents</strong>\n<ul>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
      const ContentsEntry &e = entries[i];
      bool nextIsChild = i + 1 < entries.size() && entries[i + 1].level == 2;
      os << "<li>";
      writeLink(e.anchor, e.text);
      if (e.level == 1)
        os << (nextIsChild ? "\n<ul>\n" : "</li>\n");
      else
        os << (nextIsChild ? "</li>\n" : "</li>\n</ul></li>\n");
    }
    os << "</ul></nav>\n";
  }
  void diagram() override {
    os << "<div class=\"diagram\">\n" << svgElement(svg) << "\n</div>\n";
    os << "<p class=\"legend\">Edge labels are connection numbers. Blue: clients; orange: between sites; "
          "grey: outside the hierarchy; dark: within a site. Click a host or site to jump to its tables.</p>\n";
  }
  void beginTable(llvm::ArrayRef<std::string> header) override {
    os << "<table class=\"sortable\">\n<thead><tr>";
    for (const std::string &h : header) {
      os << "<th>";
      writeEscaped(os, h);
      os << "</th>";
    }
    os << "</tr></thead>\n<tbody>\n";
  }
  void tableRow(llvm::ArrayRef<DocCell> row) override {
    os << "<tr>";
    for (const DocCell &cell : row) {
      if (cell.id.empty()) {
        os << "<td>";
      } else {
        os << "<td id=\"";
        writeEscaped(os, cell.id);
        os << "\">";
      }
      writeCell(cell);
      os << "</td>";
    }
    os << "</tr>\n";
  }
  void endTable() override { os << "</tbody></table>\n"; }

private:
  void writeLink(llvm::StringRef anchor, llvm::StringRef text) {
    os << "<a href=\"#";
    writeEscaped(os, anchor);
    os << "\">";
    writeEscaped(os, text);
    os << "</a>";
  }
  void writeCell(const DocCell &cell) {
    if (cell.anchor.empty())
      writeEscaped(os, cell.text);
    else
      writeLink(cell.anchor, cell.text);
  }

  llvm::raw_ostream &os;
  llvm::StringRef svg;
};

} // namespace

llvm::StringRef svgElement(llvm::StringRef svg) {
  size_t start = svg.find("<svg");
  return start == llvm::StringRef::npos ? llvm::StringRef() : svg.substr(start).rtrim();
}

void writeDocHtml(const DocModel &doc, const backends::BackendOptions &options, llvm::StringRef svg,
                  llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" "
        "content=\"cmnetc ";
  writeEscaped(os, options.compilerVersion);
  os << "\">\n<title>";
  writeEscaped(os, reportTitle(doc));
  os << "</title>\n<style>" << styleSheet << "</style>\n</head>\n<body>\n<main>\n";
  HtmlWriter writer(os, svg);
  writeReport(doc, options, writer);
  os << "</main>\n<script>" << sortScript << "</script>\n</body>\n</html>\n";
}

} // namespace cmnet::doc
