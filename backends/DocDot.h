// doc-dot: the topology diagram as Graphviz DOT.
#pragma once

#include "backends/Backend.h"
#include "backends/DocModel.h"

namespace cmnet::backends {

/// How much of the hierarchy the diagram draws.
enum class DiagramView : unsigned char {
  Auto,  ///< Hosts up to maxHostsInDiagram, then Sites up to maxSitesInDiagram, then SiteGroups.
  Hosts, ///< One node per host, client group and outside endpoint; one edge per connection.
  Sites, ///< One node per site; the connections between two sites become one edge.
  SiteGroups, ///< Sites, with the secondary sites under each parent folded into one node.
};

/// Above this many hosts, the Auto view draws sites: a larger picture stops being readable.
constexpr unsigned maxHostsInDiagram = 40;
/// Above this many sites, the Auto view folds secondary sites: besides being unreadable, a
/// picture of thousands of sites takes Graphviz's layout many minutes.
constexpr unsigned maxSitesInDiagram = 50;

/// The diagram of \p doc: sites as clusters (parent above child), edges labelled with the
/// connection numbers the tables use.
std::string renderDocDot(const doc::DocModel &doc, DiagramView view = DiagramView::Auto);

/// Registry target `doc-dot`: the diagram, as `cmnetc doc --format=dot` writes it.
class DocDotBackend : public Backend {
public:
  llvm::StringRef name() const override { return "doc-dot"; }
  Capabilities capabilities() const override;
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
