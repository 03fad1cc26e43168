// `wasmscope profile`: launches the module exactly as `wasmscope run` does
// (same options, same output and exit status), with the profiler attached,
// then writes the profile atomically and prints a short summary on stderr.
#include "ProfileCommand.h"

#include "GuestRunner.h"
#include "ProfileReport.h"

#include "wasmscope/profiler/Formats.h"
#include "wasmscope/profiler/Profiler.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace wasmscope::cli {

using namespace wasmscope::profiler;

namespace {

const char *kProfileExamples = R"(Examples:
  wasmscope profile prog.wasm                      # writes prog.profile.json
  wasmscope profile -o prog.pb.gz prog.wasm ARGS   # pprof, from the extension
  wasmscope profile --format callgrind -o callgrind.out.prog prog.wasm
  wasmscope profile --trace -o trace.speedscope.json prog.wasm
  wasmscope profile --invoke run kernel.wasm
Counts are exact: one per wasm instruction executed, the same on every run
and machine (wall time only with --wall-time, and kept apart). Options after
MODULE belong to the guest, as with `run`. Open the result with:
  json        wasmscope report FILE   (or wasmscope convert to another format)
  pprof       go tool pprof -top FILE, go tool pprof -http=: FILE, Pyroscope, Parca
  callgrind   kcachegrind FILE, qcachegrind FILE, callgrind_annotate FILE
  speedscope  https://www.speedscope.app (open the file), or npx speedscope FILE
  collapsed   flamegraph.pl FILE > flame.svg, inferno-flamegraph, speedscope
)";

std::string howToOpen(OutputFormat format, const std::string &path) {
  switch (format) {
  case OutputFormat::Json:
    return "wasmscope report " + path;
  case OutputFormat::Pprof:
    return "go tool pprof -http=: " + path;
  case OutputFormat::Callgrind:
    return "kcachegrind " + path + "  (or callgrind_annotate)";
  case OutputFormat::Speedscope:
    return "open it at https://www.speedscope.app";
  case OutputFormat::Collapsed:
    return "flamegraph.pl " + path + " > flame.svg";
  }
  return "";
}

std::string defaultOutput(const std::string &modulePath, OutputFormat format) {
  std::string stem = std::filesystem::path(modulePath).stem().string();
  if (stem.empty())
    stem = "wasmscope";
  switch (format) {
  case OutputFormat::Json:
    return stem + ".profile.json";
  case OutputFormat::Pprof:
    return stem + ".pb.gz";
  case OutputFormat::Callgrind:
    return "callgrind.out." + stem;
  case OutputFormat::Speedscope:
    return stem + ".speedscope.json";
  case OutputFormat::Collapsed:
    return stem + ".collapsed";
  }
  return stem + ".profile.json";
}

/// A progress line on stderr for long runs, when stderr is a terminal.
class Progress {
public:
  Progress() : m_enabled(::isatty(2) == 1), m_start(std::chrono::steady_clock::now()) {}
  void update(uint64_t instructions) {
    if (!m_enabled)
      return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    if (seconds < 1.0)
      return;
    std::fprintf(stderr, "\r\033[Kwasmscope: profiling: %s instructions (%.0f M/s)",
                 groupDigits(instructions).c_str(), double(instructions) / seconds / 1e6);
    std::fflush(stderr);
    m_shown = true;
  }
  void clear() {
    if (m_shown)
      std::fprintf(stderr, "\r\033[K");
    m_shown = false;
  }

private:
  bool m_enabled;
  bool m_shown = false;
  std::chrono::steady_clock::time_point m_start;
};

} // namespace

ProfileCommand::ProfileCommand(CLI::App &parent) {
  m_app = parent.add_subcommand("profile",
                                "Run a module like `run` and write its exact instruction profile");
  m_app
      ->add_option("-o,--output", m_output,
                   "Write the profile to FILE (default: MODULE's stem with the format's "
                   "extension, e.g. prog.profile.json); written atomically")
      ->type_name("FILE");
  m_app
      ->add_option("--format", m_format,
                   "json (wasmscope's own, default), pprof, callgrind, speedscope or "
                   "collapsed; default: from FILE's extension (.pb.gz, callgrind.out.*, "
                   ".speedscope.json, .collapsed), else json")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"json", "pprof", "callgrind", "speedscope", "collapsed"}));
  m_app->add_flag("--trace", m_trace,
                  "Record the call trace (enter and exit events stamped with instruction "
                  "counts) in a ring buffer of the last --trace-size events");
  m_app
      ->add_option("--trace-size", m_traceSize,
                   "Call-trace ring buffer size in events (default 1000000, at most 50000000; "
                   "24 bytes each; implies --trace)")
      ->type_name("N")
      ->check(CLI::Range(uint64_t(1), kMaxTraceEvents));
  m_app
      ->add_option("--max-stacks", m_maxStacks,
                   "Keep at most N distinct call paths; further paths are gathered under "
                   "\"[more call paths]\" (default 100000)")
      ->type_name("N")
      ->check(CLI::Range(uint32_t(16), UINT32_MAX));
  m_app->add_flag("--wall-time", m_wallTime,
                  "Also measure wall time (host calls, trace events, the run); the profile "
                  "then differs from run to run");
  m_app->add_option("--top", m_top, "Functions in the summary on stderr (default 5)")
      ->type_name("N");
  m_runOptions.addTo(*m_app, "to profile");
  m_app->footer([] { return std::string(kProfileExamples); });
}

int ProfileCommand::execute() {
  auto spec = m_runOptions.launchSpec();
  if (!spec.ok())
    return fail(ExitCode::BadInput, spec.error().message);
  spec->countBlocks = true;

  OutputFormat format = OutputFormat::Json;
  if (m_format)
    format = *parseFormat(*m_format);
  else if (m_output)
    format = formatForPath(*m_output);
  std::string output = m_output.value_or(defaultOutput(m_runOptions.options().modulePath, format));

  auto guest = runtime::loadGuest(std::move(*spec));
  if (!guest.ok())
    return failLaunch(guest.error());
  auto entry = planEntry(m_runOptions.options(), **guest);
  if (!entry.ok())
    return fail(ExitCode::BadInput, entry.error().message);

  Progress progress;
  ProfilerOptions options;
  options.maxStacks = m_maxStacks;
  options.wallTime = m_wallTime;
  if (m_trace || m_traceSize)
    options.traceEvents = m_traceSize.value_or(1000000);
  options.onProgress = [&](uint64_t n) { progress.update(n); };
  auto profiler = Profiler::attach(**guest, options);
  if (!profiler.ok())
    return fail(ExitCode::BadInput, profiler.error().message);

  RunOutcome outcome;
  int status = runGuest(**guest, *entry, outcome);
  progress.clear();
  if (!outcome.ran)
    return status; // Nothing ran (a link error, say): runGuest said why.

  RunInfo run;
  run.commandLine = m_commandLine;
  run.entry = entry->name;
  run.exitStatus = outcome.exitStatus;
  run.trap = outcome.trap;
  auto profile = (*profiler)->finish(std::move(run));
  if (!profile.ok())
    return fail(ExitCode::BadInput, profile.error().message);
  auto bytes = writeProfile(*profile, format);
  if (!bytes.ok())
    return fail(ExitCode::BadInput, bytes.error().message);
  auto written = writeFileAtomically(output, *bytes);
  if (!written.ok())
    return fail(ExitCode::BadInput, written.error().message);

  std::ostringstream summary;
  summary << "wasmscope: profile: " << groupDigits(profile->totals.instructions)
          << " instructions, " << groupDigits(profile->totals.calls) << " calls, "
          << groupDigits(profile->totals.hostCalls) << " host calls\n";
  if (m_top)
    printTopFunctions(summary, *profile, m_top);
  summary << "wasmscope: wrote " << output << " (" << formatName(format)
          << "); open it with: " << howToOpen(format, output) << "\n";
  std::cerr << summary.str();
  return status;
}

} // namespace wasmscope::cli
