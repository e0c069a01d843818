// FileSinkStream: a single-file target's output handed on in pieces of one file.
#include "backends/Backend.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace cmnet::backends;

namespace {

struct Piece {
  std::string path, contents;
};

TEST(FileSinkStream, PiecesOfAboutAMegabyteAddUpToWhatWasWritten) {
  std::vector<Piece> pieces;
  auto sink = [&](llvm::StringRef path, std::string contents) {
    pieces.push_back({path.str(), std::move(contents)});
    return true;
  };
  std::string written;
  {
    FileSinkStream out(sink, "big.txt");
    for (unsigned line = 0; written.size() < (3u << 20) + 12345; ++line) {
      std::string text = "line " + std::to_string(line) + "\n";
      out << text;
      written += text;
    }
    ASSERT_TRUE(out.finish());
  }
  ASSERT_GE(pieces.size(), 3u); // never the whole 3 MB at once
  std::string joined;
  for (const Piece &p : pieces) {
    EXPECT_EQ(p.path, "big.txt");
    EXPECT_LE(p.contents.size(), 1u << 20);
    joined += p.contents;
  }
  EXPECT_EQ(joined, written);
}

TEST(FileSinkStream, AnEmptyFileIsStillHandedOn) {
  std::vector<Piece> pieces;
  auto sink = [&](llvm::StringRef path, std::string contents) {
    pieces.push_back({path.str(), std::move(contents)});
    return true;
  };
  FileSinkStream out(sink, "empty.txt");
  ASSERT_TRUE(out.finish());
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].path, "empty.txt");
  EXPECT_EQ(pieces[0].contents, "");
}

TEST(FileSinkStream, StopsHandingOnOnceTheSinkRefuses) {
  unsigned calls = 0;
  auto sink = [&](llvm::StringRef, std::string) {
    ++calls;
    return false; // e.g. the disk is full
  };
  FileSinkStream out(sink, "refused.txt");
  std::string chunk(1u << 20, 'x');
  for (int i = 0; i < 4; ++i)
    out << chunk;
  EXPECT_FALSE(out.finish());
  EXPECT_EQ(calls, 1u);
}

TEST(Backend, RenderToMemoryJoinsThePiecesOfOneFile) {
  struct PiecewiseBackend : Backend {
    llvm::StringRef name() const override { return "piecewise"; }
    Capabilities capabilities() const override { return {}; }
    bool render(const cmnet::ir::PlacedPolicy &, const BackendOptions &, FileSink emit) const override {
      return emit("a.txt", "one ") && emit("a.txt", "two") && emit("b.txt", "three") && emit("a.txt", "four");
    }
  };
  cmnet::ir::PlacedPolicy placed;
  std::vector<OutputFile> files = PiecewiseBackend().renderToMemory(placed, {});
  ASSERT_EQ(files.size(), 3u); // only consecutive pieces continue a file
  EXPECT_EQ(files[0].path, "a.txt");
  EXPECT_EQ(files[0].contents, "one two");
  EXPECT_EQ(files[1].contents, "three");
  EXPECT_EQ(files[2].path, "a.txt");
  EXPECT_EQ(files[2].contents, "four");
}

} // namespace
