// DocTarget: the documentation's targets of `cmnetc build` (doc-md, doc-dot), rows of the one
// target registry like every backend's.
#pragma once

#include "backends/Backend.h"
#include "doc/DocModel.h"

#include <optional>
#include <vector>

namespace cmnet::doc {

/// A build target rendered from the documentation model. `cmnetc build` shares one model, built
/// from the flows before merging, among its doc targets (useModel); without one, each target
/// builds its own from the placed policy.
class DocTarget : public backends::Backend {
public:
  /// Render from \p doc instead of building a model from the placed policy.
  void useModel(const DocModel *doc) { shared = doc; }
  /// Documentation covers host and network firewalls alike.
  backends::Capabilities capabilities() const override;

protected:
  /// The shared model, or else one built from \p placed into \p built.
  const DocModel &model(const ir::PlacedPolicy &placed, std::optional<DocModel> &built) const;

private:
  const DocModel *shared = nullptr;
};

/// The documentation's rows of the target registry, in registry order.
const std::vector<backends::BackendEntry> &docTargets();

} // namespace cmnet::doc
