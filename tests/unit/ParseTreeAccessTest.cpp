// frontend/ParseTreeAccess.h against RTTI and the generated accessors, over every node of the
// example hierarchy, the standard-library catalogs and a policy with every statement form.
#include "frontend/ParseTreeAccess.h"
#include "frontend/ParsedFile.h"
#include "support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace {

using namespace cmnet;
using namespace cmnet::frontend;
using P = grammar::CmnetParser;

/// Every node of the tree under \p node, in order.
void collect(antlr4::tree::ParseTree *node, std::vector<antlr4::tree::ParseTree *> &out) {
  out.push_back(node);
  for (antlr4::tree::ParseTree *child : node->children)
    collect(child, out);
}

/// children<T> and child<T> agree with the generated getRuleContexts<T> on \p ctx.
template <class... Contexts> void expectSameChildren(antlr4::ParserRuleContext *ctx) {
  (
      [&] {
        std::vector<Contexts *> expected = ctx->getRuleContexts<Contexts>();
        llvm::SmallVector<Contexts *, 4> got = children<Contexts>(ctx);
        EXPECT_EQ(std::vector<Contexts *>(got.begin(), got.end()), expected) << ctx->getText();
        EXPECT_EQ(child<Contexts>(ctx, 1), expected.size() > 1 ? expected[1] : nullptr);
      }(),
      ...);
}

/// Parse \p buffer and check every node of its tree.
void expectAgreement(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  ASSERT_TRUE(buffer);
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags(sourceMgr, llvm::errs());
  unsigned id = sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  std::unique_ptr<ParsedFile> file = ParsedFile::parse(id, diags, FrontendOptions());
  ASSERT_TRUE(file && !diags.hasErrors());
  std::vector<antlr4::tree::ParseTree *> nodes;
  collect(file->root(), nodes);
  size_t rules = 0, tokens = 0;
  for (antlr4::tree::ParseTree *node : nodes) {
    NodeKind kind = kindOf(node);
    if (auto *rule = dynamic_cast<antlr4::ParserRuleContext *>(node)) {
      ++rules;
      EXPECT_EQ(kind.rule, rule->getRuleIndex());
      EXPECT_EQ(kind.token, nullptr);
      expectSameChildren<P::HierarchyItemContext, P::SiteDeclContext, P::SiteItemContext, P::HostDeclContext,
                         P::HostRoleContext, P::ClientsDeclContext, P::ExternalDeclContext, P::FirewallDeclContext,
                         P::AssignmentContext, P::PolicyStmtContext, P::EndpointContext, P::ServiceContext,
                         P::ProtocolContext, P::PortListContext, P::PortItemContext, P::AddressListContext,
                         P::AddressContext, P::NameContext>(rule);
      for (size_t type : {P::ADDRESS, P::INT, P::RANGE, P::STRING, P::IDENT})
        EXPECT_EQ(tokenChild(rule, type), rule->getToken(type, 0));
    } else {
      ++tokens;
      EXPECT_EQ(kind.rule, NodeKind::NotARule);
      EXPECT_EQ(kind.token, dynamic_cast<antlr4::tree::TerminalNode *>(node));
      EXPECT_NE(kind.token, nullptr);
    }
  }
  EXPECT_GT(rules, 20u);
  EXPECT_GT(tokens, 20u);
}

class ParseTreeAccessTest : public ::testing::TestWithParam<const char *> {};

TEST_P(ParseTreeAccessTest, AgreesWithRtti) {
  auto buffer = llvm::MemoryBuffer::getFile(std::string(CMNET_SOURCE_DIR) + "/" + GetParam());
  ASSERT_TRUE(buffer) << GetParam();
  expectAgreement(std::move(*buffer));
}

INSTANTIATE_TEST_SUITE_P(Inputs, ParseTreeAccessTest,
                         ::testing::Values("examples/contoso.cmnet", "stdlib/cm/current_branch.cmnet",
                                           "tests/doc/statements.cmnet", "tests/doc/firewall.cmnet"));

TEST(ParseTreeAccessTest, AgreesWithRttiOnEveryStatementForm) {
  expectAgreement(llvm::MemoryBuffer::getMemBufferCopy(R"(
hierarchy h {
  dynamic_rpc = 50000-50999;
  external dc 10.0.0.2, fd00::2;
  site A central {
    host a 10.0.0.1, fd00::1 : server { http_port = 8080; }, relay;
    clients 10.1.0.0/16 { internet_only = true; };
    server.http_port = 81;
    allow a -> 10.2.0.0/16 tcp 22, 80-90 "why";
    deny client -> * http;
  }
  firewall fw { zone inside = 10.0.0.0/8; zone outside = any; }
  allow * -> a udp 53;
  allow 10.9.0.1 -> A icmp type 8;
  deny a -> dc tcp+udp 389;
}
)", "forms.cmnet"));
}

} // namespace
