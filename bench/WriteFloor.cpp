// cmnet_write_floor: the least time this machine takes to create a build's output, whatever
// writes it.
//
//   cmnet_write_floor OUTPUT_DIR [--threads N] [--repeat K] [--scratch DIR]
//
// Lists every file under OUTPUT_DIR (a finished `cmnetc build -o OUTPUT_DIR`) and creates the
// same tree again under a scratch directory beside it: the same directories, the same number
// of files of the same sizes, written from one ready buffer, every N-th file by each of N
// threads. Nothing is formatted, so the time is the system's own cost of the output
// (creating, filling and closing the files). It prints the fastest of K rounds, removing the
// copy after each. docs/performance.md compares it with the time target at the maximum
// hierarchy.
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct OutputFile {
  std::string path; // relative to the output directory
  size_t size;
};

struct Tree {
  std::vector<std::string> dirs; // parents before children
  std::vector<OutputFile> files;
  size_t bytes = 0;
};

Tree listTree(const std::string &root) {
  Tree tree;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef relative = llvm::StringRef(it->path()).drop_front(root.size() + 1);
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(it->path(), status))
      continue;
    if (status.type() == llvm::sys::fs::file_type::directory_file)
      tree.dirs.push_back(relative.str());
    else if (status.type() == llvm::sys::fs::file_type::regular_file) {
      tree.files.push_back({relative.str(), size_t(status.getSize())});
      tree.bytes += status.getSize();
    }
  }
  return tree;
}

/// The bytes every file is written from, in writes of at most this size.
const std::vector<char> &contents() {
  static const std::vector<char> buffer(16 << 20, 'x');
  return buffer;
}

bool writeFile(const std::string &path, size_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return false;
  bool ok = true;
  for (size_t left = size; left && ok;) {
    size_t chunk = std::min(left, contents().size());
    ok = ::write(fd, contents().data(), chunk) == ssize_t(chunk);
    left -= chunk;
  }
  return ::close(fd) == 0 && ok;
}

/// One round: the tree created again under \p copy by \p threads threads; seconds, or -1.
double writeRound(const Tree &tree, const std::string &copy, unsigned threads) {
  auto start = std::chrono::steady_clock::now();
  if (::mkdir(copy.c_str(), 0755) != 0)
    return -1;
  for (const std::string &dir : tree.dirs)
    if (::mkdir((copy + "/" + dir).c_str(), 0755) != 0)
      return -1;
  std::vector<std::thread> workers;
  std::vector<char> failed(threads, 0);
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (size_t i = t; i < tree.files.size(); i += threads)
        if (!writeFile(copy + "/" + tree.files[i].path, tree.files[i].size))
          failed[t] = 1;
    });
  for (std::thread &w : workers)
    w.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::count(failed.begin(), failed.end(), 1) ? -1 : seconds;
}

int usage() {
  llvm::errs() << "usage: cmnet_write_floor OUTPUT_DIR [--threads N] [--repeat K] [--scratch DIR]\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return usage();
  std::string root = argv[1];
  while (root.size() > 1 && root.back() == '/')
    root.pop_back();
  unsigned threads = std::max(1u, std::thread::hardware_concurrency()), repeat = 3;
  llvm::SmallString<256> scratch(llvm::sys::path::parent_path(root));
  llvm::sys::path::append(scratch, ".cmnet-write-floor");
  for (int i = 2; i < argc; ++i) {
    if (i + 1 >= argc)
      return usage();
    if (!std::strcmp(argv[i], "--threads"))
      threads = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--scratch"))
      scratch = argv[++i];
    else
      return usage();
  }
  if (!llvm::sys::fs::is_directory(root)) {
    llvm::errs() << "cmnet_write_floor: '" << root << "' is not a directory\n";
    return 2;
  }
  if (llvm::sys::fs::exists(scratch)) {
    llvm::errs() << "cmnet_write_floor: '" << scratch << "' exists; remove it or pass --scratch\n";
    return 2;
  }
  Tree tree = listTree(root);
  contents(); // filled before the clock starts
  double best = -1;
  for (unsigned round = 0; round < repeat; ++round) {
    double seconds = writeRound(tree, std::string(scratch), threads);
    llvm::sys::fs::remove_directories(scratch);
    if (seconds < 0) {
      llvm::errs() << "cmnet_write_floor: cannot write under '" << scratch << "'\n";
      return 1;
    }
    best = best < 0 ? seconds : std::min(best, seconds);
  }
  llvm::outs() << tree.files.size() << " files, " << tree.dirs.size() << " directories, " << tree.bytes
               << " bytes: fastest of " << repeat << " rounds on " << threads << " thread(s) " << llvm::format("%.2f", best)
               << " s\n";
  return 0;
}
