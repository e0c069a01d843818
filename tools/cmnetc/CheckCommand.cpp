// `cmnetc check`: parse, resolve and run the pipeline, reporting diagnostics only.
#include "Commands.h"
#include "Driver.h"

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand checkCmd("check", "Check a .cmnet file (catalog or hierarchy) for errors");
cl::list<std::string> inputs(cl::Positional, cl::desc("<file.cmnet>..."), cl::OneOrMore, cl::sub(checkCmd));
CommonOptions common(checkCmd);
} // namespace

bool checkSelected() { return static_cast<bool>(checkCmd); }

int runCheck() {
  int status = ExitSuccess;
  for (const std::string &input : inputs) {
    Compilation c;
    common.apply(c);
    CompileOptions options = common.get();
    options.requireHierarchy = false;
    if (!compile(input, options, c))
      status = ExitInputError;
  }
  return status;
}

} // namespace cmnet::driver
