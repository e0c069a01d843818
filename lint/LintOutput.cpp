// Text and JSON renderings of lint findings, and what every rendering shares.
#include "lint/LintOutput.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/Path.h"

namespace cmnet::lint {

const char *const lintDocsUri = "https://cmnet.invalid/docs/lint.md";

std::optional<SourcePosition> sourcePosition(const llvm::SourceMgr &sourceMgr, llvm::SMRange range) {
  if (!range.Start.isValid())
    return std::nullopt;
  unsigned buffer = sourceMgr.FindBufferContainingLoc(range.Start);
  if (!buffer)
    return std::nullopt;
  SourcePosition pos;
  pos.file = sourceMgr.getMemoryBuffer(buffer)->getBufferIdentifier().str();
  std::tie(pos.line, pos.column) = sourceMgr.getLineAndColumn(range.Start, buffer);
  std::tie(pos.endLine, pos.endColumn) = std::make_pair(pos.line, pos.column + 1);
  if (range.End.isValid() && range.End.getPointer() > range.Start.getPointer() &&
      sourceMgr.FindBufferContainingLoc(range.End) == buffer)
    std::tie(pos.endLine, pos.endColumn) = sourceMgr.getLineAndColumn(range.End, buffer);
  return pos;
}

std::string formatJson(llvm::json::Value value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", value) << "\n";
  return os.str();
}

std::string fingerprint(const Finding &finding, llvm::StringRef file) {
  llvm::MD5 hash;
  hash.update(fmt::format("{}|{}|{}", ruleInfo(finding.rule).id, file.str(), finding.key));
  llvm::MD5::MD5Result result;
  hash.final(result);
  return std::string(result.digest());
}

std::string artifactUri(llvm::StringRef path) {
  llvm::SmallString<256> absolute(path), cwd;
  llvm::sys::fs::make_absolute(absolute);
  llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
  std::string uri = "file://" + absolute.str().str();
  if (!llvm::sys::fs::current_path(cwd) && llvm::StringRef(absolute).startswith((cwd + "/").str()))
    uri = absolute.substr(cwd.size() + 1).str();
  std::replace(uri.begin(), uri.end(), '\\', '/');
  std::string out;
  for (unsigned char c : uri)
    out += llvm::isAlnum(c) || llvm::StringRef("-._~/:").contains(c) ? std::string(1, c) : fmt::format("%{:02X}", c);
  return out;
}

namespace {

Severity severityOf(Level level) {
  switch (level) {
  case Level::Note:
    return Severity::Note;
  case Level::Warning:
    return Severity::Warning;
  case Level::Error:
    return Severity::Error;
  }
  return Severity::Error;
}

llvm::json::Value positionJson(const llvm::SourceMgr &sm, llvm::SMRange range) {
  std::optional<SourcePosition> pos = sourcePosition(sm, range);
  if (!pos)
    return nullptr;
  return llvm::json::Object{{"file", pos->file},
                            {"line", pos->line},
                            {"column", pos->column},
                            {"endLine", pos->endLine},
                            {"endColumn", pos->endColumn}};
}

} // namespace

std::string findingFile(const LintedFile &file, const Finding &finding) {
  std::optional<SourcePosition> pos = sourcePosition(*file.sourceMgr, finding.range);
  return pos ? pos->file : file.path;
}

void renderText(llvm::ArrayRef<LintedFile> files, llvm::raw_ostream &os) {
  for (const LintedFile &file : files) {
    DiagnosticEngine engine(*file.sourceMgr, os);
    for (const Finding &f : file.findings) {
      // A compiler diagnostic reads as the compiler prints it: its message ends in its own name.
      const RuleInfo &rule = ruleInfo(f.rule);
      std::string text =
          f.rule == RuleId::CompilerDiagnostic ? f.message : fmt::format("{} [{} {}]", f.message, rule.id, rule.slug);
      engine.print(severityOf(f.level), f.range, text, f.notes);
    }
  }
}

std::string renderJson(llvm::ArrayRef<LintedFile> files, llvm::StringRef version) {
  llvm::json::Array findings;
  unsigned counts[3] = {0, 0, 0};
  for (const LintedFile &file : files)
    for (const Finding &f : file.findings) {
      const RuleInfo &rule = ruleInfo(f.rule);
      ++counts[unsigned(f.level)];
      llvm::json::Array notes;
      for (const DiagNote &n : f.notes)
        notes.push_back(
            llvm::json::Object{{"message", n.message}, {"location", positionJson(*file.sourceMgr, n.range)}});
      findings.push_back(llvm::json::Object{{"ruleId", rule.id},
                                            {"rule", rule.slug},
                                            {"category", categoryName(rule.category)},
                                            {"level", levelName(f.level)},
                                            {"message", f.message},
                                            {"input", file.path},
                                            {"location", positionJson(*file.sourceMgr, f.range)},
                                            {"notes", std::move(notes)},
                                            {"fingerprint", fingerprint(f, artifactUri(findingFile(file, f)))}});
    }
  llvm::json::Object out{{"tool", "cmnetc lint"},
                         {"version", version},
                         {"findings", std::move(findings)},
                         {"summary", llvm::json::Object{{"errors", counts[unsigned(Level::Error)]},
                                                        {"warnings", counts[unsigned(Level::Warning)]},
                                                        {"notes", counts[unsigned(Level::Note)]}}}};
  return formatJson(std::move(out));
}

} // namespace cmnet::lint
