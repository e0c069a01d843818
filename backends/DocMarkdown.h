// doc-md: the port reference of the user's topology as one Markdown file.
#pragma once

#include "backends/Backend.h"
#include "backends/DocModel.h"

namespace cmnet::backends {

/// Write the reference for \p doc to \p os as GitHub-flavoured Markdown.
void writeDocMarkdown(const doc::DocModel &doc, const BackendOptions &options, llvm::raw_ostream &os);

/// Registry target `doc-md`: the reference, as `cmnetc doc --format=md` writes it.
class DocMarkdownBackend : public Backend {
public:
  llvm::StringRef name() const override { return "doc-md"; }
  Capabilities capabilities() const override;
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
