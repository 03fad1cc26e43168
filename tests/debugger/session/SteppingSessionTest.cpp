// next, stepIn, stepOut and instruction stepping on data/steps.c, with the
// exact lines each lands on, and stop-on-entry.
#include "SessionTestSupport.h"

namespace wasmscope::debugger::test {
namespace {

/// Launches steps.c stopped at `line` in main or a callee.
void startAt(Driver& d, uint32_t line, const std::string& opt = "O0") {
  d.launch(configFor(stepsPath(opt)), false);
  Breakpoint bp = d.breakAt("steps.c", line);
  ASSERT_TRUE(bp.verified) << bp.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  ASSERT_EQ(d.top().line, line);
  // Only the first stop matters: later hits would get in the way of steps.
  ASSERT_TRUE(d.session.setBreakpoints("steps.c", {}).ok());
}

/// Runs a step command and returns where it stopped as "function:line".
std::string stepTo(Driver& d, Result<void> (Session::*command)(StepGranularity),
                   StepGranularity g = StepGranularity::Line) {
  Result<void> r = (d.session.*command)(g);
  if (!r.ok())
    return "<error: " + r.error().message + ">";
  std::optional<StoppedEvent> s = d.waitStop();
  if (!s)
    return "<ended>";
  EXPECT_EQ(s->reason, StopReason::Step);
  StackFrame f = d.top();
  return f.name + ":" + std::to_string(f.line);
}

std::string at(const std::string& function, uint32_t line) {
  return function + ":" + std::to_string(line);
}

const std::string kMain = "main"; // DW_AT_name; its linkage name is __main_argc_argv.

TEST(SteppingSession, NextWalksTheLoopInMain) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  startAt(d, steps::kMainFirst);
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kForLine));
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kLoopBody));
  EXPECT_EQ(d.eval("i"), "0");
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kForLine)); // ++i
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kLoopBody));
  EXPECT_EQ(d.eval("i"), "1");
  EXPECT_EQ(d.eval("total"), "0"); // twice(0)
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kForLine));
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kLoopBody));
  EXPECT_EQ(d.eval("total"), "2"); // + twice(1)
}

TEST(SteppingSession, StepInStepOverAndOut) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  startAt(d, steps::kLoopBody);
  EXPECT_EQ(stepTo(d, &Session::stepIn), at("twice", steps::kTwiceBody));
  EXPECT_EQ(d.eval("v"), "0");
  EXPECT_EQ(stepTo(d, &Session::stepIn), at("add", steps::kAddBody));
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  ASSERT_GE(t->frames.size(), 3u);
  EXPECT_EQ(t->frames[1].name, "twice");
  EXPECT_EQ(t->frames[1].line, steps::kTwiceBody);
  EXPECT_EQ(t->frames[2].name, kMain);
  EXPECT_EQ(t->frames[2].line, steps::kLoopBody);
  EXPECT_EQ(stepTo(d, &Session::next), at("add", steps::kAddReturn));
  EXPECT_EQ(d.eval("sum"), "0");
  // add's closing brace has no line-table row: past the return, next lands
  // back in twice, in the middle of the calling line.
  EXPECT_EQ(stepTo(d, &Session::next), at("twice", steps::kTwiceBody));
  EXPECT_EQ(d.eval("r"), "0");
  EXPECT_EQ(stepTo(d, &Session::next), at("twice", steps::kTwiceReturn));
  EXPECT_EQ(stepTo(d, &Session::stepOut), at(kMain, steps::kLoopBody));
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kForLine));
  EXPECT_EQ(d.eval("i"), "0"); // About to run ++i.
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kLoopBody));
  EXPECT_EQ(d.eval("i"), "1");
}

TEST(SteppingSession, NextStepsOverCalls) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  startAt(d, steps::kTwiceBody);
  EXPECT_EQ(d.eval("v"), "0");
  EXPECT_EQ(stepTo(d, &Session::next), at("twice", steps::kTwiceReturn));
  EXPECT_EQ(d.eval("r"), "0");
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kLoopBody));
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, steps::kForLine));
}

TEST(SteppingSession, StepOutOfNestedCalls) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  startAt(d, steps::kAddBody);
  Result<StackTrace> before = d.session.stackTrace();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(stepTo(d, &Session::stepOut), at("twice", steps::kTwiceBody));
  Result<StackTrace> after = d.session.stackTrace();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->totalFrames + 1, before->totalFrames);
  // Stopped right after the call: the address is past the call instruction.
  EXPECT_GT(after->frames[0].address, before->frames[1].address);
  EXPECT_EQ(stepTo(d, &Session::stepOut), at(kMain, steps::kLoopBody));
}

TEST(SteppingSession, InstructionSteps) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  startAt(d, steps::kTwiceBody);
  // One instruction at a time, in the same line, addresses increasing, until
  // stepi enters the call. (The register-based internal code folds the
  // argument pushes into the call, so there are only a few stops here.)
  uint32_t previous = d.top().address;
  std::string where;
  int steps = 0;
  for (; steps < 20; ++steps) {
    where = stepTo(d, &Session::stepIn, StepGranularity::Instruction);
    if (where.rfind("add:", 0) == 0)
      break;
    EXPECT_EQ(where, at("twice", steps::kTwiceBody));
    EXPECT_GT(d.top().address, previous);
    previous = d.top().address;
  }
  EXPECT_GE(steps, 1);
  EXPECT_EQ(where.substr(0, 4), "add:");
  const ModuleSymbols* symbols = d.session.symbols();
  ASSERT_TRUE(symbols);
  std::vector<const Function*> add = symbols->findFunctions("add");
  ASSERT_EQ(add.size(), 1u);
  // In add's prologue, before its first line.
  EXPECT_GE(d.top().address, add[0]->lowPc());
  EXPECT_LT(d.top().address, add[0]->bodyAddress);
}

TEST(SteppingSession, NextInstructionStepsOverCall) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  startAt(d, steps::kTwiceBody);
  uint32_t frames = d.session.stackTrace()->totalFrames;
  // Step instruction by instruction over the whole line: never deeper.
  for (int i = 0; i < 40; ++i) {
    std::string where = stepTo(d, &Session::next, StepGranularity::Instruction);
    ASSERT_EQ(d.session.stackTrace()->totalFrames, frames) << where;
    if (d.top().line != steps::kTwiceBody)
      break;
  }
  EXPECT_EQ(d.top().line, steps::kTwiceReturn);
  EXPECT_EQ(d.eval("r"), "0");
}

TEST(SteppingSession, StopOnEntry) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  LaunchConfig c = configFor(stepsPath());
  c.stopOnEntry = true;
  d.launch(c);
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Entry);
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->totalFrames, 1u);
  // The export `_start` is a wrapper without line info; stepping in enters
  // crt1's _start, which has it.
  EXPECT_EQ(stepTo(d, &Session::stepIn), at("_start", 12));
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
  EXPECT_EQ(d.out, "total 20, p.y 24, hi\n");
}

TEST(SteppingSession, OptimizedBuildStopsAndSteps) {
  SKIP_WITHOUT(stepsPath("O2"));
  Driver d;
  d.launch(configFor(stepsPath("O2")), false);
  Breakpoint bp = d.breakAt("steps.c", steps::kPrintf);
  ASSERT_TRUE(bp.verified) << bp.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.top().line, steps::kPrintf);
  EXPECT_EQ(stepTo(d, &Session::next), at(kMain, 40));
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

} // namespace
} // namespace wasmscope::debugger::test
