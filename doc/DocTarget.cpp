// The doc targets' shared base and their registry rows.
#include "doc/DocTarget.h"

#include "doc/DocDot.h"
#include "doc/DocMarkdown.h"

namespace cmnet::doc {

backends::Capabilities DocTarget::capabilities() const {
  backends::Capabilities c;
  c.networkFirewalls = true;
  return c;
}

const DocModel &DocTarget::model(const ir::PlacedPolicy &placed, std::optional<DocModel> &built) const {
  return shared ? *shared : built.emplace(buildDocModel(placed));
}

template <typename T> static std::unique_ptr<backends::Backend> make() { return std::make_unique<T>(); }

const std::vector<backends::BackendEntry> &docTargets() {
  static const std::vector<backends::BackendEntry> targets = {
      {"doc-md", ".md", "port reference of the topology (Markdown)", make<DocMarkdownTarget>},
      {"doc-dot", ".dot", "topology diagram (Graphviz DOT)", make<DocDotTarget>},
  };
  return targets;
}

} // namespace cmnet::doc
