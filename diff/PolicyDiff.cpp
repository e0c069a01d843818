// Semantic policy diff: per enforcement point, the allowed tuples of each side minus the other's.
#include "diff/PolicyDiff.h"

#include "lint/Coverage.h"
#include "lint/LintOutput.h"

#include "fmt/format.h"

#include <map>

using namespace cmnet::ir;

namespace cmnet::diff {

size_t PolicyDiff::addedCount() const {
  size_t n = 0;
  for (const PointDiff &p : points)
    n += p.added.size();
  return n;
}

size_t PolicyDiff::removedCount() const {
  size_t n = 0;
  for (const PointDiff &p : points)
    n += p.removed.size();
  return n;
}

namespace {

/// A part of a rule's box, remembering the rule (for provenance).
struct Piece {
  Flow box;
  const PlacedRule *rule;
};

Flow boxOf(const PlacedRule &r) { return lint::makeBox(r.src, r.dst, r.proto, r.ports, r.icmpType); }

/// What a list of rules allows: its allow rules minus its deny rules (denies win).
std::vector<Piece> effective(llvm::ArrayRef<PlacedRule> rules) {
  std::vector<Flow> denies;
  for (const PlacedRule &r : rules)
    if (r.action == FlowAction::Deny)
      denies.push_back(boxOf(r));
  lint::Coverage denied(denies);
  std::vector<Piece> out;
  for (const PlacedRule &r : rules)
    if (r.action == FlowAction::Allow)
      for (Flow &piece : denied.uncovered(boxOf(r)))
        out.push_back({std::move(piece), &r});
  return out;
}

/// Merge boxes that agree on two of their three sets, so that a rule cut into pieces by
/// subtraction reads as few boxes as its shape allows.
void coalesce(std::vector<Flow> &boxes) {
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < boxes.size() && !merged; ++i)
      for (size_t j = i + 1; j < boxes.size() && !merged; ++j) {
        Flow &a = boxes[i];
        const Flow &b = boxes[j];
        if (a.proto != b.proto || a.icmpType != b.icmpType)
          continue;
        bool src = a.srcAddrs == b.srcAddrs, dst = a.dstAddrs == b.dstAddrs, ports = a.ports == b.ports;
        if (src && dst)
          a.ports = a.ports.unite(b.ports);
        else if (src && ports)
          a.dstAddrs = a.dstAddrs.unite(b.dstAddrs);
        else if (dst && ports)
          a.srcAddrs = a.srcAddrs.unite(b.srcAddrs);
        else
          continue;
        boxes.erase(boxes.begin() + j);
        merged = true;
      }
  }
}

/// Where the openings of one policy come from: its flows before merging when it kept them
/// (an opening is explained by the flows it overlaps), else the placed rule it is part of.
class Explainer {
public:
  explicit Explainer(const PlacedPolicy &policy)
      : policy(policy),
        origins(policy.documentedFlows ? llvm::ArrayRef<Flow>(*policy.documentedFlows) : llvm::ArrayRef<Flow>()) {}

  /// Fill in \p opening's peer and provenance. \p direction says which end is the peer:
  /// the source of inbound rules, the destination of outbound ones, both for a zone pair.
  void explain(Opening &opening, const Flow &box, const PlacedRule &rule, llvm::StringRef direction) const {
    llvm::SmallVector<ProvId, 8> ids;
    std::vector<std::string> peers;
    for (unsigned i : origins.overlapping(box)) {
      const Flow &f = origins.flow(i);
      mergeWhy(ids, f.why);
      std::string src = policy.flows->endpointLabel(f, true), dst = policy.flows->endpointLabel(f, false);
      std::string peer = direction == "inbound" ? src : direction == "outbound" ? dst : src + " -> " + dst;
      if (!llvm::is_contained(peers, peer))
        peers.push_back(std::move(peer));
    }
    if (ids.empty()) {
      ids.assign(rule.why.begin(), rule.why.end());
      peers = {rule.peer};
    }
    for (const std::string &p : peers)
      opening.peer += (opening.peer.empty() ? "" : ", ") + p;
    for (ProvId id : ids)
      opening.why.push_back(policy.flows ? policy.flows->describe(id) : std::string());
  }

private:
  const PlacedPolicy &policy;
  lint::Coverage origins;
};

/// The parts of \p mine that \p theirs does not allow, one Opening per coalesced box.
std::vector<Opening> difference(const std::vector<Piece> &mine, const std::vector<Piece> &theirs,
                                const Explainer &explainer, llvm::StringRef direction) {
  std::vector<Flow> other;
  for (const Piece &p : theirs)
    other.push_back(p.box);
  lint::Coverage allowed(other);
  std::vector<Opening> out;
  for (size_t i = 0; i < mine.size();) {
    // Pieces of one rule are consecutive: take them together.
    const PlacedRule *rule = mine[i].rule;
    std::vector<Flow> left;
    for (; i < mine.size() && mine[i].rule == rule; ++i)
      for (Flow &f : allowed.uncovered(mine[i].box))
        left.push_back(std::move(f));
    coalesce(left);
    for (const Flow &f : left) {
      Opening o{f.srcAddrs, f.dstAddrs, f.proto, f.icmpType, f.ports, "", {}};
      explainer.explain(o, f, *rule, direction);
      out.push_back(std::move(o));
    }
  }
  return out;
}

using PointKey = std::tuple<int, std::string, std::string>; // (host 0 / firewall 1, name, direction)
using RuleLists = std::map<PointKey, const std::vector<PlacedRule> *>;

RuleLists ruleLists(const PlacedPolicy &policy) {
  RuleLists out;
  for (const EnforcementPoint &p : policy.points) {
    if (p.kind == EnforcementPoint::HostFirewall) {
      out[{0, p.name, "inbound"}] = &p.inbound;
      out[{0, p.name, "outbound"}] = &p.outbound;
      continue;
    }
    for (const ZonePair &z : p.zonePairs)
      out[{1, p.name, fmt::format("{} -> {}", z.from, z.to)}] = &z.rules;
  }
  return out;
}

std::string serviceOf(const Opening &o) {
  if (o.proto == Protocol::ICMP)
    return o.icmpType < 0 ? "icmp" : fmt::format("icmp type {}", o.icmpType);
  return fmt::format("{} {}", protocolName(o.proto).str(), o.ports.str());
}

std::string joinWhy(const Opening &o) {
  std::string out;
  for (const std::string &w : o.why)
    out += (out.empty() ? "" : "; ") + w;
  return out;
}

std::string summaryOf(const PolicyDiff &diff) {
  if (!diff.changed())
    return "no change to the effective policy";
  return fmt::format("{} opening(s) added, {} removed at {} point(s)", diff.addedCount(), diff.removedCount(),
                     diff.points.size());
}

/// A Markdown table cell: pipes escaped, line breaks flattened.
std::string cell(llvm::StringRef text) {
  std::string out;
  for (char c : text)
    out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

llvm::json::Value openingJson(const Opening &o) {
  llvm::json::Array src, dst, why;
  for (const Cidr &c : o.src.cidrs())
    src.push_back(c.str());
  for (const Cidr &c : o.dst.cidrs())
    dst.push_back(c.str());
  for (const std::string &w : o.why)
    why.push_back(w);
  llvm::json::Object out{{"source", std::move(src)},
                         {"destination", std::move(dst)},
                         {"protocol", protocolName(o.proto)},
                         {"peer", o.peer},
                         {"why", std::move(why)}};
  if (o.proto == Protocol::ICMP)
    out["icmpType"] = o.icmpType;
  else
    out["ports"] = o.ports.str();
  return out;
}

} // namespace

PolicyDiff diffPolicies(const PlacedPolicy &before, const PlacedPolicy &after) {
  Explainer explainBefore(before), explainAfter(after);
  RuleLists old = ruleLists(before), now = ruleLists(after);
  std::map<PointKey, std::pair<const std::vector<PlacedRule> *, const std::vector<PlacedRule> *>> both;
  for (const auto &[key, rules] : old)
    both[key].first = rules;
  for (const auto &[key, rules] : now)
    both[key].second = rules;
  static const std::vector<PlacedRule> none;
  PolicyDiff diff;
  for (const auto &[key, lists] : both) {
    std::vector<Piece> was = effective(lists.first ? *lists.first : none);
    std::vector<Piece> is = effective(lists.second ? *lists.second : none);
    const std::string &direction = std::get<2>(key);
    PointDiff point{std::get<0>(key) == 0 ? "host" : "firewall", std::get<1>(key), direction,
                    difference(is, was, explainAfter, direction), difference(was, is, explainBefore, direction)};
    if (!point.added.empty() || !point.removed.empty())
      diff.points.push_back(std::move(point));
  }
  return diff;
}

std::string renderDiffText(const PolicyDiff &diff, llvm::StringRef beforeName, llvm::StringRef afterName) {
  std::string out = fmt::format("cmnetc diff {} {}: {}\n", beforeName.str(), afterName.str(), summaryOf(diff));
  for (const PointDiff &p : diff.points) {
    out += fmt::format("{} {} ({}): {} added, {} removed\n", p.kind, p.name, p.direction, p.added.size(),
                       p.removed.size());
    for (const auto &[sign, list] : {std::make_pair('+', &p.added), std::make_pair('-', &p.removed)})
      for (const Opening &o : *list)
        out += fmt::format("  {} {} -> {} {}  [{}] {}\n", sign, o.src.str(), o.dst.str(), serviceOf(o), o.peer,
                           joinWhy(o));
  }
  return out;
}

std::string renderDiffMarkdown(const PolicyDiff &diff, llvm::StringRef beforeName, llvm::StringRef afterName) {
  std::string out = fmt::format("### Firewall policy: {}\n\nComparing `{}` with `{}` (`cmnetc diff`).\n",
                                summaryOf(diff), beforeName.str(), afterName.str());
  for (const PointDiff &p : diff.points) {
    out += fmt::format("\n#### {} `{}` — {}\n\n| change | source | destination | service | peer | why |\n"
                       "|---|---|---|---|---|---|\n",
                       p.kind, p.name, p.direction);
    for (const auto &[change, list] : {std::make_pair("added", &p.added), std::make_pair("removed", &p.removed)})
      for (const Opening &o : *list)
        out += fmt::format("| {} | `{}` | `{}` | {} | {} | {} |\n", change, o.src.str(), o.dst.str(), serviceOf(o),
                           cell(o.peer), cell(joinWhy(o)));
  }
  return out;
}

std::string renderDiffJson(const PolicyDiff &diff, llvm::StringRef beforeName, llvm::StringRef afterName) {
  llvm::json::Array points;
  for (const PointDiff &p : diff.points) {
    llvm::json::Array added, removed;
    for (const Opening &o : p.added)
      added.push_back(openingJson(o));
    for (const Opening &o : p.removed)
      removed.push_back(openingJson(o));
    points.push_back(llvm::json::Object{{"kind", p.kind},
                                        {"name", p.name},
                                        {"direction", p.direction},
                                        {"added", std::move(added)},
                                        {"removed", std::move(removed)}});
  }
  return lint::formatJson(llvm::json::Object{
      {"changed", diff.changed()},
      {"before", beforeName},
      {"after", afterName},
      {"summary", llvm::json::Object{{"added", int64_t(diff.addedCount())}, {"removed", int64_t(diff.removedCount())}}},
      {"points", std::move(points)}});
}

} // namespace cmnet::diff
