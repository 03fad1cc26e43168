// Baseline files: the metrics of every scenario as plain, reviewable JSON,
// committed next to the code. Keys are sorted and the layout fixed, so the
// same run written twice is the same bytes and a change shows up in a
// review diff as the lines that moved:
//
//   { "format": "wasmscope-ci-baseline", "version": 1,
//     "scenarios": { "NAME": { "module": "prog.wasm", "exit_status": 0,
//       "totals": { "instructions": 1234 },
//       "functions": { "main": { "file": "src/main.c", "line": 12,
//                                "self_instructions": 456 } } } } }
#pragma once

#include "wasmscope/ci/Metrics.h"
#include "wasmscope/runtime/Result.h"

#include <map>
#include <string>

namespace wasmscope::ci {

inline constexpr const char *kBaselineFormatName = "wasmscope-ci-baseline";
inline constexpr uint32_t kBaselineFormatVersion = 1;

/// Every scenario's metrics, by scenario name.
struct Baseline {
  std::map<std::string, ScenarioMetrics> scenarios;
};

/// The baseline as JSON text (two-space indent, sorted keys, final newline).
std::string writeBaseline(const Baseline &baseline);
/// Parses a baseline; errors say what is wrong and where.
runtime::Result<Baseline> parseBaseline(const std::string &text, const std::string &origin);
/// Reads a baseline file; a missing file is an IoError whose message says so.
runtime::Result<Baseline> readBaselineFile(const std::string &path);

} // namespace wasmscope::ci
