// Source loading and the ANTLR parse driver with SourceMgr-located syntax errors.
#include "frontend/ParsedFile.h"

#include "frontend/Lexer.h"
#include "frontend/SyntaxErrors.h"

#include "CmnetParser.h"
#include "antlr4-runtime.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cmnet::frontend {
namespace {

/// The generated parser without the dynamic_cast that ANTLR 4.9's Parser::addContextToParseTree
/// does on entering every rule: every context this parser makes is a ParserRuleContext.
///
/// It also reserves each new context's children at the count the last context of the same rule
/// ended with, so that the list is allocated once instead of growing 1, 2, 4, 8 (figures in
/// docs/performance.md).
class CmnetTreeParser final : public grammar::CmnetParser {
public:
  explicit CmnetTreeParser(antlr4::TokenStream *input)
      : CmnetParser(input), lastOfRule(getRuleNames().size()) {}

  void enterRule(antlr4::ParserRuleContext *ctx, size_t state, size_t rule) override {
    CmnetParser::enterRule(ctx, state, rule);
    antlr4::ParserRuleContext *&last = lastOfRule[rule];
    if (last)
      ctx->children.reserve(std::min<size_t>(last->children.size(), 16));
    last = ctx;
  }
  void reset() override {
    CmnetParser::reset();
    std::fill(lastOfRule.begin(), lastOfRule.end(), nullptr);
  }

protected:
  void addContextToParseTree() override {
    if (_ctx->parent)
      static_cast<antlr4::ParserRuleContext *>(_ctx->parent)->addChild(_ctx);
  }

private:
  std::vector<antlr4::ParserRuleContext *> lastOfRule;
};

constexpr unsigned maxSyntaxErrorsPerFile = 20;

/// Turns syntax errors (worded by SyntaxErrorStrategy) into located diagnostics, and stops
/// after a few per file so a binary blob produces a short report rather than thousands of lines.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
  SyntaxErrorListener(ParsedFile &file, DiagnosticEngine &diags) : file(file), diags(diags) {}

  void syntaxError(antlr4::Recognizer *, antlr4::Token *offending, size_t, size_t,
                   const std::string &msg, std::exception_ptr) override {
    ++count;
    if (count > maxSyntaxErrorsPerFile)
      return;
    llvm::SMRange range = offending ? file.rangeOf(offending) : llvm::SMRange();
    if (count == maxSyntaxErrorsPerFile) {
      diags.report(DiagKind::SyntaxError, range, "too many syntax errors; giving up on this file");
      return;
    }
    diags.report(DiagKind::SyntaxError, range, msg);
  }
  unsigned count = 0;

private:
  ParsedFile &file;
  DiagnosticEngine &diags;
};

/// Token types of the literals \p literals ("'('", "';'"), as a lookup table over every type.
std::vector<bool> literalTypes(const antlr4::dfa::Vocabulary &vocabulary, std::initializer_list<llvm::StringRef> literals) {
  std::vector<bool> table(vocabulary.getMaxTokenType() + 1);
  for (size_t type = 0; type < table.size(); ++type)
    table[type] = llvm::is_contained(literals, vocabulary.getLiteralName(type));
  return table;
}

/// The parser, and every walk over the parse tree and the expression tree after it, recurse
/// once per operator or parenthesis of an expression: `1 + 1 + …` and `a ? b : c ? …` nest as
/// deeply as `((…))`. Bounding the operators and parentheses of each statement bounds every
/// expression's depth, so a hostile input cannot exhaust the stack at any later stage.
bool checkNesting(const TokenBuffer &tokens, const antlr4::dfa::Vocabulary &vocabulary, ParsedFile &file,
                  DiagnosticEngine &diags, unsigned limit) {
  const std::vector<bool> nests = literalTypes(
      vocabulary, {"'('", "'!'", "'-'", "'+'", "'<'", "'<='", "'>'", "'>='", "'=='", "'!='", "'&&'", "'||'", "'?'"});
  const std::vector<bool> ends = literalTypes(vocabulary, {"';'", "'{'", "'}'"});
  unsigned count = 0;
  for (const antlr4::CommonToken &t : tokens.all()) {
    size_t type = t.getType();
    if (type >= nests.size())
      continue;
    if (ends[type])
      count = 0;
    else if (nests[type] && ++count > limit) {
      diags.report(DiagKind::NestingTooDeep, file.rangeOf(&t),
                   fmt::format("expression nested more than {} levels deep (operators and parentheses in one "
                               "statement); simplify it or split it into parameters",
                               limit));
      return false;
    }
  }
  return true;
}

} // namespace

ParsedFile::~ParsedFile() = default;

const char *ParsedFile::pointerAt(size_t index) const { return bufferStart + std::min(index, bufferSize); }

llvm::SMLoc ParsedFile::locOf(const antlr4::Token *token) const {
  if (!token || token->getStartIndex() == INVALID_INDEX)
    return llvm::SMLoc();
  return llvm::SMLoc::getFromPointer(pointerAt(token->getStartIndex()));
}

llvm::SMRange ParsedFile::rangeOf(const antlr4::Token *token) const {
  if (!token || token->getStartIndex() == INVALID_INDEX)
    return llvm::SMRange();
  if (token->getType() == antlr4::Token::EOF || token->getStopIndex() < token->getStartIndex()) {
    llvm::SMLoc at = locOf(token);
    return {at, at};
  }
  return {locOf(token), llvm::SMLoc::getFromPointer(pointerAt(token->getStopIndex() + 1))};
}

llvm::SMRange ParsedFile::rangeOf(antlr4::ParserRuleContext *ctx) const {
  if (!ctx || !ctx->getStart())
    return llvm::SMRange();
  llvm::SMRange first = rangeOf(ctx->getStart());
  const antlr4::Token *stop = ctx->getStop();
  if (!stop || stop->getStopIndex() == INVALID_INDEX || stop->getStartIndex() < ctx->getStart()->getStartIndex())
    return first;
  return {first.Start, rangeOf(stop).End};
}

std::unique_ptr<ParsedFile> ParsedFile::parse(unsigned bufferId, DiagnosticEngine &diags,
                                              const FrontendOptions &options) {
  std::unique_ptr<ParsedFile> file(new ParsedFile());
  const llvm::MemoryBuffer *mb = diags.getSourceMgr().getMemoryBuffer(bufferId);
  file->buffer = bufferId;
  file->bufferStart = mb->getBufferStart();
  file->bufferSize = mb->getBufferSize();
  file->lexer = std::make_unique<Lexer>(mb->getBuffer(), mb->getBufferIdentifier().str());
  file->tokens = std::make_unique<TokenBuffer>(*file->lexer);
  file->parser = std::make_unique<CmnetTreeParser>(file->tokens.get());
  auto &parser = *file->parser;
  if (!checkNesting(*file->tokens, parser.getVocabulary(), *file, diags, options.maxNesting))
    return nullptr;

  parser.removeErrorListeners();
  // Fast path: SLL prediction with bail-out; fall back to full LL with error recovery only
  // when the fast path fails (the usual two-stage ANTLR strategy).
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    file->tree = parser.file();
    return file;
  } catch (antlr4::ParseCancellationException &) {
  } catch (antlr4::RecognitionException &) {
  }
  file->tokens->seek(0);
  parser.reset();
  SyntaxErrorListener listener(*file, diags);
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<SyntaxErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
  file->tree = parser.file();
  parser.removeErrorListeners();
  return file;
}

size_t firstInvalidUtf8(llvm::StringRef text) {
  // Runs of ASCII are skipped eight bytes at a time: llvm::isLegalUTF8String checks every byte
  // through a table, 1.6 % of building a 10,000-rule policy.
  const char *p = text.begin(), *end = text.end();
  while (p < end) {
    uint64_t word;
    if (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ull) == 0)) {
      p += 8;
      continue;
    }
    if ((*p & 0x80) == 0) {
      ++p;
      continue;
    }
    const auto *sequence = reinterpret_cast<const llvm::UTF8 *>(p);
    if (!llvm::isLegalUTF8Sequence(sequence, reinterpret_cast<const llvm::UTF8 *>(end)))
      return size_t(p - text.begin());
    p += llvm::getNumBytesForUTF8(*sequence);
  }
  return llvm::StringRef::npos;
}

namespace {

/// What kind of file \p mode is, for "'x' is a FIFO, not a .cmnet file".
const char *fileTypeName(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

/// Closes a descriptor when it goes out of scope.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

/// Read up to \p limit bytes of \p fd into \p out, expecting about \p expected (so that a file
/// that is as large as it says is read into one allocation). Returns the errno of a failed
/// read, or 0.
int readAtMost(int fd, size_t limit, size_t expected, std::string &out) {
  out.assign(std::min(expected + 1, limit), '\0');
  size_t filled = 0;
  while (filled < limit) {
    if (filled == out.size())
      out.resize(std::min(limit, out.size() * 2));
    ssize_t n = ::read(fd, &out[filled], out.size() - filled);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno;
    if (n == 0)
      break;
    filled += size_t(n);
  }
  out.resize(filled);
  return 0;
}

/// A copy of \p text named \p name in which every CR not followed by LF is an LF: old Mac line
/// endings then count as line breaks for the lexer, the SourceMgr's line numbers and every
/// diagnostic, while byte offsets stay the same (CRLF keeps its CR, which the lexer skips).
std::unique_ptr<llvm::MemoryBuffer> withLineBreaks(llvm::StringRef text, llvm::StringRef name) {
  auto buffer = llvm::WritableMemoryBuffer::getNewUninitMemBuffer(text.size(), name);
  char *out = buffer->getBufferStart();
  std::memcpy(out, text.data(), text.size());
  for (char *cr = out, *end = out + text.size();
       (cr = static_cast<char *>(std::memchr(cr, '\r', size_t(end - cr)))) != nullptr; ++cr)
    if (cr + 1 == end || cr[1] != '\n')
      *cr = '\n';
  return buffer;
}

} // namespace

unsigned loadSourceFile(llvm::StringRef path, llvm::StringRef displayName, DiagnosticEngine &diags,
                        const FrontendOptions &options, llvm::SMRange importLoc) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read on.
  FileDescriptor file{::open(path.str().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  struct stat status {};
  if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
    int error = errno;
    diags.report(DiagKind::FileUnreadable, importLoc,
                 fmt::format("cannot read '{}': {}", displayName.str(), std::strerror(error)));
    return 0;
  }
  if (!S_ISREG(status.st_mode)) {
    diags.report(DiagKind::FileUnreadable, importLoc,
                 fmt::format("'{}' is {}, not a .cmnet file", displayName.str(), fileTypeName(status.st_mode)));
    return 0;
  }
  if (uint64_t(status.st_size) > options.maxFileBytes) {
    diags.report(DiagKind::InputTooLarge, importLoc,
                 fmt::format("'{}' is {} bytes; the limit is {} bytes", displayName.str(), uint64_t(status.st_size),
                             options.maxFileBytes));
    return 0;
  }
  // The size fstat reported is only a hint: the file may grow while it is read, so the limit
  // applies to the bytes read (one more than the limit is enough to know it is exceeded).
  std::string text;
  if (int error = readAtMost(file.fd, options.maxFileBytes + 1, size_t(status.st_size), text)) {
    diags.report(DiagKind::FileUnreadable, importLoc,
                 fmt::format("cannot read '{}': {}", displayName.str(), std::strerror(error)));
    return 0;
  }
  if (text.size() > options.maxFileBytes) {
    diags.report(DiagKind::InputTooLarge, importLoc,
                 fmt::format("'{}' is larger than the limit of {} bytes", displayName.str(), options.maxFileBytes));
    return 0;
  }
  size_t nul = llvm::StringRef(text).find('\0');
  size_t invalid = nul != llvm::StringRef::npos ? nul : firstInvalidUtf8(text);
  if (invalid != llvm::StringRef::npos) {
    diags.report(DiagKind::InvalidEncoding, importLoc,
                 fmt::format("'{}' is not UTF-8 text (byte {} is {}); is it a binary file?", displayName.str(),
                             invalid, nul != llvm::StringRef::npos ? "NUL" : "not valid UTF-8"));
    return 0;
  }
  return diags.getSourceMgr().AddNewSourceBuffer(withLineBreaks(text, displayName), importLoc.Start);
}

} // namespace cmnet::frontend
