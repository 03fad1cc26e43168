// A session's life: launch errors, WASI args/env/preopens and output events,
// exit codes, traps (stopping on them with the frame still readable),
// pause, terminate, restart and the resource limits.
#include "SessionTestSupport.h"

#include <fstream>
#include <thread>

namespace wasmscope::debugger::test {
namespace {

TEST(LifecycleSession, ExitCodeAndOutput) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()));
  EXPECT_EQ(d.waitExit(), 7u);
  EXPECT_EQ(d.out, "total 20, p.y 24, hi\n");
  EXPECT_TRUE(d.terminated);
  EXPECT_EQ(d.session.state(), SessionState::Exited);
  EXPECT_EQ(d.session.exitCode(), 7u);
  // Exited comes before Terminated, and nothing after.
  ASSERT_GE(d.events.size(), 2u);
  EXPECT_TRUE(d.events[d.events.size() - 2].is<ExitedEvent>());
  EXPECT_TRUE(d.events.back().is<TerminatedEvent>());
  // Inspection is refused once the guest is gone.
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "the guest has exited");
}

TEST(LifecycleSession, LaunchErrors) {
  Session s;
  LaunchConfig c;
  c.modulePath = "/no/such/module.wasm";
  Result<void> r = s.launch(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cannot open '/no/such/module.wasm'"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(s.state(), SessionState::Idle);
  EXPECT_FALSE(s.configurationDone().ok());
  EXPECT_FALSE(s.resume().ok());
  EXPECT_FALSE(s.stackTrace().ok());

  // Not a wasm module: the decoder's error, with the path.
  std::string junk = testing::TempDir() + "/junk.wasm";
  std::ofstream(junk) << "not wasm at all";
  c.modulePath = junk;
  r = s.launch(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("magic header not detected"), std::string::npos)
      << r.error().message;
}

TEST(LifecycleSession, WasiArgsEnvPreopensAndStderr) {
  SKIP_WITHOUT(samplePath("hello"));
  std::string dir = testing::TempDir() + "/session-hello";
  std::filesystem::create_directories(dir);
  Driver d;
  LaunchConfig c = configFor(samplePath("hello"), {"alpha", "two words"});
  c.programName = "hello";
  c.env = {{"GREETING", "hi"}};
  c.preopens = {PreopenDir::parse(dir + "::/sandbox")};
  d.launch(c);
  EXPECT_EQ(d.waitExit(), 0u) << d.err;
  EXPECT_NE(d.out.find("argc = 3\n"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("argv[0] = \"hello\"\n"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("argv[2] = \"two words\"\n"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("GREETING = \"hi\"\n"), std::string::npos) << d.out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/hello.txt"));
  EXPECT_FALSE(d.err.empty()); // hello writes a status line to stderr.
}

TEST(LifecycleSession, PreopenParse) {
  PreopenDir a = PreopenDir::parse("/tmp/x::/data");
  EXPECT_EQ(a.hostPath, "/tmp/x");
  EXPECT_EQ(a.guestPath, "/data");
  PreopenDir b = PreopenDir::parse("out");
  EXPECT_EQ(b.hostPath, "out");
  EXPECT_EQ(b.guestPath, "out");
}

TEST(LifecycleSession, TrapWithoutFilterEndsTheRun) {
  SKIP_WITHOUT(samplePath("out_of_bounds"));
  Driver d;
  d.launch(configFor(samplePath("out_of_bounds")));
  EXPECT_FALSE(d.waitStop());
  EXPECT_EQ(d.exitCode, kTrapExitCode);
  EXPECT_NE(d.out.find("recording sample 8: 2000000000 ms\n"), std::string::npos) << d.out;
  EXPECT_NE(d.console.find("trap: out of bounds memory access"), std::string::npos) << d.console;
  EXPECT_NE(d.console.find("record at "), std::string::npos) << d.console;
  EXPECT_NE(d.console.find("out_of_bounds.c:31"), std::string::npos) << d.console;
}

TEST(LifecycleSession, TrapStopsAtTheFaultingLine) {
  SKIP_WITHOUT(samplePath("out_of_bounds"));
  Driver d;
  d.launch(configFor(samplePath("out_of_bounds")), false);
  ASSERT_TRUE(d.session.setExceptionBreakpoints(trapFilter()).ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Exception);
  EXPECT_EQ(s->text, "out of bounds memory access");
  std::optional<StoppedEvent> current = d.session.currentStop();
  ASSERT_TRUE(current);
  EXPECT_EQ(current->text, "out of bounds memory access");
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  ASSERT_GE(t->frames.size(), 2u);
  EXPECT_EQ(t->frames[0].name, "record");
  EXPECT_EQ(t->frames[0].line, 31u);
  EXPECT_EQ(t->frames[1].name, "main");
  EXPECT_EQ(t->frames[1].line, 51u);
  // The runtime has unwound, but the frames' locals are still readable.
  EXPECT_EQ(d.eval("milliseconds"), "2000000000");
  EXPECT_EQ(d.eval("bucket"), "500000000");
  EXPECT_EQ(d.eval("i", t->frames[1].id), "8");
  EXPECT_EQ(d.eval("samples[i]", t->frames[1].id), "2000000000");
  EXPECT_EQ(d.eval("g_histogram[0]"), "2");
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), kTrapExitCode);
}

TEST(LifecycleSession, AbortTrapsInACallee) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath(), {"trap"}), false);
  ASSERT_TRUE(d.session.setExceptionBreakpoints(trapFilter()).ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Exception);
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  // abort() is wasi-libc's `unreachable`; main is the caller.
  bool found = false;
  for (const StackFrame& f : t->frames)
    if (f.line == steps::kAbort) {
      EXPECT_EQ(d.eval("total", f.id), "20");
      EXPECT_EQ(d.eval("pp->y", f.id), "24");
      EXPECT_EQ(d.eval("word", f.id), "\"hi\"");
      found = true;
    }
  EXPECT_TRUE(found);
  ASSERT_TRUE(d.session.terminate().ok());
  EXPECT_EQ(d.waitExit(), kTerminatedExitCode);
}

TEST(LifecycleSession, PauseARunningLoop) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath(), {"spin"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(d.session.state(), SessionState::Running);
  auto before = std::chrono::steady_clock::now();
  ASSERT_TRUE(d.session.pause().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  auto latency = std::chrono::steady_clock::now() - before;
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Pause);
  EXPECT_EQ(d.top().name, "spin");
  EXPECT_TRUE(d.top().line == steps::kSpinLoop || d.top().line == 24u) << d.top().line;
  EXPECT_LT(latency, std::chrono::milliseconds(500));
  // Pausing again while stopped is fine; resume and pause again.
  EXPECT_TRUE(d.session.pause().ok());
  std::string counter = d.eval("g_counter");
  ASSERT_TRUE(d.session.resume().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(d.session.pause().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_NE(d.eval("g_counter"), counter);
  // Let the loop end and the program finish.
  ASSERT_TRUE(d.session.evaluate("g_spin = 0", {}, EvaluateContext::Repl).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
}

TEST(LifecycleSession, TerminateRunningGuest) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath(), {"spin"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(d.session.terminate().ok());
  EXPECT_EQ(d.waitExit(), kTerminatedExitCode);
  EXPECT_TRUE(d.terminated);
}

TEST(LifecycleSession, TerminateBeforeConfigurationDone) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  ASSERT_TRUE(d.session.disconnect().ok());
  EXPECT_EQ(d.waitExit(), kTerminatedExitCode);
  EXPECT_EQ(d.out, "");
}

TEST(LifecycleSession, DestroyWhileStopped) {
  SKIP_WITHOUT(stepsPath());
  auto d = std::make_unique<Driver>();
  d->launch(configFor(stepsPath()), false);
  d->breakAt("steps.c", steps::kAddBody);
  ASSERT_TRUE(d->session.configurationDone().ok());
  ASSERT_TRUE(d->waitStop());
  d.reset(); // Joins the guest thread without hanging.
}

TEST(LifecycleSession, RestartKeepsBreakpoints) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  d.launch(configFor(stepsPath()), false);
  d.breakAt("steps.c", steps::kAddBody, lineBreakpoint(0, "a == 1"));
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  EXPECT_EQ(d.eval("b"), "1");
  ASSERT_TRUE(d.session.restart().ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(d.top().line, steps::kAddBody);
  EXPECT_EQ(d.eval("b"), "1");
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 7u);
  // One run's worth of end events: the restarted run ended silently.
  int exited = 0;
  for (const Event& e : d.events)
    exited += e.is<ExitedEvent>();
  EXPECT_EQ(exited, 1);
}

TEST(LifecycleSession, FuelLimitTraps) {
  SKIP_WITHOUT(stepsPath());
  Driver d;
  LaunchConfig c = configFor(stepsPath(), {"spin"});
  c.fuel = 200000;
  d.launch(c);
  EXPECT_EQ(d.waitExit(), kTrapExitCode);
  EXPECT_NE(d.console.find("out of fuel"), std::string::npos) << d.console;
}

TEST(LifecycleSession, CallDepthLimitTrapsAndStops) {
  SKIP_WITHOUT(samplePath("recursion"));
  Driver d;
  LaunchConfig c = configFor(samplePath("recursion"));
  c.maxCallDepth = 2000;
  d.launch(c, false);
  ASSERT_TRUE(d.session.setExceptionBreakpoints(trapFilter()).ok());
  ASSERT_TRUE(d.session.configurationDone().ok());
  std::optional<StoppedEvent> s = d.waitStop();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reason, StopReason::Exception);
  EXPECT_EQ(s->text, "call stack exhausted");
  Result<StackTrace> t = d.session.stackTrace(0, 10);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->frames.size(), 10u);
  EXPECT_GE(t->totalFrames, 1990u);
  Result<StackTrace> tail = d.session.stackTrace(t->totalFrames - 3, 10);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->frames.size(), 3u);
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), kTrapExitCode);
}

TEST(LifecycleSession, EventHandlerMayInspectAndResume) {
  SKIP_WITHOUT(stepsPath());
  Session session;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> seen;
  bool done = false;
  std::optional<uint32_t> exit;
  LaunchConfig c = configFor(stepsPath());
  c.onEvent = [&](const Event& e) {
    if (e.is<StoppedEvent>()) {
      // Inspect and resume from inside the handler, on the guest thread.
      Result<VariableNode> v = session.evaluate("a");
      std::lock_guard lock(m);
      seen.push_back(v.ok() ? v->value : v.error().message);
      (void)session.resume();
    } else if (auto x = e.as<ExitedEvent>()) {
      std::lock_guard lock(m);
      exit = x->exitCode;
    } else if (e.is<TerminatedEvent>()) {
      std::lock_guard lock(m);
      done = true;
      cv.notify_all();
    }
  };
  ASSERT_TRUE(session.launch(c).ok());
  SourceBreakpoint spec = lineBreakpoint(steps::kAddBody);
  ASSERT_TRUE(session.setBreakpoints("steps.c", std::span(&spec, 1)).ok());
  ASSERT_TRUE(session.configurationDone().ok());
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return done; }));
  EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(exit, 7u);
}

} // namespace
} // namespace wasmscope::debugger::test
