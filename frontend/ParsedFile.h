// ParsedFile: one source buffer run through the lexer and the ANTLR parser, with location mapping.
// ANTLR types stay inside frontend/.
#pragma once

#include "frontend/Frontend.h"

#include "llvm/Support/SMLoc.h"

#include <memory>
#include <vector>

namespace antlr4 {
class ParserRuleContext;
class Token;
} // namespace antlr4

namespace cmnet::grammar {
class CmnetParser;
} // namespace cmnet::grammar

namespace cmnet::frontend {

class Lexer;
class TokenBuffer;

class ParsedFile {
public:
  ~ParsedFile();
  /// Lex and parse buffer \p bufferId; syntax errors are reported to \p diags. Returns null
  /// when the file cannot be parsed at all (the errors say why).
  static std::unique_ptr<ParsedFile> parse(unsigned bufferId, DiagnosticEngine &diags,
                                           const FrontendOptions &options);

  /// The parse tree root (a grammar::CmnetParser::FileContext).
  antlr4::ParserRuleContext *root() const { return tree; }
  unsigned bufferId() const { return buffer; }

  llvm::SMLoc locOf(const antlr4::Token *token) const;
  llvm::SMRange rangeOf(const antlr4::Token *token) const;
  llvm::SMRange rangeOf(antlr4::ParserRuleContext *ctx) const;

private:
  ParsedFile() = default;
  /// Token start and stop indexes are byte offsets into the buffer (see Lexer).
  const char *pointerAt(size_t index) const;

  unsigned buffer = 0;
  const char *bufferStart = nullptr;
  size_t bufferSize = 0;
  std::unique_ptr<Lexer> lexer;
  std::unique_ptr<TokenBuffer> tokens;
  std::unique_ptr<grammar::CmnetParser> parser;
  antlr4::ParserRuleContext *tree = nullptr;
};

/// The offset of the first byte of \p text that does not start a valid UTF-8 sequence (the same
/// as llvm::isLegalUTF8String stops at), or npos when it is all valid.
size_t firstInvalidUtf8(llvm::StringRef text);

/// Read \p path into the SourceMgr under \p displayName, rejecting anything but a regular file
/// (a directory, device, FIFO or socket: opened without blocking, never read), files over the
/// size limit (counted in the bytes read, not trusted from the file system), NUL bytes and
/// invalid UTF-8 with a diagnostic at \p importLoc. A CR not followed by LF becomes LF, so that
/// CR-only line endings count as line breaks. Returns the buffer id or 0.
unsigned loadSourceFile(llvm::StringRef path, llvm::StringRef displayName, DiagnosticEngine &diags,
                        const FrontendOptions &options, llvm::SMRange importLoc);

} // namespace cmnet::frontend
