// The speed promises: breakpoints in code that never runs cost nothing
// (they are local probes), and a `next` answers within a few milliseconds.
// Timing on shared machines is noisy, so the bounds here are loose; the
// figures are printed for the record.
#include "SessionTestSupport.h"

#include <cstdio>

namespace wasmscope::debugger::test {
namespace {

using Clock = std::chrono::steady_clock;

double runMs(const std::vector<SourceBreakpoint>& lines,
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
  auto start = Clock::now();
  EXPECT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop(std::chrono::seconds(120));
  EXPECT_FALSE(s) << "a breakpoint in never-reached code was hit at line " << d.top().line;
  EXPECT_EQ(d.exitCode, 0u);
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

TEST(PerformanceSession, BreakpointsInUnreachedCodeCostNothing) {
  SKIP_WITHOUT(samplePath("compute"));
  // compute.c's error paths, and libc functions the program never calls.
  std::vector<SourceBreakpoint> lines;
  for (uint32_t line : {166u, 167u, 172u, 173u})
    lines.push_back(lineBreakpoint(line));
  std::vector<FunctionBreakpoint> functions;
  for (const char* name : {"abort", "strerror", "fputs", "__lseek", "wctomb", "close"})
    functions.push_back(functionBreakpoint(name));
  double plain = 1e9, probed = 1e9;
  for (int i = 0; i < 2; ++i) {
    plain = std::min(plain, runMs({}, {}));
    probed = std::min(probed, runMs(lines, functions));
  }
  std::printf("compute 64x64, 3000 steps: %.1f ms plain, %.1f ms with 10 unreached breakpoints\n",
              plain, probed);
  EXPECT_LT(probed, plain * 1.3 + 20);
}

TEST(PerformanceSession, NextLatency) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  d.breakAt("steps.c", steps::kMainFirst);
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
  double total = 0, worst = 0;
  int count = 0;
  // main's loop: each `next` on line 30 steps over twice() and add().
  for (; count < 10; ++count) {
    auto start = Clock::now();
    ASSERT_TRUE(d.session.next().ok());
    ASSERT_TRUE(d.waitStop());
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    total += ms;
    worst = std::max(worst, ms);
  }
  std::printf("next: %.3f ms average, %.3f ms worst over %d steps\n", total / count, worst, count);
  EXPECT_LT(total / count, 25.0);
}

} // namespace
} // namespace wasmscope::debugger::test
