// Graphviz rendering of the topology: sites as clusters, numbered connection edges.
#include "doc/DocDot.h"

#include "doc/DocReport.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"

#include <map>
#include <optional>

using namespace cmnet::ir;

namespace cmnet::doc {
namespace {


/// Hosts of one site drawn per row; more go on the next row.
constexpr unsigned hostsPerRow = 5;
/// Edge colours (the HTML legend names them): clients, outside, between sites, within a site.
constexpr const char *clientEdge = "#2f6db5", *greyEdge = "#7d8791", *siteEdge = "#c0562b", *localEdge = "#27323d";
/// Endpoints outside the hierarchy drawn per row.
constexpr unsigned outsidePerRow = 8;
/// Address lists longer than this are cut in node labels ("… and 3 more").
constexpr unsigned prefixesPerLabel = 4;

/// A DOT double-quoted string; "\n" in \p text becomes a centred line break, any other control
/// character a space.
std::string quote(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n')
      out += "\\n";
    else
      out += (unsigned char)c < 0x20 || c == 0x7F ? ' ' : c;
  }
  return out + "\"";
}

std::string addressLines(const AddressSet &addresses) {
  if (addresses.isAny())
    return "any";
  std::vector<Cidr> cidrs = addresses.cidrs();
  std::string out;
  for (unsigned i = 0; i < cidrs.size() && i < prefixesPerLabel; ++i)
    out += (i ? "\n" : "") + cidrs[i].str();
  if (cidrs.size() > prefixesPerLabel)
    out += fmt::format("\n… and {} more", cidrs.size() - prefixesPerLabel);
  return out;
}

/// "site_server, management_point" broken into lines of about 32 characters.
std::string wrapped(llvm::StringRef list) {
  std::string out, line;
  llvm::SmallVector<llvm::StringRef, 4> items;
  list.split(items, ", ", -1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    if (!line.empty() && line.size() + item.size() > 32) {
      out += line + ",\n";
      line.clear();
    }
    line += (line.empty() ? "" : ", ") + item.str();
  }
  return out + line;
}

/// "1-4, 9" for a sorted list of connection numbers.
std::string numberRanges(llvm::ArrayRef<unsigned> numbers) {
  std::string out;
  for (size_t i = 0; i < numbers.size();) {
    size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1)
      ++j;
    out += (out.empty() ? "" : ", ") +
           (j == i ? std::to_string(numbers[i]) : fmt::format("{}-{}", numbers[i], numbers[j]));
    i = j + 1;
  }
  return out;
}

class DotWriter {
public:
  explicit DotWriter(const DocModel &doc) : doc(doc), h(doc.hierarchy()) {}

  std::string write(DiagramView view) {
    if (view == DiagramView::Auto)
      view = h.hosts.size() <= maxHostsInDiagram ? DiagramView::Hosts
             : h.sites.size() <= maxSitesInDiagram ? DiagramView::Sites
                                                   : DiagramView::SiteGroups;
    llvm::StringRef subtitle = view == DiagramView::Sites        ? " (one node per site)"
                               : view == DiagramView::SiteGroups ? " (one node per site, secondary sites grouped)"
                                                                 : "";
    out += fmt::format("digraph {} {{\n", quote(h.name));
    out += fmt::format("  graph [label={}, labelloc=t, fontname=\"Helvetica\", fontsize=16, newrank=true, "
                       "nodesep=0.35, ranksep=0.7, bgcolor=\"white\"];\n",
                       quote(h.name + subtitle.str()));
    out += "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", "
           "fillcolor=\"#ffffff\", color=\"#4a5968\", margin=\"0.12,0.06\"];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6, penwidth=1.1];\n";
    writeOutside();
    if (view == DiagramView::Hosts)
      writeHostsView();
    else
      writeSitesView(/*fold=*/view == DiagramView::SiteGroups);
    out += "}\n";
    return std::move(out);
  }

private:
  static std::string nodeId(unsigned node) { return fmt::format("n{}", node); }
  static std::string siteId(unsigned site) { return fmt::format("s{}", site); }

  std::string nodeStatement(unsigned n) const {
    const DocNode &node = doc.nodes[n];
    switch (node.kind) {
    case DocNode::Host:
      return fmt::format("{} [label={}, href={}, tooltip={}, fillcolor=\"#e8f0fb\"]", nodeId(n),
                         quote(node.name + "\n" + addressLines(node.addresses) + "\n" + wrapped(node.roles)),
                         quote("#" + hostAnchor(node.name)), quote(node.name + ": " + node.roles));
    case DocNode::Clients:
      return fmt::format("{} [label={}, shape=folder, style=filled, fillcolor=\"#eef7ea\", tooltip={}]", nodeId(n),
                         quote(node.name + "\n" + addressLines(node.addresses)),
                         quote(node.name + ": " + node.addresses.str()));
    case DocNode::External:
      return fmt::format("{} [label={}, shape=ellipse, style=filled, fillcolor=\"#f4f4f4\", tooltip={}]", nodeId(n),
                         quote(node.name + "\n" + addressLines(node.addresses)),
                         quote(node.name + ": " + node.addresses.str()));
    case DocNode::Addresses:
      return fmt::format("{} [label={}, shape=note, style=filled, fillcolor=\"#fdf6e3\", tooltip={}]", nodeId(n),
                         quote(addressLines(node.addresses)), quote(node.addresses.str()));
    }
    return nodeId(n);
  }

  bool outside(unsigned n) const { return doc.nodes[n].outsideHierarchy(); }

  /// External endpoints and bare address ranges, in one cluster above the hierarchy, in rows.
  void writeOutside() {
    std::string body;
    for (unsigned n = 0; n < doc.nodes.size(); ++n) {
      if (!outside(n) || (doc.inbound[n].empty() && doc.outbound[n].empty()))
        continue;
      body += "    " + nodeStatement(n) + ";\n";
      if (outsideRows.empty() || outsideRows.back().size() == outsidePerRow)
        outsideRows.emplace_back();
      outsideRows.back().push_back(nodeId(n));
    }
    if (body.empty())
      return;
    out += "  subgraph \"cluster_outside\" {\n    label=\"Outside the hierarchy\"; style=\"rounded,dashed\"; "
           "color=\"#8a96a3\"; fontcolor=\"#4a5968\";\n";
    out += body;
    for (const auto &row : outsideRows)
      sameRank(row, "    ");
    out += "  }\n";
  }

  std::vector<unsigned> rootSites() const {
    std::vector<unsigned> roots;
    for (unsigned s = 0; s < h.sites.size(); ++s)
      if (!h.sites[s].parent)
        roots.push_back(s);
    return roots;
  }

  /// Invisible edges that only shape the layout: they are not connections.
  void layoutEdge(const std::string &from, const std::string &to) {
    out += fmt::format("  {} -> {} [style=invis, weight=4];\n", from, to);
  }

  /// Outside endpoints above every top-level site.
  void placeOutsideAbove(const std::vector<std::string> &topOfSite) {
    if (outsideRows.empty())
      return;
    for (size_t r = 0; r + 1 < outsideRows.size(); ++r)
      layoutEdge(outsideRows[r].front(), outsideRows[r + 1].front());
    for (unsigned root : rootSites())
      layoutEdge(outsideRows.back().front(), topOfSite[root]);
  }

  void writeHostsView() {
    std::vector<std::string> top(h.sites.size()), bottom(h.sites.size());
    for (unsigned s = 0; s < h.sites.size(); ++s)
      writeSiteCluster(s, top[s], bottom[s]);
    out += "  // Layout: parent sites above their children.\n";
    placeOutsideAbove(top);
    for (unsigned s = 0; s < h.sites.size(); ++s)
      if (h.sites[s].parent)
        layoutEdge(bottom[*h.sites[s].parent], top[s]);
    out += "  // Connections, numbered as in the tables.\n";
    for (const DocConnection &c : doc.connections)
      out += fmt::format("  {} -> {} [label={}, tooltip={}, href={}, color={}, fontcolor={}, constraint=false];\n",
                         nodeId(c.src), nodeId(c.dst), quote(std::to_string(c.number)), quote(connectionTooltip(c)),
                         quote("#" + connectionAnchor(c.number)), quote(edgeColor(c)), quote(edgeColor(c)));
  }

  /// One site's hosts (in rows) and client groups (a row below them); \p top and \p bottom
  /// receive a node of its first and of its last row for the layout edges between sites.
  void writeSiteCluster(unsigned s, std::string &top, std::string &bottom) {
    const Site &site = h.sites[s];
    out += fmt::format("  subgraph {} {{\n    label={}; href={}; style=\"rounded,filled\"; fillcolor=\"#f6f8fa\"; "
                       "color=\"#8a96a3\"; fontcolor=\"#1f2d3a\";\n",
                       quote(fmt::format("cluster_site_{}", s)),
                       quote(fmt::format("{} · {} site", site.name, siteKindName(site.kind).str())),
                       quote("#" + siteAnchor(site.name)));
    std::vector<std::vector<std::string>> rows;
    for (unsigned hi : site.hosts) {
      out += "    " + nodeStatement(doc.hostNodes[hi]) + ";\n";
      if (rows.empty() || rows.back().size() == hostsPerRow)
        rows.emplace_back();
      rows.back().push_back(nodeId(doc.hostNodes[hi]));
    }
    std::vector<std::string> clients;
    for (unsigned n : doc.siteNodes[s])
      if (doc.nodes[n].kind == DocNode::Clients) {
        out += "    " + nodeStatement(n) + ";\n";
        clients.push_back(nodeId(n));
      }
    if (!clients.empty())
      rows.push_back(std::move(clients));
    if (rows.empty()) {
      rows.push_back({fmt::format("empty{}", s)});
      out += fmt::format("    {} [label=\"no hosts\", shape=plaintext, style=\"\"];\n", rows[0][0]);
    }
    for (const auto &row : rows)
      sameRank(row, "    ");
    out += "  }\n";
    for (size_t r = 0; r + 1 < rows.size(); ++r)
      layoutEdge(rows[r].front(), rows[r + 1].front());
    top = rows.front().front();
    bottom = rows.back().front();
  }

  /// Keep \p ids on one rank (one row of the picture).
  void sameRank(llvm::ArrayRef<std::string> ids, llvm::StringRef indent) {
    if (ids.size() < 2)
      return;
    out += indent.str() + "{ rank=same;";
    for (const std::string &id : ids)
      out += " " + id + ";";
    out += " }\n";
  }

  std::string connectionTooltip(const DocConnection &c) const {
    return fmt::format("#{} {} → {}: {}", c.number, doc.nodes[c.src].name, doc.nodes[c.dst].name,
                       openingsSummary(doc, c));
  }

  /// Clients blue, outside grey, between sites orange, within a site dark.
  const char *edgeColor(const DocConnection &c) const {
    const DocNode &a = doc.nodes[c.src], &b = doc.nodes[c.dst];
    if (a.kind == DocNode::Clients || b.kind == DocNode::Clients)
      return clientEdge;
    if (outside(c.src) || outside(c.dst))
      return greyEdge;
    return a.site != b.site ? siteEdge : localEdge;
  }

  /// A node of the sites views: one site, or (folded) every secondary site under one parent.
  struct SiteBox {
    std::string id;
    unsigned site; ///< the site drawn, or the parent of the folded secondary sites
    bool folded = false;
    unsigned sites = 0, hosts = 0, clientGroups = 0, inside = 0;
  };

  /// The box of every site: its own, or with \p fold its parent's box of secondary sites.
  std::vector<unsigned> makeBoxes(bool fold) {
    auto folds = [&](const Site &site) { return fold && site.kind == SiteKind::Secondary && site.parent; };
    std::vector<unsigned> boxOf(h.sites.size());
    for (unsigned s = 0; s < h.sites.size(); ++s)
      if (!folds(h.sites[s])) {
        boxOf[s] = unsigned(boxes.size());
        boxes.push_back({siteId(s), s});
      }
    std::map<unsigned, unsigned> groupOf; // parent site -> its box of secondary sites
    for (unsigned s = 0; s < h.sites.size(); ++s)
      if (folds(h.sites[s])) {
        unsigned parent = *h.sites[s].parent;
        auto [it, added] = groupOf.try_emplace(parent, unsigned(boxes.size()));
        if (added)
          boxes.push_back({fmt::format("g{}", parent), parent, /*folded=*/true});
        boxOf[s] = it->second;
      }
    for (unsigned s = 0; s < h.sites.size(); ++s) {
      SiteBox &box = boxes[boxOf[s]];
      ++box.sites;
      box.hosts += unsigned(h.sites[s].hosts.size());
      box.clientGroups += unsigned(h.sites[s].clientGroups.size());
    }
    return boxOf;
  }

  std::string boxStatement(const SiteBox &box) const {
    const Site &site = h.sites[box.site];
    std::string title = box.folded ? fmt::format("{} secondary sites under {}", box.sites, site.name)
                                   : fmt::format("{} · {} site", site.name, siteKindName(site.kind).str());
    return fmt::format("  {} [label={}, tooltip={}, href={}, fillcolor=\"{}\"];\n", box.id,
                       quote(fmt::format("{}\n{}, {}\n{} inside", title, counted(box.hosts, "host"),
                                         counted(box.clientGroups, "client group"),
                                         counted(box.inside, "connection"))),
                       quote(box.folded ? title : "site " + site.name), quote("#" + siteAnchor(site.name)),
                       box.folded ? "#f1f4f8" : "#e8f0fb");
  }

  /// One node per site (or per group of secondary sites, \p fold); the connections between two
  /// nodes become one edge labelled with their numbers.
  void writeSitesView(bool fold) {
    std::vector<unsigned> boxOf = makeBoxes(fold);
    unsigned numBoxes = unsigned(boxes.size());
    // Outside endpoints are numbered after the boxes.
    auto collapsed = [&](unsigned n) { return outside(n) ? numBoxes + n : boxOf[doc.nodes[n].site]; };
    auto collapsedId = [&](unsigned key) { return key < numBoxes ? boxes[key].id : nodeId(key - numBoxes); };
    std::map<std::pair<unsigned, unsigned>, std::vector<unsigned>> edges;
    for (const DocConnection &c : doc.connections) {
      unsigned from = collapsed(c.src), to = collapsed(c.dst);
      if (from == to)
        ++boxes[from].inside;
      else
        edges[{from, to}].push_back(c.number);
    }
    std::vector<std::string> topOfSite(h.sites.size());
    for (unsigned s = 0; s < h.sites.size(); ++s)
      topOfSite[s] = boxes[boxOf[s]].id;
    for (const SiteBox &box : boxes)
      out += boxStatement(box);
    out += "  // Layout: parent sites above their children.\n";
    placeOutsideAbove(topOfSite);
    for (const SiteBox &box : boxes) {
      std::optional<unsigned> parent = box.folded ? std::optional<unsigned>(box.site) : h.sites[box.site].parent;
      if (parent)
        layoutEdge(topOfSite[*parent], box.id);
    }
    out += "  // Connections between sites, aggregated; labels list their numbers.\n";
    for (const auto &[ends, numbers] : edges) {
      std::string ranges = numberRanges(numbers);
      std::string label = ranges.size() <= 24 ? ranges : fmt::format("{} connections", numbers.size());
      std::string tooltip = ranges.size() <= 240 ? "connections " + ranges
                                                 : fmt::format("{} connections, from #{}", numbers.size(), numbers[0]);
      bool external = ends.first >= numBoxes || ends.second >= numBoxes;
      out += fmt::format("  {} -> {} [label={}, tooltip={}, color={}, fontcolor={}, constraint=false];\n",
                         collapsedId(ends.first), collapsedId(ends.second), quote(label),
                         quote(tooltip), quote(external ? greyEdge : siteEdge),
                         quote(external ? greyEdge : siteEdge));
    }
  }

  const DocModel &doc;
  const Hierarchy &h;
  std::string out;
  std::vector<std::vector<std::string>> outsideRows;
  std::vector<SiteBox> boxes;
};

} // namespace

std::string renderDocDot(const DocModel &doc, DiagramView view) { return DotWriter(doc).write(view); }

bool DocDotTarget::render(const PlacedPolicy &placed, const backends::BackendOptions &, backends::FileSink emit) const {
  std::optional<DocModel> built;
  return emit("topology.dot", renderDocDot(model(placed, built)));
}

} // namespace cmnet::doc
