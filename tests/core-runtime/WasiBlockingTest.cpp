// WASI calls that wait (wasi/blocking.wat) stay under the store's control:
// a guest sleeping an hour in poll_oneoff, or reading a pipe nobody writes,
// is stopped by Store::interrupt within a second, with the trap at the call;
// a Notify (a debugger's pause) inside the wait lets the call go on and
// complete as asked.
#include "WasiTestSupport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <unistd.h>

namespace wasmscope::runtime {
namespace {

using namespace wasitest;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// A pipe whose write end stays open: reads of the other end wait.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0)
        ::close(fd);
  }
  int readEnd() const { return fds[0]; }
  void write(const std::string& text) { ASSERT_EQ(::write(fds[1], text.data(), text.size()), ssize_t(text.size())); }
};

class WasiBlockingTest : public ::testing::Test {
protected:
  void SetUp() override { SKIP_WITHOUT_GUEST("blocking"); }

  std::unique_ptr<WasiGuest> launch(int stdinFd = -1) {
    WasiConfig config;
    config.stdinFd = stdinFd;
    auto guest = std::make_unique<WasiGuest>("blocking", std::move(config));
    EXPECT_TRUE(guest->ok()) << guest->loadError;
    guest->store.enableInterrupts();
    return guest;
  }

  /// Calls `name`, sending `kind` after `delay` from another thread.
  static std::pair<Result<uint32_t>, Clock::duration> callInterrupted(WasiGuest& g,
                                                                      const std::string& name,
                                                                      InterruptKind kind) {
    auto start = Clock::now();
    std::thread requester([&] {
      std::this_thread::sleep_for(200ms);
      g.store.interrupt(kind);
    });
    Result<uint32_t> r = g.call(name);
    requester.join();
    return {std::move(r), Clock::now() - start};
  }
};

TEST_F(WasiBlockingTest, AnHoursSleepIsEndedByATimeoutWithinASecond) {
  auto g = launch();
  auto [r, took] = callInterrupted(*g, "sleep_hour", InterruptKind::Timeout);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::WallClockLimitExceeded);
  EXPECT_LT(took, 1200ms);
  // The trap is at the call to poll_oneoff, with the guest's frames.
  const auto& frames = g->store.lastTrapFrames();
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames[0].funcIndex, 3u); // $sleep, after the three imports
}

TEST_F(WasiBlockingTest, AnHoursSleepIsEndedByStop) {
  auto g = launch();
  auto [r, took] = callInterrupted(*g, "sleep_hour", InterruptKind::Stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
  EXPECT_LT(took, 1200ms);
}

TEST_F(WasiBlockingTest, AReadFromAnEmptyPipeIsEndedWithinASecond) {
  Pipe pipe;
  auto g = launch(pipe.readEnd());
  auto [r, took] = callInterrupted(*g, "read_stdin", InterruptKind::Timeout);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::WallClockLimitExceeded);
  EXPECT_LT(took, 1200ms);
  // So is a poll_oneoff waiting for it.
  auto [p, tookPoll] = callInterrupted(*g, "poll_stdin", InterruptKind::Stop);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::Interrupted);
  EXPECT_LT(tookPoll, 1200ms);
}

TEST_F(WasiBlockingTest, APauseInsideAReadLetsTheReadComplete) {
  Pipe pipe;
  auto g = launch(pipe.readEnd());
  std::atomic<int> notified{0};
  bool inHostCall = false;
  g->store.setInterruptHandler([&](ProbeContext& ctx) {
    inHostCall = ctx.inHostCall;
    ++notified;
    return ProbeAction::Continue; // Resumed: the read goes on waiting.
  });
  std::thread other([&] {
    std::this_thread::sleep_for(100ms);
    g->store.interrupt(InterruptKind::Notify);
    while (notified.load() == 0)
      std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(100ms);
    pipe.write("hello");
  });
  Result<uint32_t> r = g->call("read_stdin");
  other.join();
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(*r, 0u); // errno
  EXPECT_EQ(notified.load(), 1);
  EXPECT_TRUE(inHostCall);
  EXPECT_EQ(*g->call("read_count"), 5u);
}

TEST_F(WasiBlockingTest, APauseInsideASleepKeepsItsDeadline) {
  auto g = launch();
  std::atomic<int> notified{0};
  g->store.setInterruptHandler([&](ProbeContext&) {
    ++notified;
    return ProbeAction::Continue;
  });
  auto start = Clock::now();
  std::thread other([&] {
    std::this_thread::sleep_for(50ms);
    g->store.interrupt(InterruptKind::Notify);
  });
  Result<uint32_t> r = g->call("sleep_300ms");
  other.join();
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(*r, 0u);
  EXPECT_EQ(notified.load(), 1);
  auto took = Clock::now() - start;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1000ms);
}

} // namespace
} // namespace wasmscope::runtime
