// Whole-hierarchy checks that need every site and host: parents, host names, addresses.
#include "frontend/HierarchyChecks.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <map>
#include <string_view>

using namespace cmnet::ir;

namespace cmnet::frontend {
namespace {

const char *describeKind(SiteKind kind) {
  switch (kind) {
  case SiteKind::Central: return "a central administration site";
  case SiteKind::Primary: return "a primary site";
  case SiteKind::Secondary: return "a secondary site";
  }
  return "a site";
}

/// \p cycle lists the sites of one parent cycle, each followed by its parent. Reported once,
/// at the first-declared member, with a note at every other member's `parent` clause.
void reportCycle(const Hierarchy &h, llvm::ArrayRef<unsigned> cycle, llvm::ArrayRef<llvm::SMRange> parentLocs,
                 DiagnosticEngine &diags) {
  size_t first = size_t(std::min_element(cycle.begin(), cycle.end()) - cycle.begin());
  const Site &site = h.sites[cycle[first]];
  if (cycle.size() == 1) {
    diags.report(DiagKind::ParentCycle, parentLocs[cycle[first]],
                 fmt::format("site '{}' names itself as its parent", site.name));
    return;
  }
  std::string chain = site.name;
  std::vector<DiagNote> notes;
  for (size_t k = 1; k <= cycle.size(); ++k) {
    unsigned member = cycle[(first + k) % cycle.size()];
    chain += " -> " + h.sites[member].name;
    if (k < cycle.size())
      notes.push_back({parentLocs[member], fmt::format("'{}' names its parent here", h.sites[member].name)});
  }
  diags.report(DiagKind::ParentCycle, parentLocs[cycle[first]],
               fmt::format("site '{}' is its own ancestor: {}; break the cycle", site.name, chain), std::move(notes));
}

void checkParentKind(const Hierarchy &h, unsigned index, llvm::SMRange parentLoc, DiagnosticEngine &diags,
                     bool primaryUnderPrimary) {
  const Site &s = h.sites[index];
  if (!s.parent) {
    // A parent that names no site is already an unknown-site error.
    if (s.kind == SiteKind::Secondary && !parentLoc.Start.isValid())
      diags.report(DiagKind::InvalidParent, s.loc,
                   fmt::format("secondary site '{}' needs a parent primary site; add 'parent NAME'", s.name));
    return;
  }
  const Site &parent = h.sites[*s.parent];
  if (s.kind == SiteKind::Central) {
    diags.report(DiagKind::InvalidParent, parentLoc,
                 fmt::format("central administration site '{}' cannot have a parent; remove 'parent {}'", s.name,
                             parent.name));
    return;
  }
  SiteKind wanted = s.kind == SiteKind::Secondary ? SiteKind::Primary : SiteKind::Central;
  if (parent.kind == wanted)
    return;
  if (s.kind == SiteKind::Primary && parent.kind == SiteKind::Primary && primaryUnderPrimary)
    return;
  diags.report(DiagKind::InvalidParent, parentLoc,
               fmt::format("the parent of {} must be {}, but '{}' is {}",
                           fmt::format("{} site '{}'", s.kind == SiteKind::Secondary ? "secondary" : "primary", s.name),
                           describeKind(wanted), parent.name, describeKind(parent.kind)),
               {{parent.loc, fmt::format("'{}' is declared here", parent.name)}});
}

/// The addresses seen so far, as disjoint pieces each owned by the first reference that
/// covered it. Pieces never merge, so every later overlap can name an earlier owner.
class AddressOwners {
public:
  /// The first-written earlier reference that overlaps [lo, hi] of \p family (~0u if none);
  /// then records the uncovered parts of [lo, hi] as owned by \p ref.
  unsigned claim(Family family, uint128 lo, uint128 hi, unsigned ref) {
    auto &pieces = family == Family::V4 ? v4 : v6;
    auto it = pieces.upper_bound(lo);
    if (it != pieces.begin() && std::prev(it)->second.hi >= lo)
      --it;
    unsigned owner = ~0u;
    uint128 next = lo;
    bool done = false;
    std::vector<std::pair<uint128, uint128>> gaps;
    for (; it != pieces.end() && it->first <= hi; ++it) {
      owner = std::min(owner, it->second.ref);
      if (it->first > next)
        gaps.push_back({next, it->first - 1});
      if (it->second.hi >= hi) {
        done = true;
        break;
      }
      next = it->second.hi + 1;
    }
    if (!done)
      gaps.push_back({next, hi});
    for (const auto &[gapLo, gapHi] : gaps)
      pieces.emplace(gapLo, Piece{gapHi, ref});
    return owner;
  }

private:
  struct Piece {
    uint128 hi;
    unsigned ref;
  };
  std::map<uint128, Piece> v4, v6;
};

} // namespace

void checkSiteParents(const Hierarchy &h, llvm::ArrayRef<llvm::SMRange> parentLocs, DiagnosticEngine &diags,
                      bool primaryUnderPrimary) {
  // Parents form a functional graph: walk each chain once, colouring sites on the current walk,
  // so every cycle is found exactly once in linear time.
  enum : unsigned char { Unvisited, OnWalk, Done };
  std::vector<unsigned char> state(h.sites.size(), Unvisited);
  std::vector<bool> inCycle(h.sites.size(), false);
  for (unsigned start = 0; start < h.sites.size(); ++start) {
    llvm::SmallVector<unsigned, 8> walk;
    std::optional<unsigned> cur = start;
    while (cur && state[*cur] == Unvisited) {
      state[*cur] = OnWalk;
      walk.push_back(*cur);
      cur = h.sites[*cur].parent;
    }
    if (cur && state[*cur] == OnWalk) {
      llvm::ArrayRef<unsigned> cycle(llvm::find(walk, *cur), walk.end());
      for (unsigned s : cycle)
        inCycle[s] = true;
      reportCycle(h, cycle, parentLocs, diags);
    }
    for (unsigned s : walk)
      state[s] = Done;
  }
  // A cycle always breaks the kind rules too; its own error says enough.
  for (unsigned i = 0; i < h.sites.size(); ++i)
    if (!inCycle[i])
      checkParentKind(h, i, parentLocs[i], diags, primaryUnderPrimary);
}

void checkHostAddresses(const Hierarchy &h, llvm::ArrayRef<HostAddressRef> refs, DiagnosticEngine &diags) {
  AddressOwners owners;
  for (unsigned later = 0; later < refs.size(); ++later) {
    const HostAddressRef &b = refs[later];
    unsigned earlier = ~0u;
    for (const auto &r : b.addresses.v4().intervals())
      earlier = std::min(earlier, owners.claim(Family::V4, r.lo, r.hi, later));
    for (const auto &r : b.addresses.v6().intervals())
      earlier = std::min(earlier, owners.claim(Family::V6, r.lo, r.hi, later));
    if (earlier == ~0u)
      continue;
    const HostAddressRef &a = refs[earlier];
    std::string overlap = a.addresses.intersect(b.addresses).str();
    const Host &first = h.hosts[a.host], &second = h.hosts[b.host];
    if (a.host == b.host)
      diags.report(DiagKind::DuplicateAddress, b.loc, fmt::format("host '{}' lists {} twice", second.name, overlap),
                   {{a.loc, "first listed here"}});
    else
      diags.report(DiagKind::DuplicateAddress, b.loc,
                   fmt::format("address {} of host '{}' is already used by host '{}'", overlap, second.name,
                               first.name),
                   {{a.loc, fmt::format("'{}' has it here", first.name)}});
  }
}

void checkHostNames(const Hierarchy &h, DiagnosticEngine &diags) {
  llvm::StringMap<unsigned> names;
  for (unsigned i = 0; i < h.hosts.size(); ++i) {
    auto [it, inserted] = names.try_emplace(h.hosts[i].name, i);
    if (!inserted)
      diags.report(DiagKind::Redefinition, h.hosts[i].loc, fmt::format("host '{}' is already defined", h.hosts[i].name),
                   {{h.hosts[it->second].loc, "previous definition is here"}});
  }
}

namespace {

/// What the targets do with names, and the vendors' limits on them (docs/security.md).
/// Each host's and firewall's files are named after it: NAME_MAX is 255 bytes, less the longest
/// suffix a target adds (".rules6") and the output writer's temporary suffix (".tmp-XXXXXX").
constexpr size_t maxFileNameBytes = 255 - std::string_view(".rules6").size() - std::string_view(".tmp-XXXXXX").size();
/// cisco-asa names each zone's interface by the zone's name (nameif: at most 48 characters).
constexpr size_t maxAsaInterfaceName = 48;
/// juniper-srx names a zone pair's pass-through policy "cmnet-unfiltered-FROM-TO"; Junos policy
/// and zone names have at most 63 characters.
constexpr llvm::StringLiteral srxPairPolicyPrefix = "cmnet-unfiltered-";
constexpr size_t maxSrxName = 63;

void checkFileName(llvm::StringRef kind, llvm::StringRef name, llvm::SMRange loc, DiagnosticEngine &diags) {
  if (name.size() > maxFileNameBytes)
    diags.report(DiagKind::NameTooLong, loc,
                 fmt::format("{} name is {} characters; the targets write a file named after it, which allows at "
                             "most {}: shorten it",
                             kind.str(), name.size(), maxFileNameBytes));
}

void checkZoneNames(const Firewall &fw, DiagnosticEngine &diags) {
  for (const Zone &z : fw.zones)
    if (z.name.size() > maxAsaInterfaceName)
      diags.report(DiagKind::NameTooLong, z.loc,
                   fmt::format("zone name is {} characters; cisco-asa names an interface (nameif) after it, which "
                               "allows at most {}: shorten it",
                               z.name.size(), maxAsaInterfaceName));
  // The longest pair name comes from the two longest zone names (a pair is two distinct zones).
  if (fw.zones.size() < 2)
    return;
  std::vector<const Zone *> byLength;
  for (const Zone &z : fw.zones)
    byLength.push_back(&z);
  std::partial_sort(byLength.begin(), byLength.begin() + 2, byLength.end(), [](const Zone *a, const Zone *b) {
    return a->name.size() != b->name.size() ? a->name.size() > b->name.size() : a < b; // ties: declaration order
  });
  const Zone &from = *byLength[0], &to = *byLength[1];
  std::string policy = fmt::format("{}{}-{}", srxPairPolicyPrefix.str(), from.name, to.name);
  if (policy.size() > maxSrxName && from.name.size() <= maxAsaInterfaceName && to.name.size() <= maxAsaInterfaceName)
    diags.report(DiagKind::NameTooLong, from.loc,
                 fmt::format("zones '{}' and '{}' of firewall '{}' make the juniper-srx policy name '{}', {} "
                             "characters; Junos allows at most {}: shorten the zone names",
                             from.name, to.name, fw.name, policy, policy.size(), maxSrxName),
                 {{to.loc, fmt::format("'{}' is declared here", to.name)}});
}

} // namespace

void checkTargetNameLimits(const Hierarchy &h, DiagnosticEngine &diags) {
  for (const Host &host : h.hosts)
    checkFileName("host", host.name, host.loc, diags);
  for (const Firewall &fw : h.firewalls) {
    checkFileName("firewall", fw.name, fw.loc, diags);
    checkZoneNames(fw, diags);
  }
}

} // namespace cmnet::frontend
