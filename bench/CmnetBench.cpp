// cmnet_bench: Google Benchmark timings of every compiler stage on the .cmnet files it is given.
//
//   cmnet_bench [--benchmark_* flags] FILE.cmnet...
//
// For each file: `parse` (read and parse the file itself, imports excluded), `frontend`
// (parse with imports + semantic checks: the whole loadModel), `pass/NAME` for every pass of
// the default pipeline (the passes before it run untimed), `backend/NAME` for every registered
// backend (capability check + render in memory), and `end-to-end` (all of it, no file writes).
// bench/run.sh generates the inputs and adds wall time and peak memory of `cmnetc build`.
#include "frontend/Frontend.h"
#include "frontend/ParsedFile.h"
#include "passes/Pass.h"
#include "support/Diagnostics.h"
#include "targets/Registry.h"

#include "benchmark/benchmark.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

using namespace cmnet;

namespace {

/// One compilation's owned state; the pipeline is created with it so a benchmark can run its
/// passes one at a time.
struct Run {
  explicit Run(const std::string &path) : diags(sourceMgr, llvm::errs()) {
    diags.setQuiet(true); // warnings would be printed once per iteration
    options.stdlibDir = frontend::defaultStdlibDir();
    model = frontend::loadModel(path, diags, options);
    if (!model)
      return;
    ctx = std::make_unique<passes::CompileContext>(*model, diags);
    ctx->flows.sourceMgr = &sourceMgr;
    pipeline = passes::createDefaultPipeline();
  }
  bool ok() const { return model && !diags.hasErrors(); }
  /// Run passes [0, count).
  void runPasses(size_t count) {
    for (size_t i = 0; i < count && ok(); ++i)
      pipeline[i]->run(*ctx);
  }

  llvm::SourceMgr sourceMgr;
  DiagnosticEngine diags;
  frontend::FrontendOptions options;
  std::unique_ptr<ir::Model> model;
  std::unique_ptr<passes::CompileContext> ctx;
  std::vector<std::unique_ptr<passes::Pass>> pipeline;
};

size_t renderAll(const ir::PlacedPolicy &placed, DiagnosticEngine &diags) {
  backends::BackendOptions options{"bench", ""};
  size_t bytes = 0;
  for (const backends::BackendEntry &entry : targets::targetRegistry()) {
    auto backend = entry.create();
    if (backends::checkCapabilities(*backend, placed, diags))
      backend->render(placed, options, [&](llvm::StringRef, std::string contents) {
        bytes += contents.size();
        return true;
      });
  }
  return bytes;
}

void benchParse(benchmark::State &state, std::string path) {
  for (auto _ : state) {
    llvm::SourceMgr sourceMgr;
    DiagnosticEngine diags(sourceMgr, llvm::errs());
    diags.setQuiet(true);
    frontend::FrontendOptions options;
    unsigned buffer = frontend::loadSourceFile(path, path, diags, options, llvm::SMRange());
    auto file = buffer ? frontend::ParsedFile::parse(buffer, diags, options) : nullptr;
    if (!file || diags.hasErrors())
      return state.SkipWithError("the input does not parse");
    benchmark::DoNotOptimize(file->root());
    state.PauseTiming(); // the parse tree's destruction is not the parser's time
    file.reset();
    state.ResumeTiming();
  }
}

void benchFrontend(benchmark::State &state, std::string path) {
  for (auto _ : state) {
    Run run(path);
    if (!run.ok())
      return state.SkipWithError("the input has errors");
    state.PauseTiming();
    run.model.reset();
    state.ResumeTiming();
  }
}

void benchPass(benchmark::State &state, std::string path, size_t index) {
  for (auto _ : state) {
    state.PauseTiming();
    auto run = std::make_unique<Run>(path);
    run->runPasses(index);
    if (!run->ok())
      return state.SkipWithError("the input has errors");
    state.ResumeTiming();
    run->pipeline[index]->run(*run->ctx);
    state.PauseTiming();
    run.reset();
    state.ResumeTiming();
  }
}

void benchBackend(benchmark::State &state, std::string path, size_t index) {
  Run run(path);
  run.runPasses(run.pipeline.size());
  if (!run.ok() || !run.ctx->placedReady)
    return state.SkipWithError("the input does not compile");
  const backends::BackendEntry &entry = targets::targetRegistry()[index];
  backends::BackendOptions options{"bench", ""};
  size_t bytes = 0;
  for (auto _ : state) {
    auto backend = entry.create();
    if (!backends::checkCapabilities(*backend, run.ctx->placed, run.diags))
      return state.SkipWithError("the target cannot express this policy");
    std::vector<backends::OutputFile> files = backend->renderToMemory(run.ctx->placed, options);
    bytes = 0;
    for (const backends::OutputFile &f : files)
      bytes += f.contents.size();
    state.PauseTiming();
    files.clear();
    state.ResumeTiming();
  }
  state.counters["bytes"] = double(bytes);
}

void benchEndToEnd(benchmark::State &state, std::string path) {
  for (auto _ : state) {
    auto run = std::make_unique<Run>(path);
    run->runPasses(run->pipeline.size());
    if (!run->ok())
      return state.SkipWithError("the input does not compile");
    benchmark::DoNotOptimize(renderAll(run->ctx->placed, run->diags));
    state.PauseTiming();
    run.reset();
    state.ResumeTiming();
  }
}

void registerFile(const std::string &path) {
  std::string stem = llvm::sys::path::stem(path).str();
  auto add = [&](const std::string &name, auto fn, auto... args) {
    return benchmark::RegisterBenchmark((stem + "/" + name).c_str(), fn, path, args...)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime()
        ->UseRealTime();
  };
  add("parse", benchParse);
  add("frontend", benchFrontend);
  std::vector<std::unique_ptr<passes::Pass>> pipeline = passes::createDefaultPipeline();
  for (size_t i = 0; i < pipeline.size(); ++i)
    // Each iteration rebuilds the input and runs the passes before this one untimed: a pass
    // of microseconds would otherwise be repeated thousands of times behind a slow set-up.
    add("pass/" + pipeline[i]->name().str(), benchPass, i)->Iterations(3);
  const auto &registry = targets::targetRegistry();
  for (size_t i = 0; i < registry.size(); ++i)
    add(std::string("backend/") + registry[i].name, benchBackend, i);
  add("end-to-end", benchEndToEnd);
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    llvm::errs() << "usage: cmnet_bench [--benchmark_* flags] FILE.cmnet...\n";
    return 2;
  }
  for (int i = 1; i < argc; ++i)
    registerFile(argv[i]);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
