// Store::interrupt: a request from another thread stops a running guest at
// its next function entry or loop back edge (including loops whose header
// follows moves the compiler materialised at the `loop`), calls the handler
// for Notify, costs nothing while dormant, and leaves the code as it was.
#include "WatUtil.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace wasmscope::runtime::test {
namespace {

using namespace std::chrono_literals;

// `i32.const 1` is deferred by the compiler and materialised at the `loop`,
// so the loop's header (where `br 0` jumps) is past the pc recorded for the
// `loop` instruction itself.
const char* kSpin = R"((module
  (global $count (mut i32) (i32.const 0))
  (func $spin (export "spin")
    i32.const 1
    loop
      br 0
    end
    drop)
  (func $counted (export "counted")
    loop
      global.get $count
      i32.const 1
      i32.add
      global.set $count
      br 0
    end)
  (func $callee)
  (func $calls (export "calls")
    loop
      call $callee
      br 0
    end)
  (func (export "count") (result i32) global.get $count))
)";

/// Calls `name`, interrupting with `kind` from another thread after `delay`;
/// returns the result and how long the call took.
std::pair<Result<std::vector<Value>>, std::chrono::milliseconds>
runInterrupted(Instantiated& rt, const char* name, InterruptKind kind,
               std::chrono::milliseconds delay = 50ms) {
  auto start = std::chrono::steady_clock::now();
  std::thread requester([&] {
    std::this_thread::sleep_for(delay);
    rt.store->interrupt(kind);
  });
  auto r = rt.call(name);
  requester.join();
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return {std::move(r), took};
}

Instantiated interruptible(const char* wat) {
  ResourceLimits limits;
  auto rt = instantiateWat(wat, {}, limits);
  if (rt.instance)
    rt.store->enableInterrupts();
  return rt;
}

TEST(InterruptTest, StopsALoopWhoseHeaderFollowsMaterialisedMoves) {
  auto rt = interruptible(kSpin);
  ASSERT_TRUE(rt.instance);
  auto [r, took] = runInterrupted(rt, "spin", InterruptKind::Stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
  EXPECT_LT(took, 5000ms);
  // The trap is reported in the loop, with the frame.
  ASSERT_EQ(rt.store->lastTrapFrames().size(), 1u);
  EXPECT_EQ(rt.store->lastTrapFrames()[0].funcIndex, 0u);
}

TEST(InterruptTest, TimeoutTrapsWithItsOwnError) {
  auto rt = interruptible(kSpin);
  ASSERT_TRUE(rt.instance);
  auto [r, took] = runInterrupted(rt, "counted", InterruptKind::Timeout);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::WallClockLimitExceeded);
  EXPECT_EQ(r.error().message, "wall-clock limit exceeded");
  EXPECT_EQ(r.error().phase(), ErrorPhase::Trap);
  EXPECT_EQ(r.error().funcIndex, 1u);
}

TEST(InterruptTest, FunctionEntriesAreSafepointsToo) {
  auto rt = interruptible(kSpin);
  ASSERT_TRUE(rt.instance);
  auto [r, took] = runInterrupted(rt, "calls", InterruptKind::Stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
}

TEST(InterruptTest, NotifyRunsTheHandlerOnTheGuestThreadAndGoesOn) {
  auto rt = interruptible(kSpin);
  ASSERT_TRUE(rt.instance);
  std::thread::id guestThread = std::this_thread::get_id();
  std::atomic<int> calls{0};
  uint32_t seenFunction = 99;
  bool onGuestThread = false;
  rt.store->setInterruptHandler([&](ProbeContext& ctx) {
    onGuestThread = std::this_thread::get_id() == guestThread;
    seenFunction = ctx.funcIndex;
    // The first notification lets the guest go on; the second stops it.
    return ++calls == 1 ? ProbeAction::Continue : ProbeAction::Stop;
  });
  std::thread requester([&] {
    std::this_thread::sleep_for(30ms);
    rt.store->interrupt(InterruptKind::Notify);
    while (calls.load() < 1)
      std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(30ms);
    rt.store->interrupt(InterruptKind::Notify);
  });
  auto r = rt.call("counted");
  requester.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_TRUE(onGuestThread);
  EXPECT_EQ(seenFunction, 1u);
  // It ran on between the two notifications.
  rt.store->setInterruptHandler({});
  auto count = rt.call("count");
  ASSERT_TRUE(count.ok());
  EXPECT_GT((*count)[0].asI32(), 0u);
}

TEST(InterruptTest, DormantSafepointsLeaveTheCodeAsItWasAndDisarmAfterwards) {
  auto rt = instantiateWat(kSpin);
  ASSERT_TRUE(rt.instance);
  std::vector<std::vector<uint32_t>> before;
  for (FuncIndex f = 0; f < 5; ++f)
    before.push_back(rt.instance->code(f)->code);
  rt.store->enableInterrupts();
  for (FuncIndex f = 0; f < 5; ++f)
    EXPECT_EQ(rt.instance->code(f)->code, before[f]) << "function " << f;
  // Every function entry and loop header has a safepoint.
  EXPECT_TRUE(rt.instance->code(0)->probes.count(0));
  for (FuncIndex f : {0u, 1u, 3u}) {
    ASSERT_EQ(rt.instance->code(f)->loopHeaders.size(), 1u);
    EXPECT_TRUE(rt.instance->code(f)->probes.count(rt.instance->code(f)->loopHeaders[0]));
  }
  // The loop header of $spin is past the pc of its `loop` instruction: the
  // materialised constant sits in between.
  const CompiledFunction* spin = rt.instance->code(0);
  uint32_t loopOffset = spin->instructionOffsets().at(1);
  EXPECT_GT(spin->loopHeaders[0], *spin->pcAt(loopOffset));

  auto [r, took] = runInterrupted(rt, "spin", InterruptKind::Stop);
  ASSERT_FALSE(r.ok());
  for (FuncIndex f = 0; f < 5; ++f)
    EXPECT_EQ(rt.instance->code(f)->code, before[f]) << "function " << f;
  // And the store runs on normally.
  auto count = rt.call("count");
  ASSERT_TRUE(count.ok());
}

TEST(InterruptTest, ARequestBeforeTheRunStopsItAtTheFirstSafepoint) {
  auto rt = interruptible(kSpin);
  ASSERT_TRUE(rt.instance);
  rt.store->interrupt(InterruptKind::Timeout);
  auto r = rt.call("count");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::WallClockLimitExceeded);
  // Taken: the next run is not affected.
  EXPECT_TRUE(rt.call("count").ok());
}

TEST(InterruptTest, InstancesAddedLaterAreInterruptibleIncludingTheirStartFunction) {
  auto module = compileWat(R"((module (func $start loop br 0 end) (start $start)))");
  ASSERT_TRUE(module);
  Store store;
  store.enableInterrupts();
  std::thread requester([&] {
    std::this_thread::sleep_for(50ms);
    store.interrupt(InterruptKind::Stop);
  });
  Linker linker;
  auto inst = store.instantiate(module, linker);
  requester.join();
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().code, ErrorCode::Interrupted);
}

TEST(InterruptTest, SafepointsAndProbesShareAnInstruction) {
  auto rt = interruptible(kSpin);
  ASSERT_TRUE(rt.instance);
  const CompiledFunction* counted = rt.instance->code(1);
  // A probe at the loop's first instruction: the safepoint is there too.
  uint32_t first = counted->instructionOffsets().at(1);
  ASSERT_EQ(*counted->pcAt(first), counted->loopHeaders[0]);
  std::atomic<int> hits{0};
  auto id = rt.store->addLocalProbe(*rt.instance, 1, first, [&](ProbeContext&) {
    ++hits;
    return ProbeAction::Continue;
  });
  ASSERT_TRUE(id.ok());
  auto [r, took] = runInterrupted(rt, "counted", InterruptKind::Stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
  EXPECT_GT(hits.load(), 0);
  // Removing the probe leaves the safepoint dormant, the word restored.
  rt.store->removeLocalProbe(*id);
  EXPECT_EQ(counted->code, rt.module->function(1)->code);
  EXPECT_TRUE(counted->probes.count(counted->loopHeaders[0]));
}

} // namespace
} // namespace wasmscope::runtime::test
