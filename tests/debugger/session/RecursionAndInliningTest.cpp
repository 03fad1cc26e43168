// Stepping where frames repeat or are not real: over and out of recursive
// calls (the return probe must not fire in a deeper activation), a
// breakpoint inside a call being stepped over, and inlined calls at -O2
// shown as frames of their own.
#include "SessionTestSupport.h"

namespace wasmscope::debugger::test {
namespace {

const char* kFile = "linked_structures.c";

void stopAt(Driver& d, const std::string& path, const char* file, uint32_t line,
            const std::string& hit = "") {
  d.launch(configFor(path), false);
  SourceBreakpoint spec = lineBreakpoint(line, "", hit);
  Result<std::vector<Breakpoint>> r = d.session.setBreakpoints(file, std::span(&spec, 1));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE((*r)[0].verified) << (*r)[0].message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_TRUE(d.session.setBreakpoints(file, {}).ok());
}

uint32_t depth(Driver& d) {
  Result<StackTrace> t = d.session.stackTrace(0, 1);
  return t.ok() ? t->totalFrames : 0;
}

TEST(RecursionSession, NextOverARecursiveCallStaysInThisActivation) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  // tree_height(root): line 82 recurses into the left subtree.
  stopAt(d, samplePath("linked_structures"), kFile, 82);
  EXPECT_EQ(d.eval("node->key"), "50");
  uint32_t frames = depth(d);
  ASSERT_TRUE(d.session.next().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.top().line, 83u);
  EXPECT_EQ(depth(d), frames);
  EXPECT_EQ(d.eval("node->key"), "50");
  EXPECT_EQ(d.eval("left"), "3"); // 30 -> 40 -> 35
  ASSERT_TRUE(d.session.next().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.top().line, 84u);
  EXPECT_EQ(d.eval("right"), "2"); // 70 -> 60
}

TEST(RecursionSession, StepOutOfOneActivation) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  // The 4th call of tree_height is three levels deep: 50 -> 30 -> 20 -> NULL.
  stopAt(d, samplePath("linked_structures"), kFile, 80, "4");
  EXPECT_EQ(d.eval("node"), "0x00000000");
  uint32_t frames = depth(d);
  ASSERT_TRUE(d.session.stepOut().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(depth(d), frames - 1);
  EXPECT_EQ(d.top().line, 82u); // Back in the call for node 20, mid-line.
  EXPECT_EQ(d.eval("node->key"), "20");
}

TEST(RecursionSession, BreakpointInsideSteppedOverCallWins) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  std::vector<SourceBreakpoint> specs{lineBreakpoint(steps::kTwiceBody),
                                      lineBreakpoint(steps::kAddBody)};
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", specs).ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.top().line, steps::kTwiceBody);
  ASSERT_TRUE(d.session.next().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Breakpoint);
  EXPECT_EQ(d.top().name, "add");
  // The interrupted step is over: continuing runs to the next breakpoint.
  ASSERT_TRUE(d.session.resume().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.top().line, steps::kTwiceBody);
  EXPECT_EQ(d.eval("v"), "1");
}

TEST(RecursionSession, DeepStackPages) {
  SKIP_WITHOUT(samplePath("recursion"));
  Driver d;
  // A frame of the 50000-deep list recursion, stopped deep down.
  d.launch(configFor(samplePath("recursion")), false);
  FunctionBreakpoint fb = functionBreakpoint("list_hash", "40000");
  Result<std::vector<Breakpoint>> r = d.session.setFunctionBreakpoints(std::span(&fb, 1));
  ASSERT_TRUE(r.ok()) << r.error().message;
  // recursion.c defines list_hash: a breakpoint that cannot be placed on it
  // is the failure under test, not a reason to skip.
  ASSERT_TRUE((*r)[0].verified) << (*r)[0].message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  auto start = std::chrono::steady_clock::now();
  Result<StackTrace> t = d.session.stackTrace(0, 20);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->frames.size(), 20u);
  EXPECT_GT(t->totalFrames, 40000u);
  Result<StackTrace> far = d.session.stackTrace(30000, 5);
  ASSERT_TRUE(far.ok());
  ASSERT_EQ(far->frames.size(), 5u);
  EXPECT_EQ(far->frames[0].name, "list_hash");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // Variables of a frame far down.
  Result<std::vector<FrameScope>> scopes = d.session.scopes(far->frames[0].id);
  ASSERT_TRUE(scopes.ok());
  ASSERT_TRUE(d.session.terminate().ok());
  EXPECT_EQ(d.waitExit(), kTerminatedExitCode);
}

TEST(InliningSession, InlinedCallsAreFrames) {
  SKIP_WITHOUT(samplePath("linked_structures", "O2"));
  Driver d;
  // list_sum is inlined into main at -O2 (call on line 201).
  stopAt(d, samplePath("linked_structures", "O2"), kFile, 37);
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  ASSERT_GE(t->frames.size(), 2u);
  EXPECT_EQ(t->frames[0].name, "list_sum");
  EXPECT_TRUE(t->frames[0].inlined);
  EXPECT_EQ(t->frames[0].line, 37u);
  EXPECT_EQ(t->frames[1].name, "main");
  EXPECT_FALSE(t->frames[1].inlined);
  EXPECT_EQ(t->frames[1].line, 201u);
  EXPECT_EQ(t->frames[0].address, t->frames[1].address);
  // Each frame has its own scopes.
  Result<std::vector<FrameScope>> inner = d.session.scopes(t->frames[0].id);
  Result<std::vector<FrameScope>> outer = d.session.scopes(t->frames[1].id);
  ASSERT_TRUE(inner.ok());
  ASSERT_TRUE(outer.ok());
  // Stepping out of the inlined call stops in main, past line 37's loop.
  ASSERT_TRUE(d.session.stepOut().ok());
  ASSERT_TRUE(d.waitStop());
  Result<StackTrace> after = d.session.stackTrace();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->frames[0].name, "main");
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 0u);
}

TEST(InliningSession, CallLineBreakpointAtAFunctionsEntryStops) {
  // recursion.c:82 is `enter();` at the start of parse_expr. At -O2 enter is
  // inlined there and the line has no rows: the breakpoint goes to the
  // inlined code's start, which is parse_expr's DWARF entry (its local
  // declarations, no instruction); it must still stop, at the first one.
  std::string path = samplePath("recursion", "O2");
  SKIP_WITHOUT(path);
  Driver d;
  Breakpoint b = d.breakAt("recursion.c", 82);
  d.launch(configFor(path, {"20"}));
  std::optional<StoppedEvent> stop = d.waitStop();
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->reason, StopReason::Breakpoint);
  Result<StackTrace> trace = d.session.stackTrace();
  ASSERT_TRUE(trace.ok());
  ASSERT_GE(trace->frames.size(), 2u);
  EXPECT_TRUE(trace->frames[0].inlined);
  EXPECT_EQ(trace->frames[0].name, "enter");
  EXPECT_EQ(trace->frames[1].name, "parse_expr");
  EXPECT_EQ(trace->frames[1].line, 82u);
  ASSERT_TRUE(d.session.setBreakpoints("recursion.c", {}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 0u);
}

} // namespace
} // namespace wasmscope::debugger::test
