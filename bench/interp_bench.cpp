// The interpreter benchmark: runs each workload natively, under
// `wasmscope run` and under node (V8), each as its own process, several
// times; checks that all three print the same checksum line; and prints
// median wall times, the slowdown against native and against node, and
// geometric means, per set of workloads (Workloads.h: real programs, and
// the small kernels for contrast).
//
// With --check it is instead a correctness test for the engine on real
// clang output: each workload's small size once natively and once under
// wasmscope, outputs compared (the ctest tests bench_programs_checksum and
// bench_kernels_checksum).
#include "Subprocess.h"
#include "Workloads.h"

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

namespace wasmscope::bench {
namespace {

constexpr const char* kUsage =
    "usage: interp_bench [--set programs|kernels|all] [--only a,b,...] [--reps N]\n"
    "                    [--no-node] [--cpu-time] [--check]\n"
    "\n"
    "  --set S          which workloads: programs (WASI programs that behave like\n"
    "                   real services), kernels (tiny C kernels), or all (default)\n"
    "  --only LIST      comma-separated subset of the chosen set(s): programs\n"
    "                   " BENCH_PROGRAMS "; kernels " BENCH_KERNELS "\n"
    "  --reps N         repetitions per workload and runner (default 5); the\n"
    "                   median wall time is reported\n"
    "  --no-node        skip the node (V8) runner\n"
    "  --check          correctness only: each workload's small size natively and\n"
    "                   under wasmscope, outputs compared (no timing)\n"
    "  --cpu-time       report CPU time (user + system, of all the process's\n"
    "                   threads) instead of wall time: steadier on a busy machine,\n"
    "                   but node's then includes its compiler and GC threads\n"
    "\n"
    "Times are per process and include start-up (node's is about 0.05-0.1 s).\n"
    "Exit status: 0 all checksums agree, 1 a mismatch or a failed run, 2 usage.\n";

struct Options {
  int reps = 5;
  std::vector<Workload> workloads;
  bool node = true;
  bool check = false;
  bool cpuTime = false;
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
  std::string set = "all";
  std::optional<std::vector<std::string>> only;
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
    } else if (arg == "--set") {
      auto v = value();
      if (!v)
        return std::nullopt;
      if (*v != "all" && workloadsOf(*v).empty()) {
        std::cerr << "interp_bench: unknown set '" << *v << "' (programs, kernels or all)\n";
        return std::nullopt;
      }
      set = *v;
    } else if (arg == "--only" || arg == "--kernels") {
      auto v = value();
      if (!v)
        return std::nullopt;
      only = splitList(*v);
      if (arg == "--kernels") // the older spelling
        set = "kernels";
    } else if (arg == "--no-node") {
      options.node = false;
    } else if (arg == "--check") {
      options.check = true;
    } else if (arg == "--cpu-time") {
      options.cpuTime = true;
    } else {
      std::cerr << "interp_bench: unknown argument '" << arg << "'\n" << kUsage;
      return std::nullopt;
    }
  }
  std::vector<Workload> chosen;
  for (const std::string& s : workloadSets())
    if (set == "all" || set == s)
      for (const Workload& w : workloadsOf(s))
        chosen.push_back(w);
  if (only) {
    for (const std::string& name : *only) {
      bool known = std::any_of(chosen.begin(), chosen.end(),
                               [&](const Workload& w) { return w.name == name; });
      if (!known) {
        std::cerr << "interp_bench: unknown workload '" << name << "' in set " << set
                  << " (programs: " BENCH_PROGRAMS "; kernels: " BENCH_KERNELS ")\n";
        return std::nullopt;
      }
    }
    std::erase_if(chosen, [&](const Workload& w) {
      return std::find(only->begin(), only->end(), w.name) == only->end();
    });
  }
  options.workloads = std::move(chosen);
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

struct Runner {
  std::string name;
  RunnerKind kind;
};

bool nodeAvailable() {
  std::string node = nodePath();
  return !node.empty() && access(node.c_str(), X_OK) == 0;
}

/// Runs one command and checks it succeeded and printed one line (the
/// checksum). Returns that line, or reports the failure and returns nothing.
std::optional<std::string> runChecked(const std::string& workload, const std::string& runner,
                                      const std::vector<std::string>& argv,
                                      std::optional<std::chrono::milliseconds> timeout,
                                      double* seconds, bool cpuTime = false) {
  ProcessResult r = runProcess(argv, timeout);
  if (seconds)
    *seconds = cpuTime ? r.cpuSeconds : r.seconds;
  std::string checksum = trim(r.out);
  if (!r.succeeded() || checksum.empty() || checksum.find('\n') != std::string::npos) {
    std::cerr << "interp_bench: " << workload << " under " << runner << " failed ("
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

void reportMismatch(const std::string& workload, const std::string& expected,
                    const std::string& runner, const std::string& got) {
  std::cerr << "\n"
            << "!!! CHECKSUM MISMATCH in '" << workload << "': native printed '" << expected
            << "', " << runner << " printed '" << got << "'\n"
            << "!!! " << runner << " computed a wrong result.\n\n";
}

int runCheck(const Options& options) {
  int failures = 0;
  auto timeout = std::chrono::milliseconds(60000);
  for (const Workload& w : options.workloads) {
    auto native = runChecked(w.name, "native", w.command(RunnerKind::Native, true), timeout, nullptr);
    double seconds = 0;
    auto wasm = runChecked(w.name, "wasmscope", w.command(RunnerKind::Wasmscope, true), timeout,
                           &seconds);
    if (!native || !wasm) {
      ++failures;
      continue;
    }
    if (*native != *wasm) {
      reportMismatch(w.name, *native, "wasmscope", *wasm);
      ++failures;
      continue;
    }
    std::printf("ok   %-9s %-12s %s (wasmscope %.3f s)\n", w.set.c_str(), w.name.c_str(),
                native->c_str(), seconds);
  }
  std::printf("%zu passed, %d failed\n", options.workloads.size() - size_t(failures), failures);
  return failures ? 1 : 0;
}

double median(std::vector<double> v) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// (max - min) / median: how far apart the repetitions were.
double spread(const std::vector<double>& v) {
  if (v.size() < 2)
    return 0;
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return (*hi - *lo) / median(v);
}

struct ResultRow {
  Workload workload;
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

/// A row of the table: name, three times, three ratios and the spread.
void printRow(const std::string& name, const std::string& native, const std::string& wasm,
              const std::string& node, const std::string& r0, const std::string& r1,
              const std::string& r2, const std::string& noise) {
  std::printf("%-12s %9s %12s %8s %17s %12s %15s %7s\n", name.c_str(), native.c_str(), wasm.c_str(),
              node.c_str(), r0.c_str(), r1.c_str(), r2.c_str(), noise.c_str());
}

/// Prints one set's table; returns the number of failed workloads.
int printTable(const std::string& set, const std::vector<ResultRow>& rows, bool node) {
  std::printf("\n%s\n", set == "programs"
                            ? "Real programs (bench/programs/, WASI, wasi-libc against glibc):"
                            : "Kernels (bench/kernels/, no libc), for contrast:");
  printRow(set == "programs" ? "program" : "kernel", "native s", "wasmscope s", "node s",
           "wasmscope/native", "node/native", "wasmscope/node", "spread");
  double logSum[3] = {0, 0, 0};
  int logCount[3] = {0, 0, 0};
  int failures = 0;
  for (const ResultRow& row : rows) {
    if (row.workload.set != set)
      continue;
    if (row.failed()) {
      ++failures;
      printRow(row.workload.name, row.failure, "", "", "", "", "", "");
      continue;
    }
    double native = median(row.times[0]);
    double wasm = median(row.times[1]);
    double nodeTime = node ? median(row.times[2]) : NAN;
    double ratios[3] = {wasm / native, nodeTime / native, wasm / nodeTime};
    for (int i = 0; i < 3; ++i) {
      if (!std::isnan(ratios[i]) && ratios[i] > 0) {
        logSum[i] += std::log(ratios[i]);
        ++logCount[i];
      }
    }
    double noise = 0;
    for (const std::vector<double>& t : row.times)
      noise = std::max(noise, spread(t));
    char noiseText[16];
    std::snprintf(noiseText, sizeof noiseText, "%.0f%%", 100 * noise);
    printRow(row.workload.name, formatSeconds(native), formatSeconds(wasm), formatSeconds(nodeTime),
             formatRatio(ratios[0]), formatRatio(ratios[1]), formatRatio(ratios[2]), noiseText);
  }
  double geo[3];
  for (int i = 0; i < 3; ++i)
    geo[i] = logCount[i] ? std::exp(logSum[i] / logCount[i]) : NAN;
  printRow("geomean", "", "", "", formatRatio(geo[0]), formatRatio(geo[1]), formatRatio(geo[2]), "");
  return failures;
}

int runBenchmark(const Options& options) {
  std::vector<Runner> runners{{"native", RunnerKind::Native}, {"wasmscope", RunnerKind::Wasmscope}};
  bool node = options.node && nodeAvailable();
  if (options.node && !node)
    std::cout << "note: node not found" << (nodePath().empty() ? "" : " at " + nodePath())
              << "; skipping the node runner\n";
  if (node)
    runners.push_back({"node", RunnerKind::Node});

  double load[3] = {0, 0, 0};
  bool haveLoad = getloadavg(load, 3) == 3;
  std::cout << "wasmscope interpreter benchmark: " << options.reps << " repetitions, median "
            << (options.cpuTime ? "CPU time (user + system)" : "wall time")
            << " per process (start-up included)\n"
            << "  wasmscope: " << wasmscopePath() << "\n";
  if (haveLoad)
    std::printf("  load average at start: %.2f (1 min), %.2f (5 min)\n", load[0], load[1]);

  std::vector<ResultRow> rows;
  int failures = 0;
  for (const Workload& w : options.workloads) {
    ResultRow row{w, {}, std::vector<std::vector<double>>(runners.size()), {}};
    std::cerr << "running " << w.name << " " << std::flush;
    // Interleave the runners within each repetition, so that a slow phase
    // of a shared machine hurts them all alike.
    for (int rep = 0; rep < options.reps && !row.failed(); ++rep) {
      for (size_t r = 0; r < runners.size() && !row.failed(); ++r) {
        double seconds = 0;
        auto checksum = runChecked(w.name, runners[r].name, w.command(runners[r].kind, false),
                                   std::nullopt, &seconds, options.cpuTime);
        if (!checksum) {
          row.failure = "FAILED";
        } else if (row.checksum.empty()) {
          row.checksum = *checksum;
        } else if (*checksum != row.checksum) {
          reportMismatch(w.name, row.checksum, runners[r].name, *checksum);
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

  for (const std::string& set : workloadSets()) {
    bool any = std::any_of(rows.begin(), rows.end(),
                           [&](const ResultRow& r) { return r.workload.set == set; });
    if (any)
      printTable(set, rows, node);
  }
  if (haveLoad && getloadavg(load, 3) == 3)
    std::printf("\nload average at the end: %.2f (1 min), %.2f (5 min) on %ld cores\n", load[0],
                load[1], sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("spread: (slowest - fastest) / median of the repetitions, worst of the runners\n");
  if (failures) {
    std::printf("\n%d workload%s FAILED or MISMATCHED (see the messages above); the geometric "
                "means cover the rest:\n",
                failures, failures == 1 ? "" : "s");
    for (const ResultRow& row : rows)
      if (row.failed())
        std::printf("  %s: %s\n", row.workload.name.c_str(), row.failure.c_str());
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
