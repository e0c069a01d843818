// doc-md: the port reference of the user's topology as one Markdown file.
#pragma once

#include "doc/DocModel.h"
#include "doc/DocTarget.h"

namespace cmnet::doc {

/// Write the reference for \p doc to \p os as GitHub-flavoured Markdown.
void writeDocMarkdown(const DocModel &doc, const backends::BackendOptions &options, llvm::raw_ostream &os);

/// Registry target `doc-md`: the reference, as `cmnetc doc --format=md` writes it.
class DocMarkdownTarget : public DocTarget {
public:
  llvm::StringRef name() const override { return "doc-md"; }
  bool render(const ir::PlacedPolicy &placed, const backends::BackendOptions &options,
              backends::FileSink emit) const override;
};

} // namespace cmnet::doc
