// Comparing metrics with a baseline (Comparison.h).
#include "wasmscope/ci/Comparison.h"

#include <cstdio>
#include <set>

namespace wasmscope::ci {

const char *checkStatusName(CheckStatus status) {
  switch (status) {
  case CheckStatus::Pass:
    return "pass";
  case CheckStatus::Improved:
    return "improved";
  case CheckStatus::Regressed:
    return "regressed";
  case CheckStatus::Added:
    return "added";
  case CheckStatus::Removed:
    return "removed";
  case CheckStatus::NewLeak:
    return "new-leak";
  }
  return "?";
}

/// current - baseline, saturated to int64_t (a baseline file may hold any
/// unsigned 64-bit count).
static int64_t signedDifference(uint64_t current, uint64_t baseline) {
  if (current >= baseline) {
    uint64_t d = current - baseline;
    return d > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(d);
  }
  uint64_t d = baseline - current;
  return d > uint64_t(INT64_MAX) ? INT64_MIN : -int64_t(d);
}

std::optional<int64_t> Check::delta() const {
  if (!baseline || !current)
    return std::nullopt;
  return signedDifference(*current, *baseline);
}

std::optional<double> Check::percent() const {
  if (!baseline || !current || *baseline == 0)
    return std::nullopt;
  return (double(*current) - double(*baseline)) * 100.0 / double(*baseline);
}

std::string groupDigits(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string signedDigits(int64_t value) {
  if (value < 0)
    return "-" + groupDigits(uint64_t(-(value + 1)) + 1);
  return "+" + groupDigits(uint64_t(value));
}

std::string percentText(double percent) {
  char buffer[32];
  if (percent == 0)
    return "0%";
  std::snprintf(buffer, sizeof buffer, "%+.2f%%", percent);
  return buffer;
}

bool ScenarioResult::regressed() const {
  for (const Check &check : checks)
    if (check.status == CheckStatus::Regressed)
      return true;
  return false;
}

bool ScenarioResult::newLeak() const {
  for (const Check &check : checks)
    if (check.status == CheckStatus::NewLeak)
      return true;
  return false;
}

namespace {

/// Status and message of a value against its baseline and limit.
void judge(Check &check, const Limit &limit) {
  check.limit = limit.text();
  check.allowed = limit.allowedMax(*check.baseline);
  uint64_t base = *check.baseline, now = *check.current;
  std::string change = signedDigits(signedDifference(now, base)) + " " + check.unit;
  if (auto percent = check.percent())
    change += " (" + percentText(*percent) + ")";
  if (now > *check.allowed) {
    check.status = CheckStatus::Regressed;
    check.message = check.title + " grew from " + groupDigits(base) + " to " + groupDigits(now) +
                    " " + check.unit + ": " + change + ", over the limit of " + check.limit;
  } else if (now < base) {
    check.status = CheckStatus::Improved;
    check.message = check.title + " improved from " + groupDigits(base) + " to " +
                    groupDigits(now) + " " + check.unit + ": " + change;
  } else {
    check.status = CheckStatus::Pass;
    check.message = check.title + ": " + groupDigits(now) + " " + check.unit +
                    (now == base ? ", unchanged" : ", " + change + ", within " + check.limit);
  }
}

void compareItems(const MetricInfo &info, const MetricLimits &limits,
                  const ScenarioMetrics &baseline, const ScenarioMetrics &current,
                  bool noNewLeakSites, std::vector<Check> &checks) {
  static const std::map<std::string, ItemMetrics> kEmpty;
  auto groupOf = [&](const ScenarioMetrics &m) -> const std::map<std::string, ItemMetrics> & {
    auto it = m.groups.find(info.group);
    return it == m.groups.end() ? kEmpty : it->second;
  };
  const auto &before = groupOf(baseline);
  const auto &after = groupOf(current);
  std::set<std::string> keys;
  for (const auto &[key, item] : before)
    keys.insert(key);
  for (const auto &[key, item] : after)
    keys.insert(key);
  for (const std::string &key : keys) {
    auto b = before.find(key);
    auto a = after.find(key);
    auto valueOf = [&](const ItemMetrics &item) -> std::optional<uint64_t> {
      auto it = item.values.find(info.itemValue);
      if (it == item.values.end())
        return std::nullopt;
      return it->second;
    };
    Check check;
    check.scope = Check::Scope::Item;
    check.metric = info.name;
    check.unit = info.unit;
    check.key = key;
    check.title = info.title + " of " + info.itemNoun + " " + key;
    const ItemMetrics &where = a != after.end() ? a->second : b->second;
    check.file = where.file;
    check.line = where.line;
    check.stack = where.stack;
    if (b != before.end())
      check.baseline = valueOf(b->second);
    if (a != after.end())
      check.current = valueOf(a->second);
    if (!check.baseline && !check.current)
      continue;
    if (check.baseline && check.current) {
      judge(check, limits.item);
      if (check.status == CheckStatus::Pass && *check.current == *check.baseline)
        continue; // Unchanged items would drown the report.
    } else if (check.current) {
      bool leak = info.newItemIsLeak && noNewLeakSites;
      check.status = leak ? CheckStatus::NewLeak : CheckStatus::Added;
      check.message = (leak ? "new leak site " : "new " + info.itemNoun + " ") + key + ": " +
                      groupDigits(*check.current) + " " + info.unit +
                      (leak ? " (the baseline has no leak here)" : " (not in the baseline)");
    } else {
      check.status = CheckStatus::Removed;
      check.message = info.itemNoun + " " + key + " is gone (" + groupDigits(*check.baseline) +
                      " " + info.unit + " in the baseline)";
    }
    checks.push_back(std::move(check));
  }
}

} // namespace

std::vector<Check> compareMetrics(const ScenarioMetrics &baseline, const ScenarioMetrics &current,
                                  const Thresholds &thresholds) {
  std::vector<Check> checks;

  // The exit status first: a run that ended differently is not comparable.
  Check exit;
  exit.scope = Check::Scope::ExitStatus;
  exit.metric = "exit_status";
  exit.title = "Exit status";
  exit.limit = thresholds.exit.text();
  auto statusText = [](const ScenarioMetrics &m) {
    if (m.exitStatus)
      return std::to_string(*m.exitStatus);
    return "trap" + (m.trap.empty() ? std::string() : " (" + m.trap + ")");
  };
  if (baseline.exitStatus)
    exit.baseline = uint64_t(*baseline.exitStatus);
  if (current.exitStatus)
    exit.current = uint64_t(*current.exitStatus);
  bool ok = true;
  switch (thresholds.exit.kind) {
  case ExitRequirement::Kind::Any:
    break;
  case ExitRequirement::Kind::Baseline:
    ok = baseline.exitStatus == current.exitStatus;
    break;
  case ExitRequirement::Kind::Value:
    ok = current.exitStatus == thresholds.exit.value;
    break;
  }
  exit.status = ok ? CheckStatus::Pass : CheckStatus::Regressed;
  exit.message = "the guest ended with " + statusText(current) +
                 (ok ? "" : thresholds.exit.kind == ExitRequirement::Kind::Value
                                ? ", required " + std::to_string(thresholds.exit.value)
                                : ", the baseline with " + statusText(baseline));
  checks.push_back(std::move(exit));

  Thresholds defaults = Thresholds::defaults();
  for (const MetricInfo &info : metricCatalogue()) {
    if (!thresholds.checks(info.name))
      continue;
    auto limitsIt = thresholds.limits.find(info.name);
    MetricLimits limits = limitsIt != thresholds.limits.end() ? limitsIt->second
                                                               : defaults.limits[info.name];
    if (!info.totalKey.empty()) {
      auto b = baseline.totals.find(info.totalKey);
      auto a = current.totals.find(info.totalKey);
      if (a != current.totals.end()) {
        Check check;
        check.metric = info.name;
        check.title = info.title;
        check.unit = info.unit;
        check.current = a->second;
        if (b != baseline.totals.end()) {
          check.baseline = b->second;
          judge(check, limits.total);
        } else {
          check.status = CheckStatus::Added;
          check.limit = limits.total.text();
          check.message = info.title + ": " + groupDigits(a->second) + " " + info.unit +
                          " (not in the baseline; run --update-baseline to record it)";
        }
        checks.push_back(std::move(check));
      }
    }
    if (!info.group.empty())
      compareItems(info, limits, baseline, current, thresholds.noNewLeakSites, checks);
  }
  return checks;
}

CiExit exitFor(const std::vector<ScenarioResult> &results) {
  bool regression = false, leak = false;
  for (const ScenarioResult &result : results) {
    if (result.updated)
      continue;
    regression |= result.regressed();
    leak |= result.newLeak();
  }
  if (leak)
    return CiExit::NewLeak;
  return regression ? CiExit::Regression : CiExit::Pass;
}

} // namespace wasmscope::ci
