// Limits and traps: call depth, value stack, memory and the location a trap
// reports. None of them may take the host down.
#include "WatUtil.h"

#include <gtest/gtest.h>

namespace wasmscope::runtime::test {
namespace {

const char* kRecursion = R"((module
  (func $depth (export "depth") (param $n i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get $n
      i32.const 1
      i32.sub
      call $depth
      i32.const 1
      i32.add
    end)
  (func $forever (export "forever") (param i64) (result i64)
    local.get 0
    i64.const 1
    i64.add
    call $forever))
)";

TEST(LimitsTest, AMillionFramesDeepRunsWhenAllowed) {
  ResourceLimits limits;
  limits.maxCallDepth = 1'100'000;
  limits.valueStackSlots = 8u << 20;
  auto rt = instantiateWat(kRecursion, {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("depth", {Value::i32(1'000'000)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 1'000'000u);
}

TEST(LimitsTest, AMillionFramesDeepTrapsCleanlyAtTheDefaultLimit) {
  auto rt = instantiateWat(kRecursion);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("depth", {Value::i32(1'000'000)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CallStackExhausted);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  // The store is still usable after the trap.
  auto ok = rt.call("depth", {Value::i32(10)});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0].asI32(), 10u);
}

TEST(LimitsTest, UnboundedRecursionHitsTheConfiguredDepth) {
  ResourceLimits limits;
  limits.maxCallDepth = 500;
  auto rt = instantiateWat(kRecursion, {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("forever", {Value::i64(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CallStackExhausted);
  EXPECT_EQ(rt.store->lastTrapFrames().size(), 500u);
  auto ok = rt.call("depth", {Value::i32(400)});
  EXPECT_TRUE(ok.ok());
}

TEST(LimitsTest, ValueStackExhaustionTrapsToo) {
  ResourceLimits limits;
  limits.valueStackSlots = 4096;
  auto rt = instantiateWat(kRecursion, {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("forever", {Value::i64(0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CallStackExhausted);
}

const char* kMemory = R"((module
  (memory (export "mem") 1 100)
  (func (export "grow") (param i32) (result i32)
    local.get 0
    memory.grow)
  (func (export "size") (result i32) memory.size))
)";

TEST(LimitsTest, MemoryLimitStopsGrowthBeyondIt) {
  ResourceLimits limits;
  limits.maxMemoryPages = 4;
  auto rt = instantiateWat(kMemory, {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("grow", {Value::i32(2)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 1u);
  r = rt.call("grow", {Value::i32(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::MemoryLimitExceeded);
  EXPECT_EQ(r.error().message, "memory limit exceeded");
  // Growth beyond the module's own maximum still just fails with -1.
  r = rt.call("grow", {Value::i32(1000)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 0xffffffffu);
  r = rt.call("size");
  EXPECT_EQ((*r)[0].asI32(), 3u);
}

TEST(LimitsTest, MemoryLimitRefusesAnOversizedInitialMemory) {
  auto module = compileWat(R"((module (memory 10)))");
  ASSERT_TRUE(module);
  ResourceLimits limits;
  limits.maxMemoryPages = 4;
  Store store(limits);
  Linker linker;
  auto inst = store.instantiate(module, linker);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().code, ErrorCode::MemoryLimitExceeded);
}

TEST(LimitsTest, TrapsCarryKindFunctionAndOffset) {
  auto rt = instantiateWat(R"((module
    (memory 1)
    (func $outer (export "outer") (param i32) (result i32)
      local.get 0
      call $inner)
    (func $inner (param i32) (result i32)
      local.get 0
      i32.load offset=8)))");
  ASSERT_TRUE(rt.instance);
  auto offsets0 = offsetsOf(*rt.module, 0);
  auto offsets1 = offsetsOf(*rt.module, 1);
  auto r = rt.call("outer", {Value::i32(65530)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::OutOfBoundsMemoryAccess);
  EXPECT_EQ(r.error().funcIndex, 1u);
  EXPECT_EQ(r.error().offset, offsets1[1]); // i32.load
  const auto& frames = rt.store->lastTrapFrames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].funcIndex, 1u);
  EXPECT_EQ(frames[0].wasmOffset, offsets1[1]);
  EXPECT_EQ(frames[1].funcIndex, 0u);
  EXPECT_EQ(frames[1].wasmOffset, offsets0[1]); // the call
}

} // namespace
} // namespace wasmscope::runtime::test
