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
/// Source lines longer than this are shown as an excerpt around the location, so that a
/// hostile megabyte-long line still gives a short diagnostic.
constexpr size_t maxShownLineChars = 160;

void printAt(llvm::SourceMgr &sourceMgr, llvm::raw_ostream &out, llvm::SMRange range,
             llvm::SourceMgr::DiagKind kind, const std::string &text) {
  llvm::ArrayRef<llvm::SMRange> ranges;
  if (range.Start.isValid() && range.End.isValid() && range.Start != range.End)
    ranges = range;
  llvm::SMDiagnostic diag = sourceMgr.GetMessage(range.Start, kind, text, ranges);
  llvm::StringRef line = diag.getLineContents();
  if (line.size() <= maxShownLineChars || diag.getColumnNo() < 0) {
    sourceMgr.PrintMessage(out, diag);
    return;
  }
  size_t column = size_t(diag.getColumnNo());
  size_t begin = column > maxShownLineChars / 2 ? column - maxShownLineChars / 2 : 0;
  static const char *const kindNames[] = {"error", "warning", "remark", "note"};
  out << fmt::format("{}:{}:{}: {}: {}\n", diag.getFilename().str(), diag.getLineNo(), column + 1,
                     kindNames[kind], text);
  out << (begin ? "..." : "") << line.substr(begin, maxShownLineChars)
      << (begin + maxShownLineChars < line.size() ? "..." : "") << "\n";
  out << std::string(column - begin + (begin ? 3 : 0), ' ') << "^\n";
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
  if (!quiet)
    print(severity, range, fmt::format("{} [{}]", message, diagName(kind).str()), notes);
  reported.push_back({kind, severity, range, std::move(message), std::move(notes)});
}

void DiagnosticEngine::print(Severity severity, llvm::SMRange range, llvm::StringRef text,
                             llvm::ArrayRef<DiagNote> notes) {
  static const char *const severityNames[] = {"note", "remark", "warning", "error"};
  if (range.Start.isValid())
    printAt(sourceMgr, out, range, toLLVM(severity), text.str());
  else
    out << "cmnetc: " << severityNames[unsigned(severity)] << ": " << text << "\n";
  for (const DiagNote &note : notes) {
    if (note.range.Start.isValid())
      printAt(sourceMgr, out, note.range, llvm::SourceMgr::DK_Note, note.message);
    else
      out << "cmnetc: note: " << note.message << "\n";
  }
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
