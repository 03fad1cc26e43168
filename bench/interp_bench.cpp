// The interpreter benchmark: runs each C kernel natively, under
// `wasmscope run` and under node (V8), each as its own process, several
// times; checks that all three print the same checksum; and prints median
// wall times and the slowdown against native, with geometric means.
//
// With --check it is instead a correctness test for the engine on real
// clang output: each kernel's small workload once natively and once under
// wasmscope, checksums compared (the ctest test bench_kernels_checksum).
//
// Paths to the built kernels, wasmscope, node and run_node.mjs are baked in
// at build time by bench/CMakeLists.txt.
#include "Subprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#ifndef BENCH_KERNEL_DIR
#error "BENCH_KERNEL_DIR must be defined by the build"
#endif

namespace wasmscope::bench {
namespace {

constexpr const char* kUsage =
    "usage: interp_bench [--reps N] [--kernels a,b,...] [--no-node] [--check]\n"
    "\n"
    "  --reps N         repetitions per kernel and runner (default 5); the\n"
    "                   median wall time is reported\n"
    "  --kernels LIST   comma-separated subset of: " BENCH_KERNELS "\n"
    "  --no-node        skip the node (V8) runner\n"
    "  --check          correctness only: each kernel's small workload natively\n"
    "                   and under wasmscope, checksums compared (no timing)\n"
    "\n"
    "Times are per process and include start-up (node's is about 0.05-0.1 s).\n"
    "Exit status: 0 all checksums agree, 1 a mismatch or a failed run, 2 usage.\n";

struct Options {
  int reps = 5;
  std::vector<std::string> kernels;
  bool node = true;
  bool check = false;
};

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty())
      items.push_back(item);
  return items;
}

std::optional<Options> parseOptions(int argc, char** argv) {
  Options options;
  const std::vector<std::string> known = splitList(BENCH_KERNELS);
  options.kernels = known;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        std::cerr << "interp_bench: " << arg << " needs a value\n";
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--reps") {
      auto v = value();
      if (!v)
        return std::nullopt;
      char* end = nullptr;
      long reps = std::strtol(v->c_str(), &end, 10);
      if (*end != '\0' || reps < 1 || reps > 1000) {
        std::cerr << "interp_bench: --reps must be an integer from 1 to 1000\n";
        return std::nullopt;
      }
      options.reps = int(reps);
    } else if (arg == "--kernels") {
      auto v = value();
      if (!v)
        return std::nullopt;
      options.kernels = splitList(*v);
      for (const std::string& k : options.kernels) {
        if (std::find(known.begin(), known.end(), k) == known.end()) {
          std::cerr << "interp_bench: unknown kernel '" << k << "' (known: " BENCH_KERNELS << ")\n";
          return std::nullopt;
        }
      }
    } else if (arg == "--no-node") {
      options.node = false;
    } else if (arg == "--check") {
      options.check = true;
    } else {
      std::cerr << "interp_bench: unknown argument '" << arg << "'\n" << kUsage;
      return std::nullopt;
    }
  }
  return options;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string firstLine(const std::string& s) {
  std::string t = trim(s);
  size_t nl = t.find('\n');
  return nl == std::string::npos ? t : t.substr(0, nl) + " ...";
}

/// One way of running a kernel: a name for the table and its command line.
struct Runner {
  std::string name;
  std::vector<std::string> (*command)(const std::string& kernel, bool small);
};

std::string kernelPath(const std::string& kernel, const char* suffix) {
  return std::string(BENCH_KERNEL_DIR) + "/" + kernel + suffix;
}

std::vector<std::string> nativeCommand(const std::string& kernel, bool small) {
  std::vector<std::string> argv{kernelPath(kernel, "")};
  if (small)
    argv.push_back("small");
  return argv;
}

std::vector<std::string> wasmscopeCommand(const std::string& kernel, bool small) {
  return {BENCH_WASMSCOPE, "run", "--invoke", small ? "run_small" : "run",
          kernelPath(kernel, ".wasm")};
}

std::vector<std::string> nodeCommand(const std::string& kernel, bool small) {
  return {BENCH_NODE, BENCH_RUN_NODE, kernelPath(kernel, ".wasm"), small ? "run_small" : "run"};
}

bool nodeAvailable() {
  std::string node = BENCH_NODE;
  return !node.empty() && access(node.c_str(), X_OK) == 0;
}

/// Runs one command and checks it succeeded and printed one checksum.
/// Returns the checksum, or reports the failure and returns nothing.
std::optional<std::string> runChecked(const std::string& kernel, const std::string& runner,
                                      const std::vector<std::string>& argv,
                                      std::optional<std::chrono::milliseconds> timeout,
                                      double* seconds) {
  ProcessResult r = runProcess(argv, timeout);
  if (seconds)
    *seconds = r.seconds;
  std::string checksum = trim(r.out);
  if (!r.succeeded() || checksum.empty() || checksum.find('\n') != std::string::npos) {
    std::cerr << "interp_bench: " << kernel << " under " << runner << " failed ("
              << r.describeStatus() << ")";
    if (!trim(r.err).empty())
      std::cerr << ": " << firstLine(r.err);
    else if (r.succeeded())
      std::cerr << ": expected one checksum line, got '" << firstLine(r.out) << "'";
    std::cerr << "\n";
    for (const std::string& a : argv)
      std::cerr << (&a == &argv.front() ? "  command: " : " ") << a;
    std::cerr << "\n";
    return std::nullopt;
  }
  return checksum;
}

void reportMismatch(const std::string& kernel, const std::string& expected,
                    const std::string& runner, const std::string& got) {
  std::cerr << "\n"
            << "!!! CHECKSUM MISMATCH in kernel '" << kernel << "': native printed " << expected
            << ", " << runner << " printed " << got << "\n"
            << "!!! " << runner << " computed a wrong result.\n\n";
}

int runCheck(const Options& options) {
  int failures = 0;
  auto timeout = std::chrono::milliseconds(60000);
  for (const std::string& kernel : options.kernels) {
    auto native = runChecked(kernel, "native", nativeCommand(kernel, true), timeout, nullptr);
    double seconds = 0;
    auto wasm = runChecked(kernel, "wasmscope", wasmscopeCommand(kernel, true), timeout, &seconds);
    if (!native || !wasm) {
      ++failures;
      continue;
    }
    if (*native != *wasm) {
      reportMismatch(kernel, *native, "wasmscope", *wasm);
      ++failures;
      continue;
    }
    std::printf("ok   %-12s %s (wasmscope %.3f s)\n", kernel.c_str(), native->c_str(), seconds);
  }
  if (failures)
    std::printf("%d of %zu kernels FAILED\n", failures, options.kernels.size());
  return failures ? 1 : 0;
}

double median(std::vector<double> v) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct KernelRow {
  std::string kernel;
  std::string checksum;
  std::vector<std::vector<double>> times; ///< Per runner.
  std::string failure;                    ///< "FAILED" or "MISMATCH"; empty when all agreed.
  bool failed() const { return !failure.empty(); }
};

std::string formatSeconds(double s) {
  char buf[32];
  if (std::isnan(s))
    return "-";
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

std::string formatRatio(double r) {
  char buf[32];
  if (std::isnan(r))
    return "-";
  std::snprintf(buf, sizeof buf, "%.1fx", r);
  return buf;
}

int runBenchmark(const Options& options) {
  std::vector<Runner> runners{{"native", nativeCommand}, {"wasmscope", wasmscopeCommand}};
  bool node = options.node && nodeAvailable();
  if (options.node && !node)
    std::cout << "note: node not found" << (std::strlen(BENCH_NODE) ? " at " BENCH_NODE : "")
              << "; skipping the node runner\n";
  if (node)
    runners.push_back({"node", nodeCommand});

  std::cout << "wasmscope interpreter benchmark: " << options.reps
            << " repetitions, median wall time per process (start-up included)\n"
            << "  wasmscope: " << BENCH_WASMSCOPE << "\n"
            << "  kernels:   " << BENCH_KERNEL_DIR << "\n\n";

  std::vector<KernelRow> rows;
  int failures = 0;
  for (const std::string& kernel : options.kernels) {
    KernelRow row{kernel, {}, std::vector<std::vector<double>>(runners.size()), {}};
    std::cerr << "running " << kernel << " " << std::flush;
    // Interleave the runners within each repetition, so that a slow phase
    // of a shared machine hurts them all alike.
    for (int rep = 0; rep < options.reps && !row.failed(); ++rep) {
      for (size_t r = 0; r < runners.size() && !row.failed(); ++r) {
        double seconds = 0;
        auto checksum = runChecked(kernel, runners[r].name, runners[r].command(kernel, false),
                                   std::nullopt, &seconds);
        if (!checksum) {
          row.failure = "FAILED";
        } else if (row.checksum.empty()) {
          row.checksum = *checksum;
        } else if (*checksum != row.checksum) {
          reportMismatch(kernel, row.checksum, runners[r].name, *checksum);
          row.failure = "MISMATCH";
        }
        row.times[r].push_back(seconds);
      }
      std::cerr << "." << std::flush;
    }
    std::cerr << "\n";
    failures += row.failed();
    rows.push_back(std::move(row));
  }

  // The table: medians, then each runner's slowdown against native.
  std::printf("\n%-12s %10s %12s %10s %17s %12s\n", "kernel", "native s", "wasmscope s", "node s",
              "wasmscope/native", "node/native");
  double logSum[2] = {0, 0};
  int logCount[2] = {0, 0};
  for (const KernelRow& row : rows) {
    double native = median(row.times[0]);
    double wasm = median(row.times[1]);
    double nodeTime = node ? median(row.times[2]) : NAN;
    double ratios[2] = {wasm / native, nodeTime / native};
    if (row.failed()) {
      std::printf("%-12s %10s %12s %10s %17s %12s\n", row.kernel.c_str(), row.failure.c_str(), "",
                  "", "", "");
      continue;
    }
    for (int i = 0; i < 2; ++i) {
      if (!std::isnan(ratios[i]) && ratios[i] > 0) {
        logSum[i] += std::log(ratios[i]);
        ++logCount[i];
      }
    }
    std::printf("%-12s %10s %12s %10s %17s %12s\n", row.kernel.c_str(),
                formatSeconds(native).c_str(), formatSeconds(wasm).c_str(),
                formatSeconds(nodeTime).c_str(), formatRatio(ratios[0]).c_str(),
                formatRatio(ratios[1]).c_str());
  }
  double geo[2];
  for (int i = 0; i < 2; ++i)
    geo[i] = logCount[i] ? std::exp(logSum[i] / logCount[i]) : NAN;
  std::printf("%-12s %10s %12s %10s %17s %12s\n", "geomean", "", "", "",
              formatRatio(geo[0]).c_str(), formatRatio(geo[1]).c_str());
  if (failures) {
    std::printf("\n%d kernel%s FAILED or MISMATCHED (see the messages above); the geometric "
                "means cover the rest:\n",
                failures, failures == 1 ? "" : "s");
    for (const KernelRow& row : rows)
      if (row.failed())
        std::printf("  %s: %s\n", row.kernel.c_str(), row.failure.c_str());
    return 1;
  }
  return 0;
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char** argv) {
  using namespace wasmscope::bench;
  auto options = parseOptions(argc, argv);
  if (!options)
    return 2;
  return options->check ? runCheck(*options) : runBenchmark(*options);
}
