// Diagnostic kind table and SourceMgr-based rendering.
#include "support/Diagnostics.h"

#include "fmt/format.h"

namespace cmnet {
namespace {
struct KindInfo {
  const char *name;
  Severity severity;
  const char *summary;
};
constexpr KindInfo kindTable[] = {
#define DIAG(ID, NAME, SEVERITY, SUMMARY) {NAME, Severity::SEVERITY, SUMMARY},
#include "support/Diagnostics.def"
};

llvm::SourceMgr::DiagKind toLLVM(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return llvm::SourceMgr::DK_Error;
  case Severity::Warning:
    return llvm::SourceMgr::DK_Warning;
  case Severity::Remark:
    return llvm::SourceMgr::DK_Remark;
  case Severity::Note:
    return llvm::SourceMgr::DK_Note;
  }
  return llvm::SourceMgr::DK_Error;
}
} // namespace

llvm::StringRef diagName(DiagKind kind) { return kindTable[unsigned(kind)].name; }
Severity diagDefaultSeverity(DiagKind kind) { return kindTable[unsigned(kind)].severity; }
llvm::StringRef diagSummary(DiagKind kind) { return kindTable[unsigned(kind)].summary; }

void DiagnosticEngine::report(DiagKind kind, llvm::SMRange range, std::string message,
                              std::vector<DiagNote> notes) {
  Severity severity = diagDefaultSeverity(kind);
  if (severity == Severity::Warning && warningsAsErrors)
    severity = Severity::Error;
  if (severity == Severity::Error)
    ++numErrors;
  if (!quiet) {
    std::string text = fmt::format("{} [{}]", message, diagName(kind).str());
    llvm::ArrayRef<llvm::SMRange> ranges;
    if (range.Start.isValid() && range.End.isValid() && range.Start != range.End)
      ranges = range;
    if (range.Start.isValid())
      sourceMgr.PrintMessage(out, range.Start, toLLVM(severity), text, ranges);
    else
      out << "cmnetc: " << (severity == Severity::Error ? "error: " : "warning: ") << text << "\n";
    for (const DiagNote &note : notes) {
      llvm::ArrayRef<llvm::SMRange> noteRanges;
      if (note.range.Start != note.range.End)
        noteRanges = note.range;
      if (note.range.Start.isValid())
        sourceMgr.PrintMessage(out, note.range.Start, llvm::SourceMgr::DK_Note, note.message,
                               noteRanges);
      else
        out << "cmnetc: note: " << note.message << "\n";
    }
  }
  reported.push_back({kind, severity, range, std::move(message), std::move(notes)});
}

std::string DiagnosticEngine::describe(llvm::SMLoc loc) const {
  if (!loc.isValid())
    return "<unknown>";
  unsigned buffer = sourceMgr.FindBufferContainingLoc(loc);
  if (!buffer)
    return "<unknown>";
  auto [line, col] = sourceMgr.getLineAndColumn(loc, buffer);
  return fmt::format("{}:{}:{}", sourceMgr.getMemoryBuffer(buffer)->getBufferIdentifier().str(),
                     line, col);
}

} // namespace cmnet
