// DocReport: the structure of the port reference (contents, connections, sites, hosts,
// firewalls), written through a DocWriter so Markdown and HTML share one outline.
#pragma once

#include "backends/Backend.h"
#include "doc/DocModel.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace cmnet::doc {

/// A table cell: text, optionally a link to an anchor of the same document, optionally an
/// anchor itself (\c id) that links elsewhere point to.
struct DocCell {
  std::string text;
  std::string anchor;
  std::string id;
  DocCell(std::string text, std::string anchor = "") : text(std::move(text)), anchor(std::move(anchor)) {}
  DocCell(const char *text) : text(text) {}
};

struct DocTable {
  std::vector<std::string> header;
  std::vector<std::vector<DocCell>> rows;
};

struct ContentsEntry {
  unsigned level; // 1: a chapter, 2: a site, host or firewall
  std::string anchor, text;
};

/// The output format. Every method appends to the document being written; text is plain and
/// each writer escapes it for its own format.
class DocWriter {
public:
  virtual ~DocWriter() = default;
  /// \p level 1 is the document title, 2 a chapter, 3 a site/host/firewall, 4 below that.
  virtual void heading(unsigned level, llvm::StringRef anchor, llvm::StringRef text) = 0;
  virtual void paragraph(llvm::StringRef text) = 0;
  /// "Name: value" pairs about one subject (a host's site, roles and addresses).
  virtual void facts(llvm::ArrayRef<std::pair<std::string, DocCell>> facts) = 0;
  virtual void contents(llvm::ArrayRef<ContentsEntry> entries) = 0;
  /// The topology diagram (or, where a format cannot embed it, how to get it).
  virtual void diagram() = 0;
  /// A table comes as its header, its rows one by one, and its end, so that a table of half a
  /// million rows (the connections at Microsoft's published limits) is never held whole.
  virtual void beginTable(llvm::ArrayRef<std::string> header) = 0;
  virtual void tableRow(llvm::ArrayRef<DocCell> row) = 0;
  virtual void endTable() = 0;
  void table(const DocTable &table) {
    beginTable(table.header);
    for (const std::vector<DocCell> &row : table.rows)
      tableRow(row);
    endTable();
  }
};

/// Write the whole reference for \p doc.
void writeReport(const DocModel &doc, const backends::BackendOptions &options, DocWriter &out);
/// Its title, the text of its one level-1 heading.
std::string reportTitle(const DocModel &doc);

/// Anchors, shared with the diagram so nodes can link to their tables.
std::string hostAnchor(llvm::StringRef host);
std::string siteAnchor(llvm::StringRef site);
std::string connectionAnchor(unsigned number);

} // namespace cmnet::doc
