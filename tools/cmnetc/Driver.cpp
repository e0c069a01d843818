// The shared compile driver and atomic output writing.
#include "Driver.h"

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"

#include <chrono>
#include <cstdlib>
#include <sys/resource.h>

namespace cmnet::driver {

namespace cl = llvm::cl;

/// An unknown --print-after pass is a bad command line (exit 2), found before any input is read.
static void checkPassName(const std::string &name) {
  auto names = passes::pipelinePassNames();
  if (name == "all" || llvm::is_contained(names, name))
    return;
  std::string known;
  for (const std::string &n : names)
    known += (known.empty() ? "" : ", ") + n;
  llvm::errs() << fmt::format("cmnetc: error: unknown pass '{}' in --print-after (passes: {})\n", name, known);
  std::exit(ExitUsage);
}

CommonOptions::CommonOptions(cl::SubCommand &sub)
    : stdlib("stdlib", cl::desc("Standard library directory (default: built-in)"), cl::value_desc("dir"), cl::sub(sub)),
      werror("Werror", cl::desc("Treat warnings as errors"), cl::sub(sub)),
      printAfter("print-after", cl::desc("Print the IR after the named pass ('all' for every pass)"),
                 cl::value_desc("pass"), cl::CommaSeparated, cl::sub(sub), cl::callback([](const std::string &name) { checkPassName(name); })),
      stats("stats", cl::desc("Print rules, addresses and time for each pass"), cl::sub(sub)),
      outbound("outbound", cl::desc("Also place outbound rules on host firewalls"), cl::sub(sub)),
      jobs("j", cl::desc("Threads for the passes and for rendering targets (default: one per core)"),
           cl::value_desc("n"), cl::init(0), cl::sub(sub)),
      progress(sub) {}

CompileOptions CommonOptions::get() const {
  CompileOptions o;
  o.frontend.stdlibDir = stdlib.empty() ? frontend::defaultStdlibDir() : std::string(stdlib);
  o.passes.printAfter.assign(printAfter.begin(), printAfter.end());
  o.passes.stats = stats;
  o.passes.dumpStream = &llvm::outs();
  o.passes.statsStream = &llvm::errs();
  o.outbound = outbound;
  o.progress = &progress.reporter;
  o.passes.beforePass = [this](const passes::Pass &pass, const passes::CompileContext &ctx) {
    progress.reporter.pass(pass, ctx);
  };
  return o;
}

void CommonOptions::apply(Compilation &c) const {
  c.diags.setWarningsAsErrors(werror);
  start();
}

void CommonOptions::start() const {
  // The passes' llvm::parallelForEach reads this process-wide setting; -j 1 runs them inline.
  llvm::parallel::strategy = llvm::hardware_concurrency(jobs);
  progress.start();
}

/// What \p compile keeps of the flows the policy pipeline leaves, before lowering merges them
/// (several catalog rows and endpoints into one rule): a copy, the documentation built from
/// them, or nothing.
static bool documentPolicy(Compilation &c, const CompileOptions &compile) {
  const passes::PassRunOptions &options = compile.passes;
  if (compile.keepDocumentedFlows)
    c.documentedFlows = c.ctx->flows.flows;
  if (!compile.buildDocModel)
    return true;
  if (compile.progress)
    compile.progress->stage(fmt::format("doc-model ({} flows)", c.ctx->flows.flows.size()));
  auto start = std::chrono::steady_clock::now();
  c.docModel = backends::doc::buildDocModel(c.ctx->placed, c.ctx->flows.flows);
  if (options.stats && options.statsStream)
    printStageTime(*options.statsStream, "doc-model", millisecondsSince(start));
  return true;
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

size_t peakMemoryMiB() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return size_t(usage.ru_maxrss) / 1024; // KiB on Linux
}

void printStageTime(llvm::raw_ostream &os, llvm::StringRef stage, double ms) {
  os << fmt::format("{:<24}{:>59.2f}\n", stage.str(), ms); // ms in the pass table's last column
}

bool compile(llvm::StringRef path, const CompileOptions &options, Compilation &c) {
  auto start = std::chrono::steady_clock::now();
  if (options.progress)
    options.progress->stage("reading " + path);
  c.model = frontend::loadModel(path, c.diags, options.frontend);
  if (options.passes.stats && options.passes.statsStream)
    printStageTime(*options.passes.statsStream, "frontend", millisecondsSince(start));
  if (!c.model)
    return false;
  c.ctx = std::make_unique<passes::CompileContext>(*c.model, c.diags);
  c.ctx->flows.sourceMgr = &c.sourceMgr;
  c.ctx->placeOutbound = options.outbound;
  c.ctx->shareRulesets = options.shareRulesets;
  if (!options.runPipeline || (!c.model->hierarchy && !options.requireHierarchy))
    return !c.diags.hasErrors();
  passes::PassRunOptions run = options.passes;
  if (options.keepDocumentedFlows || options.buildDocModel) {
    auto commandHook = run.afterPolicy;
    run.afterPolicy = [&, commandHook](passes::CompileContext &ctx) {
      return documentPolicy(c, options) && (!commandHook || commandHook(ctx));
    };
  }
  if (!passes::runPipelines(*c.ctx, run))
    return false;
  c.pipelinesFinished = true;
  if (options.keepDocumentedFlows)
    c.ctx->placed.documentedFlows = &c.documentedFlows;
  return !c.diags.hasErrors();
}

namespace {

/// Write the contents \p write produces to the open file \p fd, named \p path in the error
/// and removed on one when \p removeOnError; returns the error or "".
std::string writeAndClose(int fd, llvm::StringRef path, WriteContents write, bool removeOnError = true) {
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  write(os);
  os.close();
  if (!os.has_error())
    return "";
  std::string error = fmt::format("cannot write '{}': {}", path.str(), os.error().message());
  os.clear_error();
  if (removeOnError)
    llvm::sys::fs::remove(path);
  return error;
}

/// Write into what \p path names (a device, a pipe, or the file a symbolic link points to),
/// truncating a regular file; returns the error or "".
std::string writeThrough(llvm::StringRef path, WriteContents write) {
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_CreateAlways))
    return fmt::format("cannot open '{}' for writing: {}", path.str(), ec.message());
  return writeAndClose(fd, path, write, /*removeOnError=*/false);
}

/// Write what \p write produces to a new temporary file next to \p path; returns its name, or
/// "" with \p error saying why not.
std::string writeTemporary(llvm::StringRef path, WriteContents write, std::string &error) {
  llvm::SmallString<256> temp;
  int fd = -1;
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%";
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp)) {
    error = fmt::format("cannot create a temporary file next to '{}': {}", path.str(), ec.message());
    return "";
  }
  error = writeAndClose(fd, temp, write);
  return error.empty() ? std::string(temp) : "";
}

/// Write \p contents to the new file \p path; returns the error or "".
std::string writeNewFile(llvm::StringRef path, llvm::StringRef contents) {
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_CreateNew))
    return fmt::format("cannot create '{}': {}", path.str(), ec.message());
  return writeAndClose(fd, path, [&](llvm::raw_ostream &os) { os << contents; });
}

/// What mkdir(1) gives, before the umask: llvm::sys::fs's default leaves others out (0770),
/// so an output tree could not be read by another account (a web server, a deployment user).
constexpr llvm::sys::fs::perms directoryPerms = llvm::sys::fs::all_all;

/// A new directory named \p prefix plus a random suffix, as llvm::sys::fs::createUniqueDirectory
/// makes but with directoryPerms.
std::error_code createUniqueDirectory(const llvm::Twine &prefix, llvm::SmallVectorImpl<char> &path) {
  for (int attempt = 0; attempt < 128; ++attempt) {
    llvm::sys::fs::createUniquePath(prefix + "-%%%%%%", path, /*MakeAbsolute=*/false);
    std::error_code ec = llvm::sys::fs::create_directory(path, /*IgnoreExisting=*/false, directoryPerms);
    if (ec != std::errc::file_exists)
      return ec;
  }
  return std::make_error_code(std::errc::file_exists);
}

/// Create \p dir and its missing parents, recording each one created in \p created (outermost
/// first) so that a failed write can take them away again.
std::error_code createDirectories(llvm::StringRef dir, std::vector<std::string> &created) {
  llvm::SmallVector<llvm::StringRef, 4> missing;
  for (llvm::StringRef d = dir; !d.empty() && !llvm::sys::fs::exists(d); d = llvm::sys::path::parent_path(d))
    missing.push_back(d);
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (std::error_code ec = llvm::sys::fs::create_directory(*it, /*IgnoreExisting=*/true, directoryPerms))
      return ec;
    created.push_back(it->str());
  }
  return {};
}

} // namespace

bool writeFileAtomically(llvm::StringRef path, llvm::StringRef contents, DiagnosticEngine &diags) {
  return writeFileAtomically(path, [&](llvm::raw_ostream &os) { os << contents; }, diags);
}

bool writeFileAtomically(llvm::StringRef path, WriteContents write, DiagnosticEngine &diags) {
  if (path == "-") {
    write(llvm::outs());
    llvm::outs().flush();
    return true;
  }
  std::string error;
  // Renaming over a symbolic link or a device would replace it with a regular file (-o
  // /dev/stdout, as root, would replace /dev/stdout): write through those instead, which
  // cannot be atomic. Only a regular file, or a new one, is replaced atomically.
  llvm::sys::fs::file_status link;
  if (!llvm::sys::fs::status(path, link, /*Follow=*/false) && link.type() != llvm::sys::fs::file_type::regular_file) {
    if (llvm::sys::fs::is_directory(path))
      error = fmt::format("cannot write '{}': it is a directory; give a file name", path.str());
    else
      error = writeThrough(path, write);
    if (!error.empty())
      diags.report(DiagKind::FileUnreadable, llvm::SMRange(), error);
    return error.empty();
  }
  std::string temp = writeTemporary(path, write, error);
  if (temp.empty()) {
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(), error);
    return false;
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(),
                 fmt::format("cannot move output into place at '{}': {}", path.str(), ec.message()));
    return false;
  }
  return true;
}

OutputWriter::~OutputWriter() {
  for (const Target &t : targets)
    if (!t.fresh)
      for (const StagedFile &f : t.files)
        llvm::sys::fs::remove(f.temp);
  if (!staging.empty())
    llvm::sys::fs::remove_directories(staging);
  for (auto it = created.rbegin(); it != created.rend(); ++it)
    llvm::sys::fs::remove(*it); // only when empty: a failed rename may have left files in it
}

bool OutputWriter::prepare(Target &t) {
  if (t.prepared)
    return true;
  llvm::SmallString<256> final(dir);
  llvm::sys::path::append(final, t.dir);
  t.fresh = !llvm::sys::fs::exists(final);
  std::error_code ec = createDirectories(dir, created);
  if (!ec && t.fresh && staging.empty()) {
    llvm::SmallString<256> unique;
    ec = createUniqueDirectory(dir + "/.cmnet-build", unique);
    staging = std::string(unique);
  }
  if (ec) {
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(),
                 fmt::format("cannot create the output directory '{}': {}", dir, ec.message()));
    return false;
  }
  t.prepared = true;
  return true;
}

bool OutputWriter::stage(size_t target, llvm::StringRef relPath, llvm::StringRef contents) {
  Target &t = targets[target];
  llvm::SmallString<256> path(dir), written;
  llvm::sys::path::append(path, t.dir, relPath);
  if (!t.files.empty() && t.files.back().path == path)
    return appendPiece(t.files.back().temp, contents);
  {
    std::lock_guard<std::mutex> guard(lock);
    if (!prepare(t))
      return false;
    written = t.fresh ? llvm::StringRef(staging) : llvm::StringRef(dir);
    llvm::sys::path::append(written, t.dir, relPath);
    llvm::StringRef parent = llvm::sys::path::parent_path(written);
    if (!ready.count(parent)) {
      std::vector<std::string> inStaging;
      if (std::error_code ec = createDirectories(parent, t.fresh ? inStaging : created)) {
        diags.report(DiagKind::FileUnreadable, llvm::SMRange(),
                     fmt::format("cannot create directory for '{}': {}", path.str().str(), ec.message()));
        return false;
      }
      ready.insert(parent);
    }
  }
  std::string error, temp;
  if (t.fresh)
    temp = (error = writeNewFile(written, contents)).empty() ? std::string(written) : "";
  else
    temp = writeTemporary(path, [&](llvm::raw_ostream &os) { os << contents; }, error);
  if (temp.empty()) {
    std::lock_guard<std::mutex> guard(lock);
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(), error);
    return false;
  }
  t.files.push_back({std::move(temp), std::string(path)});
  return true;
}

bool OutputWriter::appendPiece(llvm::StringRef temp, llvm::StringRef contents) {
  int fd = -1;
  std::string error;
  if (std::error_code ec =
          llvm::sys::fs::openFileForWrite(temp, fd, llvm::sys::fs::CD_OpenExisting, llvm::sys::fs::OF_Append))
    error = fmt::format("cannot append to '{}': {}", temp.str(), ec.message());
  else
    error = writeAndClose(fd, temp, [&](llvm::raw_ostream &os) { os << contents; });
  if (error.empty())
    return true;
  std::lock_guard<std::mutex> guard(lock);
  diags.report(DiagKind::FileUnreadable, llvm::SMRange(), error);
  return false;
}

size_t OutputWriter::staged() const {
  size_t files = 0;
  for (const Target &t : targets)
    files += t.files.size();
  return files;
}

namespace {
constexpr llvm::StringLiteral manifestName = ".cmnet-files";

/// Whether \p rel, a line of the manifest of \p top, names a path inside \p top: no `..`, and
/// no directory on the way that is a symbolic link (a changed manifest or a planted link must
/// not make a build remove files elsewhere). A NUL would end the name the system sees early:
/// `a.nft<NUL>x` would remove the a.nft just written.
bool staysInside(llvm::StringRef top, llvm::StringRef rel) {
  if (rel.empty() || llvm::sys::path::is_absolute(rel) || rel.contains('\0'))
    return false;
  llvm::SmallString<256> path(top);
  for (auto part = llvm::sys::path::begin(rel), end = llvm::sys::path::end(rel); part != end;) {
    if (*part == ".." || *part == ".")
      return false;
    llvm::sys::path::append(path, *part);
    llvm::sys::fs::file_status status;
    if (++part != end && !llvm::sys::fs::status(path, status, /*Follow=*/false) &&
        status.type() == llvm::sys::fs::file_type::symlink_file)
      return false;
  }
  return true;
}

/// Remove the directories between \p path and \p top that removing \p path left empty.
void removeEmptyParents(llvm::StringRef path, llvm::StringRef top) {
  for (llvm::StringRef d = llvm::sys::path::parent_path(path); d.size() > top.size();
       d = llvm::sys::path::parent_path(d))
    if (llvm::sys::fs::remove(d))
      return; // not empty
}
} // namespace

bool OutputWriter::replaceManifest(Target &t, llvm::raw_ostream &log) {
  llvm::SmallString<256> targetDir(dir);
  llvm::sys::path::append(targetDir, t.dir);
  std::string manifest = "# Written by cmnetc build: the files its last build put in this directory. The next\n"
                         "# build removes those it no longer writes.\n";
  llvm::StringSet<> written;
  for (const StagedFile &f : t.files) {
    llvm::StringRef rel = llvm::StringRef(f.path).drop_front(targetDir.size() + 1);
    written.insert(rel);
    (manifest += rel) += '\n';
  }
  llvm::SmallString<256> manifestPath(targetDir);
  llvm::sys::path::append(manifestPath, manifestName);
  auto old = t.fresh ? nullptr : llvm::MemoryBuffer::getFile(manifestPath, /*IsText=*/true);
  if (old && *old) {
    llvm::SmallVector<llvm::StringRef, 0> lines;
    (*old)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef rel : lines) {
      if (rel.startswith("#") || written.count(rel) || !staysInside(targetDir, rel))
        continue;
      llvm::SmallString<256> path(targetDir);
      llvm::sys::path::append(path, rel);
      llvm::sys::fs::file_status status;
      if (llvm::sys::fs::status(path, status, /*Follow=*/false))
        continue; // gone already
      if (std::error_code ec = llvm::sys::fs::remove(path)) {
        diags.report(DiagKind::StaleOutputKept, llvm::SMRange(),
                     fmt::format("'{}' was written by an earlier build and is not by this one, but cannot be "
                                 "removed: {}",
                                 path.str().str(), ec.message()));
        (manifest += rel) += '\n'; // the next build tries again
        continue;
      }
      log << "removed " << path << "\n";
      ++removedFiles;
      removeEmptyParents(path, targetDir);
    }
  }
  if (!t.fresh)
    return writeFileAtomically(manifestPath, manifest, diags);
  llvm::SmallString<256> staged(staging);
  llvm::sys::path::append(staged, t.dir, manifestName);
  std::string error = writeNewFile(staged, manifest);
  if (!error.empty())
    diags.report(DiagKind::FileUnreadable, llvm::SMRange(), error);
  return error.empty();
}

bool OutputWriter::commit(llvm::raw_ostream &log) {
  for (Target &t : targets) {
    llvm::SmallString<256> oldManifest(dir);
    llvm::sys::path::append(oldManifest, t.dir, manifestName);
    // A target that wrote nothing this time still takes away what it wrote before.
    if (!t.prepared && !llvm::sys::fs::exists(oldManifest))
      continue;
    if (t.fresh) {
      if (!replaceManifest(t, log))
        return false;
      llvm::SmallString<256> from(staging), to(dir);
      llvm::sys::path::append(from, t.dir);
      llvm::sys::path::append(to, t.dir);
      if (std::error_code ec = llvm::sys::fs::rename(from, to)) {
        diags.report(DiagKind::FileUnreadable, llvm::SMRange(),
                     fmt::format("cannot move output into place at '{}': {}", to.str().str(), ec.message()));
        return false;
      }
    }
    for (size_t i = 0; i < t.files.size(); ++i) {
      if (std::error_code ec = t.fresh ? std::error_code() : llvm::sys::fs::rename(t.files[i].temp, t.files[i].path)) {
        diags.report(DiagKind::FileUnreadable, llvm::SMRange(),
                     fmt::format("cannot move output into place at '{}': {}", t.files[i].path, ec.message()));
        t.files.erase(t.files.begin(), t.files.begin() + i); // those are in place already
        return false;
      }
      log << "wrote " << t.files[i].path << "\n";
    }
    if (!t.fresh && !replaceManifest(t, log))
      return false;
    t.files.clear();
  }
  created.clear();
  return true;
}

} // namespace cmnet::driver
