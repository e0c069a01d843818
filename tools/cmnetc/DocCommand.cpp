// `cmnetc doc`: the user's own port reference (Markdown, HTML) and topology diagram (DOT, SVG).
#include "Commands.h"
#include "Driver.h"
#include "Graphviz.h"

#include "backends/DocDot.h"
#include "backends/DocHtml.h"
#include "backends/DocMarkdown.h"
#include "support/Version.h"

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand docCmd("doc", "Document a hierarchy: port reference and topology diagram");
cl::opt<std::string> input(cl::Positional, cl::desc("<file.cmnet>"), cl::Required, cl::sub(docCmd));
cl::opt<std::string> output("o", cl::desc("Output file ('-' for stdout, the default)"), cl::value_desc("path"),
                            cl::init("-"), cl::sub(docCmd));
enum class Format { Markdown, HTML, DOT, SVG };
cl::opt<Format> format("format", cl::desc("Output format"), cl::init(Format::Markdown),
                       cl::values(clEnumValN(Format::Markdown, "md", "port tables per site, host and firewall"),
                                  clEnumValN(Format::HTML, "html", "one self-contained page: tables and diagram"),
                                  clEnumValN(Format::DOT, "dot", "the diagram as Graphviz DOT"),
                                  clEnumValN(Format::SVG, "svg", "the diagram laid out by Graphviz dot")),
                       cl::sub(docCmd));
cl::opt<backends::DiagramView> view(
    "diagram", cl::desc("What the diagram draws"), cl::init(backends::DiagramView::Auto),
    cl::values(clEnumValN(backends::DiagramView::Auto, "auto", "hosts, or sites above 40 hosts"),
               clEnumValN(backends::DiagramView::Hosts, "hosts", "one node per host"),
               clEnumValN(backends::DiagramView::Sites, "sites", "one node per site")),
    cl::sub(docCmd));
CommonOptions common(docCmd);

} // namespace

bool docSelected() { return static_cast<bool>(docCmd); }

int runDoc() {
  Compilation c;
  common.apply(c);
  CompileOptions options = common.get();
  options.buildDocModel = true;
  if (!compile(input, options, c))
    return ExitInputError;
  const backends::doc::DocModel &doc = *c.docModel;
  backends::BackendOptions backendOptions{CMNET_VERSION, ""};

  auto markdown = [&](llvm::raw_ostream &os) { backends::writeDocMarkdown(doc, backendOptions, os); };
  if (format == Format::Markdown) // written as it is made: 0.7 GB at Microsoft's published limits
    return writeFileAtomically(output, markdown, c.diags) ? ExitSuccess : ExitInputError;
  std::string text;
  if (format == Format::DOT)
    text = backends::renderDocDot(doc, view);
  else {
    std::optional<std::string> svg = renderSvgWithDot(backends::renderDocDot(doc, view), c.diags);
    if (!svg)
      return ExitInputError;
    text = format == Format::SVG ? std::move(*svg) : backends::renderDocHtml(doc, backendOptions, *svg);
  }
  return writeFileAtomically(output, text, c.diags) ? ExitSuccess : ExitInputError;
}

} // namespace cmnet::driver
