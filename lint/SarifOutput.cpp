// SARIF 2.1.0 rendering of lint findings (what code scanning in CI reads).
#include "lint/LintOutput.h"

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"

namespace cmnet::lint {
namespace {

/// SARIF messages are sentences: end each with a period.
std::string sentence(llvm::StringRef text) {
  text = text.rtrim();
  if (text.endswith(".") || text.endswith("?") || text.endswith("!"))
    return text.str();
  return text.str() + ".";
}

/// "#cm001-denied-requirement": the heading anchor of a rule in docs/lint.md.
std::string anchorOf(const RuleInfo &rule) {
  return fmt::format("#{}-{}", llvm::StringRef(rule.id).lower(), rule.slug);
}

llvm::json::Value ruleJson(const RuleInfo &rule) {
  return llvm::json::Object{
      {"id", rule.id},
      {"name", rule.name},
      {"shortDescription", llvm::json::Object{{"text", sentence(rule.summary)}}},
      {"fullDescription", llvm::json::Object{{"text", sentence(rule.description)}}},
      {"help", llvm::json::Object{{"text", sentence(rule.help)}}},
      {"helpUri", std::string(lintDocsUri) + anchorOf(rule)},
      {"defaultConfiguration",
       llvm::json::Object{{"level", levelName(rule.level)}, {"enabled", rule.enabledByDefault}}},
      {"properties", llvm::json::Object{{"category", categoryName(rule.category)},
                                        {"slug", rule.slug},
                                        {"tags", llvm::json::Array{categoryName(rule.category)}}}}};
}

/// A SARIF physicalLocation for \p range, or null when it has none.
llvm::json::Value physicalLocation(const llvm::SourceMgr &sm, llvm::SMRange range) {
  std::optional<SourcePosition> pos = sourcePosition(sm, range);
  if (!pos)
    return nullptr;
  llvm::json::Object region{
      {"startLine", pos->line}, {"startColumn", pos->column}, {"endLine", pos->endLine}, {"endColumn", pos->endColumn}};
  // The source text of the range, so that a reader sees it without the file.
  if (pos->endLine > pos->line || pos->endColumn > pos->column + 1)
    region["snippet"] = llvm::json::Object{
        {"text", llvm::StringRef(range.Start.getPointer(), range.End.getPointer() - range.Start.getPointer())}};
  return llvm::json::Object{{"artifactLocation", llvm::json::Object{{"uri", artifactUri(pos->file)}}},
                            {"region", std::move(region)}};
}

llvm::json::Value resultJson(const LintedFile &file, const Finding &f) {
  const RuleInfo &rule = ruleInfo(f.rule);
  std::string message = f.message;
  llvm::json::Array related;
  for (const DiagNote &note : f.notes) {
    llvm::json::Value where = physicalLocation(*file.sourceMgr, note.range);
    if (where.kind() == llvm::json::Value::Null) {
      message += "; " + note.message; // a note with no place becomes part of the message
      continue;
    }
    related.push_back(llvm::json::Object{{"id", int64_t(related.size() + 1)},
                                         {"message", llvm::json::Object{{"text", sentence(note.message)}}},
                                         {"physicalLocation", std::move(where)}});
  }
  // A finding without a source range (a file that cannot be read) is placed on its file.
  llvm::json::Value where = physicalLocation(*file.sourceMgr, f.range);
  if (where.kind() == llvm::json::Value::Null)
    where = llvm::json::Object{{"artifactLocation", llvm::json::Object{{"uri", artifactUri(file.path)}}}};
  llvm::json::Object result{
      {"ruleId", rule.id},
      {"ruleIndex", int64_t(f.rule)},
      {"level", levelName(f.level)},
      {"message", llvm::json::Object{{"text", sentence(message)}}},
      {"locations", llvm::json::Array{llvm::json::Object{{"physicalLocation", std::move(where)}}}},
      {"partialFingerprints",
       llvm::json::Object{{"cmnetFinding/v1", fingerprint(f, artifactUri(findingFile(file, f)))}}}};
  if (!related.empty())
    result["relatedLocations"] = std::move(related);
  return result;
}

} // namespace

std::string renderSarif(llvm::ArrayRef<LintedFile> files, llvm::StringRef version) {
  llvm::json::Array rules, results;
  for (const RuleInfo &rule : allRules())
    rules.push_back(ruleJson(rule));
  for (const LintedFile &file : files)
    for (const Finding &f : file.findings)
      results.push_back(resultJson(file, f));
  llvm::json::Object driver{{"name", "cmnetc"},
                            {"version", version},
                            {"semanticVersion", version},
                            {"informationUri", lintDocsUri},
                            {"rules", std::move(rules)}};
  llvm::json::Object run{{"tool", llvm::json::Object{{"driver", std::move(driver)}}},
                         {"results", std::move(results)},
                         {"columnKind", "unicodeCodePoints"}};
  return formatJson(llvm::json::Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                       {"version", "2.1.0"},
                                       {"runs", llvm::json::Array{std::move(run)}}});
}

} // namespace cmnet::lint
