// Diagnostic kind table and SourceMgr-based rendering.
#include "support/Diagnostics.h"

#include "support/ControlEscapes.h"

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

/// Where byte \p column of \p line is once the line's control characters are escaped.
unsigned escapedColumn(llvm::StringRef line, size_t column) {
  return unsigned(escapeControls(line.substr(0, column)).size());
}

/// Prints like SourceMgr::PrintMessage, with the source line, file name and message escaped
/// (escapeControls) and the caret and ranges moved to match: a hostile policy's bytes reach the
/// terminal only as text.
void printAt(llvm::SourceMgr &sourceMgr, llvm::raw_ostream &out, llvm::SMRange range,
             llvm::SourceMgr::DiagKind kind, const std::string &text) {
  llvm::ArrayRef<llvm::SMRange> ranges;
  if (range.Start.isValid() && range.End.isValid() && range.Start != range.End)
    ranges = range;
  llvm::SMDiagnostic raw = sourceMgr.GetMessage(range.Start, kind, text, ranges);
  llvm::StringRef rawLine = raw.getLineContents();
  std::string line = escapeControls(rawLine), message = escapeControls(text),
              fileName = escapeControls(raw.getFilename());
  int column = raw.getColumnNo() < 0 ? -1 : int(escapedColumn(rawLine, size_t(raw.getColumnNo())));
  std::vector<std::pair<unsigned, unsigned>> shownRanges;
  for (auto [begin, end] : raw.getRanges())
    shownRanges.emplace_back(escapedColumn(rawLine, begin), escapedColumn(rawLine, end));
  if (line.size() <= maxShownLineChars || column < 0) {
    llvm::SMDiagnostic shown(sourceMgr, raw.getLoc(), fileName, raw.getLineNo(), column, kind, message, line,
                             shownRanges);
    if (column == raw.getColumnNo()) {
      sourceMgr.PrintMessage(out, shown);
      return;
    }
    // Escapes before the location: the caret goes under the escaped text, while the location
    // still counts the source's bytes.
    std::string rendered;
    llvm::raw_string_ostream os(rendered);
    sourceMgr.PrintMessage(os, shown);
    std::string printedAt = fmt::format("{}:{}:{}: ", fileName, raw.getLineNo(), column + 1);
    size_t header = rendered.rfind(printedAt, rendered.find(message));
    if (header != std::string::npos)
      rendered.replace(header, printedAt.size(),
                       fmt::format("{}:{}:{}: ", fileName, raw.getLineNo(), raw.getColumnNo() + 1));
    out << rendered;
    return;
  }
  size_t at = size_t(column);
  size_t begin = at > maxShownLineChars / 2 ? at - maxShownLineChars / 2 : 0;
  static const char *const kindNames[] = {"error", "warning", "remark", "note"};
  out << fmt::format("{}:{}:{}: {}: {}\n", fileName, raw.getLineNo(), raw.getColumnNo() + 1, kindNames[kind],
                     message);
  out << (begin ? "..." : "") << llvm::StringRef(line).substr(begin, maxShownLineChars)
      << (begin + maxShownLineChars < line.size() ? "..." : "") << "\n";
  out << std::string(at - begin + (begin ? 3 : 0), ' ') << "^\n";
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
    out << "cmnetc: " << severityNames[unsigned(severity)] << ": " << escapeControls(text) << "\n";
  for (const DiagNote &note : notes) {
    if (note.range.Start.isValid())
      printAt(sourceMgr, out, note.range, llvm::SourceMgr::DK_Note, note.message);
    else
      out << "cmnetc: note: " << escapeControls(note.message) << "\n";
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
