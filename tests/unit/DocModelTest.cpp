// DocModel, built from the flows apply-policy leaves (as cmnetc build and doc build it): each
// distinct address set is kept once, no two rows share connection, protocol, ports and
// reasons, and the pieces a deny cuts a flow into (here two: it narrows both ends) come
// together again in one row.
#include "doc/DocModel.h"
#include "frontend/Frontend.h"
#include "passes/Pass.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <tuple>

using namespace cmnet;
using namespace cmnet::doc;

namespace {

constexpr const char *source = R"cmnet(
catalog t.doc "Doc model test catalog";
param dynamic_rpc : ports = 49152-65535;
role client "Client" client;
role site_server "Site server";
role management_point "Management point" {
  param http_port : port = 80;
}
role site_database "Site database server";
role domain_controller "Domain controller" external;
link client -> management_point scope site section "Client --> Management point" {
  tcp http_port "HTTP" alternate note 2 tag http;
  tcp 443 "HTTPS" note 2 tag https;
}
link site_server -> site_database scope site section "Site server --> Site database server" {
  tcp 1433 "SQL over TCP";
  tcp dynamic "RPC" note 6;
}
link site_server -> site_server scope parent section "Site server --> Site server" {
  tcp 445 "Server Message Block (SMB)";
}
link site_server -> domain_controller scope external section "Site server --> Domain controller" {
  tcp+udp 389 "LDAP";
  icmp type 8 "ICMP echo";
}
hierarchy lab {
  dynamic_rpc = 50000-50099;
  external domain_controller 10.0.0.2;
  site C1 central {
    host c1 10.0.0.10 : site_server;
    host c1sql 10.0.0.11 : site_database;
  }
  site P1 primary parent C1 {
    host p1 10.1.0.10/31 : site_server, management_point;
    clients 10.1.16.0/20;
  }
  deny 10.1.17.0/24 -> 10.1.0.11 tcp 443 "lab subnet";
}
)cmnet";

/// The source compiled the way the driver does for documentation.
struct Compiled {
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags{sourceMgr, llvm::errs()};
  std::unique_ptr<ir::Model> model;
  std::unique_ptr<passes::CompileContext> ctx;
  std::optional<DocModel> doc;
  unsigned httpsFlows = 0; // when the model was built

  Compiled() {
    llvm::SmallString<128> path;
    int fd = -1;
    if (llvm::sys::fs::createTemporaryFile("docmodel", "cmnet", fd, path))
      return;
    {
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      os << source;
    }
    frontend::FrontendOptions options;
    options.stdlibDir = frontend::defaultStdlibDir();
    model = frontend::loadModel(path, diags, options);
    llvm::sys::fs::remove(path);
    if (!model)
      return;
    ctx = std::make_unique<passes::CompileContext>(*model, diags);
    passes::PassRunOptions run;
    run.afterPolicy = [&](passes::CompileContext &policy) {
      for (const ir::Flow &f : policy.flows.flows)
        httpsFlows += f.ports.str() == "443";
      doc = buildDocModel(policy.placed, policy.flows.flows);
      return true;
    };
    if (!passes::runPipelines(*ctx, run))
      doc.reset();
  }
};

TEST(DocModel, AddressSetsAreKeptOnce) {
  Compiled c;
  ASSERT_TRUE(c.doc);
  const DocModel &doc = *c.doc;
  for (size_t i = 0; i < doc.addressSets.size(); ++i)
    for (size_t j = i + 1; j < doc.addressSets.size(); ++j)
      EXPECT_NE(doc.addressSets[i], doc.addressSets[j]) << "sets " << i << " and " << j;
  // A host's rows point at the host's own addresses.
  for (const DocOpening &o : doc.openings) {
    const DocConnection &conn = doc.connections[o.connection];
    if (doc.nodes[conn.dst].kind == DocNode::Host) {
      EXPECT_EQ(doc.addressSets[o.dstAddrs], doc.nodes[conn.dst].addresses);
    }
  }
}

TEST(DocModel, RowsAreDistinctAndDenyPiecesRejoin) {
  Compiled c;
  ASSERT_TRUE(c.doc);
  const DocModel &doc = *c.doc;
  // c1 -> c1sql: 1433, RPC; c1 -> DC and p1 -> DC: LDAP tcp, udp, ICMP; p1 -> c1: 445;
  // clients -> p1: HTTP, HTTPS.
  EXPECT_EQ(doc.openings.size(), 11u);
  auto key = [](const DocOpening &o) {
    return std::make_tuple(o.connection, o.proto, o.icmpType, o.ports.str(), o.reasons);
  };
  for (size_t i = 0; i < doc.openings.size(); ++i)
    for (size_t j = i + 1; j < doc.openings.size(); ++j)
      EXPECT_NE(key(doc.openings[i]), key(doc.openings[j])) << "rows " << i << " and " << j;
  EXPECT_EQ(c.httpsFlows, 2u);
  unsigned https = 0;
  for (const DocOpening &o : doc.openings)
    if (o.ports.str() == "443") {
      ++https;
      EXPECT_EQ(doc.addressSets[o.srcAddrs].str(), "10.1.16.0/20");
      EXPECT_EQ(doc.addressSets[o.dstAddrs].str(), "10.1.0.10/31");
    }
  EXPECT_EQ(https, 1u);
}

} // namespace
