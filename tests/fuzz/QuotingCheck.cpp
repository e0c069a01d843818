// The quoting invariant of every generated file (docs/security.md), checked on one input of
// the quoting fuzz target.
//
// The input's bytes fill the names and free text of a fixed valid policy: site, host,
// firewall, zone and role names within the grammar's identifier rules and the targets' name
// limits; the catalog title, role titles, link names, sections, entry descriptions,
// advisories, allow and deny reasons, and the source file's name as any UTF-8, biased towards
// PowerShell's quotes, controls and shell and markup characters. The policy is compiled and
// rendered to every target twice: once with that text, once with each distinct text replaced
// by a plain word in the same order ("t00", "t01", ...). Every file of the first render must
// be valid UTF-8 without control characters, read as the target's consumer reads it
// (OutputReaders.h) into the same tokens as the plain render's, with its strings' text inside
// each field's limits; anything else aborts.
#include "QuotingCheck.h"
#include "OutputReaders.h"

#include "backends/Backend.h"
#include "frontend/Frontend.h"
#include "passes/Pass.h"
#include "support/Diagnostics.h"
#include "targets/Registry.h"

#include "fmt/format.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace cmnet::fuzz {
namespace {

/// The input's bytes in the layout of libFuzzer's FuzzedDataProvider (which a build without
/// clang lacks): strings from the front, each ended by a backslash and another byte (two
/// backslashes are one), a flag from the last byte.
class InputBytes {
public:
  InputBytes(const uint8_t *data, size_t size) : rest(reinterpret_cast<const char *>(data), size) {}

  std::string takeString(size_t maxBytes) {
    std::string out;
    while (!rest.empty() && out.size() < maxBytes) {
      char c = rest.front();
      rest = rest.drop_front();
      if (c == '\\' && !rest.empty()) {
        c = rest.front();
        rest = rest.drop_front();
        if (c != '\\')
          break;
      }
      out += c;
    }
    return out;
  }
  bool takeFlag() {
    if (rest.empty())
      return false;
    bool flag = rest.back() & 1;
    rest = rest.drop_back();
    return flag;
  }

private:
  llvm::StringRef rest;
};

/// The policy every input fills in: @N<i> is name i, @T<i> text i (written as a string literal's
/// content), each with the limit nameLimits gives.
constexpr const char *policyTemplate = R"(catalog t.q "@T14";
role client "@T15" client;
role @N0 "@T8";
role @N1 "@T9";
link client -> @N1 scope site section "@T4" {
  tcp 80 "@T0";
  tcp 443 "@T3" advisory "@T11";
}
link client as "@T16" -> @N0 as "@T17" scope site section "@T7" {
  tcp 445 "@T5";
}
link @N0 -> @N1 scope hierarchy {
  udp 53 "@T6";
}
hierarchy @N2 {
  site @N3 primary {
    host @N5 10.1.0.10, fd00:1::10 : @N0, @N1;
    clients 10.1.16.0/20, fd00:1:16::/48;
    allow 10.9.1.0/24 -> @N5 tcp 8000 "@T1";
  }
  site @N4 secondary parent @N3 {
    host @N6 10.2.0.10 : @N0;
    clients 10.2.16.0/20;
    deny 10.8.2.0/24 -> @N6 tcp 445 "@T12";
    allow @N6 -> 10.7.0.0/16 tcp 25 "@T10";
  }
  allow 10.9.2.0/24 -> @N5 tcp 8001 "@T2";
  deny 10.8.0.0/16 -> @N5 tcp 443 "@T13";
  firewall @N7 {
    zone @N8 = 10.1.0.0/24, fd00:1::/64;
    zone @N9 = 10.1.16.0/20, fd00:1:16::/48;
    zone @N10 = any;
  }
}
)";

/// Each name's default and longest length: hosts and firewalls name files (237 characters,
/// docs/security.md); the three zones stay within ASA's 48 and, any two together, Junos's 45.
struct NameSlot {
  const char *fallback;
  size_t maxLength;
};
constexpr NameSlot nameSlots[] = {{"server", 32}, {"mp", 32},  {"H", 64},   {"S1", 64},  {"S2", 64}, {"h1", 237},
                                  {"h2", 237},    {"F", 237},  {"za", 22}, {"zb", 22}, {"zc", 22}};
constexpr unsigned textCount = 18;
/// The source file's name is text too; at most this many bytes of it.
constexpr size_t maxFileNameBytes = 200;

/// Words of the grammar a name cannot be (the soft keywords can, see `name` in Cmnet.g4).
bool isReservedWord(llvm::StringRef w) {
  static const char *const reserved[] = {"import", "param", "role", "link", "rule", "tcp", "udp", "icmp",
                                         "dynamic", "on", "when", "require", "alongside", "allow", "deny",
                                         "clients", "any", "true", "false", "fixed", "as"};
  return llvm::is_contained(reserved, w);
}

/// An identifier from the input's bytes: [A-Za-z_][A-Za-z0-9_]* (a byte outside it stands for
/// one inside), the fallback when empty.
std::string takeName(InputBytes &in, const NameSlot &slot) {
  static const llvm::StringRef first = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
  static const llvm::StringRef rest = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789";
  std::string bytes = in.takeString(slot.maxLength);
  if (bytes.empty())
    return slot.fallback;
  std::string name;
  for (unsigned char b : bytes) {
    llvm::StringRef alphabet = name.empty() ? first : rest;
    name += alphabet.contains(char(b)) ? char(b) : alphabet[b % alphabet.size()];
  }
  if (isReservedWord(name))
    name.back() = '_';
  return name;
}

/// Code points a byte 0x80-0x9F stands for: PowerShell's quotes, C1 controls, line and
/// paragraph separators, bidirectional controls, a byte-order mark, and characters of two,
/// three and four bytes.
constexpr llvm::UTF32 specialCodePoints[] = {
    0x2018, 0x2019, 0x201A, 0x201B, 0x201C, 0x201D, 0x201E, 0x0080, 0x0085, 0x009B, 0x009F,
    0x00A0, 0x2028, 0x2029, 0x202E, 0x2066, 0xFEFF, 0xFFFD, 0xFFFE, 0x10FFFF, 0x0151, 0x0451,
    0x6771, 0x1F525, 0x00FF, 0x0800, 0xFFFF, 0x10000, 0xFF02, 0xFF07, 0x02BC, 0x0027};

/// Text from the input's bytes: ASCII bytes as themselves (NUL, which no source file may
/// hold, as U+2019), 0x80-0x9F a special code point, a higher byte and the two after it any
/// code point (a surrogate as U+FFFD).
std::string takeText(InputBytes &in, size_t maxBytes) {
  std::string bytes = in.takeString(maxBytes);
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    unsigned char b = bytes[i];
    llvm::UTF32 c = b;
    if (b == 0) {
      c = 0x2019;
    } else if (b >= 0x80 && b < 0xA0) {
      c = specialCodePoints[b - 0x80];
    } else if (b >= 0xA0) {
      unsigned char n1 = i + 1 < bytes.size() ? bytes[++i] : 0, n2 = i + 1 < bytes.size() ? bytes[++i] : 0;
      c = ((llvm::UTF32(b - 0xA0) << 16) | (n1 << 8) | n2) % 0x110000;
      if (c == 0 || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    }
    char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
    char *end = buffer;
    llvm::ConvertCodePointToUTF8(c, end);
    out.append(buffer, end);
  }
  return out;
}

/// \p text as the content of a .cmnet string literal: a backslash before '"', '\\' and the
/// line breaks a literal cannot hold raw.
std::string literal(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '\n' || c == '\r')
      out += '\\';
    out += c;
  }
  return out;
}

std::string fillTemplate(const std::vector<std::string> &names, const std::vector<std::string> &texts) {
  std::string out;
  llvm::StringRef rest = policyTemplate;
  while (!rest.empty()) {
    size_t at = rest.find('@');
    out += rest.take_front(at).str();
    if (at == llvm::StringRef::npos)
      break;
    char kind = rest[at + 1];
    rest = rest.drop_front(at + 2);
    size_t digits = rest.find_first_not_of("0123456789");
    unsigned index = 0;
    rest.take_front(digits).getAsInteger(10, index);
    rest = rest.drop_front(digits);
    out += kind == 'N' ? names[index] : literal(texts[index]);
  }
  return out;
}

/// Each distinct text replaced by "tNN", numbered in sorted order, the empty text kept: the
/// same equalities, order and emptiness, so the compiler makes the same decisions on both.
std::vector<std::string> plainTexts(const std::vector<std::string> &texts) {
  std::vector<std::string> sorted = texts;
  llvm::sort(sorted);
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<std::string> out;
  for (const std::string &t : texts) {
    size_t rank = std::lower_bound(sorted.begin(), sorted.end(), t) - sorted.begin();
    out.push_back(t.empty() ? "" : fmt::format("t{:02}", rank));
  }
  return out;
}

/// A file name without '/' from \p text, cut to maxFileNameBytes on a character boundary.
std::string fileNameFrom(llvm::StringRef text) {
  std::string name = "p";
  for (size_t i = 0; i < text.size() && name.size() < maxFileNameBytes;) {
    unsigned length = llvm::getNumBytesForUTF8(text[i]);
    name += text[i] == '/' ? "_" : text.substr(i, length).str();
    i += length;
  }
  return name + ".cmnet";
}

std::string workDirPath;

void removeWorkDir() { llvm::sys::fs::remove_directories(workDirPath); }

/// A private directory, created once per fuzzing process and removed when it exits.
const std::string &workDir() {
  if (workDirPath.empty()) {
    llvm::SmallString<128> path;
    if (llvm::sys::fs::createUniqueDirectory("cmnet-fuzz-quoting", path))
      std::abort();
    workDirPath = std::string(path);
    std::atexit(removeWorkDir);
  }
  return workDirPath;
}

/// Every target's files, "target/file" -> contents.
using Outputs = std::map<std::string, std::string>;

/// \p source, saved as \p fileName in its own directory, compiled and rendered by every
/// target in memory; false when the compiler rejects it.
bool compile(llvm::StringRef subdir, llvm::StringRef fileName, llvm::StringRef source, bool placeOutbound,
             Outputs &outputs) {
  llvm::SmallString<256> path(workDir());
  llvm::sys::path::append(path, subdir);
  llvm::sys::fs::remove_directories(path);
  if (llvm::sys::fs::create_directory(path))
    return false;
  llvm::sys::path::append(path, fileName);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return false;
    os << source;
  }
  // CMNET_QUOTING_DIAGNOSTICS=1 says why an input's policy was rejected (a seed should not be).
  static const bool showDiagnostics = std::getenv("CMNET_QUOTING_DIAGNOSTICS");
  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags(sourceMgr, showDiagnostics ? llvm::errs() : llvm::nulls());
  diags.setQuiet(!showDiagnostics);
  frontend::FrontendOptions options;
  options.stdlibDir = frontend::defaultStdlibDir();
  std::unique_ptr<ir::Model> model = frontend::loadModel(std::string(path), diags, options);
  if (!model || !model->hierarchy)
    return false;
  passes::CompileContext ctx(*model, diags);
  ctx.flows.sourceMgr = &sourceMgr;
  ctx.placeOutbound = placeOutbound;
  if (!passes::runPipelines(ctx, passes::PassRunOptions()))
    return false;
  backends::BackendOptions backendOptions{"fuzz", ""};
  for (const backends::BackendEntry &entry : targets::targetRegistry()) {
    std::unique_ptr<backends::Backend> backend = entry.create();
    if (!backends::checkCapabilities(*backend, ctx.placed, diags))
      continue;
    (void)backend->render(ctx.placed, backendOptions, [&](llvm::StringRef file, std::string contents) {
      outputs[std::string(entry.name) + "/" + file.str()] += contents;
      return true;
    });
  }
  return true;
}

[[noreturn]] void fail(llvm::StringRef source, llvm::StringRef file, llvm::StringRef problem) {
  llvm::errs() << "quoting invariant broken in " << file << ": " << problem << "\n--- the policy ---\n" << source;
  std::abort();
}

/// Line \p n (from 1) of \p text.
llvm::StringRef lineOf(llvm::StringRef text, size_t n) {
  for (; n > 1 && !text.empty(); --n)
    text = text.split('\n').second;
  return text.split('\n').first;
}

/// The first token where the shapes of \p output and \p plain differ, with both lines.
std::string firstDifference(const OutputRead &output, llvm::StringRef outputText, const OutputRead &plain,
                            llvm::StringRef plainText) {
  const std::vector<std::string> &a = output.shape, &b = plain.shape;
  size_t i = 0, line = 1;
  for (; i < a.size() && i < b.size() && a[i] == b[i]; ++i)
    line += a[i] == "\n";
  auto at = [&](const std::vector<std::string> &v) { return i < v.size() ? llvm::StringRef(v[i]) : "(end)"; };
  return fmt::format("line {} reads '{}' where the plain render has '{}'\n  output: {}\n  plain:  {}", line,
                     at(a).str(), at(b).str(), lineOf(outputText, line).str(), lineOf(plainText, line).str());
}

} // namespace

bool checkQuoting(const uint8_t *data, size_t size) {
  InputBytes in(data, size);
  bool placeOutbound = in.takeFlag();
  // Texts first, the ones that reach the most targets first, so that short inputs test them.
  std::vector<std::string> names, texts;
  for (unsigned i = 0; i < textCount; ++i)
    texts.push_back(takeText(in, 300));
  texts.push_back(takeText(in, maxFileNameBytes));
  for (const NameSlot &slot : nameSlots)
    names.push_back(takeName(in, slot));
  std::vector<std::string> plain = plainTexts(texts);
  std::string fileName = fileNameFrom(texts.back()), plainFileName = fileNameFrom(plain.back());
  texts.pop_back();
  plain.pop_back();

  std::string source = fillTemplate(names, texts), plainSource = fillTemplate(names, plain);
  Outputs outputs, plainOutputs;
  if (!compile("plain", plainFileName, plainSource, placeOutbound, plainOutputs) ||
      !compile("input", fileName, source, placeOutbound, outputs))
    return false;
  for (const auto &[file, contents] : outputs) {
    auto plainFile = plainOutputs.find(file);
    if (plainFile == plainOutputs.end())
      fail(source, file, "no such file in the plain render");
    llvm::StringRef target = llvm::StringRef(file).split('/').first;
    OutputRead read, plainRead;
    std::string error = readOutput(target, file, contents, read);
    if (!error.empty())
      fail(source, file, error);
    error = readOutput(target, file, plainFile->second, plainRead);
    if (!error.empty())
      fail(plainSource, file, "the plain render: " + error);
    if (read.shape != plainRead.shape)
      fail(source, file, firstDifference(read, contents, plainRead, plainFile->second));
    for (const OutputText &text : read.texts) {
      error = checkText(target, text);
      if (!error.empty())
        fail(source, file, error + " in \"" + text.text + "\"");
    }
  }
  if (outputs.size() != plainOutputs.size())
    fail(source, "(every target)", "the plain render wrote other files");
  return true;
}

} // namespace cmnet::fuzz
