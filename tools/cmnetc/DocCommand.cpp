// `cmnetc doc`: the user's own port reference (Markdown, HTML) and topology diagram (DOT, SVG).
#include "Commands.h"
#include "DocModelStage.h"
#include "Driver.h"
#include "OutputWriter.h"
#include "Graphviz.h"

#include "doc/DocDot.h"
#include "doc/DocHtml.h"
#include "doc/DocMarkdown.h"
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
cl::opt<doc::DiagramView> view(
    "diagram", cl::desc("What the diagram draws"), cl::init(doc::DiagramView::Auto),
    cl::values(clEnumValN(doc::DiagramView::Auto, "auto",
                          "hosts; sites above 40 hosts; groups above 50 sites"),
               clEnumValN(doc::DiagramView::Hosts, "hosts", "one node per host"),
               clEnumValN(doc::DiagramView::Sites, "sites", "one node per site"),
               clEnumValN(doc::DiagramView::SiteGroups, "groups",
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
  std::optional<doc::DocModel> docModel;
  buildDocModelAfterPolicy(options, docModel);
  if (!compile(input, options, c))
    return ExitInputError;
  const doc::DocModel &doc = *docModel;
  backends::BackendOptions backendOptions{CMNET_VERSION, ""};
  Progress &progress = *options.progress;
  std::string writing = fmt::format("writing {}", output.getValue());

  auto markdown = [&](llvm::raw_ostream &os) { doc::writeDocMarkdown(doc, backendOptions, os); };
  if (format != Format::SVG && format != Format::HTML)
    progress.stage(writing);
  if (format == Format::Markdown) // written as it is made: 0.7 GB at Microsoft's published limits
    return writeFileAtomically(output, markdown, c.diags) ? ExitSuccess : ExitInputError;
  if (format == Format::DOT)
    return writeFileAtomically(output, doc::renderDocDot(doc, view), c.diags) ? ExitSuccess : ExitInputError;
  progress.stage("laying out the diagram with Graphviz dot");
  std::optional<std::string> svg = renderSvgWithDot(doc::renderDocDot(doc, view), dotTimeout, c.diags);
  if (!svg)
    return ExitInputError;
  progress.stage(writing);
  if (format == Format::SVG)
    return writeFileAtomically(output, *svg, c.diags) ? ExitSuccess : ExitInputError;
  // Written as it is made, like Markdown: 1 GB at the published limits.
  auto html = [&](llvm::raw_ostream &os) { doc::writeDocHtml(doc, backendOptions, *svg, os); };
  return writeFileAtomically(output, html, c.diags) ? ExitSuccess : ExitInputError;
}

} // namespace cmnet::driver
