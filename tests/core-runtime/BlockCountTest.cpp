// Per-basic-block execution counters (CompileOptions::countBlocks): counts
// times costs give exactly the fuel charged, blocks end after calls, the
// counters can be redirected, and host calls are bracketed by host hooks.
#include "InternalOps.h"
#include "WatUtil.h"

#include <gtest/gtest.h>

namespace wasmscope::runtime::test {
namespace {

const char *kCalls = R"((module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func $leaf (param i32) (result i32)
    local.get 0
    i32.const 3
    i32.mul)
  (func $loop (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    block
      loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1
        local.get $i
        call $leaf
        local.get $acc
        i32.add
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $acc
    call $host)
)
)";

struct Fixture {
  std::unique_ptr<Store> store = std::make_unique<Store>();
  std::shared_ptr<const CompiledModule> module;
  Instance *instance = nullptr;
  int hostCalls = 0;

  explicit Fixture(CompileOptions options) {
    module = compileWat(kCalls, options);
    HostModuleBuilder env(*store, "env");
    env.function("host", FuncType{{ValType::I32}, {ValType::I32}},
                 [this](HostCall &, const uint64_t *args, uint64_t *results) -> Result<void> {
                   ++hostCalls;
                   results[0] = args[0] + 1;
                   return success();
                 });
    auto host = env.build();
    EXPECT_TRUE(host.ok());
    Linker linker;
    linker.defineInstance("env", **host);
    auto inst = store->instantiate(module, linker);
    EXPECT_TRUE(inst.ok()) << inst.error().describe();
    if (inst.ok())
      instance = *inst;
  }
  Result<std::vector<Value>> loop(uint32_t n) {
    return store->invoke(*instance->findFunction("loop"), std::vector<Value>{Value::i32(n)});
  }
};

uint64_t weightedCount(const CompiledModule &module, std::span<const uint64_t> counts) {
  uint64_t total = 0;
  for (const CompiledFunction &f : module.functions())
    for (size_t b = 0; b < f.blocks.size(); ++b)
      total += counts[f.firstBlock + b] * f.blocks[b].cost;
  return total;
}

TEST(BlockCountTest, CountsTimesCostsEqualFuel) {
  CompileOptions options;
  options.countBlocks = true;
  Fixture fx(options);
  ASSERT_TRUE(fx.instance);
  EXPECT_TRUE(fx.module->options().meterFuel) << "countBlocks implies metering";
  ASSERT_GT(fx.module->numBlocks(), 0u);
  for (uint32_t n : {0u, 7u, 100u}) {
    fx.store->setFuel(1'000'000);
    fx.instance->resetBlockCounts();
    auto r = fx.loop(n);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    uint32_t expected = 0;
    for (uint32_t i = 0; i < n; ++i)
      expected += i * 3;
    EXPECT_EQ((*r)[0].asI32(), expected + 1);
    EXPECT_EQ(weightedCount(*fx.module, fx.instance->blockCounts()), fx.store->fuelConsumed())
        << "n=" << n;
  }
  // The leaf function's one block ran once per call.
  const CompiledFunction *leaf = fx.module->function(1);
  ASSERT_EQ(leaf->blocks.size(), 1u);
  EXPECT_EQ(fx.instance->blockCounts()[leaf->firstBlock], 100u);
  EXPECT_EQ(leaf->blocks[0].cost, 4u); // local.get, i32.const, i32.mul, end
}

TEST(BlockCountTest, BlocksEndAfterCallsAndListTheirInstructions) {
  CompileOptions counting;
  counting.countBlocks = true;
  auto module = compileWat(kCalls, counting);
  ASSERT_TRUE(module);
  const CompiledFunction *loop = module->function(2);
  // Every instruction charged belongs to exactly one block, in order.
  uint32_t charged = 0;
  for (const CountedBlock &b : loop->blocks) {
    EXPECT_EQ(b.first, charged);
    charged += b.cost;
  }
  EXPECT_EQ(charged, loop->blockInstructions.size());
  // A call is the last instruction of its block.
  std::vector<uint32_t> offsets = loop->instructionOffsets();
  const Module &m = module->module();
  for (const CountedBlock &b : loop->blocks) {
    for (uint32_t i = b.first; i + 1 < b.first + b.cost; ++i) {
      uint8_t opcode = m.bytes[m.codeSectionOffset + loop->blockInstructions[i]];
      EXPECT_NE(opcode, 0x10) << "call in the middle of a block";
    }
  }
  // Metering alone has the same blocks (so a fuel budget runs out at the
  // same place), without counters or block lists.
  CompileOptions metered;
  metered.meterFuel = true;
  auto plain = compileWat(kCalls, metered);
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->function(2)->blocks.empty());
  EXPECT_EQ(plain->numBlocks(), 0u);
  auto fuelOps = [](const CompiledFunction& f, Op op) {
    size_t n = 0;
    for (uint32_t pc = 0; pc < f.code.size(); pc += instructionWords(&f.code[pc]))
      n += Op(f.code[pc]) == op;
    return n;
  };
  EXPECT_EQ(fuelOps(*plain->function(2), Op::Fuel), loop->blocks.size());
  EXPECT_EQ(fuelOps(*plain->function(2), Op::CountedFuel), 0u);
  EXPECT_EQ(fuelOps(*loop, Op::CountedFuel), loop->blocks.size());
}

TEST(BlockCountTest, RedirectedCountersReceiveTheCounts) {
  CompileOptions options;
  options.countBlocks = true;
  Fixture fx(options);
  ASSERT_TRUE(fx.instance);
  std::vector<uint64_t> mine(fx.module->numBlocks(), 0);
  fx.instance->redirectBlockCounts(mine.data());
  fx.store->setFuel(1'000'000);
  ASSERT_TRUE(fx.loop(5).ok());
  EXPECT_EQ(weightedCount(*fx.module, mine), fx.store->fuelConsumed());
  for (uint64_t c : fx.instance->blockCounts())
    EXPECT_EQ(c, 0u);
  fx.instance->redirectBlockCounts(nullptr);
  ASSERT_TRUE(fx.loop(5).ok());
  EXPECT_EQ(weightedCount(*fx.module, fx.instance->blockCounts()), weightedCount(*fx.module, mine));
}

TEST(BlockCountTest, PlainCodeHasNoCounters) {
  Fixture fx(CompileOptions{});
  ASSERT_TRUE(fx.instance);
  EXPECT_TRUE(fx.instance->blockCounts().empty());
  EXPECT_EQ(disassemble(*fx.module->function(2)).find("CountedFuel"), std::string::npos);
}

TEST(BlockCountTest, CallHooksFollowCallsReturnsAndHostCalls) {
  Fixture fx(CompileOptions{});
  ASSERT_TRUE(fx.instance);
  std::vector<std::string> events;
  CallHooks hooks;
  hooks.onCall = [&](Instance &inst, FuncIndex f) {
    EXPECT_EQ(&inst, fx.instance);
    events.push_back("call " + std::to_string(f));
  };
  hooks.onReturn = [&] { events.push_back("return"); };
  hooks.onHostCall = [&](const FunctionInstance &) {
    events.push_back("host " + std::to_string(fx.hostCalls));
  };
  hooks.onHostReturn = [&](const FunctionInstance &, bool failed) {
    events.push_back("host done " + std::to_string(fx.hostCalls) + (failed ? " failed" : ""));
  };
  hooks.onUnwind = [&](std::span<const FrameInfo> frames) {
    events.push_back("unwind " + std::to_string(frames.size()));
  };
  fx.store->setCallHooks(hooks);
  ASSERT_TRUE(fx.loop(1).ok());
  std::vector<std::string> expected = {"call 2", "call 1",      "return",
                                       "host 0", "host done 1", "return"};
  EXPECT_EQ(events, expected);
  // Both kinds of hooks together, and clearing.
  int entries = 0;
  FunctionHooks full;
  full.onEntry = [&](ProbeContext &) { ++entries; };
  fx.store->setFunctionHooks(full);
  events.clear();
  fx.hostCalls = 0;
  ASSERT_TRUE(fx.loop(1).ok());
  EXPECT_EQ(events, expected);
  EXPECT_EQ(entries, 2);
  fx.store->setCallHooks({});
  fx.store->clearFunctionHooks();
  events.clear();
  ASSERT_TRUE(fx.loop(1).ok());
  EXPECT_TRUE(events.empty());
}

TEST(BlockCountTest, CallHooksSeeACallWhoseInstructionHasAProbe) {
  // A breakpoint on a call without arguments (wasi-libc's _start begins
  // with `call __wasm_call_ctors`) puts a probe on the call's own word; the
  // call must still reach the call hooks (a profiler's call paths and block
  // counters follow them), once, after the probe.
  const char *wat = R"((module
    (func $ctors)
    (func $work (result i32) i32.const 7)
    (func (export "run") (result i32)
      call $ctors
      call $work))
  )";
  CompileOptions counting;
  counting.countBlocks = true;
  auto module = compileWat(wat, counting);
  Store store;
  Linker linker;
  auto inst = store.instantiate(module, linker);
  ASSERT_TRUE(inst.ok()) << inst.error().describe();
  const CompiledFunction *run = module->function(2);
  ASSERT_NE(run, nullptr);
  std::vector<uint32_t> callOffsets;
  for (auto [offset, pc] : run->wasmToPc) {
    Op op = Op(run->code[pc]);
    if (op == Op::Call || op == Op::CallInternal)
      callOffsets.push_back(offset);
  }
  ASSERT_EQ(callOffsets.size(), 2u) << "each call's word starts its instruction";
  std::vector<std::string> events;
  CallHooks hooks;
  hooks.onCall = [&](Instance &, FuncIndex f) { events.push_back("call " + std::to_string(f)); };
  hooks.onReturn = [&] { events.push_back("return"); };
  store.setCallHooks(hooks);
  for (size_t i = 0; i < callOffsets.size(); ++i) {
    auto probe = store.addLocalProbe(**inst, 2, callOffsets[i], [&, i](ProbeContext &) {
      events.push_back("probe " + std::to_string(i));
      return ProbeAction::Continue;
    });
    ASSERT_TRUE(probe.ok()) << probe.error().describe();
  }
  auto result = store.invoke(*(*inst)->findFunction("run"), {});
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ((*result)[0].asI32(), 7u);
  std::vector<std::string> expected = {"call 2",  "probe 0", "call 0", "return", "probe 1",
                                       "call 1",  "return",  "return"};
  EXPECT_EQ(events, expected);
  store.setCallHooks({});
}

} // namespace
} // namespace wasmscope::runtime::test
