// Textual and JSON dumps of the IR, for --print-after, --emit=ir-json and golden tests.
#pragma once

#include "ir/Flow.h"
#include "ir/Placement.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace cmnet::ir {

/// One line per flow: `src -> dst proto ports action ; why`.
void printFlows(const Model &model, const FlowTable &table, llvm::raw_ostream &os);
/// Per enforcement point, one line per rule.
void printPlacement(const PlacedPolicy &placed, llvm::raw_ostream &os);
/// The placed policy as JSON (the ir-json backend's format), pretty-printed and deterministic.
void writePlacementJson(const PlacedPolicy &placed, llvm::raw_ostream &os);
/// One placed rule: `src -> dst proto ports action`.
std::string placedRuleText(const PlacedRule &rule);
/// One placed rule as an object of the ir-json format (with its provenance).
void writePlacedRuleJson(llvm::json::OStream &json, const PlacedPolicy &placed, const PlacedRule &rule);
/// The text form of a flow's ports ("80,443", "{http_port}" before resolution, "type 8" for ICMP).
std::string flowPortsText(const Flow &flow);

} // namespace cmnet::ir
