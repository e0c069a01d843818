// frontend::Lexer against the generated ANTLR lexer (the grammar's own definition of the
// tokens): on tricky fragments, on random text over the grammar's characters, and on every
// .cmnet file of the repository and the fuzz corpus.
#include "support/LexerOracle.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <random>

using cmnet::testing::firstLexerDifference;

namespace {

TEST(LexerTest, AgreesOnTrickyFragments) {
  const char *fragments[] = {
      "a:b:", "a:b", "1.2.x", "10.0.0.1/", "10.0.0.1/24", "10.0.0.1/x", "fe80::1/64", "::", ":", "::/", "1:2:3.4.5",
      "beef::cafe", "dead:beef", "1-2", "1-", "1-2-3", "49152-65535", "-5", "<->", "<-", "<=", "->", "-->", "==",
      "=", "!=", "!", "&&", "&", "||", "|", "?", "fixed", "fixedx", "fix", "client", "clients", "clientsx", "_x9",
      "9x", "\"s\"", "\"unterminated\n\"", "\"esc \\\" q\"", "\"tab\\\nnl\"", "\"", "\"\\", "x//c\ny", "#c\nz",
      "/", "//", "/ /", "é", "\"é\" é x", "a\r\nb", "\t \r", "", "0x1F", "1.", "1..2", "1.2.3.4:5", "a:b:c/",
      "A:B:C/8", "tcp+udp", "icmp type 8", "@", "$", "host h 10.0.0.1 : a, b;", "1e:2",
  };
  for (const char *fragment : fragments)
    EXPECT_EQ(firstLexerDifference(fragment), "") << "input: " << fragment;
}

TEST(LexerTest, AgreesOnRandomText) {
  // Characters that start or continue some token, plus a few that none does.
  const std::vector<std::string> alphabet = {
      "0", "1", "9", "a", "f", "x", "z", "F", "I", "X", "_", ".", ":", "/", "-", "<", ">", "=", "!", "&", "|",
      "?", "+", "*", "(", ")", "{", "}", ";", ",", "\"", "\\", "#", " ", "\n", "\r", "\t", "@", "é"};
  std::mt19937 random(20261121);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (size_t length = random() % 24; length; --length)
      text += alphabet[random() % alphabet.size()];
    ASSERT_EQ(firstLexerDifference(text), "") << "input: " << text;
  }
}

TEST(LexerTest, AgreesOnEveryRepositoryInput) {
  size_t files = 0;
  for (const char *dir : {"stdlib", "examples", "tests"}) {
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(llvm::Twine(CMNET_SOURCE_DIR) + "/" + dir, ec), end;
         it != end && !ec; it.increment(ec)) {
      llvm::StringRef path = it->path();
      bool corpus = path.contains("/fuzz/corpus/") || path.contains("/fuzz/regressions/");
      if (!corpus && !path.endswith(".cmnet"))
        continue;
      auto buffer = llvm::MemoryBuffer::getFile(path);
      if (!buffer || (*buffer)->getBufferSize() > (1 << 20))
        continue; // directories, and the hostile tests' generated giants
      llvm::StringRef text = (*buffer)->getBuffer();
      const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.begin());
      if (text.contains('\0') || !llvm::isLegalUTF8String(&begin, begin + text.size()))
        continue; // rejected before lexing
      ++files;
      ASSERT_EQ(firstLexerDifference(text), "") << "file: " << path.str();
    }
  }
  EXPECT_GT(files, 500u); // the corpus alone has over 800 inputs
}

} // namespace
