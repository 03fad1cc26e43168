// Limits, their parsing and the metric catalogue (Thresholds.h).
#include "wasmscope/ci/Thresholds.h"

#include "wasmscope/ci/Metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace wasmscope::ci {

using runtime::Error;
using runtime::ErrorCode;

uint64_t Limit::allowedMax(uint64_t baseline) const {
  switch (kind) {
  case Kind::Off:
    return UINT64_MAX;
  case Kind::Zero:
    return baseline;
  case Kind::Relative: {
    // A value passes when value <= baseline + floor(baseline * percent / 100);
    // long double keeps that exact for any realistic count.
    long double allowed = (long double)baseline * (long double)percent / 100.0L;
    long double max = (long double)baseline + std::floor(allowed);
    return max >= (long double)UINT64_MAX ? UINT64_MAX : uint64_t(max);
  }
  case Kind::Absolute:
    return baseline > UINT64_MAX - absolute ? UINT64_MAX : baseline + absolute;
  }
  return baseline;
}

std::string Limit::text() const {
  switch (kind) {
  case Kind::Off:
    return "off";
  case Kind::Zero:
    return "0";
  case Kind::Relative: {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g%%", percent);
    return buffer;
  }
  case Kind::Absolute:
    return "+" + std::to_string(absolute);
  }
  return "?";
}

Result<Limit> parseLimit(const std::string &text) {
  auto bad = [&] {
    return Error(ErrorCode::InvalidArgument,
                 "invalid limit '" + text + "' (expected e.g. 5%, 0.5%, +4096, 0 or off)");
  };
  Limit limit;
  if (text == "off" || text == "none") {
    limit.kind = Limit::Kind::Off;
    return limit;
  }
  if (text.empty())
    return bad();
  if (text.back() == '%') {
    std::string number = text.substr(0, text.size() - 1);
    if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos)
      return bad();
    double percent = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), percent);
    if (ec != std::errc() || end != number.data() + number.size() || !(percent >= 0) ||
        percent > 1e9)
      return bad();
    limit.kind = percent == 0 ? Limit::Kind::Zero : Limit::Kind::Relative;
    limit.percent = percent;
    return limit;
  }
  std::string number = text[0] == '+' ? text.substr(1) : text;
  if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos)
    return bad();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size())
    return bad();
  limit.kind = value == 0 ? Limit::Kind::Zero : Limit::Kind::Absolute;
  limit.absolute = value;
  return limit;
}

const std::vector<MetricInfo> &metricCatalogue() {
  static const std::vector<MetricInfo> catalogue = {
      {"instructions", "Instructions", "instructions", kInstructions, kFunctions,
       kSelfInstructions, "function", false, false},
      {"allocations", "Allocations", "allocations", kAllocations, kAllocSites, "allocations",
       "site", true, false},
      {"allocated_bytes", "Allocated bytes", "bytes", kAllocatedBytes, kAllocSites, "bytes",
       "site", true, false},
      {"peak_bytes", "Peak heap", "bytes", kPeakBytes, kPeakSites, "bytes", "site", true,
       false},
      {"definitely_lost_bytes", "Definitely lost", "bytes", "definitely_lost_bytes", kLeakSites,
       "definitely_lost_bytes", "leak site", true, true},
      {"definitely_lost_blocks", "Definitely lost blocks", "blocks", "definitely_lost_blocks",
       kLeakSites, "definitely_lost_blocks", "leak site", true, false},
      {"indirectly_lost_bytes", "Indirectly lost", "bytes", "indirectly_lost_bytes", kLeakSites,
       "indirectly_lost_bytes", "leak site", true, true},
      {"indirectly_lost_blocks", "Indirectly lost blocks", "blocks", "indirectly_lost_blocks",
       kLeakSites, "indirectly_lost_blocks", "leak site", true, false},
      {"possibly_lost_bytes", "Possibly lost", "bytes", "possibly_lost_bytes", kLeakSites,
       "possibly_lost_bytes", "leak site", true, false},
      {"possibly_lost_blocks", "Possibly lost blocks", "blocks", "possibly_lost_blocks",
       kLeakSites, "possibly_lost_blocks", "leak site", true, false},
      {"still_reachable_bytes", "Still reachable", "bytes", "still_reachable_bytes", kLeakSites,
       "still_reachable_bytes", "site", true, false},
      {"still_reachable_blocks", "Still reachable blocks", "blocks", "still_reachable_blocks",
       kLeakSites, "still_reachable_blocks", "site", true, false},
      {"memory_grows", "memory.grow calls", "grows", kMemoryGrows, "", "", "", true, false},
      {"final_memory_bytes", "Final memory size", "bytes", kFinalMemoryBytes, "", "", "", true,
       false},
  };
  return catalogue;
}

const MetricInfo *findMetric(const std::string &name) {
  for (const MetricInfo &info : metricCatalogue())
    if (info.name == name)
      return &info;
  return nullptr;
}

std::string ExitRequirement::text() const {
  switch (kind) {
  case Kind::Baseline:
    return "baseline";
  case Kind::Any:
    return "any";
  case Kind::Value:
    return std::to_string(value);
  }
  return "?";
}

Result<ExitRequirement> parseExitRequirement(const std::string &text) {
  ExitRequirement requirement;
  if (text == "baseline")
    return requirement;
  if (text == "any") {
    requirement.kind = ExitRequirement::Kind::Any;
    return requirement;
  }
  int value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > 255)
    return Error(ErrorCode::InvalidArgument, "invalid exit status requirement '" + text +
                                                 "' (expected 0-255, 'baseline' or 'any')");
  requirement.kind = ExitRequirement::Kind::Value;
  requirement.value = value;
  return requirement;
}

Thresholds Thresholds::defaults() {
  Thresholds t;
  auto limit = [](const char *text) { return *parseLimit(text); };
  t.limits["instructions"] = {limit("2%"), limit("5%")};
  t.limits["allocations"] = {limit("5%"), limit("10%")};
  t.limits["allocated_bytes"] = {limit("5%"), limit("10%")};
  t.limits["peak_bytes"] = {limit("5%"), limit("10%")};
  for (const char *kind : {"definitely_lost", "indirectly_lost", "possibly_lost"})
    for (const char *unit : {"_bytes", "_blocks"})
      t.limits[std::string(kind) + unit] = {limit("0"), limit("0")};
  // Still reachable at exit is not a leak (buffers, caches); large growth is
  // still worth a look.
  t.limits["still_reachable_bytes"] = {limit("10%"), limit("off")};
  t.limits["still_reachable_blocks"] = {limit("10%"), limit("off")};
  t.limits["memory_grows"] = {limit("0"), limit("off")};
  t.limits["final_memory_bytes"] = {limit("5%"), limit("off")};
  return t;
}

bool Thresholds::checks(const std::string &metric) const {
  if (metrics.empty())
    return true;
  for (const std::string &name : metrics)
    if (name == metric)
      return true;
  return false;
}

Result<void> Thresholds::set(const std::string &metric, const std::string &scope,
                             const std::string &text) {
  if (!findMetric(metric))
    return Error(ErrorCode::InvalidArgument, "unknown metric '" + metric + "'");
  bool total = scope.empty() || scope == "total";
  bool item = scope.empty() || scope == "item" || scope == "function" || scope == "site";
  if (!total && !item)
    return Error(ErrorCode::InvalidArgument, "unknown threshold scope '" + scope + "' of '" +
                                                 metric + "' (expected total, function or site)");
  TRY_ASSIGN(Limit limit, parseLimit(text));
  MetricLimits &entry = limits[metric];
  if (total)
    entry.total = limit;
  if (item)
    entry.item = limit;
  return {};
}

Result<void> Thresholds::apply(const std::string &assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    return Error(ErrorCode::InvalidArgument,
                 "invalid threshold '" + assignment + "' (expected METRIC[.SCOPE]=LIMIT)");
  std::string name = assignment.substr(0, eq);
  std::string scope;
  size_t dot = name.find('.');
  if (dot != std::string::npos) {
    scope = name.substr(dot + 1);
    name.resize(dot);
  }
  return set(name, scope, assignment.substr(eq + 1));
}

} // namespace wasmscope::ci
