// Readers of the generated files for the quoting fuzz target: each splits one target's output
// into its shape (the tokens the generator writes itself) and the text of its strings.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace cmnet::fuzz {

/// One string of a generated file as the target's own reader would take it: its content with
/// the quoting undone, and the word before it ("comment", "-DisplayName", a JSON key), which
/// says which vendor field holds it.
struct OutputText {
  std::string field;
  std::string text;
};

/// A generated file read the way the target reads it. \c shape holds every token with each
/// string replaced by a marker, so two renders that differ only in the strings a policy put
/// in them have the same shape; a string that ended early, or text that escaped from it as
/// code, a line or a table cell, changes the shape.
struct OutputRead {
  std::vector<std::string> shape;
  std::vector<OutputText> texts;
};

/// Reads \p bytes, the file \p fileName of \p target (a backendRegistry() name). Returns an
/// empty string, or what makes the file unreadable: invalid UTF-8, a control character outside
/// a string, a string that does not end on its line, invalid JSON, a Windows script that is
/// not a byte-order mark followed by ASCII.
std::string readOutput(llvm::StringRef target, llvm::StringRef fileName, llvm::StringRef bytes, OutputRead &out);

/// What is wrong with a string of \p target holding policy text: a control character, a
/// character the field does not accept, more bytes than the vendor's limit. Empty when none.
std::string checkText(llvm::StringRef target, const OutputText &text);

} // namespace cmnet::fuzz
