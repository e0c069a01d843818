// ObjectNames: content-keyed names for the objects (groups, sets, lists) rules share.
#pragma once

#include <map>
#include <string>
#include <utility>

namespace cmnet::backends {

/// Names objects by content, in order of first use, so that equal address or service sets
/// share one object and output is deterministic: "PREFIX1", "PREFIX2", …
template <typename Key> class ObjectNames {
public:
  explicit ObjectNames(std::string prefix) : prefix(std::move(prefix)) {}

  /// The name of \p key and whether this call created it (the caller then defines the object).
  std::pair<std::string, bool> intern(const Key &key) {
    auto [it, inserted] = names.try_emplace(key, "");
    if (inserted)
      it->second = prefix + std::to_string(names.size());
    return {it->second, inserted};
  }

private:
  std::string prefix;
  std::map<Key, std::string> names;
};

} // namespace cmnet::backends
