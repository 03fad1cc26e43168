// The DAP adapter's costs, as figures (not a test):
//
//  1. Overhead of debugging when nothing stops: a compute sample run to
//     completion under `wasmscope dap` with ten breakpoints set in code that
//     is never reached, against a plain `wasmscope run` of the same module
//     and arguments. Goal: at most 1.05x.
//  2. Stepping latency: the time from writing a `next` request to reading
//     its `stopped` event, median over many steps. Goal: under 5 ms.
//  3. A false breakpoint condition on a hot line: the counting loop of the
//     tinylua test program (tests/debugger/data/tinylua, `count N`: N hits,
//     10 million by default) run with a breakpoint whose condition never
//     holds, against the same run without it; the difference in the
//     adapter's CPU time per hit. Conditions are compiled
//     for the breakpoint's location when it is set (CompiledExpression.h).
//     Goal: at most 200 ns a hit.
//  4. A logpoint on the same line: every hit formats a message; output is
//     coalesced into few events. The same difference per hit, same goal.
//
// The adapter runs as its own process over pipes, as an editor runs it.
// Paths to wasmscope and the samples are baked in by bench/CMakeLists.txt.
#include "Median.h"
#include "Subprocess.h"

#include "wasmscope/dap/Transport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#ifndef BENCH_WASMSCOPE
#error "BENCH_WASMSCOPE must be defined by the build"
#endif

extern char** environ;

namespace wasmscope::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: dap_bench [--reps N] [--steps N] [--hits N] [--only conditions]\n"
    "                 [--module NAME.wasm] [-- ARGS...]\n"
    "\n"
    "  --reps N       runs of each kind for the overhead figure (default 5, median)\n"
    "  --steps N      `next` requests timed for the latency figure (default 300)\n"
    "  --hits N       hits of the hot line for the condition and logpoint figures\n"
    "                 (default 10000000)\n"
    "  --only conditions  just the condition and logpoint figures\n"
    "  --module M     the compute sample build to run (default compute.O0.wasm)\n"
    "  ARGS           the sample's arguments (default 400 60000: about 2 s)\n";

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  if (values.empty())
    return 0;
  size_t index = std::min(values.size() - 1, size_t(p * double(values.size())));
  return values[index];
}

/// The 1-based line of the first line of `file` containing `text`.
uint32_t lineOf(const std::string& file, const std::string& text) {
  std::ifstream in(file);
  std::string line;
  for (uint32_t number = 1; std::getline(in, line); ++number)
    if (line.find(text) != std::string::npos)
      return number;
  std::cerr << "dap_bench: '" << text << "' not found in " << file << '\n';
  std::exit(1);
}

/// `wasmscope dap` as a child process, and a minimal blocking client.
class AdapterProcess {
public:
  AdapterProcess() {
    int toChild[2], fromChild[2];
    if (pipe(toChild) != 0 || pipe(fromChild) != 0) {
      std::perror("pipe");
      std::exit(1);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, toChild[1]);
    posix_spawn_file_actions_addclose(&actions, fromChild[0]);
    std::string program = BENCH_WASMSCOPE;
    std::string dap = "dap";
    char* argv[] = {program.data(), dap.data(), nullptr};
    if (posix_spawn(&m_pid, program.c_str(), &actions, nullptr, argv, environ) != 0) {
      std::perror("posix_spawn");
      std::exit(1);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(toChild[0]);
    close(fromChild[1]);
    m_transport = std::make_unique<dap::FdTransport>(fromChild[0], toChild[1], true);
  }

  ~AdapterProcess() { (void)finish(); }

  /// Closes the pipes (the adapter ends), waits for it, and returns the CPU
  /// time it used, user and system, in seconds.
  double finish() {
    if (m_pid < 0)
      return 0;
    m_transport.reset();
    int status = 0;
    rusage usage{};
    wait4(m_pid, &status, 0, &usage);
    m_pid = -1;
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }

  int64_t send(const std::string& command, json arguments = json::object()) {
    int64_t seq = m_seq++;
    json request = {
        {"seq", seq}, {"type", "request"}, {"command", command}, {"arguments", arguments}};
    m_transport->write(request.dump());
    return seq;
  }

  /// Reads until a message matches; exits on a closed pipe.
  json waitFor(const std::function<bool(const json&)>& match) {
    for (;;) {
      auto frame = m_transport->read();
      if (!frame) {
        std::cerr << "dap_bench: the adapter closed the connection\n";
        std::exit(1);
      }
      json message = json::parse(frame->text, nullptr, false);
      if (message.is_discarded())
        continue;
      if (message.value("type", "") == "response" && !message.value("success", false)) {
        std::cerr << "dap_bench: " << message.value("command", "?")
                  << " failed: " << message.value("message", "") << '\n';
        std::exit(1);
      }
      if (message.value("event", "") == "stopped")
        m_stops++;
      if (match(message))
        return message;
    }
  }

  json request(const std::string& command, json arguments = json::object()) {
    int64_t seq = send(command, std::move(arguments));
    return waitFor([&](const json& m) {
      return m.value("type", "") == "response" && m.value("request_seq", 0) == seq;
    });
  }

  json event(const std::string& name) {
    return waitFor([&](const json& m) {
      return m.value("type", "") == "event" && m.value("event", "") == name;
    });
  }

  int stops() const { return m_stops; }

private:
  pid_t m_pid = -1;
  std::unique_ptr<dap::FdTransport> m_transport;
  int64_t m_seq = 1;
  int m_stops = 0;
};

struct Options {
  int reps = 5;
  int steps = 300;
  uint64_t hits = 10000000;
  bool onlyConditions = false;
  std::string module = "compute.O0.wasm";
  std::vector<std::string> args = {"400", "60000"};
};

/// One run to completion under the adapter with breakpoints that are never
/// reached; returns {spawn to exited, configurationDone to exited}.
std::pair<double, double> runUnderAdapter(const Options& options, const std::string& source) {
  auto start = Clock::now();
  AdapterProcess adapter;
  adapter.request("initialize", {{"adapterID", "wasmscope"}});
  adapter.request("launch", {{"program", std::string(BENCH_SAMPLES_DIR) + "/" + options.module},
                             {"args", options.args}});
  adapter.event("initialized");
  // Ten breakpoints in code these arguments never reach: the error paths of
  // main, and library functions compute.c never calls.
  json lines = json::array();
  for (const char* text :
       {"usage: compute [SIZE > 0]", "return 2;", "compute: out of memory", "return 1;"})
    lines.push_back({{"line", lineOf(source, text)}});
  json placed =
      adapter.request("setBreakpoints", {{"source", {{"path", source}}}, {"breakpoints", lines}});
  json functions = json::array();
  for (const char* name :
       {"fprintf", "strerror", "abort", "wcrtomb", "wctomb", "long_double_not_supported"})
    functions.push_back({{"name", name}});
  json placedFunctions = adapter.request("setFunctionBreakpoints", {{"breakpoints", functions}});
  int verified = 0;
  for (const auto* list : {&placed, &placedFunctions})
    for (const auto& bp : (*list)["body"]["breakpoints"])
      verified += bp.value("verified", false);
  if (verified != 10)
    std::cerr << "dap_bench: warning: " << verified << " of 10 breakpoints verified\n";
  adapter.request("setExceptionBreakpoints", {{"filters", json::array({"trap"})}});
  auto running = Clock::now();
  adapter.request("configurationDone");
  json exited = adapter.event("exited");
  auto end = Clock::now();
  if (adapter.stops() != 0)
    std::cerr << "dap_bench: warning: the guest stopped " << adapter.stops()
              << " times; the breakpoints were meant to be unreachable\n";
  if (exited["body"].value("exitCode", -1) != 0)
    std::cerr << "dap_bench: warning: exit code " << exited["body"].dump() << '\n';
  adapter.request("disconnect");
  return {seconds(end - start), seconds(end - running)};
}

enum class HotBreakpoint { None, FalseCondition, Logpoint };

/// The adapter's CPU time (user and system), in seconds, for tinylua's
/// `count N` with a breakpoint on its loop whose condition never holds, a
/// logpoint there, or neither. CPU time, not wall time: it does not move
/// with the machine's load.
double conditionRun(uint64_t hits, HotBreakpoint kind) {
  std::string source = std::string(BENCH_GUEST_SOURCES) + "/tinylua/tbaselib.c";
  AdapterProcess adapter;
  adapter.request("initialize", {{"adapterID", "wasmscope"}});
  adapter.request("launch", {{"program", std::string(BENCH_GUESTS_DIR) + "/tinylua.O0.wasm"},
                             {"args", json::array({"count " + std::to_string(hits)})}});
  adapter.event("initialized");
  if (kind != HotBreakpoint::None) {
    json bp = {{"line", lineOf(source, "@count-hot")}};
    if (kind == HotBreakpoint::FalseCondition)
      bp["condition"] = "i > limit";
    else
      bp["logMessage"] = "i {i}";
    json placed = adapter.request(
        "setBreakpoints", {{"source", {{"path", source}}}, {"breakpoints", json::array({bp})}});
    if (!placed["body"]["breakpoints"][0].value("verified", false))
      std::cerr << "dap_bench: warning: the breakpoint on the hot line is not verified\n";
  }
  adapter.request("configurationDone");
  uint64_t lines = 0;
  adapter.waitFor([&](const json& m) {
    if (m.value("event", "") == "output" && m["body"].value("category", "") == "console") {
      const std::string& text = m["body"]["output"].get_ref<const std::string&>();
      lines += uint64_t(std::count(text.begin(), text.end(), '\n'));
    }
    return m.value("event", "") == "exited";
  });
  if (adapter.stops() != 0)
    std::cerr << "dap_bench: warning: the guest stopped; the condition was meant to be false\n";
  if (kind == HotBreakpoint::Logpoint && lines != hits)
    std::cerr << "dap_bench: warning: " << lines << " logpoint lines, expected " << hits << '\n';
  adapter.request("disconnect");
  return adapter.finish();
}

/// Step latencies in milliseconds: `next` written to `stopped` read.
std::vector<double> stepLatencies(const Options& options, const std::string& source) {
  AdapterProcess adapter;
  adapter.request("initialize", {{"adapterID", "wasmscope"}});
  adapter.request("launch", {{"program", std::string(BENCH_SAMPLES_DIR) + "/" + options.module},
                             {"args", json::array({"96", "10"})}});
  adapter.event("initialized");
  adapter.request("setBreakpoints",
                  {{"source", {{"path", source}}},
                   {"breakpoints", {{{"line", lineOf(source, "hash ^= bytes[i];")}}}}});
  adapter.request("configurationDone");
  adapter.event("stopped");
  adapter.request("setBreakpoints",
                  {{"source", {{"path", source}}}, {"breakpoints", json::array()}});
  std::vector<double> latencies;
  for (int i = 0; i < options.steps; ++i) {
    auto start = Clock::now();
    adapter.send("next", {{"threadId", 1}});
    json stopped = adapter.event("stopped");
    latencies.push_back(seconds(Clock::now() - start) * 1000);
    // A client asks for the stack after every stop; include it in the loop
    // (not in the figure) so the adapter works as it does in an editor.
    adapter.request("stackTrace", {{"threadId", 1}, {"levels", 1}});
  }
  adapter.request("disconnect");
  return latencies;
}

int conditionFigures(const Options& options);

int run(int argc, char** argv) {
  Options options;
  bool customArgs = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--reps")
      options.reps = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--steps")
      options.steps = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--module")
      options.module = value();
    else if (arg == "--hits")
      options.hits = std::max<uint64_t>(1, std::strtoull(value().c_str(), nullptr, 10));
    else if (arg == "--only" && value() == "conditions")
      options.onlyConditions = true;
    else if (arg == "--") {
      if (!customArgs)
        options.args.clear();
      customArgs = true;
      options.args.assign(argv + i + 1, argv + argc);
      break;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  std::string source = std::string(BENCH_SAMPLES_SRC) + "/compute.c";
  std::string module = std::string(BENCH_SAMPLES_DIR) + "/" + options.module;

  if (options.onlyConditions)
    return conditionFigures(options);
  std::string argText;
  for (const auto& a : options.args)
    argText += " " + a;
  std::printf("dap_bench: %s%s, %d runs each (median)\n", options.module.c_str(), argText.c_str(),
              options.reps);
  std::vector<double> plain, adapterTotal, adapterRun;
  for (int rep = 0; rep < options.reps; ++rep) {
    std::vector<std::string> command = {BENCH_WASMSCOPE, "run", module};
    command.insert(command.end(), options.args.begin(), options.args.end());
    ProcessResult result = runProcess(command, std::chrono::minutes(10));
    if (!result.succeeded()) {
      std::cerr << "dap_bench: wasmscope run: " << result.describeStatus() << '\n' << result.err;
      return 1;
    }
    plain.push_back(result.seconds);
    auto [total, running] = runUnderAdapter(options, source);
    adapterTotal.push_back(total);
    adapterRun.push_back(running);
  }
  double plainMedian = median(plain);
  double totalMedian = median(adapterTotal);
  double runMedian = median(adapterRun);
  std::printf("  wasmscope run (process wall time)          %8.3f s\n", plainMedian);
  std::printf("  wasmscope dap, spawn to exited event       %8.3f s   %.3fx  (goal <= 1.05x)\n",
              totalMedian, totalMedian / plainMedian);
  std::printf("  wasmscope dap, configurationDone to exited %8.3f s   %.3fx\n", runMedian,
              runMedian / plainMedian);

  std::vector<double> latencies = stepLatencies(options, source);
  std::printf(
      "dap_bench: `next` request to `stopped` event, %zu steps in compute.c's checksum loop\n",
      latencies.size());
  std::printf("  median %.3f ms   p90 %.3f ms   max %.3f ms  (goal: median < 5 ms)\n",
              median(latencies), percentile(latencies, 0.9), percentile(latencies, 1.0));

  return conditionFigures(options);
}

int conditionFigures(const Options& options) {
  if (access((std::string(BENCH_GUESTS_DIR) + "/tinylua.O0.wasm").c_str(), R_OK) != 0) {
    std::printf("dap_bench: %s/tinylua.O0.wasm is not built (the tests' guests); "
                "no hot-line figures\n",
                BENCH_GUESTS_DIR);
    return 0;
  }
  uint64_t hits = options.hits;
  std::vector<double> without, withCondition, withLog;
  int reps = std::max(1, std::min(options.reps, 3));
  for (int rep = 0; rep < reps; ++rep) {
    without.push_back(conditionRun(hits, HotBreakpoint::None));
    withCondition.push_back(conditionRun(hits, HotBreakpoint::FalseCondition));
    withLog.push_back(conditionRun(hits, HotBreakpoint::Logpoint));
  }
  double conditionPerHit = (median(withCondition) - median(without)) / double(hits) * 1e9;
  double logPerHit = (median(withLog) - median(without)) / double(hits) * 1e9;
  std::printf("dap_bench: tinylua `count %llu`, a hot line hit %llu times, adapter CPU time "
              "(median of %d)\n",
              (unsigned long long)hits, (unsigned long long)hits, reps);
  std::printf("  no breakpoint                         %7.3f s\n", median(without));
  std::printf(
      "  false condition (`i > limit`)         %7.3f s   %4.0f ns a hit  (goal <= 200 ns)\n",
      median(withCondition), conditionPerHit);
  std::printf(
      "  logpoint (`i {i}`)                    %7.3f s   %4.0f ns a hit  (goal <= 200 ns)\n",
      median(withLog), logPerHit);
  return 0;
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char** argv) {
  return wasmscope::bench::run(argc, argv);
}
