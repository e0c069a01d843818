// Layering probe (must not compile): backends read the placed policy, not the passes' analyses.
#include "backends/Backend.h"
#include "analysis/AddressIndex.h"
