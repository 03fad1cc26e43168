// The reports of a `wasmscope ci` run, each a pure function of the results
// (so golden files can pin them): JUnit XML for test-report views, Markdown
// for a job summary or pull-request comment, versioned JSON for tools, and
// GitHub workflow-command annotations. The front end writes them atomically.
#pragma once

#include "wasmscope/ci/Comparison.h"

#include <cstddef>
#include <string>
#include <vector>

namespace wasmscope::ci {

inline constexpr const char *kReportFormatName = "wasmscope-ci-report";
inline constexpr uint32_t kReportFormatVersion = 1;

/// A whole `ci` run.
struct CiRun {
  std::vector<ScenarioResult> results;
  std::string baselinePath; ///< As given (relative paths stay relative).
  bool updateBaseline = false;
  CiExit exit = CiExit::Pass;
};

/// One line: "PASS: 2 scenarios, no regression", "FAIL: ...".
std::string verdictLine(const CiRun &run);

/// JUnit XML: a <testsuites> with one <testsuite> per scenario and one
/// <testcase> per checked total, per function or site beyond its limit and
/// per new leak site (with file and line attributes), <failure> on the
/// failing ones.
std::string writeJUnit(const CiRun &run);

/// GitHub's job summary limit is 1 MiB; the Markdown stays below this.
inline constexpr size_t kMarkdownLimit = 1000 * 1024;
/// Markdown: the verdict, a table of totals per scenario, the functions and
/// sites that grew most, new leak sites with their stacks, improvements.
/// Longer than `limit`, the detail tables are cut (saying what was cut).
std::string writeMarkdown(const CiRun &run, size_t limit = kMarkdownLimit);

/// The JSON report: format, version, verdict, exit status and every check.
std::string writeJsonReport(const CiRun &run);

/// GitHub workflow commands: "::error file=F,line=L,title=T::MESSAGE" for
/// each failing check, "::notice ..." for improvements of totals.
std::string writeGithubAnnotations(const CiRun &run);

} // namespace wasmscope::ci
