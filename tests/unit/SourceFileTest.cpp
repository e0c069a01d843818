// frontend::firstInvalidUtf8 against llvm::isLegalUTF8String, on random byte strings built from
// ASCII runs, valid and broken multi-byte sequences.
#include "frontend/ParsedFile.h"

#include "llvm/Support/ConvertUTF.h"

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

} // namespace
