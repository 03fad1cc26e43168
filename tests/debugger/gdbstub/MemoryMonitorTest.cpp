// The memory monitor commands' backend (MemoryMonitor) on a real Session
// over a guest in WebAssembly text with a bump allocator named malloc, whose
// every block and pointer is known: one block lost, one held by a wasm
// global, one by a word of static data, one only by a local of the live
// frame. The live frames must count as roots at a stop, and stop counting
// once the run is over. LLDB drives the same commands in tests/lldb.
#include "MemoryMonitor.h"
#include "MonitorCommands.h"

#include "wasmscope/runtime/Compiler.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace wasmscope::gdbstub {
namespace {

// Blocks: 0x11170[24] (lost), 0x11188[16] (global $keep), 0x11198[8] (the
// word at 0x404, in the data segment), 0x111a0[40] ($work's param $held).
const char* kGuest = R"((module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (global $next (mut i32) (i32.const 70000))
  (global $keep (mut i32) (i32.const 0))
  (func $malloc (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.and (i32.add (i32.add (global.get $next) (local.get $n)) (i32.const 7))
                               (i32.const -8)))
    (local.get $p))
  (func $free (param $p i32))
  (func $work (param $held i32)
    (nop))
  (func (export "_start")
    (drop (call $malloc (i32.const 24)))
    (global.set $keep (call $malloc (i32.const 16)))
    (i32.store (i32.const 1028) (call $malloc (i32.const 8)))
    (call $work (call $malloc (i32.const 40))))
  (data (i32.const 1024) "abcd\00\00\00\00"))
)";

class MemoryMonitorTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("wasmscope-memory-monitor-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "guest.wat") << kGuest;
    std::string cmd = "wat2wasm --debug-names " + (dir / "guest.wat").string() + " -o " +
                      (dir / "guest.wasm").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "wat2wasm failed";
    debugger::LaunchConfig config;
    config.modulePath = (dir / "guest.wasm").string();
    config.stopOnEntry = true;
    config.countBlocks = true;
    config.observers.push_back(&monitor);
    ASSERT_TRUE(session.launch(config).ok());
    ASSERT_TRUE(session.configurationDone().ok());
    ASSERT_TRUE(nextStop()) << "no entry stop";
  }
  void TearDown() override {
    (void)session.disconnect();
    std::filesystem::remove_all(dir);
  }

  std::optional<debugger::Event> nextStop() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto e = session.waitEvent(std::chrono::milliseconds(100));
      if (e && (e->is<debugger::StoppedEvent>() || e->is<debugger::ExitedEvent>()))
        return e;
    }
    return std::nullopt;
  }

  /// Runs `command` at the stop, as the server does, with the live frames.
  template <typename F> std::string atStop(F command) {
    runtime::Result<std::string> out = std::string("<not run>");
    auto inspected = session.inspectStop(
        [&](std::span<const runtime::FrameInfo> frames) { out = command(&frames); });
    EXPECT_TRUE(inspected.ok()) << inspected.error().message;
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? *out : out.error().message;
  }

  /// Continues to $work's nop.
  void runToWork() {
    auto module = runtime::loadModule(session.module()->bytes);
    ASSERT_TRUE(module.ok());
    uint32_t nop = (*module)->function(3)->instructionOffsets().front();
    debugger::InstructionBreakpoint bp;
    bp.address = nop;
    auto placed = session.setInstructionBreakpoints(std::span(&bp, 1));
    ASSERT_TRUE(placed.ok() && (*placed)[0].verified);
    ASSERT_TRUE(session.resume().ok());
    auto stop = nextStop();
    ASSERT_TRUE(stop && stop->is<debugger::StoppedEvent>());
  }

  std::filesystem::path dir;
  MemoryMonitor monitor; // Outlives the session, which detaches it.
  debugger::Session session;
};

TEST_F(MemoryMonitorTest, LeakCheckBlockListAndWhoPointsAtAtAStopAndAfterTheRun) {
  std::string text = atStop([&](LiveFrames f) { return monitor.leakCheck("", f); });
  EXPECT_NE(text.find(": 0 bytes in 0 blocks not freed"), std::string::npos) << text;

  runToWork();
  text = atStop([&](LiveFrames f) { return monitor.leakCheck("full reachable", f); });
  // Largest first: the block held by the local, the lost one, the global's,
  // the static word's.
  EXPECT_NE(text.find("40 bytes in 1 blocks are still reachable in loss record 1 of 4\n"
                      "   at 0x4"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("24 bytes in 1 blocks are definitely lost in loss record 2 of 4\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("16 bytes in 1 blocks are still reachable in loss record 3 of 4\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("8 bytes in 1 blocks are still reachable in loss record 4 of 4\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find(": malloc\n"), std::string::npos) << text;
  EXPECT_NE(text.find("definitely lost: 24 bytes in 1 blocks"), std::string::npos) << text;
  EXPECT_NE(text.find("still reachable: 64 bytes in 3 blocks"), std::string::npos) << text;

  text = atStop([&](LiveFrames f) { return monitor.blockList("2", f); });
  EXPECT_NE(text.find("\n0x00011170[24]\n"), std::string::npos) << text;
  text = atStop([&](LiveFrames f) { return monitor.blockList("1..4 limited 3", f); });
  EXPECT_NE(text.find("0x000111a0[40]"), std::string::npos) << text;
  EXPECT_NE(text.find("(1 more blocks; limited 3)"), std::string::npos) << text;

  const debugger::ModuleSymbols* symbols = session.symbols();
  text = atStop([&](LiveFrames f) { return monitor.whoPointsAt(0x111a0, 1, f, symbols); });
  EXPECT_NE(text.find("0x000111a0 is 0 bytes inside a block of size 40 alloc'd (still reachable, "
                      "loss record 1 of 4)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("wasm local 0 of wasm frame 0 (work) points at 0x000111a0\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("found 1 pointer\n"), std::string::npos) << text;
  text = atStop([&](LiveFrames f) { return monitor.whoPointsAt(0x11188, 16, f, symbols); });
  EXPECT_NE(text.find("wasm global 2 (keep) points at 0x00011188\n"), std::string::npos) << text;
  text = atStop([&](LiveFrames f) { return monitor.whoPointsAt(0x11198, 8, f, symbols); });
  EXPECT_NE(text.find("*0x00000404 points at 0x00011198\n  Address 0x00000404 is in static data\n"),
            std::string::npos)
      << text;
  // Only pointers into the range count: none holds 0x1119c.
  text = atStop([&](LiveFrames f) { return monitor.whoPointsAt(0x1119c, 4, f, symbols); });
  EXPECT_NE(text.find("found 0 pointers"), std::string::npos) << text;
  text = atStop([&](LiveFrames f) { return monitor.whoPointsAt(0x11170, 24, f, symbols); });
  EXPECT_NE(text.find("found 0 pointers"), std::string::npos) << text;

  // After the run the frames are gone: the block $work's local held is lost
  // at exit, and the answers say they come from the leak check at exit.
  ASSERT_TRUE(session.setInstructionBreakpoints({}).ok());
  ASSERT_TRUE(session.resume().ok());
  auto exited = nextStop();
  ASSERT_TRUE(exited && exited->is<debugger::ExitedEvent>());
  ASSERT_TRUE(session.waitForExit(std::chrono::seconds(20)));
  auto atExit = monitor.leakCheck("increased", nullptr);
  ASSERT_TRUE(atExit.ok()) << atExit.error().message;
  EXPECT_NE(atExit->find("leak check at exit"), std::string::npos) << *atExit;
  // `increased`: the block the local held is newly lost; the one lost at
  // the stop did not change, so it is not shown again.
  EXPECT_NE(atExit->find("40 (+40) bytes in 1 (+1) blocks are definitely lost in loss record 1 of 4"),
            std::string::npos)
      << *atExit;
  EXPECT_EQ(atExit->find("24 bytes in 1 blocks"), std::string::npos) << *atExit;
  EXPECT_NE(atExit->find("definitely lost: 64 (+40) bytes in 2 (+1) blocks"), std::string::npos)
      << *atExit;
  auto after = monitor.whoPointsAt(0x11188, 1, nullptr, symbols);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->find("wasm global 2 points at 0x00011188"), std::string::npos) << *after;
}

TEST(MemoryMonitorLaunchTest, AModuleWithoutAnAllocatorFailsTheLaunch) {
  auto dir = std::filesystem::temp_directory_path() /
             ("wasmscope-memory-monitor-noalloc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "guest.wat") << R"((module (memory (export "memory") 1) (func (export "_start"))))";
  std::string cmd = "wat2wasm " + (dir / "guest.wat").string() + " -o " + (dir / "guest.wasm").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  MemoryMonitor monitor;
  debugger::Session session;
  debugger::LaunchConfig config;
  config.modulePath = (dir / "guest.wasm").string();
  config.countBlocks = true;
  config.observers.push_back(&monitor);
  auto launched = session.launch(config);
  ASSERT_FALSE(launched.ok());
  EXPECT_NE(launched.error().message.find("--gdb-memory: the heap profiler cannot watch this module"),
            std::string::npos)
      << launched.error().message;
  EXPECT_NE(launched.error().message.find("no allocator to intercept"), std::string::npos);
  EXPECT_FALSE(monitor.leakCheck("", nullptr).ok());
  std::filesystem::remove_all(dir);
}

TEST(LeakCheckRequestTest, ValgrindsArguments) {
  auto r = parseLeakCheckRequest("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->full);
  EXPECT_TRUE(r->kinds[0] && !r->kinds[1] && r->kinds[2] && !r->kinds[3]);
  EXPECT_EQ(r->delta, LeakCheckRequest::Delta::Any);
  r = parseLeakCheckRequest("summary reachable increased limited 5");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->full);
  EXPECT_TRUE(r->kinds[0] && r->kinds[1] && r->kinds[2] && r->kinds[3]);
  EXPECT_EQ(r->delta, LeakCheckRequest::Delta::Increased);
  EXPECT_EQ(r->limit, 5u);
  r = parseLeakCheckRequest("kinds indirect,reachable new");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(!r->kinds[0] && r->kinds[1] && !r->kinds[2] && r->kinds[3]);
  EXPECT_EQ(r->delta, LeakCheckRequest::Delta::New);
  r = parseLeakCheckRequest("definiteleak changed unlimited");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->kinds[0] && !r->kinds[2]);
  EXPECT_FALSE(r->limit);
  for (const char* bad : {"frobnicate", "kinds", "kinds definite,bogus", "limited", "limited x"}) {
    auto e = parseLeakCheckRequest(bad);
    EXPECT_FALSE(e.ok()) << bad;
    if (!e.ok()) {
      EXPECT_NE(e.error().message.find("leak_check: "), std::string::npos);
    }
  }
}

} // namespace
} // namespace wasmscope::gdbstub
