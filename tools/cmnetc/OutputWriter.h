// OutputWriter: a build's files under one output directory, all targets or nothing, never
// through a symbolic link it did not make; and single-file outputs written atomically.
#pragma once

#include "support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cmnet::driver {

/// Directories below one root directory, opened component by component with O_NOFOLLOW, so a
/// symbolic link on the way is never followed; each one opened once and kept open.
class DirectoryCache {
public:
  DirectoryCache() = default;
  DirectoryCache(const DirectoryCache &) = delete;
  DirectoryCache &operator=(const DirectoryCache &) = delete;
  ~DirectoryCache();
  void setRoot(int fd) { root = fd; }
  /// The directory \p rel ("a/b", "" for the root), or -1 with errno set: ENOENT when a
  /// component is missing, ENOTDIR when one is a symbolic link or not a directory, and
  /// \p failed then names it. With \p made, missing components are created (0777 less the
  /// umask) and each is recorded there as {parent fd, name}, outermost first.
  int open(llvm::StringRef rel, std::string &failed, std::vector<std::pair<int, std::string>> *made = nullptr);

private:
  int root = -1;
  llvm::StringMap<int> fds;
};

/// Writes a build's files under one directory, every target or none. The protocol:
///
/// 1. open(): create the output directory (and its missing parents) if needed, take the
///    advisory lock `.cmnet-lock` in it (flock; a second build waits, up to a timeout), remove
///    the staging directories a killed build left, and make this build's staging directory
///    `.cmnet-build-XXXXXX`.
/// 2. stage(): each file is written as soon as it is rendered (a build's outputs never all sit
///    in memory) to the same relative path under the staging directory. Nothing in the output
///    tree changes, so a full disk or a failed target leaves it as it was.
/// 3. commit(): first check every target: the target directory, every directory on the way to
///    each file and each file's place must be a real directory, a real directory, and not a
///    directory; a symbolic link there is an error (file-unwritable), never followed. Then
///    move each target in: a new target directory with one rename; into an existing one, each
///    file exchanged with the one it replaces (renameat2 RENAME_EXCHANGE), and the stale files
///    (listed in the old `.cmnet-files`, not written this time) moved into the staging
///    directory. Every step is recorded; if one fails, the steps done are undone in reverse,
///    so the output directory is as it was. Only then is the staging directory, now holding
///    the replaced and stale files, removed.
///
/// Each target directory lists the files the build wrote there in `.cmnet-files`; the next
/// build removes the listed files it no longer writes, and only those: a file cmnetc never
/// wrote stays. The old manifest is read only when it is a regular file (O_NOFOLLOW,
/// O_NONBLOCK, a size cap); otherwise a warning says no stale file is removed.
///
/// stage() may be called from several threads at once, each target's files from one thread.
/// Without a successful commit the destructor takes away the staging directory, the lock file
/// and every directory open() created: the output directory is left as it was.
class OutputWriter {
public:
  /// \p targetDirs: each target's sub-directory of \p dir.
  OutputWriter(llvm::StringRef dir, llvm::ArrayRef<std::string> targetDirs, DiagnosticEngine &diags);
  ~OutputWriter();
  /// Prepare the output directory and lock it, waiting at most \p lockTimeoutSeconds for
  /// another build to finish (saying so on stderr). False after reporting why not.
  bool open(unsigned lockTimeoutSeconds);
  /// Write \p contents for \p relPath (under its target's directory) of target number \p target;
  /// a piece for the same path as the target's last file is appended to it (FileSink). False
  /// after reporting why it could not be written.
  bool stage(size_t target, llvm::StringRef relPath, llvm::StringRef contents);
  /// Move every staged file into place and remove the stale ones, then print "wrote PATH" or
  /// "removed PATH" per file to \p log. False, with the output directory as it was, after
  /// reporting why not.
  bool commit(llvm::raw_ostream &log);
  size_t staged() const;
  /// How many files of earlier builds commit() removed.
  size_t removed() const { return removedFiles; }

private:
  struct Target {
    Target(std::string dir) : dir(std::move(dir)) {}
    std::string dir;
    std::vector<std::string> files; // relative to the target directory, in the order written
    // Filled in by commit()'s check:
    enum class Plan { Skip, Fresh, Existing } plan = Plan::Skip;
    int fd = -1; // the existing target directory
    DirectoryCache tree;
    std::vector<std::string> stale; // old manifest lines to remove
  };
  /// One step of the commit, undone by renaming `to` back to `from` (or, for an exchange,
  /// exchanging them again; for a made directory, removing it). The names point into the
  /// targets' file lists or stepNames: a rebuild over a million files records a million steps.
  struct Step {
    enum class Kind { Rename, Exchange, MakeDirectory } kind;
    int fromFd;
    const char *from;
    int toFd;
    const char *to;
  };

  std::string outputPath(const Target &t, llvm::StringRef rel) const;
  /// Report a write failure (under `lock`: diags is shared by the render threads).
  void error(std::string message);
  bool lockDirectory(unsigned timeoutSeconds);
  /// Write \p contents to the staged copy of \p rel of \p t, appending when \p append.
  bool writeStaged(Target &t, llvm::StringRef rel, llvm::StringRef contents, bool append);
  /// Decide how \p t moves in and check that it can, writing its new manifest into staging.
  bool plan(Target &t);
  bool moveIn(Target &t, std::vector<Step> &steps);
  /// Undo \p steps in reverse; false when one could not be undone (reported).
  bool undo(std::vector<Step> &steps);

  std::string dir;
  std::vector<Target> targets;
  DiagnosticEngine &diags;
  std::mutex lock; // guards `staging` and diags while targets render
  int dirFd = -1, lockFd = -1, stagingFd = -1, removedFd = -1;
  std::string stagingName;
  DirectoryCache staging; // under stagingFd: TARGET/REL
  std::vector<std::string> created; // directories open() made, outermost first
  std::deque<std::string> stepNames; // names of Steps that no file list holds
  size_t removedFiles = 0;
};

/// Writes a file's contents to the stream it is given.
using WriteContents = llvm::function_ref<void(llvm::raw_ostream &)>;

/// Write one file atomically (temporary + rename). "-" writes to stdout.
bool writeFileAtomically(llvm::StringRef path, llvm::StringRef contents, DiagnosticEngine &diags);
/// The same for contents written straight to the file as they are made (a 0.7 GB reference at
/// Microsoft's published limits), never held whole.
bool writeFileAtomically(llvm::StringRef path, WriteContents write, DiagnosticEngine &diags);

} // namespace cmnet::driver
