// instantiate-hierarchy: pair role instances across the hierarchy by each link's scope.
#include "analysis/BindingValues.h"
#include "analysis/FlowEvaluation.h"
#include "passes/Pass.h"

#include "fmt/format.h"
#include "llvm/ADT/DenseMap.h"

#include <map>

using namespace cmnet::analysis;
using namespace cmnet::ir;

namespace cmnet::passes {
namespace {

/// Creates one binding per role instance (a host's role, a site's clients, an external
/// endpoint) and one symbolic flow per (link entry, protocol, source instance, destination
/// instance) that the link's scope pairs.
///
///   link client -> management_point scope site { tcp http_port "HTTP"; }
///   site P01 { host p01 10.1.0.10 : management_point; clients 10.1.16.0/20; }
/// becomes
///   flow P01 clients (10.1.16.0/20) -> p01 (none) tcp {http_port} allow
///
/// Scopes pair instances the way Configuration Manager connects them:
///  - site: both ends in one site: a site's clients reach that site's management, distribution,
///    software update, state migration and fallback status points; its site server reaches
///    every site system of the site;
///  - parent: source in a site, destination in its parent (a secondary's site server talks to
///    its primary's, a primary's to the CAS's); `<->` adds parent -> child;
///  - adjacent: a site and its parent or its children (site database replication);
///  - top: source in a site without a parent, destination anywhere;
///  - hierarchy: every pair; external: an external endpoint at one end, bound by `external`
///    statements or, when never bound, `any` (resolve-overrides warns when a link that is
///    switched on needs it).
/// A host never pairs with itself (its roles share one firewall); a client group does.
///
/// Bindings get their parameter values first (BindingValues.h), so a link whose condition a
/// destination alone makes false (`when pull_source`) is never paired with it: pairing every
/// distribution point with every other before resolve-overrides drops all but a few would be
/// quadratic, 10^10 flows in a hierarchy at Microsoft's published limits.
///
/// @pre  the model is resolved and error-free.
/// @post bindings carry their parameter values; every flow has src/dst bindings, link and entry
///       set; ports are still symbolic.
class InstantiateHierarchyPass : public Pass {
public:
  llvm::StringRef name() const override { return "instantiate-hierarchy"; }
  llvm::StringRef summary() const override { return "pair role instances by link scope"; }

  void run(CompileContext &ctx) override {
    if (!ctx.model.hierarchy) {
      ctx.diags.report(DiagKind::NoHierarchy, llvm::SMRange(),
                       "the input declares no hierarchy; nothing to compile (write 'hierarchy NAME { … }')");
      return;
    }
    const Hierarchy &h = *ctx.model.hierarchy;
    children.assign(h.sites.size(), {});
    for (unsigned i = 0; i < h.sites.size(); ++i)
      if (h.sites[i].parent)
        children[*h.sites[i].parent].push_back(i);
    createBindings(ctx);
    resolveGlobalValues(ctx);
    for (Binding &b : ctx.flows.bindings)
      resolveBindingValues(ctx, b);
    if (ctx.diags.hasErrors())
      return;
    for (const Link &link : ctx.model.links) {
      candidateCache.clear();
      pairLink(ctx, link, link.srcRole, link.dstRole, /*reverse=*/false);
      if (link.bidirectional)
        pairLink(ctx, link, link.dstRole, link.srcRole, /*reverse=*/true);
    }
  }

private:
  using BindingList = llvm::SmallVector<unsigned, 4>;

  void addBinding(CompileContext &ctx, Binding b) {
    unsigned index = unsigned(ctx.flows.bindings.size());
    byRole[b.role].push_back(index);
    if (b.site != Binding::None)
      byRoleSite[{b.role, b.site}].push_back(index);
    ctx.flows.bindings.push_back(std::move(b));
  }

  void createBindings(CompileContext &ctx) {
    const Model &model = ctx.model;
    const Hierarchy &h = *model.hierarchy;
    for (unsigned i = 0; i < h.hosts.size(); ++i)
      for (const HostRole &hr : h.hosts[i].roles) {
        Binding b;
        b.kind = Binding::HostRole;
        b.role = hr.role;
        b.owner = i;
        b.site = h.hosts[i].site;
        b.addresses = h.hosts[i].addresses;
        b.label = h.hosts[i].name;
        addBinding(ctx, std::move(b));
      }
    auto client = model.clientRole();
    for (unsigned i = 0; i < h.clientGroups.size() && client; ++i) {
      Binding b;
      b.kind = Binding::Clients;
      b.role = *client;
      b.owner = i;
      b.site = h.clientGroups[i].site;
      b.addresses = h.clientGroups[i].addresses;
      b.label = fmt::format("{} clients", h.sites[b.site].name);
      addBinding(ctx, std::move(b));
    }
    for (unsigned i = 0; i < h.externals.size(); ++i) {
      Binding b;
      b.kind = Binding::External;
      b.role = h.externals[i].role;
      b.owner = i;
      b.addresses = h.externals[i].addresses;
      b.label = model.roles[b.role].name;
      addBinding(ctx, std::move(b));
    }
  }

  /// An external role that a link needs but the hierarchy never binds stands for any address;
  /// resolve-overrides warns about it once it knows whether a link switched on needs it.
  const BindingList &externalsFor(CompileContext &ctx, unsigned role) {
    auto it = byRole.find(role);
    if (it != byRole.end() && !it->second.empty())
      return it->second;
    const Role &r = ctx.model.roles[role];
    ctx.unboundExternals.push_back(unsigned(ctx.flows.bindings.size()));
    Binding b;
    b.kind = Binding::External;
    b.role = role;
    b.addresses = AddressSet::any();
    b.label = r.name;
    addBinding(ctx, std::move(b));
    resolveBindingValues(ctx, ctx.flows.bindings.back());
    return byRole[role];
  }

  const BindingList &instances(CompileContext &ctx, unsigned role) {
    if (ctx.model.roles[role].kind == RoleKind::External)
      return externalsFor(ctx, role);
    return byRole[role];
  }

  /// A role with no instance in the hierarchy makes the link moot; external roles always
  /// have one (bound, or `any` once something needs them).
  bool present(CompileContext &ctx, unsigned role) {
    if (ctx.model.roles[role].kind == RoleKind::External)
      return true;
    auto it = byRole.find(role);
    return it != byRole.end() && !it->second.empty();
  }

  void pairLink(CompileContext &ctx, const Link &link, unsigned from, unsigned to, bool reverse) {
    const Hierarchy &h = *ctx.model.hierarchy;
    if (!present(ctx, from) || !present(ctx, to))
      return;
    BindingList sources = instances(ctx, from); // a copy: pairing may add bindings
    for (unsigned s : sources) {
      const Binding &src = ctx.flows.bindings[s];
      switch (link.scope) {
      case Scope::Site:
        if (src.site != Binding::None)
          emitAll(ctx, link, s, candidates(ctx, link, to, src.site), reverse);
        break;
      case Scope::Parent: {
        // Forward: child -> parent. Reverse (for <->): parent -> child.
        if (src.site == Binding::None)
          break;
        if (!reverse) {
          if (auto parent = h.sites[src.site].parent)
            emitAll(ctx, link, s, candidates(ctx, link, to, *parent), reverse);
          break;
        }
        for (unsigned child : children[src.site])
          emitAll(ctx, link, s, candidates(ctx, link, to, child), reverse);
        break;
      }
      case Scope::Adjacent:
        // The site's parent and its children: "the SQL Server at its parent or child site".
        if (src.site == Binding::None)
          break;
        if (auto parent = h.sites[src.site].parent)
          emitAll(ctx, link, s, candidates(ctx, link, to, *parent), reverse);
        for (unsigned child : children[src.site])
          emitAll(ctx, link, s, candidates(ctx, link, to, child), reverse);
        break;
      case Scope::Top:
        if (!reverse && (src.site == Binding::None || h.sites[src.site].parent))
          break;
        emitAll(ctx, link, s, candidates(ctx, link, to, reverse ? TopSites : AnySite), reverse);
        break;
      case Scope::Hierarchy:
      case Scope::External:
        emitAll(ctx, link, s, candidates(ctx, link, to, AnySite), reverse);
        break;
      }
    }
  }

  void emitAll(CompileContext &ctx, const Link &link, unsigned s, const BindingList &targets, bool reverse) {
    // Copy: emitting may add bindings (unbound externals) and invalidate references.
    BindingList copy(targets.begin(), targets.end());
    for (unsigned d : copy)
      emitPair(ctx, link, s, d, reverse);
  }

  /// The instances of \p role that \p link may pair a source with: those in \p site, every one
  /// (AnySite), or those in a top-level site (TopSites), less the ones the link's condition
  /// excludes. Computed once per link and list, so pairing costs the pairs it makes, not
  /// sources x destinations (100,000 distribution points pulling from one source).
  const BindingList &candidates(CompileContext &ctx, const Link &link, unsigned role, unsigned site) {
    auto [it, inserted] = candidateCache.try_emplace({role, site});
    if (!inserted)
      return it->second;
    const Hierarchy &h = *ctx.model.hierarchy;
    const BindingList &all = site == AnySite || site == TopSites ? instances(ctx, role) : byRoleSite[{role, site}];
    for (unsigned d : all) {
      unsigned dsite = ctx.flows.bindings[d].site;
      bool top = dsite != Binding::None && !h.sites[dsite].parent;
      if ((site != TopSites || top) && !excludedBy(ctx, link, d))
        it->second.push_back(d);
    }
    return it->second;
  }

  /// True when \p link's condition is false whatever the source: evaluated with the destination
  /// alone, it names only the destination's parameters and globals (a flow's references look at
  /// the destination first), so the answer holds for every pair. Undecidable alone (it needs
  /// the source) means the pair is made and resolve-overrides decides.
  bool excludedBy(CompileContext &ctx, const Link &link, unsigned d) {
    if (!link.when)
      return false;
    FlowEvaluation eval(ctx);
    const Binding &dst = ctx.flows.bindings[d];
    std::string error;
    Value v = evaluate(*link.when, [&](const RefExpr &ref) { return eval.lookup(ref, nullptr, &dst); }, error);
    return v.type == TypeKind::Bool && !v.boolean;
  }

  /// The provenance of a catalog row's flows, interned once per row and direction rather than
  /// once per flow: a row yields millions of flows in a large hierarchy, all with the same text.
  const llvm::SmallVector<ProvId, 4> &entryProvenance(CompileContext &ctx, const Link &link, const Entry &entry,
                                                      bool reverse) {
    auto [it, inserted] = entryWhy.try_emplace({&entry, unsigned(reverse)});
    if (inserted)
      appendEntryProvenance(ctx.flows, ctx.model, link, entry, reverse, it->second);
    return it->second;
  }

  void emitPair(CompileContext &ctx, const Link &link, unsigned s, unsigned d, bool reverse) {
    const Binding &src = ctx.flows.bindings[s], &dst = ctx.flows.bindings[d];
    // A host never needs a network opening to itself; a client subnet is many machines that do
    // talk to each other (wake-up proxy, peer cache), so a client group pairs with itself.
    bool sameHost = src.kind == Binding::HostRole && dst.kind == Binding::HostRole && src.owner == dst.owner;
    if (sameHost || (s == d && src.kind != Binding::Clients))
      return;
    for (const Entry &entry : link.entries) {
      if (entry.advisory)
        continue; // "not needed" rows are knowledge for the linter, never openings
      if (reverse && entry.forwardOnly)
        continue; // a `forward` row of a `<->` table: only the first end initiates it
      for (unsigned item = 0; item < entry.protocols.size(); ++item) {
        Flow f;
        f.src = s;
        f.dst = d;
        f.proto = entry.protocols[item];
        f.icmpType = entry.icmpType;
        f.link = &link;
        f.entry = &entry;
        f.entryItem = item;
        f.why = entryProvenance(ctx, link, entry, reverse);
        ctx.flows.flows.push_back(std::move(f));
      }
    }
  }

  static constexpr unsigned AnySite = Binding::None, TopSites = Binding::None - 1;
  std::map<std::pair<unsigned, unsigned>, BindingList> candidateCache; // for the link being paired
  llvm::DenseMap<std::pair<const Entry *, unsigned>, llvm::SmallVector<ProvId, 4>> entryWhy;
  llvm::DenseMap<unsigned, BindingList> byRole;
  std::vector<llvm::SmallVector<unsigned, 4>> children; // site -> its child sites
  std::map<std::pair<unsigned, unsigned>, BindingList> byRoleSite;
};

} // namespace

std::unique_ptr<Pass> createInstantiateHierarchyPass() { return std::make_unique<InstantiateHierarchyPass>(); }

} // namespace cmnet::passes
