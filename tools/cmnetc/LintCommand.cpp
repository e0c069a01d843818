// `cmnetc lint`: missing and overbroad openings, note violations and hygiene, as clang-style
// text, JSON or SARIF 2.1.0 (docs/lint.md lists the rules).
#include "Commands.h"
#include "Driver.h"
#include "OutputWriter.h"

#include "lint/LintOutput.h"
#include "lint/Linter.h"
#include "support/Version.h"

#include "fmt/format.h"

namespace cl = llvm::cl;

namespace cmnet::driver {
namespace {
cl::SubCommand lintCmd("lint", "Lint policies: missing and overbroad openings, note violations, hygiene");
cl::list<std::string> inputs(cl::Positional, cl::desc("<file.cmnet>..."), cl::ZeroOrMore, cl::sub(lintCmd));
cl::opt<std::string> format("format", cl::desc("Report format: text (default), json, sarif"), cl::init("text"),
                            cl::value_desc("format"), cl::sub(lintCmd));
cl::opt<std::string> output("o", cl::desc("Write the report to this file (atomically) instead of stdout"),
                            cl::value_desc("file"), cl::sub(lintCmd));
cl::list<std::string> disable("disable", cl::desc("Rules not to report: IDs or names, comma-separated, or 'all'"),
                              cl::CommaSeparated, cl::value_desc("rule"), cl::sub(lintCmd));
cl::list<std::string> enable("enable", cl::desc("Rules to report (also those off by default), or 'all'"),
                             cl::CommaSeparated, cl::value_desc("rule"), cl::sub(lintCmd));
cl::opt<bool> listRules("list-rules", cl::desc("Print the rules (ID, name, level, summary) and exit"),
                        cl::sub(lintCmd));
CommonOptions common(lintCmd); // --Werror applies to the findings

/// Apply --enable and --disable in command-line order. Returns false after reporting an
/// unknown rule.
bool selectRules(lint::LintOptions &options) {
  std::vector<std::tuple<unsigned, bool, std::string>> choices; // position, enable, rule
  for (unsigned i = 0; i < enable.size(); ++i)
    choices.emplace_back(enable.getPosition(i), true, enable[i]);
  for (unsigned i = 0; i < disable.size(); ++i)
    choices.emplace_back(disable.getPosition(i), false, disable[i]);
  std::sort(choices.begin(), choices.end());
  for (const auto &[position, on, name] : choices) {
    if (name == "all") {
      options.enabled.assign(options.enabled.size(), on);
      continue;
    }
    std::optional<lint::RuleId> rule = lint::findRule(name);
    if (!rule) {
      llvm::errs() << fmt::format("cmnetc: error: unknown lint rule '{}' (see 'cmnetc lint --list-rules')\n", name);
      return false;
    }
    options.enabled[unsigned(*rule)] = on;
  }
  return true;
}

void printRules(llvm::raw_ostream &os) {
  for (const lint::RuleInfo &rule : lint::allRules())
    os << fmt::format("{}  {:<36} {:<8} {}{}\n", rule.id, rule.slug, lint::levelName(rule.level).str(), rule.summary,
                      rule.enabledByDefault ? "" : " (off by default)");
}

/// Compile \p path for lint into \p c and lint it.
lint::LintedFile lintFile(const std::string &path, const lint::LintOptions &options, Compilation &c) {
  c.diags.setQuiet(true); // the compiler's diagnostics become findings
  CompileOptions compileOptions = common.get();
  compileOptions.requireHierarchy = false;
  lint::LintInput input;
  compileOptions.passes.beforeStatements = [&](const passes::CompileContext &ctx) { input.required = ctx.flows.flows; };
  compileOptions.passes.stopsRun = lint::stopsLint;
  compile(path, compileOptions, c);
  input.sourceMgr = &c.sourceMgr;
  if (c.model && c.ctx) {
    input.compiled = c.ctx.get();
    input.pipelineFinished = c.pipelinesFinished;
  }
  compileOptions.progress->stage(fmt::format("checking {}", path));
  input.diagnostics = c.diags.diagnostics();
  return {path, &c.sourceMgr, lint::lintPolicy(input, options)};
}
} // namespace

bool lintSelected() { return static_cast<bool>(lintCmd); }

int runLint() {
  if (listRules) {
    printRules(llvm::outs());
    return ExitSuccess;
  }
  if (inputs.empty()) {
    llvm::errs() << "cmnetc: error: lint needs at least one input file\n";
    return ExitUsage;
  }
  if (format != "text" && format != "json" && format != "sarif") {
    llvm::errs() << fmt::format("cmnetc: error: unknown --format '{}' (text, json, sarif)\n", format.getValue());
    return ExitUsage;
  }
  lint::LintOptions options;
  options.warningsAsErrors = common.werror;
  if (!selectRules(options))
    return ExitUsage;

  common.start();
  std::vector<std::unique_ptr<Compilation>> compilations;
  std::vector<lint::LintedFile> files;
  for (const std::string &path : inputs) {
    compilations.push_back(std::make_unique<Compilation>());
    files.push_back(lintFile(path, options, *compilations.back()));
  }

  std::string report;
  if (format == "sarif")
    report = lint::renderSarif(files, CMNET_VERSION);
  else if (format == "json")
    report = lint::renderJson(files, CMNET_VERSION);
  else {
    llvm::raw_string_ostream os(report);
    lint::renderText(files, os);
  }
  unsigned counts[3] = {0, 0, 0};
  for (const lint::LintedFile &file : files)
    for (const lint::Finding &f : file.findings)
      ++counts[unsigned(f.level)];
  llvm::SourceMgr noSources;
  DiagnosticEngine writeDiags(noSources, llvm::errs());
  common.progress.reporter.stage("writing the report");
  if (!writeFileAtomically(output.empty() ? "-" : std::string(output), report, writeDiags))
    return ExitInputError;
  llvm::errs() << fmt::format("cmnetc lint: {} error(s), {} warning(s), {} note(s) in {} file(s)\n",
                              counts[unsigned(lint::Level::Error)], counts[unsigned(lint::Level::Warning)],
                              counts[unsigned(lint::Level::Note)], files.size());
  return counts[unsigned(lint::Level::Error)] ? ExitInputError : ExitSuccess;
}

} // namespace cmnet::driver
