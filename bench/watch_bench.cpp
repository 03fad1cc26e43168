// What memory watches (data breakpoints, LLDB's watchpoints) cost, as
// figures (not a test). Each of interp_bench's real programs runs in this
// process through the shared launch path:
//
//   plain     no watch: the interpreter's ordinary dispatch tables;
//   idle      one 4-byte write watch the program never touches: every load
//             and store goes through the watched handlers and is rejected
//             by the inline range test (what a data breakpoint or an LLDB
//             watchpoint on a variable costs while it is not hit);
//   every     one read-and-write watch over all of linear memory: every
//             access takes the out-of-line path and runs the hook (a
//             counter), so every access is a hit.
//
// Figures: idle's CPU time over plain's at the programs' full sizes (the
// guest runs on this thread), median of --reps runs, and their geometric
// mean; and what one hit costs the runtime, in nanoseconds of CPU time per
// hook call: (every - plain) / hits at the programs' small sizes (a hook on
// every access makes a full-size run take minutes). A hit that stops the
// guest for LLDB costs a round trip to LLDB on top (gdb_bench --watch). With
// no watch at all the interpreter runs exactly the plain tables, so
// interp_bench's figures are the ones without watches.
#include "wasmscope/runtime/Launch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#if !defined(BENCH_PROGRAM_DIR) || !defined(BENCH_PROGRAMS)
#error "BENCH_PROGRAM_DIR and BENCH_PROGRAMS must be defined by the build"
#endif

namespace wasmscope::bench {
namespace {

using namespace wasmscope::runtime;

constexpr const char* kUsage =
    "usage: watch_bench [--reps N] [--small] [PROGRAM...]\n"
    "\n"
    "  --reps N   runs of each way (default 3; the median is reported)\n"
    "  --small    the idle figure at the programs' small sizes too (a quick\n"
    "             check, not a figure)\n"
    "  PROGRAM    some of bench/programs/ (default: all)\n";

enum class Way { Plain, Idle, Every };

double threadSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

/// One run; its CPU seconds, and the hook calls in `hits`.
double runOnce(const std::string& program, bool small, Way way, uint64_t& hits) {
  LaunchSpec spec;
  spec.modulePath = std::string(BENCH_PROGRAM_DIR) + "/" + program + ".wasm";
  if (small)
    spec.args.push_back("small");
  spec.stdinFd = -1;
  spec.output = [](int, std::string_view) {};
  auto guest = launchGuest(std::move(spec));
  if (!guest.ok()) {
    std::cerr << "watch_bench: " << guest.error().message << '\n';
    std::exit(1);
  }
  Store& store = (*guest)->store();
  MemoryInstance* memory = (*guest)->instance()->memory(0);
  hits = 0;
  auto count = [&hits](ProbeContext&, const MemoryAccess&) {
    ++hits;
    return ProbeAction::Continue;
  };
  Result<WatchId> watch = WatchId(0);
  if (way == Way::Idle) // The last word of the 4 GiB space: never accessed.
    watch = store.addMemoryWatch(*memory, (uint64_t(1) << 32) - 4, 4, WatchAccess::Write, count);
  else if (way == Way::Every)
    watch = store.addMemoryWatch(*memory, 0, uint64_t(1) << 32, WatchAccess::ReadWrite, count);
  if (!watch.ok()) {
    std::cerr << "watch_bench: " << watch.error().message << '\n';
    std::exit(1);
  }
  double start = threadSeconds();
  Result<uint32_t> status = (*guest)->runStart();
  double elapsed = threadSeconds() - start;
  if (!status.ok() || *status != 0) {
    std::cerr << "watch_bench: " << program << " failed: "
              << (status.ok() ? "exit " + std::to_string(*status) : status.error().message) << '\n';
    std::exit(1);
  }
  return elapsed;
}

int run(int argc, char** argv) {
  int reps = 3;
  bool small = false;
  std::vector<std::string> programs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--small")
      small = true;
    else if (!arg.empty() && arg[0] != '-')
      programs.push_back(arg);
    else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (programs.empty()) {
    std::stringstream list(BENCH_PROGRAMS);
    for (std::string p; std::getline(list, p, ',');)
      programs.push_back(p);
  }
  std::printf("watch_bench: CPU time of each program, median of %d runs; idle at %s sizes, "
              "hits at small sizes\n",
              reps, small ? "small" : "full");
  std::printf("  %-10s %9s %9s %7s   %9s %9s %14s %8s\n", "program", "plain s", "idle s", "ratio",
              "plain s", "every s", "hits", "ns/hit");
  double logIdle = 0, logHit = 0;
  for (const std::string& program : programs) {
    std::vector<double> times[4];
    uint64_t hits = 0, everyHits = 0;
    for (int rep = 0; rep < reps; ++rep) {
      times[0].push_back(runOnce(program, small, Way::Plain, hits));
      times[1].push_back(runOnce(program, small, Way::Idle, hits));
      if (hits != 0)
        std::cerr << "watch_bench: warning: the idle watch was hit\n";
      times[2].push_back(runOnce(program, true, Way::Plain, hits));
      times[3].push_back(runOnce(program, true, Way::Every, everyHits));
    }
    double plain = median(times[0]), idle = median(times[1]);
    double plainSmall = median(times[2]), every = median(times[3]);
    double perHit = everyHits ? (every - plainSmall) / double(everyHits) * 1e9 : 0;
    logIdle += std::log(idle / plain);
    logHit += std::log(std::max(perHit, 1e-3));
    std::printf("  %-10s %9.3f %9.3f %6.3fx   %9.3f %9.3f %14llu %8.1f\n", program.c_str(), plain,
                idle, idle / plain, plainSmall, every, (unsigned long long)everyHits, perHit);
    std::fflush(stdout); // A row as soon as it is measured, on a slow machine too.
  }
  double n = double(programs.size());
  std::printf("  geometric mean: idle watch %.3fx; a hit (the hook runs) %.1f ns\n",
              std::exp(logIdle / n), std::exp(logHit / n));
  return 0;
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char** argv) {
  return wasmscope::bench::run(argc, argv);
}
