// Layering probe (must not compile): lint asks analysis/ its questions, never runs a pass.
#include "analysis/AddressIndex.h"
#include "passes/Pass.h"
