// Pause, terminate and the wall-clock limit on guests that used to ignore
// them: a loop whose header follows moves the compiler materialised at the
// `loop` (`i32.const 1; loop; br 0; end`), a guest sleeping an hour in
// poll_oneoff, and one blocked reading a pipe nobody writes. The guests are
// written in the text format and assembled with wat2wasm here.
#include "SessionTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace wasmscope::debugger::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// A module assembled from `wat` into a temporary directory.
class WatModule {
public:
  explicit WatModule(const std::string& wat) {
    char dir[] = "/tmp/wasmscope-session-XXXXXX";
    if (!::mkdtemp(dir))
      return;
    m_dir = dir;
    std::ofstream(m_dir + "/m.wat") << wat;
    std::string cmd = "wat2wasm --debug-names " + m_dir + "/m.wat -o " + m_dir + "/m.wasm 2>&1";
    if (std::system(cmd.c_str()) == 0)
      m_path = m_dir + "/m.wasm";
  }
  ~WatModule() {
    if (!m_dir.empty())
      std::filesystem::remove_all(m_dir);
  }
  const std::string& path() const { return m_path; }

private:
  std::string m_dir;
  std::string m_path;
};

const char* kSpin = R"((module
  (memory (export "memory") 1)
  (func $spin (export "_start")
    i32.const 1
    loop
      br 0
    end
    drop)))";

const char* kSleepAnHour = R"((module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $sleep_an_hour (export "_start")
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 3600000000000))
    (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))))";

const char* kReadStdin = R"((module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $read_stdin (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 64)))
    ;; Exit with the number of bytes read.
    (call $exit (i32.load (i32.const 64))))))";

TEST(InterruptSession, PauseAndTerminateALoopWhoseHeaderFollowsMaterialisedMoves) {
  WatModule m(kSpin);
  ASSERT_FALSE(m.path().empty()) << "wat2wasm failed";
  Driver d;
  d.launch(configFor(m.path()));
  std::this_thread::sleep_for(30ms);
  ASSERT_TRUE(d.session.pause().ok());
  std::optional<StoppedEvent> s = d.waitStop(5000ms);
  ASSERT_TRUE(s) << "pause did not stop the loop";
  EXPECT_EQ(s->reason, StopReason::Pause);
  EXPECT_EQ(d.top().name, "spin");
  ASSERT_TRUE(d.session.resume().ok());
  std::this_thread::sleep_for(30ms);
  ASSERT_TRUE(d.session.terminate().ok());
  EXPECT_EQ(d.waitExit(5000ms), kTerminatedExitCode);
}

TEST(InterruptSession, PauseInsideAnHoursSleepThenTerminateWithinASecond) {
  WatModule m(kSleepAnHour);
  ASSERT_FALSE(m.path().empty()) << "wat2wasm failed";
  Driver d;
  d.launch(configFor(m.path()));
  std::this_thread::sleep_for(100ms);
  auto before = Clock::now();
  ASSERT_TRUE(d.session.pause().ok());
  std::optional<StoppedEvent> s = d.waitStop(5000ms);
  ASSERT_TRUE(s) << "pause did not stop the sleeping guest";
  EXPECT_LT(Clock::now() - before, 1000ms);
  EXPECT_EQ(s->reason, StopReason::Pause);
  // Stopped at the call, with the frame inspectable.
  EXPECT_EQ(d.top().name, "sleep_an_hour");
  // Resumed, it sleeps on; terminate ends it at once.
  ASSERT_TRUE(d.session.resume().ok());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(d.session.state(), SessionState::Running);
  before = Clock::now();
  ASSERT_TRUE(d.session.terminate().ok());
  EXPECT_EQ(d.waitExit(5000ms), kTerminatedExitCode);
  EXPECT_LT(Clock::now() - before, 1000ms);
}

TEST(InterruptSession, DisconnectEndsAGuestBlockedReadingAnEmptyPipe) {
  WatModule m(kReadStdin);
  ASSERT_FALSE(m.path().empty()) << "wat2wasm failed";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Driver d;
  LaunchConfig config = configFor(m.path());
  config.stdinFd = fds[0];
  d.launch(config);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(d.session.state(), SessionState::Running);
  auto before = Clock::now();
  ASSERT_TRUE(d.session.disconnect().ok());
  EXPECT_LT(Clock::now() - before, 1000ms);
  EXPECT_EQ(d.waitExit(5000ms), kTerminatedExitCode);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(InterruptSession, APausedReadCompletesWhenResumed) {
  WatModule m(kReadStdin);
  ASSERT_FALSE(m.path().empty()) << "wat2wasm failed";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Driver d;
  LaunchConfig config = configFor(m.path());
  config.stdinFd = fds[0];
  d.launch(config);
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(d.session.pause().ok());
  ASSERT_TRUE(d.waitStop(5000ms));
  EXPECT_EQ(d.top().name, "read_stdin");
  ASSERT_EQ(::write(fds[1], "abc", 3), 3);
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(5000ms), 3u); // The read got its three bytes.
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(InterruptSession, TheTimeoutStopsAGuestLikeATrapAndNotWhileStopped) {
  WatModule m(kSleepAnHour);
  ASSERT_FALSE(m.path().empty()) << "wat2wasm failed";
  Driver d;
  LaunchConfig config = configFor(m.path());
  config.timeout = 600ms;
  config.stopOnEntry = true;
  d.launch(config);
  // Stopped on entry for longer than the limit: that time does not count.
  ASSERT_TRUE(d.waitStop(5000ms));
  std::this_thread::sleep_for(900ms);
  auto before = Clock::now();
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(5000ms), kTrapExitCode);
  auto ran = Clock::now() - before;
  EXPECT_GE(ran, 550ms);
  EXPECT_LT(ran, 2000ms);
  EXPECT_NE(d.console.find("trap: wall-clock limit exceeded"), std::string::npos) << d.console;
  EXPECT_NE(d.console.find("sleep_an_hour"), std::string::npos) << d.console;
}

} // namespace
} // namespace wasmscope::debugger::test
