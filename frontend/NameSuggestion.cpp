// Near-miss suggestions: the closest candidate by edit distance, within a length-based bound.
#include "frontend/NameSuggestion.h"

#include "fmt/format.h"

#include <algorithm>

namespace cmnet::frontend {

/// True when \p a becomes \p b by swapping two adjacent characters ("p10" and "p01").
static bool isTransposition(llvm::StringRef a, llvm::StringRef b) {
  if (a.size() != b.size())
    return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i])
    ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.drop_front(i + 2) == b.drop_front(i + 2);
}

void NameSuggestion::consider(llvm::StringRef candidate) {
  if (candidate.empty() || candidate == wanted)
    return;
  // A third of the name (at least one edit) is a typo; more is a different name. Swapped
  // neighbours count as one edit, as people make them.
  unsigned limit = std::max<unsigned>(1, unsigned(wanted.size()) / 3);
  unsigned distance = isTransposition(wanted, candidate)
                          ? 1
                          : wanted.edit_distance(candidate, /*AllowReplacements=*/true, limit);
  if (distance > limit || distance >= bestDistance)
    return;
  best = candidate.str();
  bestDistance = distance;
}

std::string NameSuggestion::hint() const {
  return best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best);
}

/// A reference's source text is `qualifier . name`, possibly with blanks around the dot; a
/// range too short for that (a reference the compiler made up, like `dynamic`) is kept whole.
static bool spellsQualified(const ir::RefExpr &ref) {
  llvm::SMRange r = ref.getRange();
  return !ref.getQualifier().empty() && r.Start.isValid() && r.End.isValid() &&
         size_t(r.End.getPointer() - r.Start.getPointer()) > ref.getQualifier().size() + ref.getName().size();
}

llvm::SMRange qualifierRange(const ir::RefExpr &ref) {
  if (!spellsQualified(ref))
    return ref.getRange();
  const char *start = ref.getRange().Start.getPointer();
  return {ref.getRange().Start, llvm::SMLoc::getFromPointer(start + ref.getQualifier().size())};
}

llvm::SMRange paramNameRange(const ir::RefExpr &ref) {
  if (!spellsQualified(ref))
    return ref.getRange();
  const char *end = ref.getRange().End.getPointer();
  return {llvm::SMLoc::getFromPointer(end - ref.getName().size()), ref.getRange().End};
}

} // namespace cmnet::frontend
