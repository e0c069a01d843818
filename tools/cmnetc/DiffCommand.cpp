// `cmnetc diff`: the semantic difference between two policies (openings added and removed per
// host and firewall, with provenance), as text, Markdown for a pull-request comment, or JSON.
#include "Commands.h"
#include "Driver.h"

#include "diff/PolicyDiff.h"
#include "support/ControlEscapes.h"

#include "fmt/format.h"
#include "llvm/ADT/Optional.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand diffCmd("diff", "Show the openings one policy adds and removes against another");
cl::list<std::string> inputs(cl::Positional, cl::desc("<old.cmnet> <new.cmnet> | <file.cmnet> --git REV"),
                             cl::OneOrMore, cl::sub(diffCmd));
cl::opt<std::string> gitRev("git", cl::desc("Compare FILE with its version at this git revision"),
                            cl::value_desc("rev"), cl::sub(diffCmd));
cl::opt<std::string> format("format", cl::desc("Report format: text (default), md, json"), cl::init("text"),
                            cl::value_desc("format"), cl::sub(diffCmd));
CommonOptions common(diffCmd);

/// Run \p args (args[0] is the program) with stdout to \p out; false (after saying why on
/// stderr) when it cannot run or fails.
bool run(llvm::ArrayRef<llvm::StringRef> args, llvm::StringRef out) {
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName(args[0]);
  if (!program) {
    llvm::errs() << fmt::format("cmnetc: error: cannot find '{}' on PATH\n", args[0].str());
    return false;
  }
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, out, llvm::None};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*program, args, llvm::None, redirects, 0, 0, &error);
  if (status == 0)
    return true;
  std::string command;
  for (llvm::StringRef a : args)
    command += (command.empty() ? "" : " ") + a.str();
  llvm::errs() << fmt::format("cmnetc: error: '{}' failed{}\n", command, error.empty() ? "" : ": " + error);
  return false;
}

/// Why \p rev cannot be a revision for --git, or empty when it can. The rules are git's own for
/// reference names (git check-ref-format) where they apply, plus what keeps the value one
/// revision and never an option: no leading '-', no ".." (a range), no ':' (a path inside a
/// revision). Revision syntax git accepts beyond names (HEAD~2, main^, @{-1}) stays allowed.
std::string revisionProblem(llvm::StringRef rev) {
  if (rev.empty())
    return "it is empty";
  if (rev.startswith("-"))
    return "it starts with '-', which would make it an option";
  for (char c : rev) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return fmt::format("it holds the control character \\x{:02x}", u);
    if (c == ' ')
      return "it holds a space";
    if (llvm::StringRef("\\:?*[").contains(c))
      return fmt::format("it holds '{}'", c);
  }
  if (rev.contains(".."))
    return "it holds '..' (a range; name one revision)";
  if (rev.startswith("/") || rev.endswith("/") || rev.contains("//") || rev.endswith(".") || rev.endswith(".lock"))
    return "it is not a valid reference name (git check-ref-format)";
  return "";
}

std::string readTrimmed(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().trim().str() : std::string();
}

/// A copy of the repository at a revision, extracted into a temporary directory (so relative
/// imports resolve as they did then) and removed when done.
class RevisionTree {
public:
  ~RevisionTree() {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }

  /// Extract the tree of \p rev of the repository holding \p file; on success \p oldPath is
  /// where that file was, inside the copy. False after reporting an error.
  bool extract(llvm::StringRef file, llvm::StringRef rev, std::string &oldPath, std::string &display) {
    if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("cmnetc-diff", dir)) {
      llvm::errs() << fmt::format("cmnetc: error: cannot create a temporary directory: {}\n", ec.message());
      return false;
    }
    llvm::SmallString<256> real, fileDir, topFile(dir), tar(dir), tree(dir);
    if (llvm::sys::fs::real_path(file, real)) {
      llvm::errs() << fmt::format("cmnetc: error: no such file '{}'\n", file.str());
      return false;
    }
    fileDir = llvm::sys::path::parent_path(real);
    llvm::sys::path::append(topFile, "toplevel");
    llvm::sys::path::append(tar, "tree.tar");
    llvm::sys::path::append(tree, "tree");
    if (!run({"git", "-C", fileDir, "rev-parse", "--show-toplevel"}, topFile))
      return false;
    llvm::SmallString<256> top;
    if (llvm::sys::fs::real_path(readTrimmed(topFile), top) || !llvm::StringRef(real).startswith((top + "/").str())) {
      llvm::errs() << fmt::format("cmnetc: error: '{}' is not inside a git work tree\n", file.str());
      return false;
    }
    std::string relative = llvm::StringRef(real).substr(top.size() + 1).str();
    workTree = std::string(top);
    revisionTree = std::string(tree);
    if (!run({"git", "-C", top, "archive", "--format=tar", "-o", tar, "--end-of-options", rev}, "") ||
        llvm::sys::fs::create_directories(tree) || !run({"tar", "-xf", tar, "-C", tree}, ""))
      return false;
    llvm::SmallString<256> old(tree);
    llvm::sys::path::append(old, relative);
    if (!llvm::sys::fs::exists(old)) {
      llvm::errs() << fmt::format("cmnetc: error: '{}' does not exist at revision '{}'\n", relative, rev.str());
      return false;
    }
    oldPath = old.str().str();
    display = fmt::format("{}:{}", rev.str(), relative);
    return true;
  }

  /// \p dir (an --import-path) as it is in the extracted revision when it lies inside the
  /// work tree, so that the old side's imports reach the old versions of shared files.
  std::string inRevision(llvm::StringRef dir) const {
    llvm::SmallString<256> real;
    if (workTree.empty() || llvm::sys::fs::real_path(dir, real))
      return dir.str();
    llvm::StringRef rest = real;
    if (!rest.consume_front(workTree) || !(rest.empty() || rest.startswith("/")))
      return dir.str();
    return revisionTree + rest.str();
  }

private:
  llvm::SmallString<256> dir;
  std::string workTree, revisionTree;
};

/// Compile one side, keeping its flows from before the optimizing passes to explain openings.
/// \p revision: the extracted old revision this side is compiled from, or null.
bool compileSide(const std::string &path, const std::string &display, Compilation &c,
                 const RevisionTree *revision) {
  common.apply(c);
  CompileOptions options = common.get();
  options.frontend.displayName = display;
  if (revision)
    for (std::string &dir : options.frontend.importPaths)
      dir = revision->inRevision(dir);
  options.keepDocumentedFlows = true;
  return compile(path, options, c);
}
} // namespace

bool diffSelected() { return static_cast<bool>(diffCmd); }

int runDiff() {
  if (format != "text" && format != "md" && format != "json") {
    llvm::errs() << fmt::format("cmnetc: error: unknown --format '{}' (text, md, json)\n", format.getValue());
    return ExitUsage;
  }
  bool git = !gitRev.empty();
  if (inputs.size() != (git ? 1u : 2u)) {
    llvm::errs() << "cmnetc: error: diff needs OLD NEW, or FILE --git REV\n";
    return ExitUsage;
  }
  if (git) {
    std::string problem = revisionProblem(gitRev);
    if (!problem.empty()) {
      llvm::errs() << fmt::format("cmnetc: error: --git '{}' is not a revision: {}\n", escapeControls(gitRev), problem);
      return ExitUsage;
    }
  }
  std::string oldPath = inputs[0], oldName = inputs[0], newPath = inputs[inputs.size() - 1];
  RevisionTree revision;
  if (git && !revision.extract(newPath, gitRev, oldPath, oldName))
    return ExitInputError;

  Compilation before, after;
  bool ok = compileSide(oldPath, oldName, before, git ? &revision : nullptr);
  ok &= compileSide(newPath, newPath, after, nullptr);
  if (!ok)
    return ExitInputError;
  diff::PolicyDiff diff = diff::diffPolicies(before.ctx->placed, after.ctx->placed);
  if (format == "md")
    llvm::outs() << diff::renderDiffMarkdown(diff, oldName, newPath);
  else if (format == "json")
    llvm::outs() << diff::renderDiffJson(diff, oldName, newPath);
  else
    llvm::outs() << diff::renderDiffText(diff, oldName, newPath);
  return diff.changed() ? ExitInputError : ExitSuccess;
}

} // namespace cmnet::driver
