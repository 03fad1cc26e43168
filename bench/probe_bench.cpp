// The cost of a local-probe hit: the price every breakpoint check, allocator
// interception and safepoint pays each time the guest passes a probed
// instruction. A five-instruction loop runs N times, first bare and then
// with a probe (whose hook only counts) on its first instruction; the
// difference per iteration is the cost of one hit. Prints the median of
// several repetitions, in nanoseconds per hit.
//
//   probe_bench [--iterations N] [--reps N] [--probes K]
//
// --probes K installs K probes at the same instruction (each hit then runs
// K hooks), to show the per-hook share.
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace wasmscope::runtime;

// (module (func (export "loop") (param i32)
//   loop  local.get 0  i32.const 1  i32.sub  local.tee 0  br_if 0  end))
const std::vector<uint8_t> kLoopModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,       // magic, version
    0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00,             // type: (i32) -> ()
    0x03, 0x02, 0x01, 0x00,                               // function 0: type 0
    0x07, 0x08, 0x01, 0x04, 'l', 'o', 'o', 'p', 0x00, 0x00, // export "loop"
    0x0a, 0x10, 0x01, 0x0e, 0x00,                         // code: one body, no locals
    0x03, 0x40,                                           // loop
    0x20, 0x00,                                           //   local.get 0
    0x41, 0x01,                                           //   i32.const 1
    0x6b,                                                 //   i32.sub
    0x22, 0x00,                                           //   local.tee 0
    0x0d, 0x00,                                           //   br_if 0
    0x0b,                                                 // end
    0x0b,                                                 // end
};

double secondsFor(Store& store, const FunctionInstance& f, uint32_t iterations) {
  Value arg = Value::i32(iterations);
  auto start = std::chrono::steady_clock::now();
  auto r = store.invoke(f, std::span<const Value>(&arg, 1));
  auto end = std::chrono::steady_clock::now();
  if (!r.ok()) {
    std::fprintf(stderr, "probe_bench: run failed: %s\n", r.error().describe().c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(end - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  uint32_t iterations = 20'000'000;
  int reps = 5;
  int probes = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc)
      iterations = uint32_t(std::strtoul(argv[++i], nullptr, 10));
    else if (a == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--probes" && i + 1 < argc)
      probes = std::max(1, std::atoi(argv[++i]));
    else {
      std::fprintf(stderr, "usage: probe_bench [--iterations N] [--reps N] [--probes K]\n");
      return 2;
    }
  }

  auto compiled = loadModule(kLoopModule);
  if (!compiled.ok()) {
    std::fprintf(stderr, "probe_bench: %s\n", compiled.error().describe().c_str());
    return 1;
  }
  std::shared_ptr<const CompiledModule> module = *compiled;
  Store store;
  Linker linker;
  auto instance = store.instantiate(module, linker);
  if (!instance.ok()) {
    std::fprintf(stderr, "probe_bench: %s\n", instance.error().describe().c_str());
    return 1;
  }
  const FunctionInstance& f = *(*instance)->findFunction("loop");
  // The loop body's first instruction, local.get 0 (offset 0 is `loop`).
  uint32_t target = module->function(0)->instructionOffsets().at(1);

  std::vector<double> bare, probed;
  uint64_t hits = 0;
  for (int r = 0; r < reps; ++r)
    bare.push_back(secondsFor(store, f, iterations));
  std::vector<ProbeId> ids;
  for (int p = 0; p < probes; ++p) {
    auto id = store.addLocalProbe(**instance, 0, target, [&hits](ProbeContext&) {
      ++hits;
      return ProbeAction::Continue;
    });
    if (!id.ok()) {
      std::fprintf(stderr, "probe_bench: %s\n", id.error().describe().c_str());
      return 1;
    }
    ids.push_back(*id);
  }
  for (int r = 0; r < reps; ++r)
    probed.push_back(secondsFor(store, f, iterations));
  if (hits != uint64_t(iterations) * reps * probes) {
    std::fprintf(stderr, "probe_bench: expected %llu hits, counted %llu\n",
                 (unsigned long long)(uint64_t(iterations) * reps * probes),
                 (unsigned long long)hits);
    return 1;
  }

  double bareNs = median(bare) * 1e9 / iterations;
  double probedNs = median(probed) * 1e9 / iterations;
  std::printf("iterations per run: %u, repetitions: %d (median), probes at the pc: %d\n",
              iterations, reps, probes);
  std::printf("bare loop:        %6.2f ns per iteration\n", bareNs);
  std::printf("probed loop:      %6.2f ns per iteration\n", probedNs);
  std::printf("probe hit cost:   %6.2f ns per hit (%d hook%s)\n", probedNs - bareNs, probes,
              probes == 1 ? "" : "s");
  return 0;
}
