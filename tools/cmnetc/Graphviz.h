// Graphviz: laying out DOT with Debian's `dot` program, run as a subprocess.
#pragma once

#include "support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace cmnet::driver {

/// \p dot laid out as SVG by `dot -Tsvg`. Reports tool-missing when `dot` is not on PATH
/// (install Debian's graphviz), and tool-failed with dot's own message when dot rejects the
/// input, or when it has not finished after \p secondsAllowed (0: no limit; it is then stopped); returns
/// nullopt then.
std::optional<std::string> renderSvgWithDot(llvm::StringRef dot, unsigned secondsAllowed, DiagnosticEngine &diags);

} // namespace cmnet::driver
