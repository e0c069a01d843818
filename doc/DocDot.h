// doc-dot: the topology diagram as Graphviz DOT.
#pragma once

#include "doc/DocModel.h"
#include "doc/DocTarget.h"

namespace cmnet::doc {

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
std::string renderDocDot(const DocModel &doc, DiagramView view = DiagramView::Auto);

/// Registry target `doc-dot`: the diagram, as `cmnetc doc --format=dot` writes it.
class DocDotTarget : public DocTarget {
public:
  llvm::StringRef name() const override { return "doc-dot"; }
  bool render(const ir::PlacedPolicy &placed, const backends::BackendOptions &options,
              backends::FileSink emit) const override;
};

} // namespace cmnet::doc
