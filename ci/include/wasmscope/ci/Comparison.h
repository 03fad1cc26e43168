// The comparison of a scenario's metrics with its baseline under its
// thresholds: one Check per total metric, per function or site that grew
// past its limit (or improved), per item that appeared or disappeared, per
// new leak site, and one for the exit status. The verdict and the process
// exit status of `wasmscope ci` follow from the checks.
#pragma once

#include "wasmscope/ci/Metrics.h"
#include "wasmscope/ci/Thresholds.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::ci {

/// `wasmscope ci`'s exit statuses (documented in its --help and docs/CI.md).
enum class CiExit : int {
  Pass = 0,       ///< No check failed.
  Regression = 1, ///< A threshold was exceeded (or the exit status differs).
  Error = 2,      ///< wasmscope's own error: bad config, missing baseline, module error.
  NewLeak = 3,    ///< A leak site the baseline does not have (no-new-leak-site rule).
};

enum class CheckStatus : uint8_t {
  Pass,      ///< Within the limit, unchanged or grown.
  Improved,  ///< Lower than the baseline.
  Regressed, ///< Beyond the limit: fails the build.
  Added,     ///< An item the baseline does not have (informative).
  Removed,   ///< An item the baseline has and the run does not (informative).
  NewLeak,   ///< A leak site the baseline does not have: fails (exit 3).
};
const char *checkStatusName(CheckStatus status); ///< "pass", "improved", ...

/// One checked value.
struct Check {
  enum class Scope : uint8_t { Total, Item, ExitStatus };
  Scope scope = Scope::Total;
  std::string metric;  ///< Catalogue name ("instructions"), or "exit_status".
  std::string title;   ///< "Instructions", "Instructions of parse_request", ...
  std::string unit;
  std::string key;     ///< Item key (Item scope).
  std::string file;    ///< Where the item is (relative to the source root).
  uint32_t line = 0;
  std::vector<std::string> stack; ///< Allocation stack of a site, if any.
  std::optional<uint64_t> baseline;
  std::optional<uint64_t> current;
  std::string limit;                 ///< The limit as written ("5%").
  std::optional<uint64_t> allowed;   ///< Largest passing value.
  CheckStatus status = CheckStatus::Pass;
  std::string message; ///< One line: what happened.

  bool failed() const { return status == CheckStatus::Regressed || status == CheckStatus::NewLeak; }
  /// current - baseline (signed), when both exist.
  std::optional<int64_t> delta() const;
  /// The change in percent of the baseline, when both exist and the baseline is not 0.
  std::optional<double> percent() const;
};

/// One scenario's outcome.
struct ScenarioResult {
  std::string name;
  ScenarioMetrics current;
  std::optional<ScenarioMetrics> baseline; ///< Absent when updating a new baseline.
  std::vector<Check> checks;
  bool updated = false; ///< --update-baseline wrote this scenario.

  bool regressed() const;
  bool newLeak() const;
};

/// Compares `current` with `baseline` under `thresholds`.
std::vector<Check> compareMetrics(const ScenarioMetrics &baseline, const ScenarioMetrics &current,
                                  const Thresholds &thresholds);

/// The process exit status for a set of results: NewLeak beats Regression.
CiExit exitFor(const std::vector<ScenarioResult> &results);

/// 1234567 -> "1,234,567"; negative deltas keep their sign ("+1,024", "-3").
std::string groupDigits(uint64_t value);
std::string signedDigits(int64_t value);
/// A percentage such as "+3.25%", "-0.5%", "0%".
std::string percentText(double percent);

} // namespace wasmscope::ci
