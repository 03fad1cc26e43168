// Exactness, proven two ways:
//  (a) two independent mechanisms agree: the per-block counters the
//      profiler reads (block counts times block sizes, per call path) and a
//      global probe that follows every instruction and counts wasm
//      instructions from the module's bytes (WasmLevelCounter) give the same
//      total for every function of every sample, kernel and test program;
//  (b) call counts equal what a program counts itself;
// and a profile is a pure function of its input: two runs, same bytes.
#include "ProfilerTestSupport.h"
#include "WasmLevelCounter.h"

#include "wasmscope/profiler/Formats.h"
#include "wasmscope/runtime/Store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>

namespace wasmscope::profiler::test {
namespace {

using namespace wasmscope::runtime;

/// Self instructions per wasm function, summed over its call paths.
std::map<FuncIndex, uint64_t> blockCountsPerFunction(const Profile &p) {
  std::map<FuncIndex, uint64_t> out;
  for (size_t i = 1; i < p.stacks.size(); ++i) {
    const Frame &frame = p.frames[p.stacks[i].frame];
    if (frame.kind == FrameKind::Wasm && p.stacks[i].selfInstructions)
      out[frame.funcIndex] += p.stacks[i].selfInstructions;
  }
  return out;
}

TEST(ExactnessTest, BlockCountsAgreeWithAGlobalProbeOnEveryModule) {
  std::vector<TestModule> modules = allModules();
  ASSERT_GE(modules.size(), 6u) << "samples, kernels and test programs must be built";
  // v128 instructions must count like any other: a -msimd128 program is among them.
  ASSERT_EQ(std::count_if(modules.begin(), modules.end(),
                          [](const TestModule &m) { return m.name.find("simdmix") != std::string::npos; }),
            2)
      << "the SIMD test program (O0 and O2) must be built";
  for (const TestModule &m : modules) {
    SCOPED_TRACE(m.name);
    std::unique_ptr<WasmLevelCounter> counter;
    ProfiledRun run = profileModule(m, {}, [&](Guest &guest) {
      counter = std::make_unique<WasmLevelCounter>(*guest.module());
      guest.store().setGlobalProbe([&](ProbeContext &ctx) { return counter->observe(ctx); });
    });
    ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
    ASSERT_TRUE(counter->problem().empty()) << counter->problem();
    std::map<FuncIndex, uint64_t> fromBlocks = blockCountsPerFunction(*run.profile);
    std::map<FuncIndex, uint64_t> fromProbe;
    for (const auto &[f, n] : counter->counts())
      if (n)
        fromProbe[f] = n;
    EXPECT_EQ(fromBlocks, fromProbe);
    uint64_t probeTotal = 0;
    for (const auto &[f, n] : fromProbe)
      probeTotal += n;
    EXPECT_EQ(run.profile->totals.instructions, probeTotal);
    EXPECT_GT(probeTotal, 0u);
    std::cout << "  " << m.name << ": " << probeTotal << " instructions in " << fromProbe.size()
              << " functions, both ways\n";
  }
}

std::map<std::string, uint64_t> parseCounts(const std::string &text) {
  std::map<std::string, uint64_t> out;
  std::istringstream in(text);
  std::string name;
  uint64_t n;
  while (in >> name >> n)
    out[name] = n;
  return out;
}

TEST(ExactnessTest, CallCountsEqualTheProgramsOwnCounters) {
  for (const char *opt : {"O0", "O2"}) {
    SCOPED_TRACE(opt);
    TestModule m{"callcount", programPath("callcount", opt), std::nullopt, {}};
    ProfiledRun run = profileModule(m);
    ASSERT_TRUE(run.profile.ok()) << run.profile.error().describe();
    std::map<std::string, uint64_t> counted = parseCounts(run.stdoutText);
    ASSERT_EQ(counted.size(), 8u) << run.stdoutText;
    std::map<std::string, uint64_t> profiled;
    for (const FunctionStats &f : run.profile->functions)
      if (run.profile->frames[f.frame].kind == FrameKind::Wasm)
        profiled[run.profile->frames[f.frame].name] += f.calls;
    for (const auto &[name, calls] : counted) {
      if (name == "acc")
        continue;
      EXPECT_EQ(profiled[name], calls) << name;
    }
    // Host calls are counted too: printf's output went through fd_write.
    uint64_t writes = 0;
    for (const FunctionStats &f : run.profile->functions)
      if (run.profile->frames[f.frame].name == "wasi:fd_write")
        writes = f.calls;
    EXPECT_GE(writes, 1u);
  }
}

TEST(ExactnessTest, ProfilesAreByteIdenticalAcrossRuns) {
  for (const TestModule &m : allModules()) {
    SCOPED_TRACE(m.name);
    ProfilerOptions options;
    options.traceEvents = 4096;
    ProfiledRun first = profileModule(m, options);
    ProfiledRun second = profileModule(m, options);
    ASSERT_TRUE(first.profile.ok() && second.profile.ok());
    for (OutputFormat format : {OutputFormat::Json, OutputFormat::Pprof, OutputFormat::Callgrind,
                                OutputFormat::Speedscope, OutputFormat::Collapsed}) {
      auto a = writeProfile(*first.profile, format);
      auto b = writeProfile(*second.profile, format);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_TRUE(*a == *b) << formatName(format) << " differs between two runs";
    }
  }
}

} // namespace
} // namespace wasmscope::profiler::test
