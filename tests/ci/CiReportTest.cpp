// The reports of `wasmscope ci`: golden files of each format (JUnit XML,
// Markdown, JSON, GitHub annotations) for a passing and a failing run built
// from fixed metrics (golden/*.metrics.json), so that any change to a
// report's content shows up as a diff of a reviewed file. Refresh them with
// tests/ci/refresh_golden.sh after an intended change. Also: the Markdown
// stays under GitHub's limit and says what it cut; XML is escaped.
#include "wasmscope/ci/Baseline.h"
#include "wasmscope/ci/Reports.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace wasmscope::ci {
namespace {

std::string goldenPath(const std::string &name) { return std::string(CI_GOLDEN_DIR) + "/" + name; }

std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Compares `actual` with golden file `name`, or rewrites it when
/// WASMSCOPE_REFRESH_GOLDEN is set.
void expectGolden(const std::string &name, const std::string &actual) {
  std::string path = goldenPath(name);
  if (std::getenv("WASMSCOPE_REFRESH_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::ifstream(path).good()) << path << " is missing; run tests/ci/refresh_golden.sh";
  std::string expected = readText(path);
  EXPECT_EQ(actual, expected) << "report differs from " << path
                              << " (if intended, run tests/ci/refresh_golden.sh)";
}

/// The run of golden/baseline.metrics.json against `current`.
CiRun goldenRun(const std::string &current) {
  auto baseline = readBaselineFile(goldenPath("baseline.metrics.json"));
  auto now = readBaselineFile(goldenPath(current));
  EXPECT_TRUE(baseline.ok() && now.ok());
  CiRun run;
  run.baselinePath = "ci/baseline.json";
  Thresholds thresholds = Thresholds::defaults();
  for (const auto &[name, metrics] : now->scenarios) {
    ScenarioResult result;
    result.name = name;
    result.current = metrics;
    result.baseline = baseline->scenarios.at(name);
    result.checks = compareMetrics(*result.baseline, metrics, thresholds);
    run.results.push_back(std::move(result));
  }
  run.exit = exitFor(run.results);
  return run;
}

void expectAllGolden(const std::string &stem, const CiRun &run) {
  expectGolden(stem + ".junit.xml", writeJUnit(run));
  expectGolden(stem + ".md", writeMarkdown(run));
  expectGolden(stem + ".report.json", writeJsonReport(run));
  expectGolden(stem + ".annotations.txt", writeGithubAnnotations(run));
}

TEST(CiGolden, PassingRun) {
  CiRun run = goldenRun("pass.metrics.json");
  EXPECT_EQ(run.exit, CiExit::Pass);
  expectAllGolden("pass", run);
}

TEST(CiGolden, FailingRun) {
  CiRun run = goldenRun("fail.metrics.json");
  EXPECT_EQ(run.exit, CiExit::NewLeak);
  expectAllGolden("fail", run);
}

TEST(CiMarkdown, StaysUnderTheLimitAndSaysWhatWasCut) {
  ScenarioResult result;
  result.name = "huge";
  for (int i = 0; i < 20000; ++i) {
    Check check;
    check.scope = Check::Scope::Item;
    check.metric = "instructions";
    check.key = "function_with_a_rather_long_name_" + std::to_string(i);
    check.file = "src/some/deep/directory/file.c";
    check.line = uint32_t(i + 1);
    check.baseline = 1000;
    check.current = 2000 + uint64_t(i);
    check.status = CheckStatus::Regressed;
    check.limit = "5%";
    result.checks.push_back(check);
  }
  CiRun run;
  run.results.push_back(result);
  run.exit = CiExit::Regression;
  std::string full = writeMarkdown(run, SIZE_MAX);
  ASSERT_GT(full.size(), 2'000'000u);
  std::string cut = writeMarkdown(run);
  EXPECT_LE(cut.size(), kMarkdownLimit);
  EXPECT_NE(cut.find("more rows cut"), std::string::npos);
  // The most grown function comes first and survives the cut.
  EXPECT_NE(cut.find("function\\_with\\_a\\_rather\\_long\\_name\\_19999"), std::string::npos);
  std::string tiny = writeMarkdown(run, 4096);
  EXPECT_LE(tiny.size(), 4096u);
  EXPECT_NE(tiny.find("cut"), std::string::npos);
}

TEST(CiJUnit, EscapesNamesAndMessages) {
  ScenarioResult result;
  result.name = "a<b>&\"c\"";
  Check check;
  check.metric = "instructions";
  check.title = "Instructions of operator<<(std::ostream&, T const&)";
  check.message = "grew \x01 <fast> & \"loud\"";
  check.status = CheckStatus::Regressed;
  check.baseline = 1;
  check.current = 2;
  result.checks.push_back(check);
  CiRun run;
  run.results.push_back(result);
  std::string xml = writeJUnit(run);
  EXPECT_NE(xml.find("name=\"a&lt;b&gt;&amp;&quot;c&quot;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("operator&lt;&lt;(std::ostream&amp;, T const&amp;)"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos);
}

TEST(CiAnnotations, EscapeWorkflowCommandProperties) {
  ScenarioResult result;
  result.name = "s";
  Check check;
  check.scope = Check::Scope::Item;
  check.metric = "instructions";
  check.file = "src/a,b:c.c";
  check.line = 7;
  check.message = "100% worse\nreally";
  check.status = CheckStatus::Regressed;
  result.checks.push_back(check);
  CiRun run;
  run.results.push_back(result);
  EXPECT_EQ(writeGithubAnnotations(run),
            "::error file=src/a%2Cb%3Ac.c,line=7,title=wasmscope ci%3A s%3A regression::100%25 "
            "worse%0Areally\n");
}

} // namespace
} // namespace wasmscope::ci
