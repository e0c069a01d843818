// Layering probe (must not compile): ir/ comes before the frontend.
#include "ir/Model.h"
#include "frontend/Frontend.h"
