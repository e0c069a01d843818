// LintOutput: findings as clang-style text, JSON, and SARIF 2.1.0.
#pragma once

#include "lint/LintRule.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace cmnet::lint {

/// The findings of one linted file, with the sources they point into.
struct LintedFile {
  std::string path; ///< as given on the command line
  llvm::SourceMgr *sourceMgr = nullptr;
  std::vector<Finding> findings;
};

/// Where the project documents its lint rules (SARIF informationUri; each rule's helpUri is
/// this plus the rule's anchor).
extern const char *const lintDocsUri;

/// "file:line:col: warning: message [CM001 denied-requirement]", the source line with a caret,
/// then the notes: the compiler's own rendering (DiagnosticEngine::print).
void renderText(llvm::ArrayRef<LintedFile> files, llvm::raw_ostream &os);
/// {"version", "findings": [{ruleId, rule, level, message, location, notes, fingerprint}], "summary"}.
std::string renderJson(llvm::ArrayRef<LintedFile> files, llvm::StringRef version);
/// A SARIF 2.1.0 log with one run: the rule catalog in tool.driver.rules, one result per finding.
std::string renderSarif(llvm::ArrayRef<LintedFile> files, llvm::StringRef version);

/// A range as file, line and column (1-based; the end column is one past the last character).
struct SourcePosition {
  std::string file;
  unsigned line = 0, column = 0, endLine = 0, endColumn = 0;
};
std::optional<SourcePosition> sourcePosition(const llvm::SourceMgr &sourceMgr, llvm::SMRange range);

/// \p value pretty-printed (two-space indent, keys sorted), with a final newline.
std::string formatJson(llvm::json::Value value);

/// The file a finding is in: its location's, else the linted file.
std::string findingFile(const LintedFile &file, const Finding &finding);

/// A finding's stable identity: a hash of its rule ID, file and normalized subject (not its
/// line), so baselines survive edits above it.
std::string fingerprint(const Finding &finding, llvm::StringRef file);

/// \p path as a SARIF artifact URI: relative to the working directory when it lies below it
/// (what code scanning resolves against the repository), else an absolute file:// URI; '/'
/// separators, and characters outside RFC 3986's unreserved set percent-encoded.
std::string artifactUri(llvm::StringRef path);

} // namespace cmnet::lint
