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

TEST(LimitsTest, MemoryLimitMakesGrowFailAsTheSpecAllows) {
  // A failed memory.grow returns -1 (spec 4.4.7.11); programs (dlmalloc,
  // SQLite) handle that with their own out-of-memory path, so the limit must
  // not trap.
  ResourceLimits limits;
  limits.maxMemoryPages = 4;
  auto rt = instantiateWat(kMemory, {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("grow", {Value::i32(2)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 1u);
  r = rt.call("grow", {Value::i32(2)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 0xffffffffu);
  r = rt.call("size");
  EXPECT_EQ((*r)[0].asI32(), 3u);
  // Up to the limit still works, and growth beyond the module's own maximum
  // fails the same way.
  r = rt.call("grow", {Value::i32(1)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 3u);
  r = rt.call("grow", {Value::i32(1000)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 0xffffffffu);
  r = rt.call("size");
  EXPECT_EQ((*r)[0].asI32(), 4u);
}

TEST(LimitsTest, MemoryLimitCapsTheAddressSpaceReserved) {
  // Without a maximum a memory may reach 4 GiB; under a limit only the limit
  // is reserved, so a store of many memories stays within the host's space.
  ResourceLimits limits;
  limits.maxMemoryPages = 4;
  auto rt = instantiateWat(R"((module (memory (export "mem") 1)))", {}, limits);
  ASSERT_TRUE(rt.instance);
  MemoryInstance* mem = rt.instance->memory(0);
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->reserved, 4 * kPageSize);
  EXPECT_EQ(mem->grow(4), -1);
  EXPECT_EQ(mem->grow(3), 1);
  EXPECT_EQ(mem->pages(), 4u);
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
  EXPECT_EQ(inst.error().phase(), ErrorPhase::Trap);
}

// --- Tables ---------------------------------------------------------------------

TEST(LimitsTest, AHugeTableIsALinkErrorNotAnAbort) {
  // 46 bytes that asked for 32 GiB of host memory.
  auto module = compileWat(R"((module (table 4294967295 funcref)))");
  ASSERT_TRUE(module);
  Store store;
  Linker linker;
  auto inst = store.instantiate(module, linker);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().code, ErrorCode::TableLimitExceeded);
  EXPECT_EQ(inst.error().phase(), ErrorPhase::Link);
  EXPECT_NE(inst.error().message.find("table 0"), std::string::npos) << inst.error().message;
  EXPECT_NE(inst.error().message.find("4294967295"), std::string::npos) << inst.error().message;
  EXPECT_NE(inst.error().message.find("10000000"), std::string::npos) << inst.error().message;
}

TEST(LimitsTest, TheTableElementLimitIsStoreWide) {
  // 64 tables of 2^20 entries: each is small, together they are 64 Mi.
  std::string wat = "(module";
  for (int i = 0; i < 64; ++i)
    wat += " (table 1048576 funcref)";
  wat += ")";
  auto module = compileWat(wat);
  ASSERT_TRUE(module);
  Store store;
  Linker linker;
  auto inst = store.instantiate(module, linker);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().code, ErrorCode::TableLimitExceeded);
  EXPECT_NE(inst.error().message.find("table 9"), std::string::npos) << inst.error().message;

  // Across instances of one store too.
  ResourceLimits limits;
  limits.maxTableElements = 1000;
  Store small(limits);
  auto half = compileWat(R"((module (table 600 funcref)))");
  ASSERT_TRUE(small.instantiate(half, linker).ok());
  auto second = small.instantiate(half, linker);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::TableLimitExceeded);
  // Host tables count as well.
  HostModuleBuilder host(small, "host");
  host.table("t", TableType{ValType::FuncRef, Limits{500, std::nullopt}});
  auto built = host.build();
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().code, ErrorCode::TableLimitExceeded);
}

TEST(LimitsTest, TableGrowBeyondTheLimitReturnsMinusOne) {
  ResourceLimits limits;
  limits.maxTableElements = 100;
  auto rt = instantiateWat(R"((module
    (table $a 10 funcref)
    (table $b 10 funcref)
    (func (export "growA") (param i32) (result i32)
      ref.null func
      local.get 0
      table.grow $a)
    (func (export "growB") (param i32) (result i32)
      ref.null func
      local.get 0
      table.grow $b)
    (func (export "sizeA") (result i32) table.size $a)))",
                           {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("growA", {Value::i32(70)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 10u);
  // 80 + 10 in use: 11 more would pass the store's 100.
  r = rt.call("growB", {Value::i32(11)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 0xffffffffu);
  r = rt.call("growB", {Value::i32(10)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 10u);
  r = rt.call("growA", {Value::i32(0x7fffffff)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 0xffffffffu);
  r = rt.call("sizeA");
  EXPECT_EQ((*r)[0].asI32(), 80u);
}

TEST(LimitsTest, AHugeCallDepthLimitIsAnErrorNotAnAbort) {
  // The frame records are reserved lazily, like the value stack: a limit the
  // host cannot back fails the call instead of throwing at construction.
  ResourceLimits limits;
  limits.maxCallDepth = 4'000'000'000u;
  limits.valueStackSlots = uint64_t(1) << 40;
  auto rt = instantiateWat(kRecursion, {}, limits);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("depth", {Value::i32(10)});
  if (r.ok()) {
    EXPECT_EQ((*r)[0].asI32(), 10u);
  } else {
    EXPECT_EQ(r.error().code, ErrorCode::CallStackExhausted) << r.error().describe();
  }
}

TEST(LimitsTest, LocalsAreBoundedAcrossTheModule) {
  // 40 functions, each declaring 2^20 - 1 locals in 7 bytes: 40 Mi locals in
  // a 300-byte module. Each function alone is within the per-function cap.
  auto module = [](uint32_t functions) {
    auto leb = [](std::vector<uint8_t>& out, uint32_t v) {
      do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        out.push_back(v ? b | 0x80 : b);
      } while (v);
    };
    std::vector<uint8_t> bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
                                  0x01, 0x04, 0x01, 0x60, 0x00, 0x00}; // type () -> ()
    std::vector<uint8_t> funcs, code;
    leb(funcs, functions);
    funcs.insert(funcs.end(), functions, 0x00); // all of type 0
    leb(code, functions);
    for (uint32_t i = 0; i < functions; ++i)
      code.insert(code.end(), {0x06,             // body size
                               0x01,             // one local group
                               0xff, 0xff, 0x3f, // 2^20 - 1 of them
                               0x7f,             // i32
                               0x0b});           // end
    bytes.push_back(0x03);
    leb(bytes, uint32_t(funcs.size()));
    bytes.insert(bytes.end(), funcs.begin(), funcs.end());
    bytes.push_back(0x0a);
    leb(bytes, uint32_t(code.size()));
    bytes.insert(bytes.end(), code.begin(), code.end());
    return bytes;
  };
  std::vector<uint8_t> bytes = module(40);
  auto m = loadModule(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::TooManyLocals);
  EXPECT_NE(m.error().message.find("in all"), std::string::npos) << m.error().message;
  // A few such functions are fine.
  bytes = module(2);
  auto ok = loadModule(bytes);
  EXPECT_TRUE(ok.ok()) << ok.error().describe();
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
