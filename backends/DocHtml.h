// doc-html: the port reference as one self-contained HTML page with the diagram inside.
#pragma once

#include "backends/Backend.h"
#include "backends/DocModel.h"

namespace cmnet::backends {

/// One HTML file for \p doc: inline styles, the SVG diagram \p svg (Graphviz output, prolog
/// allowed) embedded, a table of contents and sortable tables; it fetches nothing.
std::string renderDocHtml(const doc::DocModel &doc, const BackendOptions &options, llvm::StringRef svg);

/// \p svg without what precedes the <svg> element (XML prolog, DOCTYPE, comments).
llvm::StringRef svgElement(llvm::StringRef svg);

} // namespace cmnet::backends
