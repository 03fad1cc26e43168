// `wasmscope ci` (CiCommand.h): the scenarios are launched exactly as `run`
// launches a guest (RunOptions -> LaunchSpec, loadGuest, planEntry,
// runGuest) with the instruction and heap profilers attached (as `profile
// --memory` attaches them) and clocks and random bytes made deterministic; the ci library turns each profile into metrics, compares
// them and renders the reports, which are written atomically.
#include "CiCommand.h"

#include "GuestRunner.h"

#include "wasmscope/ci/Baseline.h"
#include "wasmscope/ci/Config.h"
#include "wasmscope/ci/Reports.h"
#include "wasmscope/profiler/Formats.h"
#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/profiler/Profiler.h"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

namespace wasmscope::cli {

namespace {

const char *kCiHelp = R"(Examples:
  wasmscope ci --baseline perf/baseline.json --update-baseline app.wasm 200
  wasmscope ci --baseline perf/baseline.json --junit junit.xml \
               --markdown "$GITHUB_STEP_SUMMARY" --annotations github app.wasm 200
  wasmscope ci --config ci/wasmscope.json --junit junit.xml --json report.json
  wasmscope ci --threshold instructions=0 --threshold instructions.function=+500 ...
Limits: "5%" (relative to the baseline), "+4096" (absolute), "0" (no growth),
"off". Defaults: instructions 2% in total, 5% for any single function;
allocations, allocated and peak bytes 5% in total, 10% per site; lost bytes
and blocks 0; no new leak site; the exit status as in the baseline. Metrics:
instructions, allocations, allocated_bytes, peak_bytes,
{definitely,indirectly,possibly}_lost_{bytes,blocks},
still_reachable_{bytes,blocks}, memory_grows, final_memory_bytes. Guests run with --deterministic implied; their
stdout and stderr go to wasmscope's stderr (stdout carries the annotations);
stdin is empty unless a config scenario names a "stdin" file.
Exit status of `wasmscope ci`:
  0  no regression (or --update-baseline wrote the baseline)
  1  a threshold was exceeded, or the guest's exit status differs from the
     baseline's (or from --expect-exit)
  3  a new leak site (one the baseline does not have), unless allowed
  2  wasmscope's own error: bad option or config, missing or malformed
     baseline, a scenario missing from it, a module that does not load; one
     line starting "wasmscope: error:" on stderr
See docs/CI.md for the config, baseline and report formats.
)";

/// One scenario to run.
struct Scenario {
  std::string name;
  RunOptions options;
  std::optional<std::string> stdinFile;
  ci::Thresholds thresholds;
};

RunOptions optionsFor(const ci::ScenarioLaunch &launch) {
  RunOptions options;
  options.modulePath = launch.module;
  options.guestArgs = launch.args;
  options.env = launch.env;
  options.dirs = launch.dirs;
  options.invoke = launch.invoke;
  options.fuel = launch.fuel;
  options.maxMemory = launch.maxMemory;
  options.maxCallDepth = launch.maxCallDepth;
  options.timeout = launch.timeout;
  options.seed = launch.seed;
  return options;
}

/// Writes `bytes` atomically; the error says which report.
bool writeReport(const std::string &what, const std::string &path, const std::string &bytes) {
  auto written = profiler::writeFileAtomically(path, bytes);
  if (!written.ok()) {
    reportError(what + ": " + written.error().message);
    return false;
  }
  return true;
}

/// Runs one scenario under the profiler and returns its metrics. An error
/// with an empty message has been reported already (runGuest's link error).
runtime::Result<ci::ScenarioMetrics> profileScenario(const Scenario &scenario,
                                                     const ci::MetricOptions &metricOptions) {
  RunOptions options = scenario.options;
  options.deterministic = true; // Clocks and random bytes must not move the counts.
  TRY_ASSIGN(auto spec, launchSpecFor(options));
  TRY_ASSIGN(auto sourceMap, parseSourceMap(options.sourceMaps));
  spec.countBlocks = true;
  // The guest's output is kept off stdout, which carries the annotations.
  spec.output = [](int, std::string_view bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(2, bytes.data() + done, bytes.size() - done);
      if (n <= 0)
        break;
      done += size_t(n);
    }
  };
  int stdinFd = -1;
  if (scenario.stdinFile) {
    stdinFd = ::open(scenario.stdinFile->c_str(), O_RDONLY | O_CLOEXEC);
    if (stdinFd < 0)
      return runtime::Error(runtime::ErrorCode::IoError,
                            "scenario '" + scenario.name + "': cannot open stdin file '" +
                                *scenario.stdinFile + "'");
  }
  struct CloseFd {
    int fd;
    ~CloseFd() {
      if (fd >= 0)
        ::close(fd);
    }
  } closeStdin{stdinFd};
  spec.stdinFd = stdinFd;

  setActivity("profiling scenario '" + scenario.name + "'");
  auto guest = runtime::loadGuest(std::move(spec));
  if (!guest.ok())
    return runtime::Error(guest.error().code,
                          "scenario '" + scenario.name + "': " + guest.error().message);
  TRY_ASSIGN(auto entry, planEntry(options, **guest));
  entry.sourceMap = std::move(sourceMap); // For trap reports, as `run` does.
  TRY_ASSIGN(auto instructions, profiler::Profiler::attach(**guest, profiler::ProfilerOptions{}));
  // The heap profiler attaches once the module is instantiated, as
  // `profile --memory` does. A module without an allocator it knows has no
  // memory metrics; that is a note, not an error.
  std::unique_ptr<profiler::HeapProfiler> heap;
  std::string noHeap;
  auto attachHeap = [&]() -> runtime::Result<void> {
    auto attached = profiler::HeapProfiler::attach(**guest, profiler::HeapProfilerOptions{});
    if (attached.ok())
      heap = std::move(*attached);
    else
      noHeap = attached.error().message;
    return runtime::success();
  };
  RunOutcome outcome;
  runGuest(**guest, entry, outcome, attachHeap);
  if (!outcome.ran) // A link error, say: runGuest printed it.
    return runtime::Error(runtime::ErrorCode::InvalidArgument, "");
  if (!noHeap.empty())
    std::cerr << "wasmscope: ci: note: scenario '" << scenario.name
              << "' has no memory metrics: " << noHeap << "\n";
  profiler::RunInfo run;
  run.entry = entry.name;
  run.exitStatus = outcome.exitStatus;
  run.trap = outcome.trap;
  uint64_t finalMemory = 0;
  bool hasMemory = false;
  if (runtime::Instance *instance = (*guest)->instance())
    if (runtime::MemoryInstance *memory0 = instance->memory(0)) {
      finalMemory = memory0->size;
      hasMemory = true;
    }
  TRY_ASSIGN(auto profile, profiler::finishProfile(**guest, std::move(run), instructions.get(),
                                                   heap.get()));
  ci::ScenarioMetrics metrics = ci::metricsFromProfile(profile, metricOptions);
  if (hasMemory)
    metrics.totals[ci::kFinalMemoryBytes] = finalMemory;
  return metrics;
}

} // namespace

CiCommand::CiCommand(CLI::App &parent) {
  m_app = parent.add_subcommand(
      "ci", "Profile scenarios, compare them with a baseline, fail on regressions");
  m_app->add_option("--config", m_config, "Scenarios, thresholds and paths from FILE (JSON)")
      ->type_name("FILE");
  m_app->add_option("--baseline", m_baseline, "The baseline to compare with (JSON)")
      ->type_name("FILE");
  m_app->add_flag("--update-baseline", m_updateBaseline,
                  "Write the run's metrics into the baseline (never implicit) and exit 0");
  m_app->add_option("--junit", m_junit, "Write a JUnit XML report to FILE")->type_name("FILE");
  m_app->add_option("--markdown", m_markdown,
                    "Write a Markdown report to FILE (e.g. \"$GITHUB_STEP_SUMMARY\")")
      ->type_name("FILE");
  m_app->add_option("--json", m_json, "Write the JSON report to FILE")->type_name("FILE");
  m_app
      ->add_option("--annotations", m_annotations,
                   "Print workflow-command annotations on stdout (github)")
      ->type_name("KIND")
      ->check(CLI::IsMember({"github"}));
  m_app
      ->add_option("--source-root", m_sourceRoot,
                   "Name source files relative to DIR in baselines and reports (default: the "
                   "config's source_root, else the current directory)")
      ->type_name("DIR");
  m_app->add_option("--name", m_name, "Scenario name (default: MODULE's stem)")
      ->type_name("NAME");
  m_app
      ->add_option("--function-floor", m_functionFloor,
                   "Keep functions with at least N self instructions in the baseline "
                   "(default 1000)")
      ->type_name("N");
  m_app
      ->add_option("--threshold", m_thresholds,
                   "Set a limit: METRIC=LIMIT, METRIC.total=LIMIT or METRIC.function=LIMIT "
                   "(LIMIT: 5%, +4096, 0, off); repeatable, applies to every scenario")
      ->type_name("SPEC")
      ->allow_extra_args(false);
  m_app
      ->add_option("--expect-exit", m_expectExit,
                   "The guest's exit status must be N (0-255), as in the baseline "
                   "(baseline, the default) or anything (any)")
      ->type_name("N");
  m_app
      ->add_option("--metrics", m_metrics, "Check only these metrics (default: all)")
      ->type_name("METRIC")
      ->allow_extra_args(false);
  m_app->add_flag("--allow-new-leak-sites", m_allowNewLeakSites,
                  "A leak site the baseline does not have is not a failure by itself (exit 3); "
                  "the leak thresholds still apply");
  m_runOptions.addTo(*m_app, "to profile (unless --config names the scenarios)", false);
  m_app->footer([] { return std::string(kCiHelp); });
}

int CiCommand::execute() {
  namespace fs = std::filesystem;
  const RunOptions &cliOptions = m_runOptions.options();
  std::vector<Scenario> scenarios;
  std::optional<std::string> baselinePath = m_baseline;
  std::optional<std::string> sourceRoot = m_sourceRoot;
  ci::MetricOptions metricOptions;

  if (m_config) {
    if (!cliOptions.modulePath.empty())
      return fail(ExitCode::BadInput, "give either --config or MODULE, not both");
    auto config = ci::readConfigFile(*m_config);
    if (!config.ok())
      return fail(ExitCode::BadInput, config.error().message);
    if (!baselinePath)
      baselinePath = config->baseline;
    if (!sourceRoot)
      sourceRoot = config->sourceRoot;
    if (config->functionFloor)
      metricOptions.functionFloor = *config->functionFloor;
    for (const ci::ScenarioConfig &entry : config->scenarios) {
      Scenario scenario;
      scenario.name = entry.name;
      scenario.options = optionsFor(entry.launch);
      scenario.stdinFile = entry.launch.stdinFile;
      scenario.thresholds = entry.thresholds;
      scenarios.push_back(std::move(scenario));
    }
  } else {
    if (cliOptions.modulePath.empty())
      return fail(ExitCode::BadInput, "give MODULE or --config FILE (see --help)");
    Scenario scenario;
    scenario.name = m_name.value_or(fs::path(cliOptions.modulePath).stem().string());
    if (scenario.name.empty())
      return fail(ExitCode::BadInput, "--name must not be empty");
    scenario.options = cliOptions;
    scenario.thresholds = ci::Thresholds::defaults();
    scenarios.push_back(std::move(scenario));
  }
  if (m_name && m_config)
    return fail(ExitCode::BadInput, "--name names the command-line scenario; --config names its own");
  for (Scenario &scenario : scenarios) {
    for (const std::string &assignment : m_thresholds) {
      auto applied = scenario.thresholds.apply(assignment);
      if (!applied.ok())
        return fail(ExitCode::BadInput, "--threshold: " + applied.error().message);
    }
    if (m_expectExit) {
      auto requirement = ci::parseExitRequirement(*m_expectExit);
      if (!requirement.ok())
        return fail(ExitCode::BadInput, "--expect-exit: " + requirement.error().message);
      scenario.thresholds.exit = *requirement;
    }
    if (m_allowNewLeakSites)
      scenario.thresholds.noNewLeakSites = false;
    if (!m_metrics.empty()) {
      for (const std::string &metric : m_metrics)
        if (!ci::findMetric(metric))
          return fail(ExitCode::BadInput, "--metrics: unknown metric '" + metric + "'");
      scenario.thresholds.metrics = m_metrics;
    }
  }
  if (m_functionFloor)
    metricOptions.functionFloor = *m_functionFloor;
  if (!baselinePath)
    return fail(ExitCode::BadInput,
                "no baseline: give --baseline FILE (or \"baseline\" in the config)");
  std::error_code ec;
  fs::path root = fs::absolute(sourceRoot.value_or("."), ec);
  if (ec)
    return fail(ExitCode::BadInput, "--source-root: " + ec.message());
  metricOptions.sourceRoot = root.lexically_normal().string();

  // The old baseline: required to compare, optional when updating.
  std::optional<ci::Baseline> baseline;
  if (fs::exists(*baselinePath)) {
    auto read = ci::readBaselineFile(*baselinePath);
    if (!read.ok())
      return fail(ExitCode::BadInput, read.error().message);
    baseline = std::move(*read);
  } else if (!m_updateBaseline) {
    return fail(ExitCode::BadInput, "baseline '" + *baselinePath +
                                        "' does not exist; create it with --update-baseline");
  }
  if (baseline && !m_updateBaseline)
    for (const Scenario &scenario : scenarios)
      if (!baseline->scenarios.count(scenario.name))
        return fail(ExitCode::BadInput, "scenario '" + scenario.name + "' is not in baseline '" +
                                            *baselinePath +
                                            "'; add it with --update-baseline");

  ci::CiRun run;
  run.baselinePath = *baselinePath;
  run.updateBaseline = m_updateBaseline;
  for (const Scenario &scenario : scenarios) {
    auto metrics = profileScenario(scenario, metricOptions);
    if (!metrics.ok()) {
      if (!metrics.error().message.empty())
        reportError(metrics.error().message);
      // A guest that could not start is wasmscope's error here, whatever
      // status `run` would give it.
      return int(ExitCode::BadInput);
    }
    ci::ScenarioResult result;
    result.name = scenario.name;
    result.current = std::move(*metrics);
    result.updated = m_updateBaseline;
    if (baseline) {
      auto it = baseline->scenarios.find(scenario.name);
      if (it != baseline->scenarios.end()) {
        result.baseline = it->second;
        result.checks = ci::compareMetrics(it->second, result.current, scenario.thresholds);
      }
    }
    run.results.push_back(std::move(result));
  }
  run.exit = m_updateBaseline ? ci::CiExit::Pass : ci::exitFor(run.results);

  if (m_updateBaseline) {
    ci::Baseline updated = baseline.value_or(ci::Baseline{});
    for (const ci::ScenarioResult &result : run.results)
      updated.scenarios[result.name] = result.current;
    if (!writeReport("baseline", *baselinePath, ci::writeBaseline(updated)))
      return int(ExitCode::BadInput);
  }
  if (m_junit && !writeReport("--junit", *m_junit, ci::writeJUnit(run)))
    return int(ExitCode::BadInput);
  if (m_markdown && !writeReport("--markdown", *m_markdown, ci::writeMarkdown(run)))
    return int(ExitCode::BadInput);
  if (m_json && !writeReport("--json", *m_json, ci::writeJsonReport(run)))
    return int(ExitCode::BadInput);
  if (m_annotations)
    std::cout << ci::writeGithubAnnotations(run) << std::flush;

  // The verdict and each failing check on stderr.
  std::cerr << "wasmscope: ci: " << ci::verdictLine(run) << "\n";
  for (const ci::ScenarioResult &result : run.results)
    for (const ci::Check &check : result.checks)
      if (check.failed() && !result.updated)
        std::cerr << "wasmscope: ci: " << result.name << ": " << check.message
                  << (check.file.empty() ? ""
                                         : " [" + check.file +
                                               (check.line ? ":" + std::to_string(check.line)
                                                           : "") +
                                               "]")
                  << "\n";
  if (m_updateBaseline)
    std::cerr << "wasmscope: ci: wrote " << *baselinePath << "\n";
  return int(run.exit);
}

} // namespace wasmscope::cli
