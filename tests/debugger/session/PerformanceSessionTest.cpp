// The speed promises, checked by what the instrumentation did rather than by
// the clock (timings on a shared machine are noise; bench/dap_bench prints
// them): breakpoints in code that never runs are never reached, conditions
// run compiled, and a `next` over a call runs the callee without the
// global probe. SessionStats counts are deterministic.
#include "SessionTestSupport.h"

#include <fstream>

namespace wasmscope::debugger::test {
namespace {

/// compute.c 64x64, 3000 n-body steps, with `lines` and `functions` set.
SessionStats runCompute(const std::vector<SourceBreakpoint>& lines,
                        const std::vector<FunctionBreakpoint>& functions) {
  Driver d;
  d.launch(configFor(samplePath("compute"), {"64", "3000"}), false);
  Result<std::vector<Breakpoint>> r = d.session.setBreakpoints("compute.c", lines);
  EXPECT_TRUE(r.ok());
  for (const Breakpoint& b : *r)
    EXPECT_TRUE(b.verified) << b.message;
  Result<std::vector<Breakpoint>> f = d.session.setFunctionBreakpoints(functions);
  EXPECT_TRUE(f.ok());
  for (const Breakpoint& b : *f)
    EXPECT_TRUE(b.verified) << b.message;
  EXPECT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop(std::chrono::seconds(120));
  EXPECT_FALSE(s) << "stopped at line " << d.top().line << ", which was not meant to stop";
  EXPECT_EQ(d.exitCode, 0u);
  return d.session.stats();
}

TEST(PerformanceSession, BreakpointsInUnreachedCodeCostNothing) {
  SKIP_WITHOUT(samplePath("compute"));
  // compute.c's error paths, and libc functions the program never calls:
  // their probes are never reached, and nothing else is instrumented.
  std::vector<SourceBreakpoint> lines;
  for (uint32_t line : {166u, 167u, 172u, 173u})
    lines.push_back(lineBreakpoint(line));
  std::vector<FunctionBreakpoint> functions;
  for (const char* name : {"abort", "strerror", "fputs", "__lseek", "wctomb", "close"})
    functions.push_back(functionBreakpoint(name));
  SessionStats unreached = runCompute(lines, functions);
  EXPECT_EQ(unreached.breakpointProbeHits, 0u);
  EXPECT_EQ(unreached.stepProbeCalls, 0u);
  EXPECT_EQ(unreached.safepointHits, 0u);
  EXPECT_EQ(unreached.compiledConditionRuns + unreached.treeConditionRuns, 0u);
}

TEST(PerformanceSession, ConditionsOnAHotLineRunCompiled) {
  SKIP_WITHOUT(samplePath("compute"));
  // The checksum loop runs once per pixel (64 x 64); the condition never
  // holds. Every hit is counted, and evaluated compiled, not as a tree.
  std::string source = std::string(WASMSCOPE_SOURCE_DIR) + "/samples/compute.c";
  uint32_t hot = 0;
  {
    std::ifstream in(source);
    std::string text;
    for (uint32_t n = 1; std::getline(in, text); ++n)
      if (text.find("hash ^= bytes[i];") != std::string::npos)
        hot = n;
  }
  ASSERT_NE(hot, 0u);
  SessionStats hits = runCompute({lineBreakpoint(hot, "i > length")}, {});
  EXPECT_EQ(hits.breakpointProbeHits, 64u * 64u);
  EXPECT_EQ(hits.compiledConditionRuns, 64u * 64u);
  EXPECT_EQ(hits.treeConditionRuns, 0u);
  EXPECT_EQ(hits.stepProbeCalls, 0u);
}

TEST(PerformanceSession, NextOverACallRunsTheCalleeWithoutTheGlobalProbe) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  d.breakAt("steps.c", steps::kLoopBody);
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
  // `total += twice(i);` calls twice() and add(); stepped over, the global
  // probe sees main's instructions only (a return probe waits in main).
  uint64_t before = d.session.stats().stepProbeCalls;
  ASSERT_TRUE(d.session.next().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_EQ(d.top().line, steps::kForLine);
  uint64_t overCall = d.session.stats().stepProbeCalls - before;
  // The callees' own instructions, counted by stepping into them one at a
  // time on the next iteration: more than the whole `next` saw.
  ASSERT_TRUE(d.session.next().ok()); // To the loop body again.
  ASSERT_TRUE(d.waitStop());
  ASSERT_EQ(d.top().line, steps::kLoopBody);
  uint64_t inCallees = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    ASSERT_TRUE(d.session.stepIn(StepGranularity::Instruction).ok());
    ASSERT_TRUE(d.waitStop());
    StackFrame f = d.top();
    if (f.name != "main")
      ++inCallees;
    else if (inCallees)
      break; // Back in main after the calls.
  }
  EXPECT_GT(overCall, 0u);
  EXPECT_LT(overCall, inCallees) << "the global probe ran through the callees";
}

} // namespace
} // namespace wasmscope::debugger::test
