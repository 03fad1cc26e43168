// symbols_bench: how long ModuleSymbols::load takes (libdwarf over the
// module's debug sections, the DIE walk, and building every index) for each
// module given, typically the largest sample and a generated module with
// more than 2 MB of DWARF (gen_dwarf_heavy.py). Prints figures; times
// nothing against a threshold. Goal: under 100 ms for 2 MB of DWARF.
//
//   symbols_bench [--runs N] MODULE.wasm...
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace wasmscope;

int main(int argc, char **argv) {
  int runs = 7;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else
      paths.push_back(argv[i]);
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: symbols_bench [--runs N] MODULE.wasm...\n");
    return 2;
  }
  // Wall time and the process's CPU time (the latter is what a loaded
  // machine does not inflate), minimum and median over the runs.
  std::printf("%-28s %10s %6s %7s %8s %8s %9s %8s %9s %7s\n", "module", "DWARF", "units", "funcs",
              "rows", "min ms", "median ms", "cpu min", "cpu median", "MB/s");
  for (const std::string &path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto module = runtime::decodeModule(bytes);
    if (!module) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), module.error().describe().c_str());
      return 1;
    }
    uint64_t dwarfBytes = 0;
    for (const auto &cs : module->customSections)
      if (cs.name.rfind(".debug_", 0) == 0)
        dwarfBytes += cs.contents.size();
    std::vector<double> ms, cpu;
    auto cpuNow = [] {
      timespec ts{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
      return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    size_t units = 0, funcs = 0, rows = 0;
    for (int r = 0; r < runs; ++r) {
      double cpuStart = cpuNow();
      auto start = std::chrono::steady_clock::now();
      auto symbols = debugger::ModuleSymbols::load(*module, nullptr);
      auto end = std::chrono::steady_clock::now();
      cpu.push_back(cpuNow() - cpuStart);
      if (!symbols) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), symbols.error().describe().c_str());
        return 1;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
      units = (*symbols)->compileUnits().size();
      funcs = (*symbols)->functions().size();
      rows = (*symbols)->lineTable().size();
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    double median = ms[ms.size() / 2];
    std::string name = path.substr(path.find_last_of('/') + 1);
    std::printf("%-28s %7.2f MB %6zu %7zu %8zu %8.1f %9.1f %8.1f %10.1f %7.1f\n", name.c_str(),
                double(dwarfBytes) / 1e6, units, funcs, rows, ms.front(), median, cpu.front(),
                cpu[cpu.size() / 2], double(dwarfBytes) / 1e6 / (cpu[cpu.size() / 2] / 1000.0));
  }
  return 0;
}
