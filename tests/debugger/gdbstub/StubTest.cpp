// The stub's answers on a real Session, without a socket: a small guest in
// WebAssembly text whose every value is known, so the wasm queries
// (qWasmCallStack, qWasmLocal, qWasmGlobal, qWasmStackValue), breakpoints,
// watchpoints, memory, the trap and exit replies are checked byte for byte.
#include "MonitorCommands.h"
#include "Stub.h"

#include "wasmscope/runtime/Compiler.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace wasmscope::gdbstub {
namespace {

// $work's locals: a (i32), b (i64), then x (f32). At its i32.add the
// operand stack holds 7 and the wrapped b. _start then divides by zero.
const char* kGuest = R"((module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i64) (i64.const 0x1122334455667788))
  (global $f (mut f64) (f64.const 2.5))
  (func $work (param $a i32) (param $b i64) (result i32) (local $x f32)
    (local.set $x (f32.const 1.5))
    (i32.store (i32.const 256) (local.get $a))
    (i32.add (i32.const 7) (i32.wrap_i64 (local.get $b))))
  (func (export "_start")
    (drop (call $work (i32.const 41) (i64.const 5)))
    (i32.store (i32.const 300) (i32.div_u (i32.const 1) (i32.load (i32.const 512)))))
))";

class StubTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("wasmscope-stub-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "guest.wat") << kGuest;
    std::string cmd = "wat2wasm " + (dir / "guest.wat").string() + " -o " +
                      (dir / "guest.wasm").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "wat2wasm failed";
    debugger::LaunchConfig config;
    config.modulePath = (dir / "guest.wasm").string();
    config.stopOnEntry = true;
    ASSERT_TRUE(session.launch(config).ok());
    ASSERT_TRUE(session.setExceptionBreakpoints({true}).ok());
    ASSERT_TRUE(session.configurationDone().ok());
    ASSERT_TRUE(nextStop()) << "no entry stop";
    stub = std::make_unique<GdbStub>(session, "guest.wasm");
    // Offsets of $work's instructions, and of _start's.
    auto module = runtime::loadModule(session.module()->bytes);
    ASSERT_TRUE(module.ok());
    work = (*module)->function(1)->instructionOffsets();
    start = (*module)->function(2)->instructionOffsets();
    codeBase = 0x4000000000000000ull + session.module()->codeSectionOffset;
  }
  void TearDown() override {
    stub.reset();
    (void)session.disconnect();
    std::filesystem::remove_all(dir);
  }

  /// The next Stopped or Exited event, as the connection would wait for it.
  std::optional<debugger::Event> nextStop() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto e = session.waitEvent(std::chrono::milliseconds(100));
      if (e && (e->is<debugger::StoppedEvent>() || e->is<debugger::ExitedEvent>()))
        return e;
    }
    return std::nullopt;
  }

  std::string ask(std::string_view packet) {
    Result<Request> r = parseRequest(packet);
    EXPECT_TRUE(r.ok()) << packet;
    if (!r.ok())
      return "<parse error>";
    Reply reply = stub->handle(*r);
    return reply.payload;
  }

  /// Resumes with `packet` and returns the reply the client gets.
  std::string resume(std::string_view packet) {
    Result<Request> r = parseRequest(packet);
    EXPECT_TRUE(r.ok());
    Reply reply = stub->handle(*r);
    EXPECT_EQ(reply.followup, Followup::AwaitStop) << reply.payload;
    auto e = nextStop();
    if (!e)
      return "<no stop>";
    if (auto s = e->as<debugger::StoppedEvent>())
      return stub->stopReply(*s);
    return stub->exitReply(e->as<debugger::ExitedEvent>()->exitCode);
  }

  std::string address(uint32_t codeOffset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llx", (unsigned long long)(codeBase + codeOffset));
    return buf;
  }

  std::filesystem::path dir;
  debugger::Session session;
  std::unique_ptr<GdbStub> stub;
  std::vector<uint32_t> work, start;
  uint64_t codeBase = 0;
};

TEST_F(StubTest, EntryStopAndDescriptions) {
  std::string stop = ask("?");
  EXPECT_EQ(stop.substr(0, 3), "T05");
  EXPECT_NE(stop.find("thread:1;"), std::string::npos);
  // The entry stop is at _start's first instruction, reported as its low_pc.
  auto frames = session.wasmFrames();
  ASSERT_TRUE(frames.ok());
  EXPECT_EQ(frames->front().address, start.front());
  EXPECT_EQ(ask("qWasmCallStack:1").size(), 16u);
  EXPECT_EQ(ask("qC"), "QC1");
  EXPECT_EQ(ask("qfThreadInfo"), "m1");
  EXPECT_EQ(ask("qsThreadInfo"), "l");
  EXPECT_EQ(ask("vCont?"), "vCont;c;C;s;S");
  EXPECT_NE(ask("qSupported:swbreak+").find("qXfer:libraries:read+"), std::string::npos);
  EXPECT_NE(ask("qSupported").find("PacketSize="), std::string::npos);
  // "wasm32-unknown-unknown-wasm" in hex.
  EXPECT_NE(ask("qHostInfo").find("triple:7761736d33322d756e6b6e6f776e2d756e6b6e6f776e2d7761736d;"),
            std::string::npos);
  EXPECT_NE(ask("qHostInfo").find("watchpoint_exceptions_received:after;"), std::string::npos);
  EXPECT_NE(ask("qProcessInfo").find("pid:1;"), std::string::npos);
  EXPECT_NE(ask("qRegisterInfo0").find("name:pc;"), std::string::npos);
  EXPECT_NE(ask("qRegisterInfo0").find("generic:pc;"), std::string::npos);
  EXPECT_EQ(ask("qRegisterInfo1").substr(0, 3), "E45");
  EXPECT_EQ(ask("p1").substr(0, 3), "E45");
  EXPECT_EQ(ask("P0=0000000000000040").substr(0, 1), "E");
  EXPECT_EQ(ask("Hg1"), "OK");
  EXPECT_EQ(ask("Hg2").substr(0, 1), "E");
  EXPECT_EQ(ask("qAttached"), "1");
  EXPECT_EQ(ask("qFoo"), "");
  // Error strings once enabled: the message in hex after the code.
  EXPECT_EQ(ask("qRegisterInfo1"), "E45");
  EXPECT_EQ(ask("QEnableErrorStrings"), "OK");
  EXPECT_EQ(ask("qRegisterInfo1"), "E45;" + toHex("the only register is the pc"));
}

TEST_F(StubTest, LibrariesAndModuleBytes) {
  std::string all = ask("qXfer:libraries:read::0,10000");
  ASSERT_EQ(all[0], 'l');
  EXPECT_NE(all.find("<library name=\"guest.wasm\"><section address=\"0x4000000000000000\"/>"),
            std::string::npos);
  // Read in pieces: 'm' while more follows, 'l' for the last.
  std::string a = ask("qXfer:libraries:read::0,10"), b = ask("qXfer:libraries:read::10,10000");
  EXPECT_EQ(a[0], 'm');
  EXPECT_EQ(b[0], 'l');
  EXPECT_EQ(a.substr(1) + b.substr(1), all.substr(1));
  EXPECT_EQ(ask("qXfer:libraries:read::99999,10"), "l");
  // The module's own bytes, at its code address.
  const std::vector<uint8_t>& bytes = session.module()->bytes;
  EXPECT_EQ(ask("m4000000000000000,8"), toHex(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 8)));
  std::string binary = ask("x4000000000000000,4");
  EXPECT_EQ(binary, std::string("\0asm", 4));
  EXPECT_EQ(ask("x0,0"), "OK");
  // Past the end: a short read, then an error.
  char buf[64];
  std::snprintf(buf, sizeof buf, "m%llx,10", (unsigned long long)(0x4000000000000000ull + bytes.size() - 2));
  EXPECT_EQ(ask(buf).size(), 4u);
  std::snprintf(buf, sizeof buf, "m%llx,10", (unsigned long long)(0x4000000000000000ull + bytes.size()));
  EXPECT_EQ(ask(buf).substr(0, 3), "E08");
  EXPECT_EQ(ask("M4000000000000000,1:00").substr(0, 3), "E09");
  EXPECT_EQ(ask("m4000000100000000,4").substr(0, 3), "E08") << "module 1 does not exist";
  EXPECT_EQ(ask("mc000000000000000,4").substr(0, 3), "E08");
  EXPECT_NE(ask("qMemoryRegionInfo:4000000000000004").find("permissions:rx;"), std::string::npos);
  EXPECT_NE(ask("qMemoryRegionInfo:100").find("start:0;size:10000;permissions:rw;"),
            std::string::npos);
  EXPECT_EQ(ask("qMemoryRegionInfo:20000"), "start:10000;size:ffff0000;");
}

TEST_F(StubTest, WasmStateAtABreakpoint) {
  // Break at $work's i32.add: the 8th instruction (f32.const, local.set,
  // i32.const, local.get, i32.store, i32.const, local.get, i32.wrap_i64, i32.add).
  ASSERT_GE(work.size(), 9u);
  uint32_t add = work[8];
  EXPECT_EQ(ask("Z0," + address(add) + ",1"), "OK");
  std::string stop = resume("vCont;c");
  EXPECT_EQ(stop.substr(0, 3), "T05");
  EXPECT_NE(stop.find("reason:breakpoint;"), std::string::npos);
  EXPECT_NE(stop.find("thread-pcs:" + address(add) + ";"), std::string::npos);
  EXPECT_NE(stop.find("00:" + toHexLittleEndian(codeBase + add, 8) + ";"), std::string::npos);
  EXPECT_EQ(ask("p0"), toHexLittleEndian(codeBase + add, 8));

  // Two frames: $work at the add, _start at the instruction after its call.
  std::string frames = ask("qWasmCallStack:1");
  ASSERT_EQ(frames.size(), 32u);
  EXPECT_EQ(frames.substr(0, 16), toHexLittleEndian(codeBase + add, 8));
  // _start: i32.const, i64.const, call, drop, ...: it returns to the drop.
  EXPECT_EQ(frames.substr(16), toHexLittleEndian(codeBase + start[3], 8));

  EXPECT_EQ(ask("qWasmLocal:0;0"), "29000000");         // a = 41
  EXPECT_EQ(ask("qWasmLocal:0;1"), "0500000000000000"); // b = 5, 8 bytes
  EXPECT_EQ(ask("qWasmLocal:0;2"), "0000c03f");         // x = 1.5f
  EXPECT_EQ(ask("qWasmLocal:0;3").substr(0, 3), "E03");
  EXPECT_EQ(ask("qWasmGlobal:0;0"), "8877665544332211");
  EXPECT_EQ(ask("qWasmGlobal:0;1"), "0000000000000440"); // 2.5
  EXPECT_EQ(ask("qWasmGlobal:1;0"), "8877665544332211");  // the same instance
  EXPECT_EQ(ask("qWasmGlobal:0;2").substr(0, 3), "E03");
  EXPECT_EQ(ask("qWasmStackValue:0;0"), "07000000");
  EXPECT_EQ(ask("qWasmStackValue:0;1"), "05000000");
  EXPECT_EQ(ask("qWasmStackValue:0;2").substr(0, 3), "E03");
  // The caller's stack below the call's arguments is empty.
  EXPECT_EQ(ask("qWasmStackValue:1;0").substr(0, 3), "E03");
  EXPECT_EQ(ask("qWasmLocal:2;0").substr(0, 3), "E03");

  // Memory: the store before the add wrote 41 at 256.
  EXPECT_EQ(ask("m100,4"), "29000000");
  EXPECT_EQ(ask("M100,2:3412"), "OK");
  EXPECT_EQ(ask("m100,4"), "34120000");
  EXPECT_EQ(ask("X104,2:" + std::string("\x01\x02")), "OK");
  EXPECT_EQ(ask("m104,2"), "0102");
  EXPECT_EQ(ask("mffffffff,4").substr(0, 3), "E08");

  // Single-step: the add runs, then the function's end.
  std::string step = resume("vCont;s:1");
  EXPECT_NE(step.find("reason:trace;"), std::string::npos);
  EXPECT_EQ(ask("z0," + address(add) + ",1"), "OK");
}

TEST_F(StubTest, BreakpointsAtALowPcAndOutsideCode) {
  // LLDB may break at a function's low_pc (its local declarations), which is
  // no instruction: the stub breaks at the first instruction and reports
  // the low_pc back, so LLDB recognises its breakpoint.
  const runtime::Code& code = session.module()->codes[0]; // $work (function 1, after the import)
  uint32_t lowPc = code.whole.begin + 1 - session.module()->codeSectionOffset;
  ASSERT_LT(lowPc, work.front());
  EXPECT_EQ(ask("Z0," + address(lowPc) + ",1"), "OK");
  std::string stop = resume("c");
  EXPECT_NE(stop.find("thread-pcs:" + address(lowPc) + ";"), std::string::npos);
  EXPECT_EQ(ask("qWasmCallStack:1").substr(0, 16), toHexLittleEndian(codeBase + lowPc, 8));
  EXPECT_EQ(ask("z0," + address(lowPc) + ",1"), "OK");
  // Not code: linear memory, the module header, the middle of an instruction.
  EXPECT_EQ(ask("Z0,100,1").substr(0, 3), "E0c");
  EXPECT_EQ(ask("Z0,4000000000000000,1").substr(0, 3), "E0c");
  EXPECT_EQ(ask("Z0," + address(work[2] + 1) + ",1").substr(0, 3), "E0c");
  EXPECT_EQ(ask("z0,4000000000000000,1"), "OK");
}

TEST_F(StubTest, WatchpointThenTrapThenExit) {
  EXPECT_EQ(ask("Z2,100,4"), "OK");
  std::string stop = resume("c");
  EXPECT_EQ(stop.substr(0, 3), "T05");
  EXPECT_NE(stop.find("watch:100;"), std::string::npos) << stop;
  // Stopped after the store, in $work at the store instruction.
  EXPECT_EQ(ask("m100,4"), "29000000");
  EXPECT_EQ(ask("qWasmCallStack:1").substr(0, 16), toHexLittleEndian(codeBase + work[4], 8));
  EXPECT_EQ(ask("z2,100,4"), "OK");
  // Read and access watchpoints say so.
  EXPECT_EQ(ask("Z3,200,4"), "OK");
  EXPECT_EQ(ask("Z4,200,4"), "OK");
  EXPECT_EQ(ask("z3,200,4"), "OK");
  EXPECT_EQ(ask("z4,200,4"), "OK");
  // The division by zero: SIGFPE with the trap's message.
  stop = resume("c");
  EXPECT_EQ(stop.substr(0, 3), "T08") << stop;
  EXPECT_NE(stop.find("reason:exception;description:" + toHex("trap: integer divide by zero") + ";"),
            std::string::npos)
      << stop;
  EXPECT_EQ(resume("c"), "W86"); // 134, the trap status
  EXPECT_EQ(ask("?"), "W86");
  EXPECT_EQ(ask("qWasmCallStack:1").substr(0, 1), "E");
}

TEST_F(StubTest, KillAndDetach) {
  Result<Request> k = parseRequest("k");
  Reply reply = stub->handle(*k);
  EXPECT_EQ(reply.payload, "X09");
  EXPECT_EQ(reply.followup, Followup::Close);
  EXPECT_EQ(session.exitCode(), debugger::kTerminatedExitCode);
}

TEST_F(StubTest, DetachRemovesPointsAndLetsTheGuestRun) {
  EXPECT_EQ(ask("Z2,100,4"), "OK");
  EXPECT_EQ(ask("Z0," + address(work[8]) + ",1"), "OK");
  Result<Request> d = parseRequest("D;1");
  Reply reply = stub->handle(*d);
  EXPECT_EQ(reply.payload, "OK");
  EXPECT_EQ(reply.followup, Followup::Close);
  // No stop at the watch or the breakpoint, and the trap no longer stops.
  ASSERT_TRUE(session.waitForExit(std::chrono::seconds(20)));
  EXPECT_EQ(session.exitCode(), debugger::kTrapExitCode);
}

TEST(MonitorCommandsTest, TableHelpAndBackends) {
  MonitorCommands none;
  MonitorResult help = none.run("help");
  EXPECT_TRUE(help.ok);
  for (const auto& c : MonitorCommands::commands())
    EXPECT_NE(help.text.find(c.usage), std::string::npos) << c.name;
  MonitorResult leak = none.run("leak_check");
  EXPECT_FALSE(leak.ok);
  EXPECT_NE(leak.text.find("leak_check: not available"), std::string::npos);
  EXPECT_FALSE(none.run("profile").ok);
  EXPECT_FALSE(none.run("block_list").ok);
  EXPECT_NE(none.run("block_list").text.find("usage"), std::string::npos);
  EXPECT_NE(none.run("who_points_at 0x10000000000").text.find("usage"), std::string::npos);
  EXPECT_NE(none.run("nonsense").text.find("unknown monitor command 'nonsense'"), std::string::npos);
  EXPECT_FALSE(none.run("   ").ok);

  // With backends, each command reaches its own, with its arguments.
  std::string site, leakArgs;
  uint32_t address = 0, length = 0;
  MonitorBackends backends;
  backends.profile = []() -> runtime::Result<std::string> { return std::string("42 instructions"); };
  backends.leakCheck = [&](std::string_view args) -> runtime::Result<std::string> {
    leakArgs = std::string(args);
    return runtime::Error(runtime::ErrorCode::InvalidArgument, "run with --memory");
  };
  backends.blockList = [&](std::string_view s) -> runtime::Result<std::string> {
    site = std::string(s);
    return std::string("2 blocks");
  };
  backends.whoPointsAt = [&](uint32_t a, uint32_t n) -> runtime::Result<std::string> {
    address = a;
    length = n;
    return std::string("nobody");
  };
  MonitorCommands with(backends);
  EXPECT_EQ(with.run("profile").text, "42 instructions\n");
  MonitorResult failed = with.run("leak_check  full reachable ");
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.text, "run with --memory\n");
  EXPECT_EQ(leakArgs, "full reachable");
  EXPECT_TRUE(with.run("block_list  parse_request:112 ").ok);
  EXPECT_EQ(site, "parse_request:112");
  EXPECT_TRUE(with.run("who_points_at 0x11a20").ok);
  EXPECT_EQ(address, 0x11a20u);
  EXPECT_EQ(length, 1u);
  EXPECT_TRUE(with.run("who_points_at 4096 0x10").ok);
  EXPECT_EQ(address, 4096u);
  EXPECT_EQ(length, 16u);
  EXPECT_NE(with.run("who_points_at 4096 0").text.find("usage"), std::string::npos);
  EXPECT_NE(with.run("who_points_at 4096 ten").text.find("usage"), std::string::npos);
}

} // namespace
} // namespace wasmscope::gdbstub
