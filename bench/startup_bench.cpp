// Start-up time: how long `wasmscope run` takes for a WASI hello world, from
// process start to exit, beside node's `node:wasi` running the same module
// and a native build of the same C. Prints the median of repeated runs.
//
//   startup_bench [--reps N]
#include "Median.h"
#include "Subprocess.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using wasmscope::bench::median;
using wasmscope::bench::runProcess;

namespace {

struct Runner {
  const char* name;
  std::vector<std::string> argv;
};

} // namespace

int main(int argc, char** argv) {
  int reps = 20;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: startup_bench [--reps N]\n");
      return 2;
    }
  }
  std::vector<Runner> runners = {
      {"native", {STARTUP_NATIVE}},
      {"wasmscope", {STARTUP_WASMSCOPE, "run", STARTUP_WASM}},
  };
  if (std::strlen(STARTUP_NODE))
    runners.push_back({"node", {STARTUP_NODE, STARTUP_NODE_RUNNER, "--main-thread", STARTUP_WASM}});
  else
    std::printf("node not found: its column is skipped\n");

  std::printf("start-up of a WASI hello world, median of %d runs\n", reps);
  std::printf("%-10s %10s  %s\n", "runner", "median ms", "vs native");
  double nativeMs = 0;
  int failures = 0;
  for (const Runner& r : runners) {
    std::vector<double> ms;
    for (int i = 0; i < reps; ++i) {
      auto p = runProcess(r.argv, std::chrono::milliseconds(30'000));
      if (!p.succeeded() || p.out != "hello, world\n") {
        std::fprintf(stderr, "%s failed: %s, output \"%s\"\n", r.name, p.describeStatus().c_str(),
                     p.out.c_str());
        ++failures;
        break;
      }
      ms.push_back(p.seconds * 1000);
    }
    if (ms.empty())
      continue;
    double m = median(ms);
    if (!std::strcmp(r.name, "native"))
      nativeMs = m;
    std::printf("%-10s %10.2f  %.1fx\n", r.name, m, nativeMs > 0 ? m / nativeMs : 0.0);
  }
  return failures ? 1 : 0;
}
