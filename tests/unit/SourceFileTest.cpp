// frontend::firstInvalidUtf8 against llvm::isLegalUTF8String, on random byte strings built from
// ASCII runs, valid and broken multi-byte sequences; loadSourceFile's size limit and line breaks.
#include "frontend/ParsedFile.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <random>

namespace {

size_t llvmFirstInvalid(const std::string &text) {
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.data());
  const llvm::UTF8 *at = begin;
  if (llvm::isLegalUTF8String(&at, begin + text.size()))
    return llvm::StringRef::npos;
  return size_t(at - begin);
}

TEST(SourceFileTest, FindsTheSameInvalidByteAsLlvm) {
  const std::vector<std::string> pieces = {
      "host a 10.0.0.1;", "x", "\n", "é", "€", "𝄞", "\xc3", "\xe2\x82", "\xf0\x9d\x84", "\x80", "\xbf",
      "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xff", "\xef\xbb\xbf", "01234567"};
  std::mt19937 random(20261122);
  size_t invalid = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string text;
    for (size_t n = random() % 12; n; --n)
      text += pieces[random() % pieces.size()];
    size_t expected = llvmFirstInvalid(text);
    invalid += expected != llvm::StringRef::npos;
    ASSERT_EQ(cmnet::frontend::firstInvalidUtf8(text), expected) << text;
  }
  EXPECT_GT(invalid, 1000u);
  EXPECT_LT(invalid, 49000u);
}

/// A file whose size the file system reports as 0 but that reads as several kilobytes (as
/// devices and /proc files do) is held to the limit by the bytes read.
TEST(SourceFileTest, LimitCountsTheBytesRead) {
  llvm::SourceMgr sourceMgr;
  std::string printed;
  llvm::raw_string_ostream out(printed);
  cmnet::DiagnosticEngine diags(sourceMgr, out);
  cmnet::frontend::FrontendOptions options;
  options.maxFileBytes = 64;
  uint64_t reported = 1;
  ASSERT_FALSE(llvm::sys::fs::file_size("/proc/self/maps", reported));
  ASSERT_EQ(reported, 0u);
  EXPECT_EQ(cmnet::frontend::loadSourceFile("/proc/self/maps", "maps", diags, options, {}), 0u);
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].kind, cmnet::DiagKind::InputTooLarge);
  EXPECT_EQ(diags.diagnostics()[0].message, "'maps' is larger than the limit of 64 bytes");
}

/// CR-only line endings count as line breaks; CRLF stays one break; byte offsets do not move.
TEST(SourceFileTest, LoneCarriageReturnsBreakLines) {
  llvm::SmallString<128> path;
  int fd = -1;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("cr", "cmnet", fd, path));
  {
    llvm::raw_fd_ostream file(fd, /*shouldClose=*/true);
    file << "a\rb\r\nc\r\rd";
  }
  llvm::SourceMgr sourceMgr;
  std::string printed;
  llvm::raw_string_ostream out(printed);
  cmnet::DiagnosticEngine diags(sourceMgr, out);
  unsigned buffer = cmnet::frontend::loadSourceFile(path, "cr.cmnet", diags, {}, {});
  llvm::sys::fs::remove(path);
  ASSERT_NE(buffer, 0u);
  llvm::StringRef text = sourceMgr.getMemoryBuffer(buffer)->getBuffer();
  EXPECT_EQ(text, "a\nb\r\nc\n\nd");
  const char *d = text.end() - 1;
  EXPECT_EQ(sourceMgr.getLineAndColumn(llvm::SMLoc::getFromPointer(d), buffer), std::make_pair(5u, 1u));
}

} // namespace
