// ControlEscapes: text from a policy made safe to print on a terminal.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace cmnet {

/// \p text with every character that a terminal acts on instead of showing written as an
/// escape, so that a policy's comments, strings and names cannot move the cursor, recolour or
/// retitle the terminal, or reorder what is shown: C0 controls and DEL as `\x1b`, C1 controls
/// and the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) as `\u009b`,
/// and bytes that are not UTF-8 as `\xff`. Tabs stay (SourceMgr lines carets up across them),
/// and so do line breaks when \p keepLineBreaks. A backslash itself is not doubled: the output
/// is for reading, not for parsing back.
std::string escapeControls(llvm::StringRef text, bool keepLineBreaks = false);

} // namespace cmnet
