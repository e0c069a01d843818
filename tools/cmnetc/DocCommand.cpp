// `cmnetc doc`: the user's own port reference (Markdown, HTML) and topology diagram (DOT, SVG).
#include "Commands.h"
#include "Driver.h"
#include "OutputWriter.h"
#include "Graphviz.h"

#include "backends/DocDot.h"
#include "backends/DocHtml.h"
#include "backends/DocMarkdown.h"
#include "support/Version.h"

#include "fmt/format.h"

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
    cl::values(clEnumValN(backends::DiagramView::Auto, "auto",
                          "hosts; sites above 40 hosts; groups above 50 sites"),
               clEnumValN(backends::DiagramView::Hosts, "hosts", "one node per host"),
               clEnumValN(backends::DiagramView::Sites, "sites", "one node per site"),
               clEnumValN(backends::DiagramView::SiteGroups, "groups",
                          "one node per site, secondary sites folded into one per parent")),
    cl::sub(docCmd));
cl::opt<unsigned> dotTimeout("dot-timeout",
                             cl::desc("Stop Graphviz's layout after this many seconds (svg, html; 0: never; default 300)"),
                             cl::init(300), cl::sub(docCmd));
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
  Progress &progress = *options.progress;
  std::string writing = fmt::format("writing {}", output.getValue());

  auto markdown = [&](llvm::raw_ostream &os) { backends::writeDocMarkdown(doc, backendOptions, os); };
  if (format != Format::SVG && format != Format::HTML)
    progress.stage(writing);
  if (format == Format::Markdown) // written as it is made: 0.7 GB at Microsoft's published limits
    return writeFileAtomically(output, markdown, c.diags) ? ExitSuccess : ExitInputError;
  if (format == Format::DOT)
    return writeFileAtomically(output, backends::renderDocDot(doc, view), c.diags) ? ExitSuccess : ExitInputError;
  progress.stage("laying out the diagram with Graphviz dot");
  std::optional<std::string> svg = renderSvgWithDot(backends::renderDocDot(doc, view), dotTimeout, c.diags);
  if (!svg)
    return ExitInputError;
  progress.stage(writing);
  if (format == Format::SVG)
    return writeFileAtomically(output, *svg, c.diags) ? ExitSuccess : ExitInputError;
  // Written as it is made, like Markdown: 1 GB at the published limits.
  auto html = [&](llvm::raw_ostream &os) { backends::writeDocHtml(doc, backendOptions, *svg, os); };
  return writeFileAtomically(output, html, c.diags) ? ExitSuccess : ExitInputError;
}

} // namespace cmnet::driver
