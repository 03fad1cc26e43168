// Line, function and instruction breakpoints on real guests: where they
// stop, what the frame shows there, conditions, hit counts and logpoints.
#include "SessionTestSupport.h"

#include <thread>

namespace wasmscope::debugger::test {
namespace {

TEST(BreakpointSession, StopsOnLineWithLocals) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  Breakpoint bp = d.breakAt("steps.c", steps::kAddBody);
  EXPECT_TRUE(bp.verified) << bp.message;
  EXPECT_EQ(bp.line, steps::kAddBody);
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> stop = d.waitStop();
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->reason, StopReason::Breakpoint);
  ASSERT_EQ(stop->hitBreakpointIds.size(), 1u);
  EXPECT_EQ(stop->hitBreakpointIds[0], bp.id);
  StackFrame f = d.top();
  EXPECT_EQ(f.name, "add");
  EXPECT_EQ(f.line, steps::kAddBody);
  EXPECT_EQ(f.sourceName, "steps.c");
  EXPECT_EQ(d.eval("a"), "0");
  EXPECT_EQ(d.eval("b"), "0");
  ASSERT_TRUE(d.session.resume().ok());
  stop = d.waitStop();
  ASSERT_TRUE(stop);
  EXPECT_EQ(d.eval("a"), "1");
  EXPECT_EQ(d.eval("a + b * 10"), "11");
}

} // namespace
} // namespace wasmscope::debugger::test

namespace wasmscope::debugger::test {
namespace {

/// Launches steps.c with `specs` on `file`, returns what setBreakpoints said.
std::vector<Breakpoint> launchWith(Driver& d, std::vector<SourceBreakpoint> specs,
                                   std::vector<std::string> args = {}) {
  d.launch(configFor(stepsPath(), std::move(args)), false);
  Result<std::vector<Breakpoint>> r = d.session.setBreakpoints("steps.c", specs);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(d.session.configurationDone().ok());
  return r.ok() ? *r : std::vector<Breakpoint>{};
}

SourceBreakpoint line(uint32_t l, std::string condition = {}, std::string hit = {},
                      std::string log = {}) {
  SourceBreakpoint s;
  s.line = l;
  s.condition = std::move(condition);
  s.hitCondition = std::move(hit);
  s.logMessage = std::move(log);
  return s;
}

/// Every value of `expression` at the stops until the guest exits.
std::vector<std::string> collect(Driver& d, const std::string& expression) {
  std::vector<std::string> values;
  while (std::optional<StoppedEvent> s = d.waitStop()) {
    values.push_back(d.eval(expression));
    if (!d.session.resume().ok())
      break;
  }
  return values;
}

using Strings = std::vector<std::string>;

TEST(BreakpointSession, LoopBreakpointStopsEveryIteration) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kLoopBody)});
  EXPECT_EQ(collect(d, "i"), (Strings{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(d.exitCode, 7u);
}

TEST(BreakpointSession, ConditionStopsOnlyWhenTrue) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kAddBody, "a == 3")});
  EXPECT_EQ(collect(d, "a + b"), (Strings{"6"}));
  EXPECT_EQ(d.exitCode, 7u);
}

TEST(BreakpointSession, ConditionUsesCallerStateThroughPointers) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kTwiceReturn, "r > 4 && r % 4 == 2")});
  EXPECT_EQ(collect(d, "v"), (Strings{"3"}));
}

TEST(BreakpointSession, BadConditionStopsAndSaysWhy) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kAddBody, "no_such_variable > 1")});
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_NE(d.console.find("no variable named 'no_such_variable'"), std::string::npos) << d.console;
}

TEST(BreakpointSession, HitConditions) {
  SKIP_WITHOUT(stepsPath());
  struct Case {
    std::string hit;
    Strings values;
  };
  for (const Case& c : {Case{"3", {"2"}}, Case{">=4", {"3", "4"}}, Case{"%2", {"1", "3"}},
                        Case{"<2", {"0"}}, Case{"==5", {"4"}}}) {
    Driver d;
    launchWith(d, {line(steps::kLoopBody, "", c.hit)});
    EXPECT_EQ(collect(d, "i"), c.values) << "hit condition " << c.hit;
    EXPECT_EQ(d.exitCode, 7u);
  }
}

TEST(BreakpointSession, HitCountsOnlyTrueConditions) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  // Hits where i is odd: i = 1, 3; the second of them is i = 3.
  launchWith(d, {line(steps::kLoopBody, "i % 2 == 1", "2")});
  EXPECT_EQ(collect(d, "i"), (Strings{"3"}));
}

TEST(BreakpointSession, MalformedHitConditionIsNotVerified) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  std::vector<Breakpoint> bps = launchWith(d, {line(steps::kLoopBody, "", "often")});
  ASSERT_EQ(bps.size(), 1u);
  EXPECT_FALSE(bps[0].verified);
  EXPECT_NE(bps[0].message.find("invalid hit condition 'often'"), std::string::npos)
      << bps[0].message;
  EXPECT_EQ(d.waitExit(), 7u);
}

TEST(BreakpointSession, LogpointPrintsWithoutStopping) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  std::vector<Breakpoint> bps =
      launchWith(d, {line(steps::kAddBody, "", "", "add({a}, {b}) {{sum}}")});
  ASSERT_EQ(bps.size(), 1u);
  EXPECT_TRUE(bps[0].verified);
  EXPECT_FALSE(d.waitStop());
  EXPECT_EQ(d.exitCode, 7u);
  EXPECT_EQ(
      d.console,
      "add(0, 0) {sum}\nadd(1, 1) {sum}\nadd(2, 2) {sum}\nadd(3, 3) {sum}\nadd(4, 4) {sum}\n");
  EXPECT_EQ(d.out, "total 20, p.y 24, hi\n");
  // Logpoint output says where it came from.
  bool found = false;
  for (const Event& e : d.events)
    if (auto o = e.as<OutputEvent>(); o && o->category == OutputCategory::Console) {
      EXPECT_EQ(o->line, steps::kAddBody);
      EXPECT_NE(o->sourcePath.find("steps.c"), std::string::npos);
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(BreakpointSession, LogpointShowsEvaluationErrors) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kAddBody, "a == 2", "", "x={nope}")});
  EXPECT_EQ(d.waitExit(), 7u);
  EXPECT_EQ(d.console, "x=<error: no variable named 'nope' in this frame>\n");
}

TEST(BreakpointSession, LineWithoutCodeMovesToNextLine) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  std::vector<Breakpoint> bps = launchWith(d, {line(13), line(500)});
  ASSERT_EQ(bps.size(), 2u);
  EXPECT_TRUE(bps[0].verified);
  EXPECT_EQ(bps[0].line, steps::kTwiceBody); // Past the prologue of twice.
  EXPECT_NE(bps[0].message.find("moved from line 13"), std::string::npos) << bps[0].message;
  EXPECT_NE(bps[0].sourcePath.find("steps.c"), std::string::npos);
  EXPECT_FALSE(bps[1].verified);
  EXPECT_EQ(bps[1].message, "no code at or after line 500");
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->hitBreakpointIds, std::vector<BreakpointId>{bps[0].id});
  EXPECT_EQ(d.top().name, "twice");
  EXPECT_EQ(d.top().line, steps::kTwiceBody);
}

TEST(BreakpointSession, UnknownFileIsNotVerified) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  SourceBreakpoint spec = line(3);
  Result<std::vector<Breakpoint>> r = d.session.setBreakpoints("nowhere.c", std::span(&spec, 1));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_FALSE((*r)[0].verified);
  EXPECT_EQ((*r)[0].message, "'nowhere.c' is not a source file of this module");
}

TEST(BreakpointSession, SetBeforeLaunchResolvesAtLaunch) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  SourceBreakpoint spec = line(steps::kAddReturn);
  Result<std::vector<Breakpoint>> r = d.session.setBreakpoints("steps.c", std::span(&spec, 1));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_FALSE((*r)[0].verified);
  BreakpointId id = (*r)[0].id;
  d.launch(configFor(stepsPath()));
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->hitBreakpointIds, std::vector<BreakpointId>{id});
  bool changed = false;
  for (const Event& e : d.events)
    if (auto c = e.as<BreakpointChangedEvent>()) {
      EXPECT_EQ(c->breakpoint.id, id);
      EXPECT_TRUE(c->breakpoint.verified);
      EXPECT_EQ(c->breakpoint.line, steps::kAddReturn);
      changed = true;
    }
  EXPECT_TRUE(changed);
}

TEST(BreakpointSession, ClearingBreakpointsWhileStopped) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kLoopBody), line(steps::kAddBody)});
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.top().line, steps::kLoopBody);
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_FALSE(d.waitStop());
  EXPECT_EQ(d.exitCode, 7u);
}

TEST(BreakpointSession, KeepsIdAndHitCountWhenSetAgain) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  std::vector<Breakpoint> first = launchWith(d, {line(steps::kLoopBody, "", "%2")});
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.eval("i"), "1");
  SourceBreakpoint again = line(steps::kLoopBody, "", "%2");
  Result<std::vector<Breakpoint>> second =
      d.session.setBreakpoints("steps.c", std::span(&again, 1));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)[0].id, first[0].id);
  ASSERT_TRUE(d.session.resume().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.eval("i"), "3");
}

TEST(BreakpointSession, StepOntoBreakpointDoesNotStopTwice) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {line(steps::kForLine), line(steps::kLoopBody)});
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(d.top().line, steps::kForLine);
  ASSERT_TRUE(d.session.next().ok());
  s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Step);
  EXPECT_EQ(d.top().line, steps::kLoopBody);
  // The step landed on the breakpoint's instruction; continuing must go on
  // to the next hit (i == 1), not report this one again (i == 0). (A line
  // breakpoint sits at the line's first address only, so the for line's
  // ++i does not stop.)
  EXPECT_EQ(d.eval("i"), "0");
  ASSERT_TRUE(d.session.resume().ok());
  s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Breakpoint);
  EXPECT_EQ(d.top().line, steps::kLoopBody);
  EXPECT_EQ(d.eval("i"), "1");
}

TEST(BreakpointSession, FunctionBreakpoint) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  FunctionBreakpoint fb;
  fb.name = "add";
  fb.condition = "a == 2";
  FunctionBreakpoint missing;
  missing.name = "no_such_function";
  std::vector<FunctionBreakpoint> specs{fb, missing};
  Result<std::vector<Breakpoint>> r = d.session.setFunctionBreakpoints(specs);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_TRUE((*r)[0].verified);
  EXPECT_EQ((*r)[0].line, steps::kAddBody); // After the prologue.
  EXPECT_FALSE((*r)[1].verified);
  EXPECT_EQ((*r)[1].message, "no function named 'no_such_function'");
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::FunctionBreakpoint);
  EXPECT_EQ(d.top().name, "add");
  EXPECT_EQ(d.eval("b"), "2");
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

TEST(BreakpointSession, InstructionBreakpoint) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  FunctionBreakpoint fb;
  fb.name = "twice";
  Result<std::vector<Breakpoint>> f = d.session.setFunctionBreakpoints(std::span(&fb, 1));
  ASSERT_TRUE(f.ok());
  ASSERT_EQ((*f)[0].addresses.size(), 1u);
  uint32_t address = (*f)[0].addresses[0];
  ASSERT_TRUE(d.session.setFunctionBreakpoints({}).ok());
  InstructionBreakpoint ib;
  ib.address = address;
  ib.hitCondition = "2";
  InstructionBreakpoint bad;
  bad.address = address + 1; // Inside an instruction.
  std::vector<InstructionBreakpoint> specs{ib, bad};
  Result<std::vector<Breakpoint>> r = d.session.setInstructionBreakpoints(specs);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)[0].verified);
  EXPECT_EQ((*r)[0].line, steps::kTwiceBody);
  EXPECT_FALSE((*r)[1].verified);
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::InstructionBreakpoint);
  EXPECT_EQ(d.top().address, address);
  EXPECT_EQ(d.eval("v"), "1");
}

TEST(BreakpointSession, BreakpointSetWhileRunningTakesEffect) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  launchWith(d, {}, {"spin"});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(d.session.state(), SessionState::Running);
  Breakpoint bp = d.breakAt("steps.c", 24);
  EXPECT_TRUE(bp.verified);
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Breakpoint);
  EXPECT_EQ(d.top().name, "spin");
  EXPECT_EQ(d.top().line, 24u);
  // Let it finish: clear the flag the loop spins on.
  Result<VariableNode> v = d.session.evaluate("g_spin = 0", {}, EvaluateContext::Repl);
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

TEST(BreakpointSession, BreakpointLocations) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  Result<std::vector<BreakpointLocation>> r = d.session.breakpointLocations("steps.c", 9, 17);
  ASSERT_TRUE(r.ok());
  std::vector<uint32_t> lines;
  for (const BreakpointLocation& l : *r)
    lines.push_back(l.line);
  EXPECT_EQ(lines, (std::vector<uint32_t>{9, 10, 11, 14, 15, 16}));
}

} // namespace
} // namespace wasmscope::debugger::test
