// Runs cmnet_fuzz_quoting's inputs (its seed corpus and regressions) through the quoting check
// in a build without libFuzzer, so the test suite holds every compiler to the invariant.
//
//   cmnet_quoting_replay FILE...
#include "QuotingCheck.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  unsigned checked = 0;
  for (int i = 1; i < argc; ++i) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file = llvm::MemoryBuffer::getFile(argv[i]);
    if (!file) {
      llvm::errs() << argv[i] << ": " << file.getError().message() << "\n";
      return 1;
    }
    llvm::StringRef bytes = (*file)->getBuffer();
    checked += cmnet::fuzz::checkQuoting(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  }
  llvm::outs() << "quoting: " << argc - 1 << " inputs, " << checked << " compiled and checked\n";
  return 0;
}
