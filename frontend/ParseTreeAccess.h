// Children of parse-tree nodes without RTTI, for the model builder's per-statement paths.
#pragma once

#include "CmnetParser.h"

#include "llvm/ADT/SmallVector.h"

namespace cmnet::frontend {

/// What a parse-tree node is: a rule context (its rule index) or a token (its node).
///
/// The generated accessors (`ctx->siteDecl()`, `ctx->INT()`) dynamic_cast every child on every
/// call, and GCC's dynamic_cast compares mangled type names with strcmp, for every node of a
/// tree of millions (docs/performance.md). ParseTree::accept tells rules from tokens with one
/// virtual call instead (rule contexts call visitChildren, tokens visitTerminal).
struct NodeKind {
  static constexpr size_t NotARule = ~size_t(0);
  size_t rule = NotARule;
  antlr4::tree::TerminalNode *token = nullptr; ///< null for a rule or an error node
};
NodeKind kindOf(antlr4::tree::ParseTree *node);

/// The rule index of a generated context class: CMNET_RULE(SiteDecl) pairs SiteDeclContext
/// with RuleSiteDecl, so the two cannot disagree. Labelled alternatives (`# alternateAttr`)
/// share their rule's index and have no entry.
template <class Context> struct RuleOf;
#define CMNET_RULE(Name)                                                                                             \
  template <> struct RuleOf<grammar::CmnetParser::Name##Context> {                                                   \
    static constexpr size_t value = grammar::CmnetParser::Rule##Name;                                                \
  };
CMNET_RULE(HierarchyItem)
CMNET_RULE(SiteDecl)
CMNET_RULE(SiteItem)
CMNET_RULE(HostDecl)
CMNET_RULE(HostRole)
CMNET_RULE(ClientsDecl)
CMNET_RULE(ExternalDecl)
CMNET_RULE(FirewallDecl)
CMNET_RULE(Assignment)
CMNET_RULE(PolicyStmt)
CMNET_RULE(Endpoint)
CMNET_RULE(Service)
CMNET_RULE(Protocol)
CMNET_RULE(PortList)
CMNET_RULE(PortItem)
CMNET_RULE(AddressList)
CMNET_RULE(Address)
CMNET_RULE(Name)
#undef CMNET_RULE

/// The \p i-th child of \p ctx that is a \p Context, or null: `ctx->name(i)` without RTTI.
template <class Context> Context *child(antlr4::ParserRuleContext *ctx, size_t i = 0) {
  for (antlr4::tree::ParseTree *node : ctx->children)
    if (kindOf(node).rule == RuleOf<Context>::value && i-- == 0)
      return static_cast<Context *>(node);
  return nullptr;
}

/// Every child of \p ctx that is a \p Context: `ctx->name()` without RTTI.
template <class Context> llvm::SmallVector<Context *, 4> children(antlr4::ParserRuleContext *ctx) {
  llvm::SmallVector<Context *, 4> out;
  for (antlr4::tree::ParseTree *node : ctx->children)
    if (kindOf(node).rule == RuleOf<Context>::value)
      out.push_back(static_cast<Context *>(node));
  return out;
}

/// The first token child of \p ctx of type \p type, or null: `ctx->INT()` without RTTI.
antlr4::tree::TerminalNode *tokenChild(antlr4::ParserRuleContext *ctx, size_t type);

} // namespace cmnet::frontend
