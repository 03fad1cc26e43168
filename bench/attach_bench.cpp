// What `wasmscope run --debug-port` costs while no client is attached, as a
// figure (not a test): a sample run to completion with the DAP server
// listening (a debug session around the guest, its safepoints dormant, its
// output passed through the session's events), against a plain `wasmscope
// run` of the same module and arguments, interleaved. The figure is the
// ratio of the wasmscope process's CPU time (user + system, all threads),
// median of the runs. Goal: at most 1.02x. Paths are baked in by
// bench/CMakeLists.txt.
#include "Median.h"
#include "Subprocess.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#ifndef BENCH_WASMSCOPE
#error "BENCH_WASMSCOPE must be defined by the build"
#endif

namespace wasmscope::bench {
namespace {

constexpr const char* kUsage =
    "usage: attach_bench [--reps N] [--module NAME.wasm] [-- ARGS...]\n"
    "\n"
    "  --reps N      runs of each kind (default 5; the median is reported)\n"
    "  --module M    the sample build to run (default compute.O0.wasm)\n"
    "  ARGS          the sample's arguments (default 400 60000 for compute: about 2 s)\n";

int run(int argc, char** argv) {
  int reps = 5;
  std::string moduleName = "compute.O0.wasm";
  std::vector<std::string> args = {"400", "60000"};
  bool argsGiven = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--module" && i + 1 < argc)
      moduleName = argv[++i];
    else if (arg == "--") {
      args.assign(argv + i + 1, argv + argc);
      argsGiven = true;
      break;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (!argsGiven && moduleName.rfind("compute.", 0) != 0)
    args.clear();
  std::string module = std::string(BENCH_SAMPLES_DIR) + "/" + moduleName;
  std::string argText;
  for (const auto& a : args)
    argText += " " + a;
  std::printf("attach_bench: %s%s, %d runs each (median of the wasmscope process's CPU time)\n",
              moduleName.c_str(), argText.c_str(), reps);
  std::vector<double> plain, served;
  for (int rep = 0; rep < reps; ++rep) {
    std::vector<std::string> command = {BENCH_WASMSCOPE, "run", module};
    command.insert(command.end(), args.begin(), args.end());
    ProcessResult a = runProcess(command, std::chrono::minutes(10));
    std::vector<std::string> debug = {BENCH_WASMSCOPE, "run", "--debug-port", "0", module};
    debug.insert(debug.end(), args.begin(), args.end());
    ProcessResult b = runProcess(debug, std::chrono::minutes(10));
    if (!a.succeeded() || !b.succeeded()) {
      std::cerr << "attach_bench: a run failed: " << a.describeStatus() << " / "
                << b.describeStatus() << '\n'
                << a.err << b.err;
      return 1;
    }
    // The same program: the same output, byte for byte.
    if (a.out != b.out) {
      std::cerr << "attach_bench: the outputs differ with --debug-port\n";
      return 1;
    }
    plain.push_back(a.cpuSeconds);
    served.push_back(b.cpuSeconds);
  }
  double p = median(plain), s = median(served);
  std::printf("  wasmscope run                                  %8.3f s\n", p);
  std::printf("  wasmscope run --debug-port 0, nobody attached  %8.3f s   %.3fx  (goal <= 1.02x)\n",
              s, s / p);
  return 0;
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char** argv) {
  return wasmscope::bench::run(argc, argv);
}
