// libFuzzer target: names and free text of a fixed policy from the input's bytes, every
// output checked for the quoting invariant (QuotingCheck.h).
#include "QuotingCheck.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cmnet::fuzz::checkQuoting(data, size);
  return 0;
}
