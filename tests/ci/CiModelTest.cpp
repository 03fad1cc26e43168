// Unit tests of the ci library's model: limits and their parsing, the
// comparison (boundaries of each kind of limit, improvements, new and gone
// items, new leak sites, the exit status), baseline files (round trip, fixed
// bytes, errors) and config files (keys, paths, thresholds, errors).
#include "wasmscope/ci/Baseline.h"
#include "wasmscope/ci/Comparison.h"
#include "wasmscope/ci/Config.h"

#include <gtest/gtest.h>

namespace wasmscope::ci {
namespace {

ScenarioMetrics metrics(uint64_t total, std::map<std::string, uint64_t> functions,
                        std::optional<int> exit = 0) {
  ScenarioMetrics m;
  m.module = "prog.wasm";
  m.exitStatus = exit;
  m.totals[kInstructions] = total;
  for (const auto &[name, value] : functions) {
    ItemMetrics &item = m.groups[kFunctions][name];
    item.file = "src/prog.c";
    item.line = uint32_t(10 + name.size());
    item.values[kSelfInstructions] = value;
  }
  return m;
}

const Check *find(const std::vector<Check> &checks, Check::Scope scope, const std::string &key) {
  for (const Check &check : checks)
    if (check.scope == scope && check.key == key)
      return &check;
  return nullptr;
}

TEST(CiLimit, ParsesEachKind) {
  EXPECT_EQ(parseLimit("5%")->kind, Limit::Kind::Relative);
  EXPECT_DOUBLE_EQ(parseLimit("0.5%")->percent, 0.5);
  EXPECT_EQ(parseLimit("+4096")->kind, Limit::Kind::Absolute);
  EXPECT_EQ(parseLimit("4096")->absolute, 4096u);
  EXPECT_EQ(parseLimit("0")->kind, Limit::Kind::Zero);
  EXPECT_EQ(parseLimit("0%")->kind, Limit::Kind::Zero);
  EXPECT_EQ(parseLimit("off")->kind, Limit::Kind::Off);
  for (const char *bad : {"", "%", "-5%", "5 %", "+", "+-1", "five", "1e3", "99999999999999999999"})
    EXPECT_FALSE(parseLimit(bad).ok()) << bad;
  EXPECT_NE(parseLimit("x%").error().message.find("'x%'"), std::string::npos);
}

TEST(CiLimit, AllowedMaximumAtTheBoundary) {
  EXPECT_EQ(parseLimit("5%")->allowedMax(1000), 1050u);
  EXPECT_EQ(parseLimit("5%")->allowedMax(1019), 1069u); // floor(50.95)
  EXPECT_EQ(parseLimit("+4096")->allowedMax(100), 4196u);
  EXPECT_EQ(parseLimit("0")->allowedMax(777), 777u);
  EXPECT_EQ(parseLimit("off")->allowedMax(1), UINT64_MAX);
  EXPECT_EQ(parseLimit("+1")->allowedMax(UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(parseLimit("5%")->text(), "5%");
  EXPECT_EQ(parseLimit("+4096")->text(), "+4096");
}

TEST(CiCompare, RelativeLimitPassesAtTheBoundaryAndFailsOneAbove) {
  Thresholds t = Thresholds::defaults();
  ASSERT_TRUE(t.apply("instructions.total=5%").ok());
  auto at = compareMetrics(metrics(1000, {}), metrics(1050, {}), t);
  EXPECT_EQ(find(at, Check::Scope::Total, "")->status, CheckStatus::Pass);
  auto over = compareMetrics(metrics(1000, {}), metrics(1051, {}), t);
  const Check *check = find(over, Check::Scope::Total, "");
  EXPECT_EQ(check->status, CheckStatus::Regressed);
  EXPECT_EQ(*check->allowed, 1050u);
  EXPECT_NE(check->message.find("over the limit of 5%"), std::string::npos) << check->message;
}

TEST(CiCompare, ZeroLimitFailsOnOneMoreInstruction) {
  Thresholds t = Thresholds::defaults();
  ASSERT_TRUE(t.apply("instructions=0").ok());
  auto checks = compareMetrics(metrics(1000, {{"f", 500}}), metrics(1001, {{"f", 501}}), t);
  EXPECT_EQ(find(checks, Check::Scope::Total, "")->status, CheckStatus::Regressed);
  EXPECT_EQ(find(checks, Check::Scope::Item, "f")->status, CheckStatus::Regressed);
  EXPECT_EQ(exitFor({ScenarioResult{"s", {}, {}, checks, false}}), CiExit::Regression);
}

TEST(CiCompare, PerFunctionLimitIsSeparateFromTheTotal) {
  Thresholds t = Thresholds::defaults(); // 2% total, 5% per function
  auto checks = compareMetrics(metrics(100000, {{"hot", 10000}, {"cold", 5000}}),
                               metrics(101000, {{"hot", 11000}, {"cold", 5000}}), t);
  EXPECT_EQ(find(checks, Check::Scope::Total, "")->status, CheckStatus::Pass);
  const Check *hot = find(checks, Check::Scope::Item, "hot");
  ASSERT_NE(hot, nullptr);
  EXPECT_EQ(hot->status, CheckStatus::Regressed);
  EXPECT_EQ(hot->file, "src/prog.c");
  // Unchanged functions are not reported.
  EXPECT_EQ(find(checks, Check::Scope::Item, "cold"), nullptr);
}

TEST(CiCompare, ImprovementsNewAndGoneItems) {
  auto checks = compareMetrics(metrics(1000, {{"a", 500}, {"gone", 100}}),
                               metrics(900, {{"a", 400}, {"fresh", 200}}), Thresholds::defaults());
  EXPECT_EQ(find(checks, Check::Scope::Total, "")->status, CheckStatus::Improved);
  EXPECT_EQ(find(checks, Check::Scope::Item, "a")->status, CheckStatus::Improved);
  EXPECT_EQ(find(checks, Check::Scope::Item, "gone")->status, CheckStatus::Removed);
  EXPECT_EQ(find(checks, Check::Scope::Item, "fresh")->status, CheckStatus::Added);
  EXPECT_EQ(exitFor({ScenarioResult{"s", {}, {}, checks, false}}), CiExit::Pass);
}

TEST(CiCompare, HugeCountsFromABaselineSaturate) {
  auto checks = compareMetrics(metrics(UINT64_MAX, {}), metrics(0, {}), Thresholds::defaults());
  const Check *total = find(checks, Check::Scope::Total, "");
  EXPECT_EQ(total->status, CheckStatus::Improved);
  EXPECT_EQ(*total->delta(), INT64_MIN);
  checks = compareMetrics(metrics(0, {}), metrics(UINT64_MAX, {}), Thresholds::defaults());
  EXPECT_EQ(find(checks, Check::Scope::Total, "")->status, CheckStatus::Regressed);
  EXPECT_EQ(*find(checks, Check::Scope::Total, "")->delta(), INT64_MAX);
}

TEST(CiCompare, ExitStatusIsAMetric) {
  Thresholds t = Thresholds::defaults();
  auto differs = compareMetrics(metrics(1, {}, 0), metrics(1, {}, 3), t);
  EXPECT_EQ(find(differs, Check::Scope::ExitStatus, "")->status, CheckStatus::Regressed);
  auto trapped = compareMetrics(metrics(1, {}, 0), metrics(1, {}, std::nullopt), t);
  EXPECT_EQ(find(trapped, Check::Scope::ExitStatus, "")->status, CheckStatus::Regressed);
  t.exit = *parseExitRequirement("any");
  EXPECT_EQ(find(compareMetrics(metrics(1, {}, 0), metrics(1, {}, 3), t), Check::Scope::ExitStatus,
                 "")->status,
            CheckStatus::Pass);
  t.exit = *parseExitRequirement("3");
  EXPECT_EQ(find(compareMetrics(metrics(1, {}, 0), metrics(1, {}, 3), t), Check::Scope::ExitStatus,
                 "")->status,
            CheckStatus::Pass);
  EXPECT_FALSE(parseExitRequirement("256").ok());
  EXPECT_FALSE(parseExitRequirement("-1").ok());
}

TEST(CiCompare, ChecksOnlyTheChosenMetrics) {
  Thresholds t = Thresholds::defaults();
  t.metrics = {"exit_status_only_does_not_exist"};
  auto checks = compareMetrics(metrics(1000, {{"f", 1}}), metrics(9000, {{"f", 9}}), t);
  EXPECT_EQ(find(checks, Check::Scope::Total, ""), nullptr);
  EXPECT_EQ(checks.size(), 1u); // the exit status
}

ScenarioMetrics withLeaks(std::map<std::string, uint64_t> sites) {
  ScenarioMetrics m = metrics(1000, {});
  uint64_t total = 0;
  for (const auto &[key, bytes] : sites) {
    ItemMetrics &item = m.groups[kLeakSites][key];
    item.file = "src/prog.c";
    item.line = 7;
    item.values["definitely_lost_bytes"] = bytes;
    total += bytes;
  }
  m.totals["definitely_lost_bytes"] = total;
  return m;
}

TEST(CiCompare, NewLeakSiteExitsThreeUnlessAllowed) {
  ScenarioMetrics baseline = withLeaks({{"f src/prog.c:7", 32}});
  ScenarioMetrics current = withLeaks({{"f src/prog.c:7", 32}, {"g src/prog.c:9", 8}});
  Thresholds t = Thresholds::defaults();
  auto checks = compareMetrics(baseline, current, t);
  const Check *site = find(checks, Check::Scope::Item, "g src/prog.c:9");
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->status, CheckStatus::NewLeak);
  EXPECT_EQ(exitFor({ScenarioResult{"s", {}, {}, checks, false}}), CiExit::NewLeak);
  // Allowed, the site is only new; the zero limit on lost bytes still fails.
  t.noNewLeakSites = false;
  checks = compareMetrics(baseline, current, t);
  EXPECT_EQ(find(checks, Check::Scope::Item, "g src/prog.c:9")->status, CheckStatus::Added);
  EXPECT_EQ(exitFor({ScenarioResult{"s", {}, {}, checks, false}}), CiExit::Regression);
  // A fixed leak is an improvement, and the site is gone.
  checks = compareMetrics(current, baseline, Thresholds::defaults());
  EXPECT_EQ(find(checks, Check::Scope::Item, "g src/prog.c:9")->status, CheckStatus::Removed);
  EXPECT_EQ(exitFor({ScenarioResult{"s", {}, {}, checks, false}}), CiExit::Pass);
}

TEST(CiBaseline, RoundTripsToTheSameBytesWithSortedKeys) {
  Baseline baseline;
  baseline.scenarios["zeta"] = metrics(5, {{"b", 2}, {"a", 3}});
  baseline.scenarios["alpha"] = metrics(7, {{"main", 7}}, std::nullopt);
  baseline.scenarios["alpha"].trap = "unreachable";
  std::string text = writeBaseline(baseline);
  EXPECT_LT(text.find("\"alpha\""), text.find("\"zeta\""));
  EXPECT_LT(text.find("\"a\""), text.find("\"b\""));
  EXPECT_EQ(text.back(), '\n');
  auto parsed = parseBaseline(text, "mem");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(writeBaseline(*parsed), text);
  EXPECT_FALSE(parsed->scenarios["alpha"].exitStatus.has_value());
  EXPECT_EQ(parsed->scenarios["zeta"].groups[kFunctions]["a"].values[kSelfInstructions], 3u);
}

TEST(CiBaseline, RejectsWhatIsNotABaseline) {
  EXPECT_NE(parseBaseline("{", "b.json").error().message.find("b.json"), std::string::npos);
  EXPECT_NE(parseBaseline("{\"format\":\"x\"}", "b.json").error().message.find("not a wasmscope"),
            std::string::npos);
  EXPECT_NE(parseBaseline("{\"format\":\"wasmscope-ci-baseline\",\"version\":9,\"scenarios\":{}}",
                          "b.json")
                .error()
                .message.find("version 9"),
            std::string::npos);
  EXPECT_FALSE(parseBaseline("{\"format\":\"wasmscope-ci-baseline\",\"version\":1,"
                             "\"scenarios\":{\"s\":{\"totals\":{\"instructions\":-1}}}}",
                             "b.json")
                   .ok());
  EXPECT_FALSE(readBaselineFile("/nonexistent/baseline.json").ok());
}

TEST(CiMetrics, PathsRelativeToTheSourceRoot) {
  EXPECT_EQ(relativeToRoot("/src/app/lib/x.c", "/src/app"), "lib/x.c");
  EXPECT_EQ(relativeToRoot("/src/app/../app/x.c", "/src/app/"), "x.c");
  EXPECT_EQ(relativeToRoot("/usr/include/stdio.h", "/src/app"), "/usr/include/stdio.h");
  EXPECT_EQ(relativeToRoot("/src/application/x.c", "/src/app"), "/src/application/x.c");
  EXPECT_EQ(relativeToRoot("rel/x.c", "/src/app"), "rel/x.c");
  EXPECT_EQ(relativeToRoot("", "/src/app"), "");
}

TEST(CiConfig, ReadsScenariosThresholdsAndResolvesPaths) {
  const char *text = R"({
    "version": 1, "baseline": "perf/base.json", "source_root": "..",
    "function_floor": 10,
    "thresholds": { "instructions": { "total": "1%", "function": "+500" } },
    "scenarios": [
      { "name": "small", "module": "build/app.wasm", "args": ["10"],
        "env": { "LANG": "C" }, "dirs": ["data::/data"], "stdin": "in.txt",
        "thresholds": { "instructions": "0", "exit_status": 3 } },
      { "name": "big", "module": "/abs/app.wasm", "metrics": ["instructions"] } ] })";
  auto config = parseConfig(text, "cfg.json", "/repo/ci");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(*config->baseline, "/repo/ci/perf/base.json");
  EXPECT_EQ(*config->sourceRoot, "/repo");
  EXPECT_EQ(*config->functionFloor, 10u);
  ASSERT_EQ(config->scenarios.size(), 2u);
  const ScenarioConfig &small = config->scenarios[0];
  EXPECT_EQ(small.launch.module, "/repo/ci/build/app.wasm");
  EXPECT_EQ(small.launch.args, std::vector<std::string>{"10"});
  EXPECT_EQ(small.launch.env, std::vector<std::string>{"LANG=C"});
  EXPECT_EQ(small.launch.dirs, std::vector<std::string>{"/repo/ci/data::/data"});
  EXPECT_EQ(*small.launch.stdinFile, "/repo/ci/in.txt");
  EXPECT_EQ(small.thresholds.limits.at("instructions").total.kind, Limit::Kind::Zero);
  EXPECT_EQ(small.thresholds.exit.kind, ExitRequirement::Kind::Value);
  EXPECT_EQ(small.thresholds.exit.value, 3);
  const ScenarioConfig &big = config->scenarios[1];
  EXPECT_EQ(big.launch.module, "/abs/app.wasm");
  EXPECT_EQ(big.thresholds.limits.at("instructions").total.text(), "1%");
  EXPECT_EQ(big.thresholds.limits.at("instructions").item.text(), "+500");
}

TEST(CiConfig, ErrorsNameTheFileAndTheKey) {
  auto message = [](const char *text) {
    auto config = parseConfig(text, "cfg.json", "/d");
    return config.ok() ? std::string("(accepted)") : config.error().message;
  };
  EXPECT_NE(message("{").find("cfg.json"), std::string::npos);
  EXPECT_NE(message(R"({"version":2,"scenarios":[]})").find("version"), std::string::npos);
  EXPECT_NE(message(R"({"version":1,"scenarios":[]})").find("scenarios"), std::string::npos);
  EXPECT_NE(message(R"({"version":1,"scenario":[]})").find("unknown key 'scenario'"),
            std::string::npos);
  EXPECT_NE(message(R"({"version":1,"scenarios":[{"name":"a"}]})").find("\"module\""),
            std::string::npos);
  EXPECT_NE(message(R"({"version":1,"scenarios":[{"name":"a","module":"m","arg":[]}]})")
                .find("unknown key 'arg'"),
            std::string::npos);
  EXPECT_NE(message(R"({"version":1,"scenarios":[{"name":"a","module":"m"},{"name":"a","module":"m"}]})")
                .find("used twice"),
            std::string::npos);
  EXPECT_NE(message(R"({"version":1,"thresholds":{"instrs":"5%"},"scenarios":[{"name":"a","module":"m"}]})")
                .find("unknown metric 'instrs'"),
            std::string::npos);
  EXPECT_NE(message(R"({"version":1,"thresholds":{"instructions":"5"},"scenarios":[{"name":"a","module":"m","args":[1]}]})")
                .find("args"),
            std::string::npos);
  EXPECT_NE(message(R"({"version":1,"thresholds":{"instructions":"lots"},"scenarios":[{"name":"a","module":"m"}]})")
                .find("'lots'"),
            std::string::npos);
}

} // namespace
} // namespace wasmscope::ci
