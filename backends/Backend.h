// Backend interface and registry: one generator per target behind one table.
#pragma once

#include "ir/Placement.h"
#include "support/Diagnostics.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cmnet::backends {

/// What a target can express. The shared capability check turns everything else into a
/// located `unsupported` error before any rendering starts.
struct Capabilities {
  bool ipv6 = true;
  bool icmp = true;
  bool portRanges = true;
  bool hostFirewalls = true;
  bool networkFirewalls = false;
  /// ICMP rules may name a type (Azure NSG matches ICMP only as a whole).
  bool icmpTypes = true;
  /// Deny rules can be expressed (AWS security groups only allow).
  bool denyRules = true;
  /// The clients' own rulesets are written (one per `clients` group) beside the hosts'.
  bool clientRulesets = true;
};

/// One file a backend produces, relative to the output directory.
struct OutputFile {
  std::string path;
  std::string contents;
};

/// Receives each rendered file (path relative to the target's directory) as soon as it is
/// complete. A file may also come in consecutive pieces under the same path, each appended to
/// the one before: a single-file target that is a gigabyte at Microsoft's published limits
/// streams it. Returns false to stop rendering, after reporting why.
using FileSink = llvm::function_ref<bool(llvm::StringRef path, std::string contents)>;

/// A stream that hands what is written to it to a FileSink as consecutive pieces of one file,
/// about a megabyte at a time: a single-file target (ir-json, doc-md) writes into it and
/// never holds its whole output.
class FileSinkStream : public llvm::raw_ostream {
public:
  FileSinkStream(FileSink emit, llvm::StringRef path);
  ~FileSinkStream() override;
  /// Hand on what is left (an empty file if nothing was written). False when the sink stopped
  /// taking pieces; what came after was dropped.
  bool finish();

private:
  void write_impl(const char *ptr, size_t size) override;
  uint64_t current_pos() const override { return written; }

  FileSink emit;
  std::string path;
  uint64_t written = 0;
  bool ok = true;
};

struct BackendOptions {
  /// The compiler version written into headers (never a timestamp).
  std::string compilerVersion;
  /// Windows Firewall: a GPO store ("domain\\GPO name") instead of the local store.
  std::string gpoStore;
};

class Backend {
public:
  virtual ~Backend() = default;
  virtual llvm::StringRef name() const = 0;
  virtual Capabilities capabilities() const = 0;
  /// Report target-specific limits the capability table cannot describe (rule counts, what a
  /// cloud rule cannot say about its destination). Called by checkCapabilities.
  virtual void checkLimits(const ir::PlacedPolicy &, DiagnosticEngine &) const {}
  /// Render every file for \p placed, handing each to \p emit as soon as it is complete, so
  /// a target's output never sits in memory whole (a gigabyte for some targets at Microsoft's
  /// published limits). False when \p emit stopped it. Called only after checkCapabilities
  /// passed.
  virtual bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const = 0;
  /// Every file in memory, in render order (for tests, fuzzing and benchmarks).
  std::vector<OutputFile> renderToMemory(const ir::PlacedPolicy &placed, const BackendOptions &options) const;
};

struct BackendEntry {
  const char *name;
  const char *suffix;
  const char *description;
  std::function<std::unique_ptr<Backend>()> create;
};

/// The backends' rows of the target registry, in a fixed order (the table lives in
/// Registry.cpp; targets/Registry.h joins it with the documentation's rows).
const std::vector<BackendEntry> &backendTargets();

/// Report (as located errors) every part of \p placed that \p backend cannot express.
/// Returns false when anything was reported.
bool checkCapabilities(const Backend &backend, const ir::PlacedPolicy &placed, DiagnosticEngine &diags);

/// The source range of the host or firewall declaration behind \p point (for limit errors).
llvm::SMRange pointLoc(const ir::PlacedPolicy &placed, const ir::EnforcementPoint &point);

/// The source range a rule's errors point at: its first provenance record with a location.
llvm::SMRange ruleLoc(const ir::PlacedPolicy &placed, const ir::PlacedRule &rule);

/// A one-line summary of a rule's provenance: "Client --> Management point: HTTP". Valid UTF-8
/// without control characters (plainText), at most 200 bytes; quote characters are left to
/// each target's quoting function.
std::string ruleComment(const ir::PlacedPolicy &placed, const ir::PlacedRule &rule);

/// File-system-safe name for a host or firewall ("p01-sup" stays, "a b" becomes "a_b").
std::string safeFileName(llvm::StringRef name);

} // namespace cmnet::backends
