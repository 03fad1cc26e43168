// `wasmscope profile`: launches the module exactly as `wasmscope run` does
// (same options, same output and exit status), with the profiler attached,
// then writes the profile atomically and prints a short summary on stderr.
#include "ProfileCommand.h"

#include "GuestRunner.h"
#include "MemoryReport.h"
#include "ProfileReport.h"

#include "wasmscope/profiler/Formats.h"
#include "wasmscope/profiler/HeapProfiler.h"
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
  wasmscope profile --memory prog.wasm             # + heap profile and leak check
  wasmscope profile --memory-only --leak-exit-code 3 prog.wasm
Counts are exact: one per wasm instruction executed, the same on every run
and machine (wall time only with --wall-time, and kept apart). Options after
MODULE belong to the guest, as with `run`. Open the result with:
  json        wasmscope report FILE   (or wasmscope convert to another format)
  pprof       go tool pprof -top FILE, go tool pprof -http=: FILE, Pyroscope, Parca
  callgrind   kcachegrind FILE, qcachegrind FILE, callgrind_annotate FILE
  speedscope  https://www.speedscope.app (open the file), or npx speedscope FILE
  collapsed   flamegraph.pl FILE > flame.svg, inferno-flamegraph, speedscope
  dhat        (with --memory) Valgrind's dh_view.html, the Firefox Profiler
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
  case OutputFormat::Dhat:
    return "Valgrind's dh_view.html (Load...) or https://profiler.firefox.com";
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
  case OutputFormat::Dhat:
    return "dhat.out." + stem;
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
                   "json (wasmscope's own, default), pprof, callgrind, speedscope, "
                   "collapsed or dhat (the heap profile, with --memory); default: from FILE's "
                   "extension (.pb.gz, callgrind.out.*, .speedscope.json, .collapsed, "
                   "dhat.out.*), else json")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"json", "pprof", "callgrind", "speedscope", "collapsed", "dhat"}));
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
  m_app->add_flag("--memory", m_memory,
                  "Also profile the guest's heap: every allocator call with its stack, the "
                  "exact peak, the heap timeline, and a leak check at exit (memcheck's "
                  "classes); the summary ends with memcheck's LEAK SUMMARY");
  m_app->add_flag("--memory-only", m_memoryOnly,
                  "Profile the heap only (implies --memory), without the instruction profile");
  m_app
      ->add_option("--allocator", m_allocators,
                   "Intercept the guest's own allocator function NAME as KIND "
                   "(malloc, calloc, realloc or free); repeatable")
      ->type_name("NAME=KIND");
  m_app
      ->add_option("--suppressions", m_suppressions,
                   "Leak suppressions: Valgrind's syntax (Memcheck:Leak blocks) or "
                   "LeakSanitizer's leak:PATTERN lines; repeatable")
      ->type_name("FILE");
  m_app->add_flag("--no-default-suppressions", m_noDefaultSuppressions,
                  "Also report wasi-libc's start-up allocations (argv, environ, preopens)");
  m_app
      ->add_option("--leak-resolution", m_leakResolution,
                   "Frames compared when merging loss records: low (2), med (4), high (all, "
                   "default) or a number")
      ->type_name("LEVEL");
  m_app
      ->add_option("--leak-exit-code", m_leakExitCode,
                   "Exit with N when definitely or indirectly lost blocks remain (as "
                   "Valgrind's --error-exitcode); else the guest's status")
      ->type_name("N")
      ->check(CLI::Range(1, 255));
  m_app
      ->add_option("--temporary-window", m_temporaryWindow,
                   "Blocks freed within N instructions count as temporary (default 10000)")
      ->type_name("N");
  m_app
      ->add_option("--heap-events", m_heapEvents,
                   "Allocation events kept for the timeline (default 1000000; older ones are "
                   "folded into a snapshot)")
      ->type_name("N")
      ->check(CLI::Range(uint64_t(2), uint64_t(1) << 32));
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

  bool memory = m_memory || m_memoryOnly;
  if (format == OutputFormat::Dhat && !memory)
    return fail(ExitCode::BadInput,
                "--format dhat writes the heap profile: add --memory (or --memory-only)");
  HeapProfilerOptions heapOptions;
  if (memory) {
    for (const std::string &a : m_allocators) {
      auto named = parseAllocatorName(a);
      if (!named.ok())
        return fail(ExitCode::BadInput, "--allocator: " + named.error().message);
      heapOptions.allocators.push_back(*named);
    }
    auto resolution = parseLeakResolution(m_leakResolution);
    if (!resolution)
      return fail(ExitCode::BadInput, "--leak-resolution: expected low, med, high or a number, "
                                      "got '" + m_leakResolution + "'");
    heapOptions.leakResolution = *resolution;
    for (const std::string &file : m_suppressions) {
      auto added = heapOptions.suppressions.addFile(file);
      if (!added.ok())
        return fail(ExitCode::BadInput, added.error().message);
    }
    heapOptions.defaultSuppressions = !m_noDefaultSuppressions;
    heapOptions.temporaryWindow = m_temporaryWindow;
    heapOptions.maxEvents = m_heapEvents;
  } else if (!m_allocators.empty() || !m_suppressions.empty() || m_leakExitCode) {
    return fail(ExitCode::BadInput,
                "--allocator, --suppressions and --leak-exit-code need --memory");
  }

  Progress progress;
  ProfilerOptions options;
  options.maxStacks = m_maxStacks;
  options.wallTime = m_wallTime;
  if (m_trace || m_traceSize)
    options.traceEvents = m_traceSize.value_or(1000000);
  options.onProgress = [&](uint64_t n) { progress.update(n); };
  std::unique_ptr<Profiler> profiler;
  if (!m_memoryOnly) {
    auto attached = Profiler::attach(**guest, options);
    if (!attached.ok())
      return fail(ExitCode::BadInput, attached.error().message);
    profiler = std::move(*attached);
  }
  std::unique_ptr<HeapProfiler> heap;
  std::function<runtime::Result<void>()> attachHeap;
  if (memory)
    attachHeap = [&]() -> runtime::Result<void> {
      TRY_ASSIGN(heap, HeapProfiler::attach(**guest, std::move(heapOptions)));
      return runtime::success();
    };

  RunOutcome outcome;
  int status = runGuest(**guest, *entry, outcome, attachHeap);
  progress.clear();
  if (!outcome.ran)
    return status; // Nothing ran (a link error, say): runGuest said why.

  RunInfo run;
  run.commandLine = m_commandLine;
  run.entry = entry->name;
  run.exitStatus = outcome.exitStatus;
  run.trap = outcome.trap;
  auto profile = finishProfile(**guest, std::move(run), profiler.get(), heap.get());
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
  if (m_top && profiler)
    printTopFunctions(summary, *profile, m_top);
  if (profile->memory) {
    printHeapSummary(summary, *profile);
    printLeakSummary(summary, *profile);
    summary << "profiler memory: " << groupDigits(profile->memory->profilerBytes)
            << " bytes (stacks, live set, event log)\n";
    if (profile->memory->leakChecked) {
      const RootSummary &roots = profile->memory->roots;
      char line[160];
      std::snprintf(line, sizeof line,
                    "leak check: %.1f ms for %.1f MiB of heap blocks and %.1f KiB of roots\n",
                    double(heap->leakCheckNanos()) / 1e6, double(roots.blockBytes) / 1048576.0,
                    double(roots.staticBytes + roots.shadowStackBytes) / 1024.0);
      summary << line;
    }
    if (format != OutputFormat::Json && format != OutputFormat::Pprof &&
        format != OutputFormat::Dhat)
      summary << "wasmscope: note: the " << formatName(format)
              << " file holds the instruction profile only; the memory profile is saved in "
                 "the JSON, pprof and dhat formats\n";
  }
  summary << "wasmscope: wrote " << output << " (" << formatName(format)
          << "); open it with: " << howToOpen(format, output) << "\n";
  if (profile->memory && profile->memory->leakChecked && format == OutputFormat::Json)
    summary << "wasmscope: loss records with stacks: wasmscope report --leaks " << output << "\n";
  std::cerr << summary.str();
  if (m_leakExitCode && profile->memory) {
    const LeakSummary &leaks = profile->memory->summary;
    if (leaks.blocks[size_t(LeakKind::DefinitelyLost)] +
            leaks.blocks[size_t(LeakKind::IndirectlyLost)] >
        0)
      return *m_leakExitCode;
  }
  return status;
}

} // namespace wasmscope::cli
