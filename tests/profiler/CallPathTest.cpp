// Call paths on small hand-written modules: recursion folds onto one node
// with exact call counts, the path limit bounds memory while totals stay
// exact, a trap's cut-short block is not counted, and the call trace keeps
// the last events with the frames open before them.
#include "WatUtil.h"

#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/runtime/Store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace wasmscope::profiler::test {
namespace {

using namespace wasmscope::runtime;

const char *kModule = R"((module
  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n
    i32.const 2
    i32.lt_u
    if (result i32)
      local.get $n
    else
      local.get $n
      i32.const 1
      i32.sub
      call $fib
      local.get $n
      i32.const 2
      i32.sub
      call $fib
      i32.add
    end)
  (func $a (param i32) (result i32) local.get 0 call $b)
  (func $b (param i32) (result i32) local.get 0 call $c)
  (func $c (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func $fanout (export "fanout") (result i32)
    i32.const 1 call $a
    i32.const 2 call $b
    i32.const 3 call $c
    i32.add i32.add)
  (func $boom (export "boom") (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_u
    i32.const 1
    i32.add
    i32.const 2
    i32.add)
  (func $outer (export "outer") (result i32)
    i32.const 7
    call $boom)
))";

struct GuestRun {
  std::unique_ptr<Guest> guest;
  std::unique_ptr<Profiler> profiler;
  std::string path;
};

GuestRun launch(ProfilerOptions options) {
  namespace fs = std::filesystem;
  GuestRun run;
  std::vector<uint8_t> bytes = runtime::test::watToWasm(kModule);
  run.path =
      (fs::temp_directory_path() / ("wasmscope-callpath-" + std::to_string(::getpid()) + ".wasm"))
          .string();
  std::ofstream(run.path, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()), long(bytes.size()));
  LaunchSpec spec;
  spec.modulePath = run.path;
  spec.countBlocks = true;
  auto guest = loadGuest(spec);
  EXPECT_TRUE(guest.ok()) << guest.error().describe();
  run.guest = std::move(guest).value();
  auto profiler = Profiler::attach(*run.guest, std::move(options));
  EXPECT_TRUE(profiler.ok());
  run.profiler = std::move(profiler).value();
  EXPECT_TRUE(run.guest->instantiate().ok());
  return run;
}

Result<std::vector<Value>> call(GuestRun &run, const char *name, std::vector<Value> args) {
  return run.guest->store().invoke(*run.guest->instance()->findFunction(name), args);
}

const FunctionStats &stats(const Profile &p, const std::string &name) {
  for (const FunctionStats &f : p.functions)
    if (p.frames[f.frame].name == name && p.frames[f.frame].kind == FrameKind::Wasm)
      return f;
  static FunctionStats none;
  ADD_FAILURE() << "no function " << name;
  return none;
}

TEST(CallPathTest, RecursionFoldsOntoOneNodeWithExactCounts) {
  GuestRun run = launch({});
  ASSERT_TRUE(call(run, "fib", {Value::i32(15)}).ok());
  auto profile = run.profiler->finish({});
  ASSERT_TRUE(profile.ok()) << profile.error().describe();
  // fib(15) makes 1973 calls; one node holds them all.
  EXPECT_EQ(stats(*profile, "fib").calls, 1973u);
  EXPECT_EQ(profile->stacks.size(), 2u);
  EXPECT_EQ(profile->stacks[1].calls, 1973u);
  // Counted by hand: n < 2 runs local.get, i32.const, i32.lt_u, if,
  // local.get, else and the function's end (7; else jumps past the if's
  // end); otherwise the test (4), the else arm (9), the if's end and the
  // function's end (15). fib(15): 987 calls with n < 2, 986 without.
  EXPECT_EQ(profile->totals.instructions, 987u * 7 + 986u * 15);
  EXPECT_EQ(stats(*profile, "fib").totalInstructions, profile->totals.instructions);
  EXPECT_EQ(profile->validate(), "");
}

TEST(CallPathTest, PathLimitKeepsTotalsExact) {
  GuestRun full = launch({});
  ASSERT_TRUE(call(full, "fanout", {}).ok());
  auto unlimited = full.profiler->finish({});
  ASSERT_TRUE(unlimited.ok());
  ProfilerOptions options;
  options.maxStacks = 3;
  GuestRun limited = launch(options);
  ASSERT_TRUE(call(limited, "fanout", {}).ok());
  auto bounded = limited.profiler->finish({});
  ASSERT_TRUE(bounded.ok()) << bounded.error().describe();
  EXPECT_EQ(bounded->totals.instructions, unlimited->totals.instructions);
  EXPECT_EQ(bounded->totals.calls, unlimited->totals.calls);
  EXPECT_EQ(stats(*bounded, "c").calls, 3u);
  EXPECT_EQ(stats(*bounded, "c").selfInstructions, stats(*unlimited, "c").selfInstructions);
  bool truncated = false;
  for (const Frame &f : bounded->frames)
    truncated |= f.kind == FrameKind::Truncated;
  EXPECT_TRUE(truncated);
  EXPECT_LT(bounded->stacks.size(), unlimited->stacks.size() + 2);
  EXPECT_EQ(bounded->validate(), "");
}

TEST(CallPathTest, TrapCutsItsBlockShort) {
  GuestRun run = launch({});
  auto r = call(run, "outer", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::IntegerDivideByZero);
  auto profile = run.profiler->finish({});
  ASSERT_TRUE(profile.ok()) << profile.error().describe();
  // outer: i32.const, call (the block ends at the call). boom: local.get,
  // i32.const, i32.div_u, which trapped; the five after it never ran.
  EXPECT_EQ(stats(*profile, "outer").selfInstructions, 2u);
  EXPECT_EQ(stats(*profile, "boom").selfInstructions, 3u);
  EXPECT_EQ(profile->totals.instructions, 5u);
}

TEST(CallPathTest, TraceKeepsTheLastEventsAndWhatWasOpen) {
  ProfilerOptions options;
  options.traceEvents = 3;
  GuestRun run = launch(options);
  ASSERT_TRUE(call(run, "fanout", {}).ok());
  auto profile = run.profiler->finish({});
  ASSERT_TRUE(profile.ok());
  const Trace &t = profile->trace;
  EXPECT_TRUE(t.enabled);
  // fanout, a, b, c, b, c, c: 7 entries and 7 exits.
  EXPECT_EQ(t.recorded, 14u);
  EXPECT_EQ(t.dropped, 11u);
  ASSERT_EQ(t.events.size(), 3u);
  // The last three: enter c, exit c, exit fanout; fanout was open before.
  EXPECT_EQ(profile->frames[t.events[0].frame].name, "c");
  EXPECT_EQ(t.events[0].kind, TraceEventKind::Enter);
  EXPECT_EQ(profile->frames[t.events[2].frame].name, "fanout");
  EXPECT_EQ(t.events[2].kind, TraceEventKind::Exit);
  ASSERT_EQ(t.openAtStart.size(), 1u);
  EXPECT_EQ(profile->frames[t.openAtStart[0]].name, "fanout");
  EXPECT_LE(t.events[0].instructions, t.events[2].instructions);
  EXPECT_EQ(t.events[2].instructions, profile->totals.instructions);
}

} // namespace
} // namespace wasmscope::profiler::test
