// OutputWriter: staging, checking and committing a build's output directory; single-file
// outputs written atomically.
#include "OutputWriter.h"

#include "fmt/format.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace cmnet::driver {

namespace {
constexpr llvm::StringLiteral manifestName = ".cmnet-files";
constexpr llvm::StringLiteral lockName = ".cmnet-lock";
constexpr llvm::StringLiteral stagingPrefix = ".cmnet-build-";
/// A manifest lists one path per file a build wrote: a million files are about 20 MB.
constexpr size_t manifestLimit = size_t(256) << 20;
/// What mkdir(1) gives, before the umask: an output tree must be readable by another account
/// (a web server, a deployment user).
constexpr mode_t directoryMode = 0777;
constexpr mode_t fileMode = 0666;

std::string errnoText(int error) { return std::strerror(error); }

int openDirectoryAt(int parent, const char *name) {
  return ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/// Why \p name in \p parent is not a directory cmnetc may write into: "is a symbolic link", "is
/// not a directory", or the system's reason.
std::string whyNotDirectory(int parent, const std::string &name, int error) {
  struct stat st {};
  if (error == ENOTDIR && ::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
    return S_ISLNK(st.st_mode) ? "is a symbolic link, which cmnetc does not follow; remove it"
                               : "is not a directory";
  return "cannot be opened: " + errnoText(error);
}

/// Remove \p name in \p parent and, when it is a directory, everything in it, never following
/// a symbolic link (one is removed itself).
void removeTree(int parent, const std::string &name) {
  struct stat st {};
  if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return;
  if (!S_ISDIR(st.st_mode)) {
    ::unlinkat(parent, name.c_str(), 0);
    return;
  }
  int fd = openDirectoryAt(parent, name.c_str());
  if (fd < 0)
    return;
  if (DIR *d = ::fdopendir(fd)) {
    std::vector<std::string> entries;
    while (dirent *e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
        entries.push_back(e->d_name);
    for (const std::string &entry : entries)
      removeTree(::dirfd(d), entry);
    ::closedir(d); // closes fd
  } else {
    ::close(fd);
  }
  ::unlinkat(parent, name.c_str(), AT_REMOVEDIR);
}

/// Whether \p rel is a plain relative path: no empty, `.` or `..` component, not absolute, no
/// NUL (which would end the name the system sees early).
bool isPlainRelative(llvm::StringRef rel) {
  if (rel.empty() || rel.startswith("/") || rel.contains('\0'))
    return false;
  llvm::SmallVector<llvm::StringRef, 4> parts;
  rel.split(parts, '/');
  return llvm::none_of(parts, [](llvm::StringRef p) { return p.empty() || p == "." || p == ".."; });
}

/// {parent, name} of a relative path.
std::pair<llvm::StringRef, llvm::StringRef> splitParent(llvm::StringRef rel) {
  size_t slash = rel.rfind('/');
  if (slash == llvm::StringRef::npos)
    return {"", rel};
  return {rel.take_front(slash), rel.drop_front(slash + 1)};
}

std::string joinRel(llvm::StringRef a, llvm::StringRef b) {
  if (a.empty() || b.empty())
    return (a + b).str();
  return (a + "/" + b).str();
}

/// Write \p contents to the open file \p fd and close it; returns the error or "".
std::string writeAndClose(int fd, llvm::StringRef shownPath, WriteContents write) {
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  write(os);
  os.close();
  if (!os.has_error())
    return "";
  std::string error = fmt::format("cannot write '{}': {}", shownPath.str(), os.error().message());
  os.clear_error();
  return error;
}

int renameAt2(int fromFd, const char *from, int toFd, const char *to, unsigned flags) {
  return ::renameat2(fromFd, from, toFd, to, flags);
}
} // namespace

DirectoryCache::~DirectoryCache() {
  for (auto &entry : fds)
    ::close(entry.second);
}

int DirectoryCache::open(llvm::StringRef rel, std::string &failed, std::vector<std::pair<int, std::string>> *made) {
  if (rel.empty())
    return root;
  auto found = fds.find(rel);
  if (found != fds.end())
    return found->second;
  auto [parentRel, name] = splitParent(rel);
  int parent = open(parentRel, failed, made);
  if (parent < 0)
    return -1;
  std::string base = name.str();
  int fd = openDirectoryAt(parent, base.c_str());
  if (fd < 0 && errno == ENOENT && made) {
    if (::mkdirat(parent, base.c_str(), directoryMode) == 0)
      made->push_back({parent, base});
    fd = openDirectoryAt(parent, base.c_str());
  }
  if (fd < 0) {
    int error = errno;
    failed = rel.str();
    errno = error;
    return -1;
  }
  fds[rel] = fd;
  return fd;
}

OutputWriter::OutputWriter(llvm::StringRef dir, llvm::ArrayRef<std::string> targetDirs, DiagnosticEngine &diags)
    : dir(dir.str()), targets(targetDirs.begin(), targetDirs.end()), diags(diags) {}

OutputWriter::~OutputWriter() {
  for (Target &t : targets)
    if (t.fd >= 0)
      ::close(t.fd);
  if (removedFd >= 0)
    ::close(removedFd);
  if (stagingFd >= 0) {
    ::close(stagingFd);
    removeTree(dirFd, stagingName);
  }
  if (lockFd >= 0) {
    // Waiting builds notice the name is gone and lock a new file (lockDirectory).
    ::unlinkat(dirFd, lockName.data(), 0);
    ::close(lockFd);
  }
  if (dirFd >= 0)
    ::close(dirFd);
  for (auto it = created.rbegin(); it != created.rend(); ++it)
    llvm::sys::fs::remove(*it); // only when empty
}

std::string OutputWriter::outputPath(const Target &t, llvm::StringRef rel) const {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, t.dir, rel);
  return std::string(path);
}

void OutputWriter::error(std::string message) {
  std::lock_guard<std::mutex> guard(lock);
  diags.report(DiagKind::FileUnwritable, llvm::SMRange(), std::move(message));
}

bool OutputWriter::open(unsigned lockTimeoutSeconds) {
  // The directory given to -o is the user's choice and is followed as given; below it nothing is.
  llvm::SmallVector<llvm::StringRef, 4> missing;
  for (llvm::StringRef d = dir; !d.empty() && !llvm::sys::fs::exists(d); d = llvm::sys::path::parent_path(d))
    missing.push_back(d);
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (std::error_code ec = llvm::sys::fs::create_directory(*it, /*IgnoreExisting=*/true, llvm::sys::fs::all_all)) {
      error(fmt::format("cannot create the output directory '{}': {}", it->str(), ec.message()));
      return false;
    }
    created.push_back(it->str());
  }
  dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd < 0) {
    error(fmt::format("cannot open the output directory '{}': {}", dir, errnoText(errno)));
    return false;
  }
  if (!lockDirectory(lockTimeoutSeconds))
    return false;
  // Holding the lock, any staging directory is one a killed build left.
  if (DIR *d = ::fdopendir(::dup(dirFd))) {
    std::vector<std::string> leftovers;
    while (dirent *e = ::readdir(d))
      if (llvm::StringRef(e->d_name).startswith(stagingPrefix))
        leftovers.push_back(e->d_name);
    ::closedir(d);
    for (const std::string &name : leftovers)
      removeTree(dirFd, name);
  }
  std::random_device random;
  for (int attempt = 0; attempt < 128 && stagingFd < 0; ++attempt) {
    std::string name = fmt::format("{}{:06x}", stagingPrefix.str(), random() & 0xffffff);
    if (::mkdirat(dirFd, name.c_str(), directoryMode) != 0) {
      if (errno == EEXIST)
        continue;
      break;
    }
    stagingName = name;
    stagingFd = openDirectoryAt(dirFd, name.c_str());
  }
  if (stagingFd >= 0 && ::mkdirat(stagingFd, ".removed", directoryMode) == 0)
    removedFd = openDirectoryAt(stagingFd, ".removed");
  if (removedFd < 0) {
    error(fmt::format("cannot create a staging directory in '{}': {}", dir, errnoText(errno)));
    return false;
  }
  staging.setRoot(stagingFd);
  return true;
}

bool OutputWriter::lockDirectory(unsigned timeoutSeconds) {
  auto start = std::chrono::steady_clock::now();
  bool told = false;
  while (true) {
    lockFd = ::openat(dirFd, lockName.data(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, fileMode);
    struct stat held {}, named {};
    if (lockFd < 0) {
      error(fmt::format("cannot lock the output directory: '{}/{}' {}", dir, lockName.str(),
                        errno == ELOOP ? std::string("is a symbolic link; remove it")
                                       : "cannot be opened: " + errnoText(errno)));
      return false;
    }
    if (::fstat(lockFd, &held) != 0 || !S_ISREG(held.st_mode)) {
      ::close(lockFd);
      lockFd = -1;
      error(fmt::format("cannot lock the output directory: '{}/{}' is not a regular file; remove it", dir,
                        lockName.str()));
      return false;
    }
    while (::flock(lockFd, LOCK_EX | LOCK_NB) != 0) {
      double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (errno != EWOULDBLOCK || waited >= timeoutSeconds) {
        int why = errno;
        ::close(lockFd);
        lockFd = -1;
        std::lock_guard<std::mutex> guard(lock);
        if (why == EWOULDBLOCK)
          diags.report(DiagKind::OutputLocked, llvm::SMRange(),
                       fmt::format("another build has been writing into '{}' for {} s (it holds '{}/{}'); try again "
                                   "when it is done, or wait longer with --lock-timeout=SECONDS",
                                   dir, timeoutSeconds, dir, lockName.str()));
        else
          diags.report(DiagKind::FileUnwritable, llvm::SMRange(),
                       fmt::format("cannot lock '{}/{}': {}", dir, lockName.str(), errnoText(why)));
        return false;
      }
      if (!told)
        llvm::errs() << fmt::format("cmnetc: waiting for another build writing into '{}' to finish\n", dir);
      told = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // The build that held it may have removed the name on finishing: then lock the new file.
    if (::fstatat(dirFd, lockName.data(), &named, AT_SYMLINK_NOFOLLOW) == 0 && named.st_dev == held.st_dev &&
        named.st_ino == held.st_ino)
      return true;
    ::close(lockFd);
    lockFd = -1;
  }
}

bool OutputWriter::stage(size_t target, llvm::StringRef relPath, llvm::StringRef contents) {
  Target &t = targets[target];
  if (!isPlainRelative(relPath)) {
    error(fmt::format("cannot write '{}': the name is not a plain relative path", outputPath(t, relPath)));
    return false;
  }
  bool append = !t.files.empty() && t.files.back() == relPath;
  if (!writeStaged(t, relPath, contents, append))
    return false;
  if (!append)
    t.files.push_back(relPath.str());
  return true;
}

bool OutputWriter::writeStaged(Target &t, llvm::StringRef rel, llvm::StringRef contents, bool append) {
  auto [parentRel, name] = splitParent(rel);
  int parent = -1;
  std::string failed;
  {
    std::lock_guard<std::mutex> guard(lock);
    std::vector<std::pair<int, std::string>> made;
    parent = staging.open(joinRel(t.dir, parentRel), failed, &made);
  }
  std::string path = outputPath(t, rel);
  if (parent < 0) {
    error(fmt::format("cannot write '{}': cannot create its directory in the staging directory: {}", path,
                      errnoText(errno)));
    return false;
  }
  int flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (append ? O_APPEND : O_CREAT | O_EXCL);
  int fd = ::openat(parent, name.str().c_str(), flags, fileMode);
  if (fd < 0) {
    error(fmt::format("cannot write '{}': {}", path, errnoText(errno)));
    return false;
  }
  std::string failure = writeAndClose(fd, path, [&](llvm::raw_ostream &os) { os << contents; });
  if (failure.empty())
    return true;
  error(std::move(failure));
  return false;
}

size_t OutputWriter::staged() const {
  size_t files = 0;
  for (const Target &t : targets)
    files += t.files.size();
  return files;
}

namespace {
/// The old manifest in \p targetFd: false when there is none to read. Only a regular file is
/// read (never through a link, never blocking on a pipe), at most manifestLimit bytes;
/// anything else is a warning (\p why says what), as no stale file can be known.
bool readManifest(int targetFd, std::string &text, std::string &why) {
  struct stat st {};
  if (::fstatat(targetFd, manifestName.data(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return false;
  int fd = S_ISREG(st.st_mode) ? ::openat(targetFd, manifestName.data(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                               : -1;
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    why = fd < 0 && S_ISREG(st.st_mode) ? errnoText(errno)
          : S_ISLNK(st.st_mode)         ? "it is a symbolic link"
                                        : "it is not a regular file";
    if (fd >= 0)
      ::close(fd);
    return false;
  }
  char buffer[65536];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0 && text.size() <= manifestLimit)
    text.append(buffer, size_t(n));
  ::close(fd);
  if (n < 0)
    why = errnoText(errno);
  else if (text.size() > manifestLimit)
    why = fmt::format("it is larger than {} MiB", manifestLimit >> 20);
  return why.empty();
}
} // namespace

bool OutputWriter::plan(Target &t) {
  std::string top = outputPath(t, "");
  if (!top.empty() && top.back() == '/')
    top.pop_back();
  struct stat st {};
  if (::fstatat(dirFd, t.dir.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT) {
      error(fmt::format("cannot write into '{}': {}", top, errnoText(errno)));
      return false;
    }
    t.plan = t.files.empty() ? Target::Plan::Skip : Target::Plan::Fresh;
  } else {
    t.fd = openDirectoryAt(dirFd, t.dir.c_str());
    if (t.fd < 0) {
      error(fmt::format("cannot write into '{}': it {}", top, whyNotDirectory(dirFd, t.dir, errno)));
      return false;
    }
    t.plan = Target::Plan::Existing;
  }
  if (t.plan == Target::Plan::Skip)
    return true;

  std::string oldManifest, why;
  bool hasManifest = t.plan == Target::Plan::Existing && readManifest(t.fd, oldManifest, why);
  if (!why.empty()) {
    std::lock_guard<std::mutex> guard(lock);
    diags.report(DiagKind::StaleOutputKept, llvm::SMRange(),
                 fmt::format("'{}/{}' is not read ({}), so no file of an earlier build is removed; this build "
                             "replaces it",
                             top, manifestName.str(), why));
  }
  if (t.plan == Target::Plan::Existing && t.files.empty() && !hasManifest && why.empty()) {
    t.plan = Target::Plan::Skip; // nothing written before, nothing to write now
    return true;
  }

  std::string manifest = "# Written by cmnetc build: the files its last build put in this directory. The next\n"
                         "# build removes those it no longer writes.\n";
  llvm::StringSet<> written;
  for (const std::string &rel : t.files) {
    written.insert(rel);
    (manifest += rel) += '\n';
  }
  if (t.plan == Target::Plan::Existing) {
    t.tree.setRoot(t.fd);
    std::string failed;
    for (const std::string &rel : t.files) {
      auto [parentRel, name] = splitParent(rel);
      int parent = t.tree.open(parentRel, failed);
      if (parent < 0 && errno == ENOENT)
        continue; // made at commit
      if (parent < 0) {
        auto [failedParent, failedName] = splitParent(failed);
        int failedIn = t.tree.open(failedParent, failed);
        error(fmt::format("cannot write '{}': '{}' {}", outputPath(t, rel), outputPath(t, failed),
                          whyNotDirectory(failedIn, failedName.str(), ENOTDIR)));
        return false;
      }
      if (::fstatat(parent, name.str().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
        error(fmt::format("cannot write '{}': it is a directory; move it away", outputPath(t, rel)));
        return false;
      }
    }
    llvm::SmallVector<llvm::StringRef, 0> lines;
    llvm::StringRef(oldManifest).split(lines, '\n', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef rel : lines) {
      // A line naming a path outside the directory (`..`, absolute, through a link) is ignored.
      if (rel.startswith("#") || written.count(rel) || !isPlainRelative(rel))
        continue;
      auto [parentRel, name] = splitParent(rel);
      int parent = t.tree.open(parentRel, failed);
      if (parent < 0 || ::fstatat(parent, name.str().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue; // gone already
      if (S_ISDIR(st.st_mode)) {
        std::lock_guard<std::mutex> guard(lock);
        diags.report(DiagKind::StaleOutputKept, llvm::SMRange(),
                     fmt::format("'{}' was written by an earlier build and is not by this one, but cannot be "
                                 "removed: it is a directory",
                                 outputPath(t, rel)));
        (manifest += rel) += '\n'; // the next build tries again
        continue;
      }
      t.stale.push_back(rel.str());
    }
  }
  return writeStaged(t, manifestName, manifest, /*append=*/false);
}

bool OutputWriter::moveIn(Target &t, std::vector<Step> &steps) {
  if (t.plan == Target::Plan::Fresh) {
    if (renameAt2(stagingFd, t.dir.c_str(), dirFd, t.dir.c_str(), RENAME_NOREPLACE) != 0) {
      error(fmt::format("cannot move '{}' into place: {}", outputPath(t, ""), errnoText(errno)));
      return false;
    }
    steps.push_back({Step::Kind::Rename, stagingFd, t.dir.c_str(), dirFd, t.dir.c_str()});
    return true;
  }
  std::string failed;
  // \p rel is NUL-terminated (a std::string or a literal), and so is its last component.
  auto moveFile = [&](llvm::StringRef rel) {
    auto [parentRel, nameRef] = splitParent(rel);
    const char *name = nameRef.data();
    std::vector<std::pair<int, std::string>> made;
    int from = staging.open(joinRel(t.dir, parentRel), failed);
    int to = t.tree.open(parentRel, failed, &made);
    for (auto &[parent, base] : made)
      steps.push_back({Step::Kind::MakeDirectory, -1, "", parent, stepNames.emplace_back(std::move(base)).c_str()});
    if (from < 0 || to < 0) {
      error(fmt::format("cannot move '{}' into place: {}", outputPath(t, rel), errnoText(errno)));
      return false;
    }
    if (renameAt2(from, name, to, name, RENAME_EXCHANGE) == 0) {
      steps.push_back({Step::Kind::Exchange, from, name, to, name});
      return true;
    }
    if (errno == ENOENT && renameAt2(from, name, to, name, RENAME_NOREPLACE) == 0) {
      steps.push_back({Step::Kind::Rename, from, name, to, name});
      return true;
    }
    error(fmt::format("cannot move '{}' into place: {}", outputPath(t, rel), errnoText(errno)));
    return false;
  };
  for (const std::string &rel : t.files)
    if (!moveFile(rel))
      return false;
  if (!moveFile(manifestName))
    return false;
  for (const std::string &rel : t.stale) {
    auto [parentRel, nameRef] = splitParent(rel);
    const char *name = nameRef.data(), *removedName = stepNames.emplace_back(std::to_string(steps.size())).c_str();
    int parent = t.tree.open(parentRel, failed);
    if (parent < 0 || renameAt2(parent, name, removedFd, removedName, RENAME_NOREPLACE) != 0) {
      error(fmt::format("cannot remove '{}': {}", outputPath(t, rel), errnoText(errno)));
      return false;
    }
    steps.push_back({Step::Kind::Rename, parent, name, removedFd, removedName});
  }
  return true;
}

bool OutputWriter::undo(std::vector<Step> &steps) {
  bool restored = true;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    int done = 0;
    switch (it->kind) {
    case Step::Kind::Rename:
      done = ::renameat(it->toFd, it->to, it->fromFd, it->from);
      break;
    case Step::Kind::Exchange:
      done = renameAt2(it->toFd, it->to, it->fromFd, it->from, RENAME_EXCHANGE);
      break;
    case Step::Kind::MakeDirectory:
      done = ::unlinkat(it->toFd, it->to, AT_REMOVEDIR);
      break;
    }
    if (done != 0) {
      restored = false;
      error(fmt::format("cannot put '{}' back as it was: {}; the output directory '{}' is partly changed: "
                        "build again",
                        it->to, errnoText(errno), dir));
    }
  }
  steps.clear();
  return restored;
}

bool OutputWriter::commit(llvm::raw_ostream &log) {
  for (Target &t : targets)
    if (!plan(t))
      return false;
  std::vector<Step> steps;
  for (Target &t : targets)
    if (t.plan != Target::Plan::Skip && !moveIn(t, steps)) {
      undo(steps);
      return false;
    }
  for (Target &t : targets) {
    if (t.plan == Target::Plan::Skip)
      continue;
    for (const std::string &rel : t.files)
      log << "wrote " << outputPath(t, rel) << "\n";
    for (const std::string &rel : t.stale) {
      log << "removed " << outputPath(t, rel) << "\n";
      // Take away the directories that removing it left empty; the first one that is not stops.
      std::string failed;
      for (llvm::StringRef d = splitParent(rel).first; !d.empty(); d = splitParent(d).first) {
        auto [parentRel, name] = splitParent(d);
        int parent = t.tree.open(parentRel, failed);
        if (parent < 0 || ::unlinkat(parent, name.str().c_str(), AT_REMOVEDIR) != 0)
          break;
      }
    }
    removedFiles += t.stale.size();
    t.files.clear();
  }
  created.clear();
  return true;
}

bool writeFileAtomically(llvm::StringRef path, llvm::StringRef contents, DiagnosticEngine &diags) {
  return writeFileAtomically(path, [&](llvm::raw_ostream &os) { os << contents; }, diags);
}

bool writeFileAtomically(llvm::StringRef path, WriteContents write, DiagnosticEngine &diags) {
  if (path == "-") {
    write(llvm::outs());
    llvm::outs().flush();
    return true;
  }
  auto fail = [&](std::string message) {
    diags.report(DiagKind::FileUnwritable, llvm::SMRange(), std::move(message));
    return false;
  };
  // Renaming over a symbolic link or a device would replace it with a regular file (-o
  // /dev/stdout, as root, would replace /dev/stdout): the single file named on the command line
  // is the user's choice, so write through those instead, which cannot be atomic. Only a
  // regular file, or a new one, is replaced atomically.
  llvm::sys::fs::file_status link;
  if (!llvm::sys::fs::status(path, link, /*Follow=*/false) && link.type() != llvm::sys::fs::file_type::regular_file) {
    if (llvm::sys::fs::is_directory(path))
      return fail(fmt::format("cannot write '{}': it is a directory; give a file name", path.str()));
    int fd = -1;
    if (std::error_code ec = llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_CreateAlways))
      return fail(fmt::format("cannot open '{}' for writing: {}", path.str(), ec.message()));
    std::string error = writeAndClose(fd, path, write);
    return error.empty() || fail(error);
  }
  llvm::SmallString<256> temp, model(path);
  model += ".tmp-%%%%%%";
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp))
    return fail(fmt::format("cannot create a temporary file next to '{}': {}", path.str(), ec.message()));
  std::string error = writeAndClose(fd, temp, write);
  if (error.empty()) {
    if (std::error_code ec = llvm::sys::fs::rename(temp, path))
      error = fmt::format("cannot move output into place at '{}': {}", path.str(), ec.message());
  }
  if (error.empty())
    return true;
  llvm::sys::fs::remove(temp);
  return fail(error);
}

} // namespace cmnet::driver
