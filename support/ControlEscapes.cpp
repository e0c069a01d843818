// Escaping of terminal control characters in printed policy text.
#include "support/ControlEscapes.h"

#include "fmt/format.h"
#include "llvm/Support/ConvertUTF.h"

namespace cmnet {
namespace {

bool isBidiControl(llvm::UTF32 c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }

} // namespace

std::string escapeControls(llvm::StringRef text, bool keepLineBreaks) {
  std::string out;
  out.reserve(text.size());
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  const auto *end = reinterpret_cast<const llvm::UTF8 *>(text.end());
  while (p < end) {
    llvm::UTF8 byte = *p;
    if (byte < 0x80) {
      bool control = (byte < 0x20 && byte != '\t' && !(keepLineBreaks && byte == '\n')) || byte == 0x7f;
      out += control ? fmt::format("\\x{:02x}", byte) : std::string(1, char(byte));
      ++p;
      continue;
    }
    unsigned length = llvm::getNumBytesForUTF8(byte);
    if (length > size_t(end - p) || !llvm::isLegalUTF8Sequence(p, end)) {
      out += fmt::format("\\x{:02x}", byte);
      ++p;
      continue;
    }
    llvm::UTF32 c = 0;
    const llvm::UTF8 *next = p;
    llvm::UTF32 *target = &c;
    llvm::ConvertUTF8toUTF32(&next, p + length, &target, target + 1, llvm::strictConversion);
    if ((c >= 0x80 && c <= 0x9f) || isBidiControl(c))
      out += fmt::format("\\u{:04x}", c);
    else
      out.append(reinterpret_cast<const char *>(p), length);
    p += length;
  }
  return out;
}

} // namespace cmnet
