// ModelBuilder: turns typed ANTLR contexts into ir::Model declarations and checks them.
#include "frontend/ModelBuilder.h"

#include "frontend/HierarchyChecks.h"
#include "frontend/NameSuggestion.h"
#include "frontend/ParamDefaults.h"
#include "frontend/ParseTreeAccess.h"
#include "frontend/TypeChecker.h"

#include "CmnetParser.h"
#include "antlr4-runtime.h"

#include "fmt/format.h"

using namespace cmnet::ir;
using P = cmnet::grammar::CmnetParser;

namespace cmnet::frontend {
namespace {

std::string unquote(const std::string &text) {
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size())
      ++i;
    out += text[i];
  }
  return out;
}

/// The text of a parse tree, as ParseTree::getText gives it. Most rules here cover one token
/// (`name`, `address`, `endpoint`), and the runtime's getText builds a std::stringstream for
/// every rule context: on large inputs that cost more than parsing them.
std::string textOf(antlr4::tree::ParseTree *tree) {
  while (tree->children.size() == 1)
    tree = tree->children.front();
  return tree->getText();
}

/// Which roles an unqualified parameter name is looked up in, in order, before the globals.
struct RefContext {
  llvm::SmallVector<unsigned, 2> roles;
  bool dynamicNames = false; // `rule … on *`: resolve by name at evaluation time
  std::optional<unsigned> sourceRole; // a link's source role: `from.NAME` names its parameter
};

} // namespace

/// Per-file state: the parsed file plus helpers that report at its locations.
class FileScope {
public:
  FileScope(ModelBuilder &b, const ParsedFile &file)
      : model(b.model), diags(b.diags), file(file), types(b.model, b.diags) {}

  P::FileContext *root() const { return static_cast<P::FileContext *>(file.root()); }
  llvm::SMRange range(antlr4::ParserRuleContext *ctx) const { return file.rangeOf(ctx); }
  llvm::SMRange range(antlr4::Token *t) const { return file.rangeOf(t); }
  llvm::SMRange range(antlr4::tree::TerminalNode *n) const { return file.rangeOf(n->getSymbol()); }

  // ---- declarations (phase 1) ----

  void declareAll() {
    for (P::TopDeclContext *decl : root()->topDecl()) {
      if (auto *c = decl->catalogDecl())
        declareCatalog(c);
      else if (auto *p = decl->paramDecl())
        declareGlobal(p);
      else if (auto *r = decl->roleDecl())
        declareRole(r);
    }
  }

  void declareCatalog(P::CatalogDeclContext *ctx) {
    Catalog cat;
    cat.name = textOf(ctx->dottedName());
    if (ctx->STRING())
      cat.title = unquote(ctx->STRING()->getText());
    cat.loc = range(ctx->dottedName());
    cat.file = diags.getSourceMgr().getMemoryBuffer(file.bufferId())->getBufferIdentifier().str();
    model.catalogs.push_back(std::move(cat));
  }

  ParamDecl buildParam(P::ParamDeclContext *ctx) {
    ParamDecl p;
    p.name = textOf(ctx->name());
    p.type = typeOf(textOf(ctx->typeName()));
    if (ctx->expr())
      p.defaultValue = buildExpr(ctx->expr());
    p.fixed = ctx->FIXED() != nullptr;
    p.loc = range(ctx->name());
    return p;
  }

  void declareGlobal(P::ParamDeclContext *ctx) {
    ParamDecl p = buildParam(ctx);
    if (!checkUnique(model.globalIndex, p.name, p.loc, "parameter", model.globals.size(),
                     [&](unsigned i) { return model.globals[i].loc; }))
      return;
    model.globals.push_back(std::move(p));
  }

  void declareRole(P::RoleDeclContext *ctx) {
    Role role;
    role.name = textOf(ctx->name());
    role.displayName = ctx->STRING() ? unquote(ctx->STRING()->getText()) : role.name;
    if (auto *kind = ctx->roleKind()) {
      std::string k = textOf(kind);
      role.kind = k == "client" ? RoleKind::Client : k == "external" ? RoleKind::External : RoleKind::Host;
    }
    role.loc = range(ctx->name());
    if (auto *body = ctx->roleBody()) {
      for (P::ParamDeclContext *p : body->paramDecl()) {
        ParamDecl param = buildParam(p);
        if (auto prev = role.findParam(param.name)) {
          diags.report(DiagKind::Redefinition, param.loc,
                       fmt::format("parameter '{}' is already declared in role '{}'", param.name, role.name),
                       {{role.params[*prev].loc, "previous declaration is here"}});
          continue;
        }
        role.params.push_back(std::move(param));
      }
    }
    if (!checkUnique(model.roleIndex, role.name, role.loc, "role", model.roles.size(),
                     [&](unsigned i) { return model.roles[i].loc; }))
      return;
    model.roles.push_back(std::move(role));
  }

  template <typename LocFn>
  bool checkUnique(llvm::StringMap<unsigned> &index, const std::string &name, llvm::SMRange loc,
                   const char *what, size_t next, LocFn prevLoc) {
    auto [it, inserted] = index.try_emplace(name, unsigned(next));
    if (inserted)
      return true;
    diags.report(DiagKind::Redefinition, loc, fmt::format("{} '{}' is already defined", what, name),
                 {{prevLoc(it->second), "previous definition is here"}});
    return false;
  }

  // ---- definitions (phase 2) ----

  void defineAll() {
    for (P::TopDeclContext *decl : root()->topDecl()) {
      if (auto *l = decl->linkDecl())
        defineLink(l);
      else if (auto *r = decl->ruleDecl())
        defineRule(r);
      else if (auto *h = decl->hierarchyDecl())
        defineHierarchy(h);
    }
  }

  /// Whether the imported catalog's product lets a primary site have a primary parent: its
  /// fixed global `primary_under_primary` (Configuration Manager 2007 had no central
  /// administration site; its primary sites stacked).
  bool primaryUnderPrimary() const {
    std::optional<unsigned> g = model.findGlobal("primary_under_primary");
    if (!g || !model.globals[*g].fixed)
      return false;
    const auto *lit = llvm::dyn_cast_or_null<LiteralExpr>(model.globals[*g].defaultValue.get());
    return lit && lit->getValue().type == TypeKind::Bool && lit->getValue().boolean;
  }

  std::optional<unsigned> lookupRole(P::NameContext *ctx) {
    std::string name = textOf(ctx);
    if (auto r = model.findRole(name))
      return r;
    diags.report(DiagKind::UnknownRole, range(ctx), fmt::format("unknown role '{}'{}", name, suggestRole(name)));
    return std::nullopt;
  }

  std::string suggestRole(llvm::StringRef name) const {
    NameSuggestion suggest(name);
    for (const Role &r : model.roles)
      suggest.consider(r.name);
    return suggest.hint();
  }

  void defineLink(P::LinkDeclContext *ctx) {
    auto ends = ctx->linkEnd();
    auto src = lookupRole(ends[0]->name());
    auto dst = lookupRole(ends[1]->name());
    if (!src || !dst)
      return;
    Link link;
    link.srcRole = *src;
    link.dstRole = *dst;
    link.srcName = ends[0]->STRING() ? unquote(ends[0]->STRING()->getText()) : model.roles[*src].displayName;
    link.dstName = ends[1]->STRING() ? unquote(ends[1]->STRING()->getText()) : model.roles[*dst].displayName;
    link.bidirectional = textOf(ctx->arrow()) == "<->";
    std::string scope = textOf(ctx->scopeKind());
    link.scope = scope == "site" ? Scope::Site : scope == "parent" ? Scope::Parent : scope == "adjacent" ? Scope::Adjacent
               : scope == "hierarchy" ? Scope::Hierarchy : scope == "top" ? Scope::Top : Scope::External;
    if (ctx->STRING())
      link.section = unquote(ctx->STRING()->getText());
    else
      link.section = fmt::format("{} {} {}", link.srcName, link.bidirectional ? "<-->" : "-->", link.dstName);
    link.loc = range(ctx->linkEnd(0)->getStart()).Start.isValid()
                   ? llvm::SMRange(range(ctx).Start, range(ctx->linkEnd(1)).End)
                   : range(ctx);
    link.catalog = model.catalogs.empty() ? 0 : unsigned(model.catalogs.size() - 1);
    if (link.scope == Scope::External && model.roles[*dst].kind != RoleKind::External &&
        model.roles[*src].kind != RoleKind::External)
      diags.report(DiagKind::WrongRoleKind, range(ctx->scopeKind()),
                   "scope 'external' needs an external role at one end of the link");
    RefContext refs{{*dst, *src}, false, *src};
    if (ctx->expr())
      link.when = checkedCondition(ctx->expr(), refs);
    for (P::EntryContext *e : ctx->entry())
      link.entries.push_back(buildEntry(e, refs));
    model.links.push_back(std::move(link));
  }

  std::unique_ptr<Expr> checkedCondition(P::ExprContext *ctx, const RefContext &refs) {
    std::unique_ptr<Expr> e = buildExpr(ctx);
    resolveRefs(*e, refs);
    types.checkCondition(*e);
    return e;
  }

  void buildProtocol(P::ProtocolContext *ctx, llvm::SmallVectorImpl<Protocol> &protocols, int &icmpType) {
    std::string first = ctx->getStart()->getText();
    if (first == "icmp") {
      protocols.push_back(Protocol::ICMP);
      if (ctx->INT()) {
        unsigned type = 0;
        std::string text = ctx->INT()->getText();
        if (llvm::StringRef(text).getAsInteger(10, type) || type > 255)
          diags.report(DiagKind::PortOutOfRange, range(ctx->INT()), "ICMP type must be between 0 and 255");
        icmpType = int(type);
      }
      return;
    }
    if (first == "udp") {
      protocols.push_back(Protocol::UDP);
      return;
    }
    protocols.push_back(Protocol::TCP);
    if (ctx->children.size() > 1)
      protocols.push_back(Protocol::UDP);
  }

  /// Parse a port literal ("445" or "63000-64000"), reporting range errors.
  bool parsePortLiteral(antlr4::tree::TerminalNode *node, uint16_t &lo, uint16_t &hi) {
    std::string owned = node->getText();
    llvm::StringRef text(owned);
    auto [a, b] = text.split('-');
    if (b.empty())
      b = a;
    uint64_t l = 0, h = 0;
    bool bad = a.getAsInteger(10, l) || b.getAsInteger(10, h);
    if (bad || l < 1 || l > 65535 || h < 1 || h > 65535) {
      diags.report(DiagKind::PortOutOfRange, range(node),
                   fmt::format("port '{}' is outside 1-65535", text.str()));
      return false;
    }
    if (l > h) {
      diags.report(DiagKind::ReversedRange, range(node),
                   fmt::format("range '{}' starts above its end; write {}-{}", text.str(), h, l));
      return false;
    }
    lo = uint16_t(l);
    hi = uint16_t(h);
    return true;
  }

  Entry buildEntry(P::EntryContext *ctx, const RefContext &refs) {
    Entry entry;
    entry.loc = range(ctx);
    buildProtocol(ctx->protocol(), entry.protocols, entry.icmpType);
    if (auto *list = ctx->portList()) {
      if (entry.protocols[0] == Protocol::ICMP)
        diags.report(DiagKind::TypeMismatch, range(list), "ICMP has no ports; use 'icmp type N'");
      for (P::PortItemContext *item : list->portItem())
        entry.ports.push_back(buildPortItem(item, refs));
    } else if (entry.protocols[0] != Protocol::ICMP) {
      diags.report(DiagKind::MissingPort, range(ctx->protocol()), "a tcp/udp entry needs a port");
    }
    if (ctx->STRING())
      entry.description = unquote(ctx->STRING()->getText());
    for (P::EntryAttrContext *attr : ctx->entryAttr()) {
      if (dynamic_cast<P::AlternateAttrContext *>(attr))
        entry.alternate = true;
      else if (auto *n = dynamic_cast<P::NoteAttrContext *>(attr))
        for (P::NoteIdContext *id : n->noteId())
          entry.notes.push_back(textOf(id));
      else if (auto *t = dynamic_cast<P::TagAttrContext *>(attr))
        entry.tag = textOf(t->name());
      else if (auto *w = dynamic_cast<P::WhenAttrContext *>(attr))
        entry.when = checkedCondition(w->expr(), refs);
      else if (dynamic_cast<P::ProxyAttrContext *>(attr))
        entry.proxy = true;
      else if (dynamic_cast<P::ForwardAttrContext *>(attr))
        entry.forwardOnly = true;
      else if (auto *a = dynamic_cast<P::AdvisoryAttrContext *>(attr))
        entry.advisory = unquote(a->STRING()->getText());
      else if (auto *s = dynamic_cast<P::SinceAttrContext *>(attr))
        entry.since = textOf(s->name());
    }
    return entry;
  }

  PortItem buildPortItem(P::PortItemContext *ctx, const RefContext &refs) {
    PortItem item;
    item.loc = range(ctx);
    if (auto *n = ctx->INT() ? ctx->INT() : ctx->RANGE()) {
      item.kind = PortItem::Literal;
      parsePortLiteral(n, item.lo, item.hi);
      return item;
    }
    if (!ctx->paramRef()) {
      item.kind = PortItem::Dynamic;
      item.ref = std::make_unique<RefExpr>(item.loc, "", "dynamic_rpc");
      resolveRefs(*item.ref, refs);
      return item;
    }
    item.kind = PortItem::Param;
    auto names = ctx->paramRef()->name();
    item.ref = std::make_unique<RefExpr>(item.loc, names.size() > 1 ? textOf(names[0]) : "",
                                         textOf(names.back()));
    resolveRefs(*item.ref, refs);
    TypeKind t = types.infer(*item.ref);
    if (t != TypeKind::Port && t != TypeKind::Ports && t != TypeKind::Error)
      diags.report(DiagKind::TypeMismatch, item.loc,
                   fmt::format("'{}' has type '{}'; a port or ports parameter is needed",
                               printExpr(*item.ref), typeName(t).str()));
    return item;
  }

  void defineRule(P::RuleDeclContext *ctx) {
    CatalogRule rule;
    rule.name = unquote(ctx->STRING()->getText());
    rule.loc = range(ctx->STRING());
    RefContext refs;
    if (ctx->name()) {
      rule.role = lookupRole(ctx->name());
      if (!rule.role)
        return;
      refs.roles.push_back(*rule.role);
    } else {
      refs.dynamicNames = true;
    }
    if (ctx->expr())
      rule.when = checkedCondition(ctx->expr(), refs);
    for (P::RuleActionContext *a : ctx->ruleAction()) {
      RuleAction action;
      action.loc = range(a);
      if (auto *req = dynamic_cast<P::RequireActionContext *>(a)) {
        action.kind = RuleAction::Require;
        action.tag = textOf(req->name(0));
        action.alongside = textOf(req->name(1));
        checkTag(action.tag, range(req->name(0)));
        checkTag(action.alongside, range(req->name(1)));
      } else if (auto *one = dynamic_cast<P::OnewayActionContext *>(a)) {
        action.kind = RuleAction::Oneway;
        auto role = lookupRole(one->name());
        if (!role)
          continue;
        action.role = *role;
      } else if (auto *w = dynamic_cast<P::WarnActionContext *>(a)) {
        action.kind = RuleAction::Warn;
        action.message = unquote(w->STRING()->getText());
      } else if (auto *e = dynamic_cast<P::ErrorActionContext *>(a)) {
        action.kind = RuleAction::Error;
        action.message = unquote(e->STRING()->getText());
      }
      rule.actions.push_back(std::move(action));
    }
    model.rules.push_back(std::move(rule));
  }

  void checkTag(const std::string &tag, llvm::SMRange loc) {
    NameSuggestion suggest(tag);
    for (const Link &l : model.links)
      for (const Entry &e : l.entries) {
        if (e.tag == tag)
          return;
        suggest.consider(e.tag);
      }
    diags.report(DiagKind::UnknownTag, loc, fmt::format("no catalog entry has tag '{}'{}", tag, suggest.hint()));
  }

  // ---- expressions ----

  static TypeKind typeOf(const std::string &name) {
    if (name == "port") return TypeKind::Port;
    if (name == "ports") return TypeKind::Ports;
    if (name == "bool") return TypeKind::Bool;
    if (name == "int") return TypeKind::Int;
    if (name == "address") return TypeKind::Address;
    return TypeKind::String;
  }

  std::unique_ptr<Expr> buildExpr(P::ExprContext *ctx) {
    llvm::SMRange r = range(ctx);
    if (auto *p = dynamic_cast<P::ParenExprContext *>(ctx))
      return buildExpr(p->expr());
    if (auto *u = dynamic_cast<P::UnaryExprContext *>(ctx))
      return std::make_unique<UnaryExpr>(r, u->op->getText() == "!" ? UnaryExpr::Not : UnaryExpr::Negate,
                                         buildExpr(u->expr()));
    if (auto *b = dynamic_cast<P::AddExprContext *>(ctx))
      return binary(r, b->op->getText() == "+" ? BinaryExpr::Add : BinaryExpr::Sub, b->expr(0), b->expr(1));
    if (auto *b = dynamic_cast<P::RelExprContext *>(ctx)) {
      std::string op = b->op->getText();
      BinaryExpr::Op o = op == "<" ? BinaryExpr::Lt : op == "<=" ? BinaryExpr::Le : op == ">" ? BinaryExpr::Gt : BinaryExpr::Ge;
      return binary(r, o, b->expr(0), b->expr(1));
    }
    if (auto *b = dynamic_cast<P::EqExprContext *>(ctx))
      return binary(r, b->op->getText() == "==" ? BinaryExpr::Eq : BinaryExpr::Ne, b->expr(0), b->expr(1));
    if (auto *b = dynamic_cast<P::AndExprContext *>(ctx))
      return binary(r, BinaryExpr::And, b->expr(0), b->expr(1));
    if (auto *b = dynamic_cast<P::OrExprContext *>(ctx))
      return binary(r, BinaryExpr::Or, b->expr(0), b->expr(1));
    if (auto *c = dynamic_cast<P::CondExprContext *>(ctx))
      return std::make_unique<CondExpr>(r, buildExpr(c->expr(0)), buildExpr(c->expr(1)), buildExpr(c->expr(2)));
    if (auto *i = dynamic_cast<P::IntExprContext *>(ctx)) {
      int64_t v = 0;
      std::string text = i->INT()->getText();
      if (llvm::StringRef(text).getAsInteger(10, v) || v > (int64_t(1) << 40)) {
        diags.report(DiagKind::NumberTooLarge, r, "number is too large");
        v = 0;
      }
      return std::make_unique<LiteralExpr>(Expr::IntLitKind, r, Value::makeInt(v));
    }
    if (auto *rg = dynamic_cast<P::RangeExprContext *>(ctx)) {
      uint16_t lo = 1, hi = 1;
      parsePortLiteral(rg->RANGE(), lo, hi);
      return std::make_unique<LiteralExpr>(Expr::RangeLitKind, r, Value::makeRange(lo, hi));
    }
    if (dynamic_cast<P::BoolExprContext *>(ctx))
      return std::make_unique<LiteralExpr>(Expr::BoolLitKind, r, Value::makeBool(textOf(ctx) == "true"));
    if (auto *s = dynamic_cast<P::StringExprContext *>(ctx))
      return std::make_unique<LiteralExpr>(Expr::StringLitKind, r, Value::makeString(unquote(s->STRING()->getText())));
    if (auto *a = dynamic_cast<P::AddressExprContext *>(ctx))
      return std::make_unique<LiteralExpr>(Expr::AddressLitKind, r, Value::makeAddress(buildAddress(a->address())));
    auto *ref = static_cast<P::RefExprContext *>(ctx);
    auto names = ref->paramRef()->name();
    return std::make_unique<RefExpr>(r, names.size() > 1 ? textOf(names[0]) : "", textOf(names.back()));
  }

  std::unique_ptr<Expr> binary(llvm::SMRange r, BinaryExpr::Op op, P::ExprContext *l, P::ExprContext *rhs) {
    return std::make_unique<BinaryExpr>(r, op, buildExpr(l), buildExpr(rhs));
  }

  void resolveRefs(Expr &e, const RefContext &refs) {
    forEachRef(e, [&](RefExpr &ref) { resolveRef(ref, refs); });
  }

  void resolveRef(RefExpr &ref, const RefContext &refs) {
    if (ref.getQualifier() == "from" && refs.sourceRole && !model.findRole("from")) {
      if (auto p = model.roles[*refs.sourceRole].findParam(ref.getName()))
        return ref.setTarget({*refs.sourceRole, *p, /*fromSource=*/true});
      reportUnknownParam(paramNameRange(ref), ref.getName(), *refs.sourceRole);
      return;
    }
    if (!ref.getQualifier().empty()) {
      auto role = model.findRole(ref.getQualifier());
      if (!role) {
        diags.report(DiagKind::UnknownRole, qualifierRange(ref),
                     fmt::format("unknown role '{}'{}", ref.getQualifier().str(), suggestRole(ref.getQualifier())));
        return;
      }
      if (auto p = model.roles[*role].findParam(ref.getName()))
        return ref.setTarget({*role, *p});
      reportUnknownParam(paramNameRange(ref), ref.getName(), *role);
      return;
    }
    for (unsigned role : refs.roles)
      if (auto p = model.roles[role].findParam(ref.getName()))
        return ref.setTarget({role, *p});
    if (auto g = model.findGlobal(ref.getName()))
      return ref.setTarget({ParamTarget::Global, *g});
    if (refs.dynamicNames)
      return;
    NameSuggestion suggest(ref.getName());
    for (unsigned role : refs.roles)
      for (const ParamDecl &p : model.roles[role].params)
        suggest.consider(p.name);
    for (const ParamDecl &g : model.globals)
      suggest.consider(g.name);
    diags.report(DiagKind::UnknownParameter, ref.getRange(),
                 fmt::format("unknown parameter '{}'{}", ref.getName().str(), suggest.hint()));
  }

  void reportUnknownParam(llvm::SMRange loc, llvm::StringRef name, unsigned role) {
    NameSuggestion suggest(name);
    for (const ParamDecl &p : model.roles[role].params)
      suggest.consider(p.name);
    diags.report(DiagKind::UnknownParameter, loc,
                 fmt::format("role '{}' has no parameter '{}'{}", model.roles[role].name, name.str(), suggest.hint()),
                 {{model.roles[role].loc, "role declared here"}});
  }

  AddressSet buildAddress(P::AddressContext *ctx) {
    antlr4::tree::TerminalNode *address = tokenChild(ctx, P::ADDRESS);
    if (!address)
      return AddressSet::any();
    std::string error;
    auto set = AddressSet::parse(address->getText(), &error);
    if (!set) {
      diags.report(DiagKind::MalformedAddress, range(ctx), error);
      return {};
    }
    return *set;
  }

  AddressSet buildAddresses(P::AddressListContext *ctx) {
    AddressSet out;
    for (P::AddressContext *a : children<P::AddressContext>(ctx))
      out = out.unite(buildAddress(a));
    return out;
  }

  // ---- hierarchy ----

  void defineHierarchy(P::HierarchyDeclContext *ctx) {
    if (model.hierarchy) {
      diags.report(DiagKind::Redefinition, range(ctx->name()), "only one hierarchy may be defined",
                   {{model.hierarchy->loc, "the first hierarchy is here"}});
      return;
    }
    model.hierarchy.emplace();
    Hierarchy &h = *model.hierarchy;
    h.name = textOf(ctx->name());
    h.loc = range(ctx->name());
    // Sites first, so hosts and statements may name sites declared further down.
    std::vector<std::pair<P::SiteDeclContext *, unsigned>> sites;
    llvm::StringMap<unsigned> siteIndex;
    llvm::SmallVector<P::HierarchyItemContext *, 4> items = children<P::HierarchyItemContext>(ctx);
    for (P::HierarchyItemContext *item : items)
      if (auto *s = child<P::SiteDeclContext>(item)) {
        Site site;
        site.name = textOf(s->name(0));
        std::string kind = textOf(s->siteKind());
        site.kind = kind == "central" ? SiteKind::Central : kind == "primary" ? SiteKind::Primary : SiteKind::Secondary;
        site.loc = range(s->name(0));
        if (!checkUnique(siteIndex, site.name, site.loc, "site", h.sites.size(),
                         [&](unsigned i) { return h.sites[i].loc; }))
          continue;
        sites.push_back({s, unsigned(h.sites.size())});
        h.sites.push_back(std::move(site));
      }
    std::vector<llvm::SMRange> parentLocs(h.sites.size());
    for (auto &[s, index] : sites)
      if (s->name().size() > 1) {
        parentLocs[index] = range(s->name(1));
        std::string parent = textOf(s->name(1));
        auto it = siteIndex.find(parent);
        if (it != siteIndex.end()) {
          h.sites[index].parent = it->second;
          continue;
        }
        NameSuggestion suggest(parent);
        for (const Site &other : h.sites)
          suggest.consider(other.name);
        diags.report(DiagKind::UnknownSite, parentLocs[index], fmt::format("unknown site '{}'{}", parent, suggest.hint()));
      }
    checkSiteParents(h, parentLocs, diags, primaryUnderPrimary());
    // Everything but statements in source order, so diagnostics come out in that order.
    std::vector<HostAddressRef> hostAddresses;
    llvm::StringMap<unsigned> firewallIndex;
    auto site = sites.begin();
    for (P::HierarchyItemContext *item : items) {
      if (site != sites.end() && child<P::SiteDeclContext>(item) == site->first) {
        defineSite(site->first, site->second, hostAddresses);
        ++site;
      } else if (auto *a = child<P::AssignmentContext>(item)) {
        h.overrides.push_back(buildAssignment(a, {}));
      } else if (auto *e = child<P::ExternalDeclContext>(item)) {
        defineExternal(e);
      } else if (auto *f = child<P::FirewallDeclContext>(item)) {
        defineFirewall(f, firewallIndex);
      }
    }
    checkHostNames(h, diags);
    checkHostAddresses(h, hostAddresses, diags);
    checkTargetNameLimits(h, diags);
    // Statements last: they may name any host or site (a host first, as both may share a name).
    for (unsigned i = 0; i < h.hosts.size(); ++i)
      endpointNames.try_emplace(h.hosts[i].name, PolicyEndpoint::Host, i);
    for (unsigned i = 0; i < h.sites.size(); ++i)
      endpointNames.try_emplace(h.sites[i].name, PolicyEndpoint::Site, i);
    for (auto &[s, index] : sites)
      for (P::SiteItemContext *item : children<P::SiteItemContext>(s))
        if (auto *p = child<P::PolicyStmtContext>(item))
          h.statements.push_back(buildStatement(p));
    for (P::HierarchyItemContext *item : items)
      if (auto *p = child<P::PolicyStmtContext>(item))
        h.statements.push_back(buildStatement(p));
  }

  void defineSite(P::SiteDeclContext *ctx, unsigned siteIndex, std::vector<HostAddressRef> &hostAddresses) {
    for (P::SiteItemContext *item : children<P::SiteItemContext>(ctx)) {
      if (auto *host = child<P::HostDeclContext>(item))
        defineHost(host, siteIndex, hostAddresses);
      else if (auto *c = child<P::ClientsDeclContext>(item))
        defineClients(c, siteIndex);
      else if (auto *a = child<P::AssignmentContext>(item))
        defineSiteOverride(a, siteIndex);
      else if (auto *e = child<P::ExternalDeclContext>(item))
        defineExternal(e);
    }
  }

  /// A site's `NAME = EXPR;`. Globals hold one value for the whole hierarchy (the passes read
  /// them once), so one set inside a site would silently change nothing: an error instead.
  void defineSiteOverride(P::AssignmentContext *ctx, unsigned siteIndex) {
    Hierarchy &h = *model.hierarchy;
    Assignment a = buildAssignment(ctx, {});
    if (a.target.isGlobal() && a.target.param != ~0u) {
      diags.report(DiagKind::MisplacedOverride, a.loc,
                   fmt::format("'{}' is a global parameter, one value for the whole hierarchy; set it at the "
                               "hierarchy level, not in site '{}'",
                               model.globals[a.target.param].name, h.sites[siteIndex].name),
                   {{model.globals[a.target.param].loc, "declared global here"}});
      return;
    }
    h.sites[siteIndex].overrides.push_back(std::move(a));
  }

  /// A host; each of its addresses is also recorded in \p hostAddresses for the overlap check.
  void defineHost(P::HostDeclContext *ctx, unsigned siteIndex, std::vector<HostAddressRef> &hostAddresses) {
    Hierarchy &h = *model.hierarchy;
    Host host;
    P::NameContext *name = child<P::NameContext>(ctx);
    host.name = textOf(name);
    host.site = siteIndex;
    host.loc = range(name);
    for (P::AddressContext *a : children<P::AddressContext>(child<P::AddressListContext>(ctx))) {
      hostAddresses.push_back({unsigned(h.hosts.size()), buildAddress(a), range(a)});
      host.addresses = host.addresses.unite(hostAddresses.back().addresses);
    }
    for (P::HostRoleContext *hr : children<P::HostRoleContext>(ctx)) {
      auto role = lookupRole(hr->name());
      if (!role)
        continue;
      if (model.roles[*role].kind != RoleKind::Host) {
        diags.report(DiagKind::WrongRoleKind, range(hr->name()),
                     fmt::format("role '{}' is {}; it cannot be given to a host", textOf(hr->name()),
                                 model.roles[*role].kind == RoleKind::Client ? "the client role (use 'clients')"
                                                                              : "external (use 'external')"),
                     {{model.roles[*role].loc, "role declared here"}});
        continue;
      }
      auto given = llvm::find_if(host.roles, [&](const HostRole &r) { return r.role == *role; });
      if (given != host.roles.end()) {
        diags.report(DiagKind::Redefinition, range(hr->name()),
                     fmt::format("role '{}' is already given to host '{}'; merge the two", textOf(hr->name()),
                                 host.name),
                     {{given->loc, "first given here"}});
        continue;
      }
      HostRole binding;
      binding.role = *role;
      binding.loc = range(hr->name());
      for (P::AssignmentContext *a : hr->assignment())
        binding.params.push_back(buildAssignment(a, {*role}, /*roleOnly=*/true));
      host.roles.push_back(std::move(binding));
    }
    h.sites[siteIndex].hosts.push_back(unsigned(h.hosts.size()));
    h.hosts.push_back(std::move(host));
  }

  void defineClients(P::ClientsDeclContext *ctx, unsigned siteIndex) {
    Hierarchy &h = *model.hierarchy;
    auto client = model.clientRole();
    if (!client) {
      diags.report(DiagKind::UnknownRole, range(ctx->getStart()),
                   "'clients' needs a catalog with a client role; import one");
      return;
    }
    ClientGroup group;
    group.site = siteIndex;
    group.loc = range(ctx->addressList());
    group.addresses = buildAddresses(ctx->addressList());
    for (P::AssignmentContext *a : ctx->assignment())
      group.params.push_back(buildAssignment(a, {*client}, /*roleOnly=*/true));
    h.sites[siteIndex].clientGroups.push_back(unsigned(h.clientGroups.size()));
    h.clientGroups.push_back(std::move(group));
  }

  void defineExternal(P::ExternalDeclContext *ctx) {
    auto role = lookupRole(ctx->name());
    if (!role)
      return;
    if (model.roles[*role].kind != RoleKind::External) {
      diags.report(DiagKind::WrongRoleKind, range(ctx->name()),
                   fmt::format("role '{}' is not external; give it to a host instead", textOf(ctx->name())),
                   {{model.roles[*role].loc, "role declared here"}});
      return;
    }
    model.hierarchy->externals.push_back({*role, buildAddresses(ctx->addressList()), range(ctx->name())});
  }

  /// A firewall and its zones; both names are unique (they name output files and zone pairs).
  void defineFirewall(P::FirewallDeclContext *ctx, llvm::StringMap<unsigned> &firewallIndex) {
    std::vector<Firewall> &firewalls = model.hierarchy->firewalls;
    Firewall fw;
    fw.name = textOf(ctx->name());
    fw.loc = range(ctx->name());
    if (!checkUnique(firewallIndex, fw.name, fw.loc, "firewall", firewalls.size(),
                     [&](unsigned i) { return firewalls[i].loc; }))
      return;
    llvm::StringMap<unsigned> zoneIndex;
    for (P::ZoneDeclContext *z : ctx->zoneDecl()) {
      Zone zone{textOf(z->name()), buildAddresses(z->addressList()), range(z->name())};
      if (checkUnique(zoneIndex, zone.name, zone.loc, "zone", fw.zones.size(),
                      [&](unsigned i) { return fw.zones[i].loc; }))
        fw.zones.push_back(std::move(zone));
    }
    firewalls.push_back(std::move(fw));
  }

  /// `param = expr;` or `role.param = expr;`. With \p roleOnly (a host's or clients' block)
  /// an unqualified name must be a parameter of \p roles.
  Assignment buildAssignment(P::AssignmentContext *ctx, llvm::SmallVector<unsigned, 1> roles, bool roleOnly = false) {
    Assignment a;
    a.loc = range(ctx->paramRef());
    a.value = buildExpr(ctx->expr());
    auto names = ctx->paramRef()->name();
    RefExpr target(a.loc, names.size() > 1 ? textOf(names[0]) : "", textOf(names.back()));
    RefContext refs;
    refs.roles.append(roles.begin(), roles.end());
    if (roleOnly && target.getQualifier().empty() && !roles.empty() &&
        !model.roles[roles[0]].findParam(target.getName())) {
      reportUnknownParam(a.loc, target.getName(), roles[0]);
      a.target = {ParamTarget::Global, ~0u};
      return a;
    }
    resolveRef(target, refs);
    if (!target.getTarget()) {
      a.target = {ParamTarget::Global, ~0u};
      return a;
    }
    a.target = *target.getTarget();
    // Values are evaluated in the context of the role they set.
    RefContext valueRefs;
    if (!a.target.isGlobal())
      valueRefs.roles.push_back(a.target.role);
    resolveRefs(*a.value, valueRefs);
    const ParamDecl *decl = types.paramOf(a.target);
    if (decl)
      types.checkAssignable(*decl, *a.value);
    if (decl && decl->fixed)
      diags.report(DiagKind::FixedParameter, a.loc,
                   fmt::format("'{}' is fixed: Configuration Manager does not let you change it; remove this "
                               "assignment",
                               printExpr(target)),
                   {{decl->loc, "the catalog marks it fixed here"}});
    return a;
  }

  PolicyEndpoint buildEndpoint(P::EndpointContext *ctx) {
    PolicyEndpoint ep;
    ep.loc = range(ctx);
    ep.text = textOf(ctx);
    if (auto *address = child<P::AddressContext>(ctx)) {
      ep.kind = PolicyEndpoint::Addresses;
      ep.addresses = buildAddress(address);
      return ep;
    }
    if (!child<P::NameContext>(ctx))
      return ep; // `*`
    const Hierarchy &h = *model.hierarchy;
    auto named = endpointNames.find(ep.text);
    if (named != endpointNames.end()) {
      std::tie(ep.kind, ep.index) = named->second;
      return ep;
    }
    if (auto role = model.findRole(ep.text)) {
      ep.kind = PolicyEndpoint::Role;
      ep.index = *role;
      return ep;
    }
    NameSuggestion suggest(ep.text);
    for (const Host &host : h.hosts)
      suggest.consider(host.name);
    for (const Site &site : h.sites)
      suggest.consider(site.name);
    for (const Role &role : model.roles)
      suggest.consider(role.name);
    diags.report(DiagKind::UnknownEndpoint, ep.loc,
                 fmt::format("'{}' is not a host, site or role of this hierarchy{}", ep.text, suggest.hint()));
    return ep;
  }

  PolicyStatement buildStatement(P::PolicyStmtContext *ctx) {
    PolicyStatement st;
    st.action = ctx->action->getText() == "allow" ? PolicyStatement::Allow : PolicyStatement::Deny;
    st.loc = range(ctx);
    llvm::SmallVector<P::EndpointContext *, 4> ends = children<P::EndpointContext>(ctx);
    st.src = buildEndpoint(ends[0]);
    st.dst = buildEndpoint(ends[1]);
    if (auto *reason = tokenChild(ctx, P::STRING))
      st.reason = unquote(reason->getText());
    if (auto *svc = child<P::ServiceContext>(ctx)) {
      if (auto *tag = child<P::NameContext>(svc)) {
        st.service.tag = textOf(tag);
        if (st.action == PolicyStatement::Allow)
          diags.report(DiagKind::TypeMismatch, range(tag),
                       "an allow needs a protocol and ports; entry tags select catalog rows only in deny statements");
        else
          checkTag(st.service.tag, range(tag));
      } else {
        buildProtocol(child<P::ProtocolContext>(svc), st.service.protocols, st.service.icmpType);
        if (auto *list = child<P::PortListContext>(svc))
          for (P::PortItemContext *item : children<P::PortItemContext>(list)) {
            uint16_t lo = 0, hi = 0;
            antlr4::tree::TerminalNode *n = tokenChild(item, P::INT);
            if (n || (n = tokenChild(item, P::RANGE))) {
              if (parsePortLiteral(n, lo, hi))
                st.service.ports.add(lo, hi);
              continue;
            }
            diags.report(DiagKind::TypeMismatch, range(item),
                         "allow/deny ports must be numbers or ranges (parameters depend on the host)");
          }
      }
    }
    if (st.action == PolicyStatement::Allow && st.service.any())
      diags.report(DiagKind::TypeMismatch, st.loc, "an allow needs a service: a protocol with ports, or an entry tag");
    return st;
  }

private:
  Model &model;
  DiagnosticEngine &diags;
  const ParsedFile &file;
  TypeChecker types;
  /// Hosts and sites by name, for the statements' endpoints.
  llvm::StringMap<std::pair<PolicyEndpoint::EndpointKind, unsigned>> endpointNames;
};

void ModelBuilder::declare(const ParsedFile &file) { FileScope(*this, file).declareAll(); }
void ModelBuilder::define(const ParsedFile &file) { FileScope(*this, file).defineAll(); }

void ModelBuilder::finish() { checkParamDefaults(model, diags); }

} // namespace cmnet::frontend
