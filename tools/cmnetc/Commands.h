// The cmnetc subcommands. Each lives in its own file with its own llvm::cl options.
#pragma once

namespace cmnet::driver {

/// One row of the command table: whether the user chose it, and how to run it.
struct CommandEntry {
  const char *name;
  bool (*selected)();
  int (*run)();
};

bool buildSelected();
int runBuild();
bool checkSelected();
int runCheck();
bool docSelected();
int runDoc();
bool catalogSelected();
int runCatalog();
bool lintSelected();
int runLint();
bool diffSelected();
int runDiff();
bool explainSelected();
int runExplain();
bool importSelected();
int runImport();

} // namespace cmnet::driver
