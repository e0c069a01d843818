// Diagnostics: stable-named kinds rendered by llvm::SourceMgr with carets and notes.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace cmnet {

enum class DiagKind : unsigned {
#define DIAG(ID, NAME, SEVERITY, SUMMARY) ID,
#include "support/Diagnostics.def"
  NumKinds
};

enum class Severity : unsigned char { Note, Remark, Warning, Error };

/// The stable, user-visible name of a diagnostic kind ("unknown-role").
llvm::StringRef diagName(DiagKind kind);
/// The default severity of a kind, before --Werror.
Severity diagDefaultSeverity(DiagKind kind);
llvm::StringRef diagSummary(DiagKind kind);

struct DiagNote {
  llvm::SMRange range;
  std::string message;
};

/// One reported diagnostic, kept so that JSON/SARIF renderers and tests can read them back.
struct Diagnostic {
  DiagKind kind;
  Severity severity;
  llvm::SMRange range;
  std::string message;
  std::vector<DiagNote> notes;
};

/// Collects and prints diagnostics. User errors are reported here, never thrown.
class DiagnosticEngine {
public:
  DiagnosticEngine(llvm::SourceMgr &sourceMgr, llvm::raw_ostream &out)
      : sourceMgr(sourceMgr), out(out) {}

  /// Report a diagnostic at \p range; notes point at related declarations.
  void report(DiagKind kind, llvm::SMRange range, std::string message,
              std::vector<DiagNote> notes = {});
  void report(DiagKind kind, llvm::SMLoc loc, std::string message,
              std::vector<DiagNote> notes = {}) {
    report(kind, llvm::SMRange(loc, loc), std::move(message), std::move(notes));
  }

  /// Print one diagnostic in this engine's format (location, source line, caret, notes)
  /// without recording or counting it, even when quiet: \p text carries its own "[name]".
  /// `cmnetc lint` renders its findings with it.
  void print(Severity severity, llvm::SMRange range, llvm::StringRef text,
             llvm::ArrayRef<DiagNote> notes = {});

  /// Treat every warning as an error (--Werror).
  void setWarningsAsErrors(bool value) { warningsAsErrors = value; }
  /// Don't print, only collect (used by renderers that print their own format).
  void setQuiet(bool value) { quiet = value; }

  unsigned errorCount() const { return numErrors; }
  bool hasErrors() const { return numErrors != 0; }
  llvm::ArrayRef<Diagnostic> diagnostics() const { return reported; }
  llvm::SourceMgr &getSourceMgr() { return sourceMgr; }

  /// "file:line:col" for a location, or "<unknown>".
  std::string describe(llvm::SMLoc loc) const;

private:
  llvm::SourceMgr &sourceMgr;
  llvm::raw_ostream &out;
  std::vector<Diagnostic> reported;
  unsigned numErrors = 0;
  bool warningsAsErrors = false;
  bool quiet = false;
};

} // namespace cmnet
