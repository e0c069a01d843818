// Near-miss suggestions: the closest candidate by edit distance, within a length-based bound.
#include "frontend/NameSuggestion.h"

#include "fmt/format.h"

#include <algorithm>

namespace cmnet::frontend {

void NameSuggestion::consider(llvm::StringRef candidate) {
  if (candidate.empty() || candidate == wanted)
    return;
  // A third of the name (at least one edit) is a typo; more is a different name.
  unsigned limit = std::max<unsigned>(1, unsigned(wanted.size()) / 3);
  unsigned distance = wanted.edit_distance(candidate, /*AllowReplacements=*/true, limit);
  if (distance > limit || distance >= bestDistance)
    return;
  best = candidate.str();
  bestDistance = distance;
}

std::string NameSuggestion::hint() const {
  return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
}

} // namespace cmnet::frontend
