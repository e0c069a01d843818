// doc-html: the port reference as one self-contained HTML page with the diagram inside.
#pragma once

#include "backends/Backend.h"
#include "doc/DocModel.h"

namespace cmnet::doc {

/// One HTML file for \p doc, written to \p os as it is made: inline styles, the SVG diagram
/// \p svg (Graphviz output, prolog allowed) embedded, a table of contents and sortable tables;
/// it fetches nothing.
void writeDocHtml(const DocModel &doc, const backends::BackendOptions &options, llvm::StringRef svg,
                  llvm::raw_ostream &os);

/// \p svg without what precedes the <svg> element (XML prolog, DOCTYPE, comments).
llvm::StringRef svgElement(llvm::StringRef svg);

} // namespace cmnet::doc
