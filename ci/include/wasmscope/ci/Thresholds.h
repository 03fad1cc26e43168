// Thresholds: how much a metric may grow over its baseline before the CI
// build fails. A limit is relative ("5%"), absolute ("+4096") or zero ("0"),
// or "off"; each metric has one limit for its total and one for any single
// function or site. The catalogue below names every metric `ci` checks and
// where its values live in ScenarioMetrics.
#pragma once

#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::ci {

template <typename T> using Result = runtime::Result<T>;

/// How much a value may exceed its baseline.
struct Limit {
  enum class Kind : uint8_t { Off, Zero, Relative, Absolute };
  Kind kind = Kind::Zero;
  double percent = 0;    ///< Relative: allowed growth in percent of the baseline.
  uint64_t absolute = 0; ///< Absolute: allowed growth in the metric's unit.

  /// The largest value that passes against `baseline`.
  uint64_t allowedMax(uint64_t baseline) const;
  /// "5%", "+4096", "0", "off".
  std::string text() const;
};

/// Parses "5%", "0.5%", "+4096", "4096", "0", "off". Errors name the text.
Result<Limit> parseLimit(const std::string &text);

/// A metric `ci` can check.
struct MetricInfo {
  std::string name;       ///< "instructions": the config and report name.
  std::string title;      ///< "Instructions", for reports.
  std::string unit;       ///< "instructions", "bytes", ...
  std::string totalKey;   ///< Key in ScenarioMetrics::totals; "" if none.
  std::string group;      ///< Item group in ScenarioMetrics::groups; "" if none.
  std::string itemValue;  ///< Value name inside each item.
  std::string itemNoun;   ///< "function", "site".
  bool memory = false;    ///< Needs the memory profiler.
  /// An item absent from the baseline is a new leak site (the
  /// no-new-leak-site rule), not merely a new item.
  bool newItemIsLeak = false;
};

/// Every metric, in report order.
const std::vector<MetricInfo> &metricCatalogue();
const MetricInfo *findMetric(const std::string &name);

/// The limits of one metric.
struct MetricLimits {
  Limit total;
  Limit item; ///< For any single function or site.
};

/// What the guest's exit status must be.
struct ExitRequirement {
  enum class Kind : uint8_t { Baseline, Any, Value };
  Kind kind = Kind::Baseline;
  int value = 0;
  std::string text() const;
};
Result<ExitRequirement> parseExitRequirement(const std::string &text);

/// The thresholds of one scenario.
struct Thresholds {
  std::map<std::string, MetricLimits> limits; ///< By metric name.
  /// Metrics checked (names from the catalogue); empty: all available.
  std::vector<std::string> metrics;
  bool noNewLeakSites = true; ///< A leak site absent from the baseline fails (exit 3).
  ExitRequirement exit;

  /// The defaults: instructions 2% total and 5% per function;
  /// allocations, allocated and peak bytes 5% / 10% per site; definitely,
  /// indirectly and possibly lost bytes and blocks zero; still reachable
  /// 10% in total; memory.grow count zero; final memory size 5%; no new leak
  /// site; the exit status as in the baseline.
  static Thresholds defaults();
  /// Whether `metric` is checked.
  bool checks(const std::string &metric) const;

  /// Applies one override "METRIC=LIMIT" (both scopes),
  /// "METRIC.total=LIMIT" or "METRIC.item=LIMIT" (also .function, .site).
  Result<void> apply(const std::string &assignment);
  Result<void> set(const std::string &metric, const std::string &scope, const std::string &limit);
};

} // namespace wasmscope::ci
