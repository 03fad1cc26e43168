// The command lines of interp_bench's workloads. Paths are baked in at
// build time by bench/CMakeLists.txt.
//
// Kernels export `run` and `run_small` and have no imports: native drivers
// take "small", wasmscope calls the export with --invoke, node runs them
// through run_node.mjs. Programs are WASI commands that take "small" (or a
// size) as their argument: wasmscope runs them with `wasmscope run`, node
// through tests/e2e/node_wasi_run.mjs on its main thread (no worker: none
// of them recurses deeply, and a worker would add its start-up to node's
// time).
#include "Workloads.h"

#include <sstream>

#if !defined(BENCH_KERNEL_DIR) || !defined(BENCH_PROGRAM_DIR)
#error "BENCH_KERNEL_DIR and BENCH_PROGRAM_DIR must be defined by the build"
#endif

namespace wasmscope::bench {
namespace {

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty())
      items.push_back(item);
  return items;
}

std::vector<std::string> kernelCommand(const std::string& kernel, RunnerKind runner, bool small) {
  std::string base = std::string(BENCH_KERNEL_DIR) + "/" + kernel;
  switch (runner) {
  case RunnerKind::Native:
    return small ? std::vector<std::string>{base, "small"} : std::vector<std::string>{base};
  case RunnerKind::Wasmscope:
    return {BENCH_WASMSCOPE, "run", "--invoke", small ? "run_small" : "run", base + ".wasm"};
  case RunnerKind::Node:
    return {BENCH_NODE, BENCH_RUN_NODE, base + ".wasm", small ? "run_small" : "run"};
  }
  return {};
}

std::vector<std::string> programCommand(const std::string& program, RunnerKind runner,
                                        bool small) {
  std::string base = std::string(BENCH_PROGRAM_DIR) + "/" + program;
  std::vector<std::string> argv;
  switch (runner) {
  case RunnerKind::Native: argv = {base}; break;
  case RunnerKind::Wasmscope: argv = {BENCH_WASMSCOPE, "run", base + ".wasm"}; break;
  case RunnerKind::Node: argv = {BENCH_NODE, BENCH_NODE_WASI_RUN, "--main-thread", base + ".wasm"}; break;
  }
  if (small)
    argv.push_back("small");
  return argv;
}

} // namespace

std::vector<std::string> Workload::command(RunnerKind runner, bool small) const {
  return set == "kernels" ? kernelCommand(name, runner, small) : programCommand(name, runner, small);
}

const std::vector<std::string>& workloadSets() {
  static const std::vector<std::string> sets{"programs", "kernels"};
  return sets;
}

std::vector<Workload> workloadsOf(const std::string& set) {
  std::vector<Workload> workloads;
  std::string list = set == "programs" ? BENCH_PROGRAMS : set == "kernels" ? BENCH_KERNELS : "";
  for (const std::string& name : splitList(list))
    workloads.push_back({set, name});
  return workloads;
}

std::string nodePath() { return BENCH_NODE; }
std::string wasmscopePath() { return BENCH_WASMSCOPE; }

} // namespace wasmscope::bench
