#include "frontend/ParseTreeAccess.h"

namespace cmnet::frontend {
namespace {

/// Records what it is called for; ParseTree::accept picks the call.
class NodeKindProbe : public antlr4::tree::ParseTreeVisitor {
public:
  NodeKind kind;
  antlrcpp::Any visit(antlr4::tree::ParseTree *node) override { return node->accept(this); }
  antlrcpp::Any visitChildren(antlr4::tree::ParseTree *node) override {
    // Only RuleContext::accept calls this, with itself.
    kind.rule = static_cast<antlr4::RuleContext *>(node)->getRuleIndex();
    return {};
  }
  antlrcpp::Any visitTerminal(antlr4::tree::TerminalNode *node) override {
    kind.token = node;
    return {};
  }
  antlrcpp::Any visitErrorNode(antlr4::tree::ErrorNode *) override { return {}; }
};

} // namespace

NodeKind kindOf(antlr4::tree::ParseTree *node) {
  NodeKindProbe probe;
  node->accept(&probe);
  return probe.kind;
}

antlr4::tree::TerminalNode *tokenChild(antlr4::ParserRuleContext *ctx, size_t type) {
  for (antlr4::tree::ParseTree *node : ctx->children)
    if (antlr4::tree::TerminalNode *token = kindOf(node).token; token && token->getSymbol()->getType() == type)
      return token;
  return nullptr;
}

} // namespace cmnet::frontend
