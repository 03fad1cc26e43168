// The profiler's overhead: for each workload, the median wall time of
// `wasmscope profile` (the instruction profile: per-block counters plus
// entry/exit hooks) and of `wasmscope profile --trace` (the call trace too),
// each against a plain `wasmscope run` of the same module, as ratios, with
// geometric means. Each run is its own process; the profile runs include
// writing the JSON profile and loading DWARF to symbolicate it. Times are
// CPU time (user + system) of the child by default, which other work on a
// shared machine disturbs far less than wall time (--wall for wall time).
//
// Workloads: the benchmark kernels (--invoke run), the real-program set
// (bench/programs/, at their benchmark size) and the samples that compute
// the most. With --memory, the heap profiler instead: `profile --memory-only`
// and `profile --memory` against `run`, on the real programs, the
// request_handler sample scaled up (many small mallocs and frees) and
// heap_fill (64 MiB of heap blocks), with the leak check's own time at exit
// as the summary reports it.
#include "Subprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#ifndef BENCH_WASMSCOPE
#error                                                                                             \
    "BENCH_WASMSCOPE, BENCH_KERNEL_DIR, BENCH_PROGRAM_DIR and BENCH_SAMPLES_DIR come from the build"
#endif

namespace wasmscope::bench {
namespace {

namespace fs = std::filesystem;

constexpr const char *kUsage =
    "usage: profile_bench [--reps N] [--only NAME,...] [--wall] [--memory]\n"
    "\n"
    "  --reps N      runs per workload and mode (default 3); medians are reported\n"
    "  --only LIST   comma-separated workload names (default: all)\n"
    "  --wall        wall time instead of the child's CPU time\n"
    "  --memory      the heap profiler: profile --memory-only and profile --memory\n"
    "\n"
    "Prints, per workload, plain `wasmscope run` time and the ratios of\n"
    "`wasmscope profile` and `wasmscope profile --trace` to it.\n";

struct Workload {
  std::string name;
  std::string module;
  std::vector<std::string> runArgs; ///< Options before MODULE (--invoke run).
  std::vector<std::string> guestArgs; ///< After MODULE.
};

std::vector<Workload> workloads(bool memory) {
  std::vector<Workload> out;
  auto addDir = [&](const std::string &dir, const std::string &prefix,
                    std::vector<std::string> args, auto keep) {
    if (!fs::is_directory(dir))
      return;
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(dir))
      if (e.path().extension() == ".wasm" && keep(e.path().filename().string()))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const std::string &n : names)
      out.push_back({prefix + n.substr(0, n.size() - 5), dir + "/" + n, args, {}});
  };
  auto all = [](const std::string &) { return true; };
  if (memory) {
    addDir(BENCH_PROGRAM_DIR, "program:", {}, all);
    std::string sample = std::string(BENCH_SAMPLES_DIR) + "/request_handler.O2.wasm";
    if (fs::exists(sample))
      out.push_back({"sample:request_handler 20000", sample, {}, {"20000"}});
    if (fs::exists(BENCH_HEAP_FILL))
      out.push_back({"heap_fill 64 MiB", BENCH_HEAP_FILL, {}, {"64"}});
    return out;
  }
  addDir(BENCH_KERNEL_DIR, "kernel:", {"--invoke", "run"}, all);
  addDir(BENCH_PROGRAM_DIR, "program:", {}, all);
  addDir(BENCH_SAMPLES_DIR, "sample:", {}, [](const std::string &n) {
    return n == "compute.O2.wasm" || n == "recursion.O2.wasm" || n == "request_handler.O2.wasm";
  });
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::optional<double> timeRuns(const std::vector<std::string> &argv, int reps,
                               const std::string &what, bool wall, std::string *lastErr = nullptr) {
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    ProcessResult r = runProcess(argv, std::chrono::minutes(10));
    if (!r.started || r.timedOut || r.signal) {
      std::cerr << "profile_bench: " << what << ": " << r.describeStatus() << "\n" << r.err;
      return std::nullopt;
    }
    times.push_back(wall ? r.seconds : r.cpuSeconds);
    if (lastErr)
      *lastErr = r.err;
  }
  return median(times);
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char **argv) {
  using namespace wasmscope::bench;
  int reps = 3;
  bool wall = false;
  bool memory = false;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--wall") {
      wall = true;
    } else if (arg == "--memory") {
      memory = true;
    } else if (arg == "--reps" && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--only" && i + 1 < argc) {
      std::stringstream s(argv[++i]);
      std::string item;
      while (std::getline(s, item, ','))
        only.push_back(item);
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  std::string out =
      (fs::temp_directory_path() / ("profile_bench-" + std::to_string(::getpid()) + ".json"))
          .string();
  std::printf("%s time, median of %d\n", wall ? "wall" : "CPU", reps);
  const char *modeA = memory ? "mem-only" : "profile";
  const char *modeB = memory ? "+instr" : "+trace";
  std::printf("%-28s %10s %10s %10s %12s %12s%s\n", "workload", "run (s)", modeA, modeB,
              memory ? "memonly/run" : "profile/run", memory ? "memory/run" : "trace/run",
              memory ? "   leak check" : "");
  double logProfile = 0, logTrace = 0;
  int counted = 0, failures = 0;
  for (const Workload &w : workloads(memory)) {
    if (!only.empty() && std::find(only.begin(), only.end(), w.name) == only.end())
      continue;
    std::vector<std::string> run = {BENCH_WASMSCOPE, "run"};
    run.insert(run.end(), w.runArgs.begin(), w.runArgs.end());
    run.push_back(w.module);
    run.insert(run.end(), w.guestArgs.begin(), w.guestArgs.end());
    std::vector<std::string> profile = {BENCH_WASMSCOPE, "profile", "--top", "0", "-o", out};
    if (memory)
      profile.insert(profile.begin() + 2, "--memory-only");
    profile.insert(profile.end(), w.runArgs.begin(), w.runArgs.end());
    profile.push_back(w.module);
    profile.insert(profile.end(), w.guestArgs.begin(), w.guestArgs.end());
    std::vector<std::string> trace = profile;
    if (memory)
      trace[2] = "--memory"; // In place of --memory-only: both profiles.
    else
      trace.insert(trace.begin() + 2, "--trace");
    std::string err;
    auto plain = timeRuns(run, reps, w.name + " run", wall);
    auto profiled = timeRuns(profile, reps, w.name + " " + modeA, wall, &err);
    auto traced = timeRuns(trace, reps, w.name + " " + modeB, wall);
    if (!plain || !profiled || !traced) {
      ++failures;
      continue;
    }
    double rp = *profiled / *plain, rt = *traced / *plain;
    std::string check;
    if (size_t at = err.find("leak check: "); at != std::string::npos)
      check = "   " + err.substr(at + 12, err.find('\n', at) - at - 12);
    std::printf("%-28s %10.3f %10.3f %10.3f %11.2fx %11.2fx%s\n", w.name.c_str(), *plain,
                *profiled, *traced, rp, rt, check.c_str());
    std::fflush(stdout);
    // Samples run for milliseconds: their ratios show the fixed cost
    // (loading DWARF, writing the file), not the per-instruction one.
    if (w.name.rfind("sample:", 0) == 0)
      continue;
    logProfile += std::log(rp);
    logTrace += std::log(rt);
    ++counted;
  }
  std::remove(out.c_str());
  if (counted)
    std::printf("%-28s %10s %10s %10s %11.2fx %11.2fx\n", "geometric mean (no samples)", "", "", "",
                std::exp(logProfile / counted), std::exp(logTrace / counted));
  return failures ? 1 : 0;
}
