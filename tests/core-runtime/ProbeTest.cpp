// Probes: local probes fire at the right instruction with the right state
// and leave no trace once removed; the global probe sees every instruction;
// function hooks see arguments and results; fuel is counted exactly.
#include "WatUtil.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace wasmscope::runtime::test {
namespace {

// Instruction indices below refer to this body, in order.
const char* kAddMul = R"((module
  (func $f (export "f") (param $a i32) (param $b i32) (result i32)
    (local $t i32)
    local.get $a   ;; 0
    local.get $b   ;; 1
    i32.add        ;; 2
    local.set $t   ;; 3
    local.get $t   ;; 4
    i32.const 10   ;; 5
    i32.mul        ;; 6
  ))               ;; 7: end
)";

std::vector<uint32_t> i32s(const std::vector<Value>& values) {
  std::vector<uint32_t> out;
  for (const Value& v : values)
    out.push_back(v.asI32());
  return out;
}

TEST(ProbeTest, LocalProbeSeesLocalsAndOperandStack) {
  auto rt = instantiateWat(kAddMul);
  ASSERT_TRUE(rt.instance);
  std::vector<uint32_t> offsets = offsetsOf(*rt.module, 0);
  ASSERT_EQ(offsets.size(), 8u);

  struct Seen {
    uint32_t offset;
    std::vector<uint32_t> stack;
    std::vector<uint32_t> locals;
  };
  std::vector<Seen> seen;
  for (int i : {0, 2, 3, 6, 7}) {
    auto id = rt.store->addLocalProbe(*rt.instance, 0, offsets[i], [&](ProbeContext& ctx) {
      Seen s{ctx.wasmOffset, i32s(ctx.operandStack()), {}};
      for (uint32_t l = 0; l < ctx.numLocals; ++l)
        s.locals.push_back(ctx.local(l).asI32());
      EXPECT_EQ(ctx.funcIndex, 0u);
      EXPECT_EQ(ctx.callDepth, 1u);
      seen.push_back(s);
      return ProbeAction::Continue;
    });
    ASSERT_TRUE(id.ok()) << id.error().describe();
  }
  auto r = rt.call("f", {Value::i32(3), Value::i32(4)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 70u);

  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].offset, offsets[0]);
  EXPECT_EQ(seen[0].stack, (std::vector<uint32_t>{}));
  EXPECT_EQ(seen[0].locals, (std::vector<uint32_t>{3, 4, 0}));
  EXPECT_EQ(seen[1].offset, offsets[2]);
  EXPECT_EQ(seen[1].stack, (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(seen[2].offset, offsets[3]);
  EXPECT_EQ(seen[2].stack, (std::vector<uint32_t>{7}));
  EXPECT_EQ(seen[3].offset, offsets[6]);
  EXPECT_EQ(seen[3].stack, (std::vector<uint32_t>{7, 10}));
  EXPECT_EQ(seen[3].locals, (std::vector<uint32_t>{3, 4, 7}));
  EXPECT_EQ(seen[4].offset, offsets[7]);
  EXPECT_EQ(seen[4].stack, (std::vector<uint32_t>{70}));
}

TEST(ProbeTest, RemovingProbesRestoresTheExactCode) {
  auto rt = instantiateWat(kAddMul);
  ASSERT_TRUE(rt.instance);
  const CompiledFunction* f = rt.instance->code(0);
  std::vector<uint32_t> original = f->code;
  ASSERT_EQ(original, rt.module->function(0)->code);
  std::vector<ProbeId> ids;
  int fired = 0;
  for (uint32_t off : offsetsOf(*rt.module, 0)) {
    auto id = rt.store->addLocalProbe(*rt.instance, 0, off, [&](ProbeContext&) {
      ++fired;
      return ProbeAction::Continue;
    });
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  EXPECT_NE(f->code, original);
  EXPECT_EQ(rt.module->function(0)->code, original); // The module's own code never changes.
  ASSERT_TRUE(rt.call("f", {Value::i32(1), Value::i32(2)}).ok());
  EXPECT_EQ(fired, 8);
  for (ProbeId id : ids)
    rt.store->removeLocalProbe(id);
  EXPECT_EQ(f->code, original);
  EXPECT_TRUE(f->probes.empty());
  fired = 0;
  ASSERT_TRUE(rt.call("f", {Value::i32(1), Value::i32(2)}).ok());
  EXPECT_EQ(fired, 0);
}

TEST(ProbeTest, AProbeChangesOnlyItsOwnInstancesCode) {
  // Two instances of one module, in two stores (two guests, perhaps on two
  // threads): a probe in one must not change the code the other runs.
  auto module = compileWat(kAddMul);
  ASSERT_TRUE(module);
  Store storeA, storeB;
  Linker linker;
  auto a = storeA.instantiate(module, linker);
  auto b = storeB.instantiate(module, linker);
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<uint32_t> original = module->function(0)->code;
  int hits = 0;
  auto id = storeA.addLocalProbe(**a, 0, offsetsOf(*module, 0)[2], [&](ProbeContext&) {
    ++hits;
    return ProbeAction::Continue;
  });
  ASSERT_TRUE(id.ok());
  EXPECT_NE((*a)->code(0)->code, original);
  EXPECT_EQ((*b)->code(0)->code, original);
  EXPECT_EQ(module->function(0)->code, original);
  std::vector<Value> args = {Value::i32(1), Value::i32(2)};
  ASSERT_TRUE(storeB.invoke(*(*b)->findFunction("f"), args).ok());
  EXPECT_EQ(hits, 0);
  ASSERT_TRUE(storeA.invoke(*(*a)->findFunction("f"), args).ok());
  EXPECT_EQ(hits, 1);
}

TEST(ProbeTest, DirectCallsStayWithinTheInstancesOwnCode) {
  // A probe in a callee reached by a direct call fires in its own instance
  // only: the copy's call instructions point at the copy's functions.
  const char* wat = R"((module
    (func $inner (result i32) i32.const 7)
    (func (export "outer") (result i32) call $inner))
  )";
  auto module = compileWat(wat);
  ASSERT_TRUE(module);
  Store store;
  Linker linker;
  auto a = store.instantiate(module, linker);
  auto b = store.instantiate(module, linker);
  ASSERT_TRUE(a.ok() && b.ok());
  int hits = 0;
  ASSERT_TRUE(store
                  .addLocalProbe(**a, 0, offsetsOf(*module, 0)[0],
                                 [&](ProbeContext& ctx) {
                                   EXPECT_EQ(ctx.instance, *a);
                                   ++hits;
                                   return ProbeAction::Continue;
                                 })
                  .ok());
  auto rb = store.invoke(*(*b)->findFunction("outer"), {});
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ((*rb)[0].asI32(), 7u);
  EXPECT_EQ(hits, 0);
  auto ra = store.invoke(*(*a)->findFunction("outer"), {});
  ASSERT_TRUE(ra.ok());
  EXPECT_EQ((*ra)[0].asI32(), 7u);
  EXPECT_EQ(hits, 1);
}

TEST(ProbeTest, HooksMayAddAndRemoveProbesAtTheirOwnInstruction) {
  auto rt = instantiateWat(kAddMul);
  ASSERT_TRUE(rt.instance);
  uint32_t at = offsetsOf(*rt.module, 0)[2]; // i32.add
  std::vector<std::string> log;
  ProbeId first = 0, second = 0, third = 0, added = 0;
  auto hook = [&](const char* name) {
    return [&, name](ProbeContext&) {
      log.push_back(name);
      return ProbeAction::Continue;
    };
  };
  // `first` removes `second` (later at the same pc) and itself, and adds a
  // probe there; `third` still runs; the added one waits for the next hit.
  auto f = rt.store->addLocalProbe(*rt.instance, 0, at, [&](ProbeContext&) {
    log.push_back("first");
    rt.store->removeLocalProbe(second);
    auto id = rt.store->addLocalProbe(*rt.instance, 0, at, hook("added"));
    EXPECT_TRUE(id.ok());
    added = *id;
    rt.store->removeLocalProbe(first); // Its own closure dies here: nothing below uses it.
    return ProbeAction::Continue;
  });
  ASSERT_TRUE(f.ok());
  first = *f;
  second = *rt.store->addLocalProbe(*rt.instance, 0, at, hook("second"));
  third = *rt.store->addLocalProbe(*rt.instance, 0, at, hook("third"));
  auto r = rt.call("f", {Value::i32(3), Value::i32(4)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 70u);
  EXPECT_EQ(log, (std::vector<std::string>{"first", "third"}));
  log.clear();
  r = rt.call("f", {Value::i32(3), Value::i32(4)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(log, (std::vector<std::string>{"third", "added"}));
  // Removing every probe from a hook restores the instruction for this very
  // dispatch.
  log.clear();
  auto clearer = rt.store->addLocalProbe(*rt.instance, 0, at, [&](ProbeContext&) {
    log.push_back("clear");
    rt.store->removeLocalProbe(third);
    rt.store->removeLocalProbe(added);
    return ProbeAction::Continue;
  });
  ASSERT_TRUE(clearer.ok());
  r = rt.call("f", {Value::i32(5), Value::i32(6)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 110u);
  EXPECT_EQ(log, (std::vector<std::string>{"third", "added", "clear"}));
  rt.store->removeLocalProbe(*clearer);
  EXPECT_EQ(rt.instance->code(0)->code, rt.module->function(0)->code);
}

TEST(ProbeTest, ProbeCanStopTheGuestAndRejectsBadOffsets) {
  auto rt = instantiateWat(kAddMul);
  ASSERT_TRUE(rt.instance);
  auto offsets = offsetsOf(*rt.module, 0);
  auto id = rt.store->addLocalProbe(*rt.instance, 0, offsets[6],
                                    [](ProbeContext&) { return ProbeAction::Stop; });
  ASSERT_TRUE(id.ok());
  auto r = rt.call("f", {Value::i32(1), Value::i32(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
  EXPECT_EQ(r.error().offset, offsets[6]);

  auto bad = rt.store->addLocalProbe(*rt.instance, 0, offsets[1] + 1,
                                     [](ProbeContext&) { return ProbeAction::Continue; });
  EXPECT_FALSE(bad.ok());
  auto badFunc = rt.store->addLocalProbe(*rt.instance, 7, offsets[0],
                                         [](ProbeContext&) { return ProbeAction::Continue; });
  EXPECT_FALSE(badFunc.ok());
}

TEST(ProbeTest, ProbeHookMayWriteLocals) {
  auto rt = instantiateWat(kAddMul);
  ASSERT_TRUE(rt.instance);
  auto offsets = offsetsOf(*rt.module, 0);
  ASSERT_TRUE(rt.store
                  ->addLocalProbe(*rt.instance, 0, offsets[0],
                                  [](ProbeContext& ctx) {
                                    ctx.locals[0].i32 = 100;
                                    return ProbeAction::Continue;
                                  })
                  .ok());
  auto r = rt.call("f", {Value::i32(1), Value::i32(2)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 1020u);
}

const char* kLoop = R"((module
  (func $count (export "count") (param $n i32) (result i32)
    (local $i i32)
    block
      loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $i)
  (func $fac (export "fac") (param i64) (result i64)
    local.get 0
    i64.eqz
    if (result i64)
      i64.const 1
    else
      local.get 0
      local.get 0
      i64.const 1
      i64.sub
      call $fac
      i64.mul
    end)
  (func $boom (export "boom") (param i32) (result i32)
    local.get 0
    call $inner)
  (func $inner (param i32) (result i32)
    unreachable))
)";

TEST(ProbeTest, TwoGuestsOfOneModuleOnTwoThreadsShareNoCode) {
  // One thread sets and clears probes in its guest while another runs its
  // own guest of the same module: nothing the second runs may change (under
  // the thread sanitizer this is a data race if the code were shared).
  auto module = compileWat(kLoop);
  ASSERT_TRUE(module);
  std::atomic<bool> done{false};
  std::thread runner([&] {
    Store store;
    Linker linker;
    auto inst = store.instantiate(module, linker);
    ASSERT_TRUE(inst.ok());
    Value n = Value::i32(1000);
    while (!done.load()) {
      auto r = store.invoke(*(*inst)->findFunction("count"), std::span(&n, 1));
      ASSERT_TRUE(r.ok());
      EXPECT_EQ((*r)[0].asI32(), 1000u);
    }
  });
  Store store;
  Linker linker;
  auto inst = store.instantiate(module, linker);
  ASSERT_TRUE(inst.ok());
  std::vector<uint32_t> offsets = offsetsOf(*module, 0);
  uint64_t hits = 0;
  for (int round = 0; round < 200; ++round) {
    auto id = store.addLocalProbe(**inst, 0, offsets[round % offsets.size()], [&](ProbeContext&) {
      ++hits;
      return ProbeAction::Continue;
    });
    ASSERT_TRUE(id.ok());
    Value n = Value::i32(10);
    ASSERT_TRUE(store.invoke(*(*inst)->findFunction("count"), std::span(&n, 1)).ok());
    store.removeLocalProbe(*id);
  }
  done = true;
  runner.join();
  EXPECT_GT(hits, 0u);
  EXPECT_EQ((*inst)->code(0)->code, module->function(0)->code);
}

TEST(ProbeTest, GlobalProbeSeesEveryInstructionInOrder) {
  auto rt = instantiateWat(kLoop);
  ASSERT_TRUE(rt.instance);
  std::vector<uint32_t> visited;
  rt.store->setGlobalProbe([&](ProbeContext& ctx) {
    EXPECT_EQ(ctx.funcIndex, 0u);
    visited.push_back(ctx.wasmOffset);
    return ProbeAction::Continue;
  });
  auto r = rt.call("count", {Value::i32(3)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 3u);
  auto offsets = offsetsOf(*rt.module, 0);
  ASSERT_FALSE(visited.empty());
  for (uint32_t off : visited)
    EXPECT_TRUE(std::find(offsets.begin(), offsets.end(), off) != offsets.end()) << off;
  // The loop test (4 wasm instructions, fused into one branch) runs n+1
  // times and the body n times: the probe sees the loop's back edge 3 times.
  uint32_t brOffset = offsets[10]; // `br 0`
  EXPECT_EQ(std::count(visited.begin(), visited.end(), brOffset), 3);

  // Switched off, nothing more is seen.
  rt.store->setGlobalProbe({});
  size_t before = visited.size();
  ASSERT_TRUE(rt.call("count", {Value::i32(5)}).ok());
  EXPECT_EQ(visited.size(), before);
}

TEST(ProbeTest, FunctionHooksSeeArgumentsResultsAndTraps) {
  auto rt = instantiateWat(kLoop);
  ASSERT_TRUE(rt.instance);
  std::vector<uint64_t> entryArgs, exitResults;
  std::vector<uint32_t> depths;
  int trappedExits = 0;
  FunctionHooks hooks;
  hooks.onEntry = [&](ProbeContext& ctx) {
    entryArgs.push_back(ctx.local(0).asI64());
    depths.push_back(ctx.callDepth);
  };
  hooks.onExit = [&](ProbeContext&, std::span<const Value> results, bool trapped) {
    if (trapped)
      ++trappedExits;
    else
      exitResults.push_back(results[0].asI64());
  };
  rt.store->setFunctionHooks(hooks);
  auto r = rt.call("fac", {Value::i64(5)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI64(), 120u);
  EXPECT_EQ(entryArgs, (std::vector<uint64_t>{5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(depths, (std::vector<uint32_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(exitResults, (std::vector<uint64_t>{1, 1, 2, 6, 24, 120}));

  // A trap exits every frame on the stack.
  auto t = rt.call("boom", {Value::i32(1)});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(trappedExits, 2);

  rt.store->clearFunctionHooks();
  entryArgs.clear();
  ASSERT_TRUE(rt.call("fac", {Value::i64(3)}).ok());
  EXPECT_TRUE(entryArgs.empty());
}

TEST(ProbeTest, FuelIsCountedExactlyPerInstruction) {
  CompileOptions metered;
  metered.meterFuel = true;
  auto rt = instantiateWat(kLoop, metered);
  ASSERT_TRUE(rt.instance);
  // Executed wasm instructions: block, loop; 4 for each of the n+1 loop
  // tests; 5 for each of the n bodies; then local.get and the final end.
  for (uint32_t n : {0u, 10u, 1000u}) {
    rt.store->setFuel(1'000'000);
    ASSERT_TRUE(rt.call("count", {Value::i32(n)}).ok());
    EXPECT_EQ(rt.store->fuelConsumed(), 9ull * n + 8) << "n=" << n;
  }
  // Counting is deterministic: the same run costs the same again.
  rt.store->setFuel(1'000'000);
  ASSERT_TRUE(rt.call("count", {Value::i32(10)}).ok());
  EXPECT_EQ(rt.store->fuelConsumed(), 98u);
}

TEST(ProbeTest, FuelExhaustionTrapsOrRefills) {
  CompileOptions metered;
  metered.meterFuel = true;
  auto rt = instantiateWat(kLoop, metered);
  ASSERT_TRUE(rt.instance);
  rt.store->setFuel(50);
  auto r = rt.call("count", {Value::i32(10)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::OutOfFuel);
  EXPECT_EQ(std::string(r.error().message), "out of fuel");

  int refills = 0;
  rt.store->setFuelHandler([&](Store&) {
    ++refills;
    return FuelDecision{true, 10};
  });
  rt.store->setFuel(50);
  r = rt.call("count", {Value::i32(10)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 10u);
  EXPECT_GT(refills, 0);
  EXPECT_EQ(rt.store->fuelConsumed(), 98u);
}

TEST(ProbeTest, UnmeteredCodeHasNoFuelInstructions) {
  auto plain = compileWat(kLoop);
  CompileOptions metered;
  metered.meterFuel = true;
  auto fueled = compileWat(kLoop, metered);
  ASSERT_TRUE(plain && fueled);
  EXPECT_EQ(disassemble(*plain->function(0)).find("Fuel"), std::string::npos);
  EXPECT_NE(disassemble(*fueled->function(0)).find("Fuel"), std::string::npos);
}

// --- v128 code under every kind of probe ---------------------------------

// Instruction indices below refer to $scale's body, in order.
const char* kSimd = R"((module
  (func $scale (export "scale") (param $v v128) (param $k i32) (result v128)
    (local $t v128)
    local.get $v                      ;; 0
    local.get $k                      ;; 1
    i32x4.splat                       ;; 2
    i32x4.mul                         ;; 3
    local.set $t                      ;; 4
    local.get $t                      ;; 5
    v128.const i32x4 1 1 1 1          ;; 6
    i32x4.add)                        ;; 7, then 8: end
  (func (export "sum") (param $n i32) (result i32)
    (local $acc v128)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32x4.add (local.get $acc) (call $scale (v128.const i32x4 1 2 3 4) (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32x4.extract_lane 3 (local.get $acc))))
)";

V128 lanes(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return {uint64_t(a) | uint64_t(b) << 32, uint64_t(c) | uint64_t(d) << 32};
}

TEST(ProbeTest, LocalProbeSeesV128LocalsAndOperandStack) {
  auto rt = instantiateWat(kSimd);
  ASSERT_TRUE(rt.instance);
  std::vector<uint32_t> offsets = offsetsOf(*rt.module, 0);
  ASSERT_EQ(offsets.size(), 9u);
  std::vector<std::vector<Value>> stacks;
  std::vector<std::vector<Value>> locals;
  std::vector<std::vector<Value>> frameLocals;
  for (int i : {3, 5, 7}) {
    auto id = rt.store->addLocalProbe(*rt.instance, 0, offsets[i], [&](ProbeContext& ctx) {
      stacks.push_back(ctx.operandStack());
      std::vector<Value> l;
      for (uint32_t j = 0; j < ctx.numLocals; ++j)
        l.push_back(ctx.local(j));
      locals.push_back(l);
      // The frame walk maps locals to slots the same way.
      std::vector<FrameInfo> frames = ctx.store.frames();
      std::vector<Value> fl;
      for (uint32_t j = 0; j < frames[0].numLocals; ++j)
        fl.push_back(Value::fromSlots(ctx.function->code->localTypes[j], &frames[0].local(j)->i64));
      frameLocals.push_back(fl);
      return ProbeAction::Continue;
    });
    ASSERT_TRUE(id.ok()) << id.error().describe();
  }
  auto r = rt.call("scale", {Value::v128(lanes(1, 2, 3, 4)), Value::i32(10)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asV128(), lanes(11, 21, 31, 41));

  ASSERT_EQ(stacks.size(), 3u);
  // Before i32x4.mul: v (a deferred local.get) and the splat.
  ASSERT_EQ(stacks[0].size(), 2u);
  EXPECT_EQ(stacks[0][0].type, ValType::V128);
  EXPECT_EQ(stacks[0][0].asV128(), lanes(1, 2, 3, 4));
  EXPECT_EQ(stacks[0][1].asV128(), lanes(10, 10, 10, 10));
  // Before local.get $t, then before the add: a deferred constant on top.
  EXPECT_TRUE(stacks[1].empty());
  ASSERT_EQ(stacks[2].size(), 2u);
  EXPECT_EQ(stacks[2][0].asV128(), lanes(10, 20, 30, 40));
  EXPECT_EQ(stacks[2][1].asV128(), lanes(1, 1, 1, 1));
  // Locals: v, k (after v's two slots), t.
  ASSERT_EQ(locals[0].size(), 3u);
  EXPECT_EQ(locals[0][0].asV128(), lanes(1, 2, 3, 4));
  EXPECT_EQ(locals[0][1].type, ValType::I32);
  EXPECT_EQ(locals[0][1].asI32(), 10u);
  EXPECT_EQ(locals[0][2].asV128(), V128{});
  EXPECT_EQ(locals[2][2].asV128(), lanes(10, 20, 30, 40));
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 3; ++j)
      EXPECT_EQ(frameLocals[i][j].asV128(), locals[i][j].asV128()) << i << " " << j;
}

TEST(ProbeTest, ProbeHookMayWriteV128Locals) {
  auto rt = instantiateWat(kSimd);
  ASSERT_TRUE(rt.instance);
  auto offsets = offsetsOf(*rt.module, 0);
  ASSERT_TRUE(rt.store
                  ->addLocalProbe(*rt.instance, 0, offsets[5],
                                  [](ProbeContext& ctx) {
                                    Value::v128(lanes(5, 6, 7, 8)).toSlots(&ctx.localSlot(2)->i64);
                                    ctx.localSlot(1)->i32 = 99; // k, read no more
                                    return ProbeAction::Continue;
                                  })
                  .ok());
  auto r = rt.call("scale", {Value::v128(lanes(1, 2, 3, 4)), Value::i32(10)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asV128(), lanes(6, 7, 8, 9));
}

TEST(ProbeTest, GlobalProbeAndHooksOnV128Code) {
  auto rt = instantiateWat(kSimd);
  ASSERT_TRUE(rt.instance);
  std::vector<uint32_t> visited;
  rt.store->setGlobalProbe([&](ProbeContext& ctx) {
    if (ctx.funcIndex == 0)
      visited.push_back(ctx.wasmOffset);
    return ProbeAction::Continue;
  });
  auto r = rt.call("sum", {Value::i32(3)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 4u * (3 + 2 + 1) + 3);
  // $scale ran 3 times; each run reaches its i32x4.mul (index 3) once.
  auto offsets = offsetsOf(*rt.module, 0);
  EXPECT_EQ(std::count(visited.begin(), visited.end(), offsets[3]), 3);
  rt.store->setGlobalProbe({});

  std::vector<V128> args, results;
  std::vector<uint32_t> ks;
  FunctionHooks hooks;
  hooks.onEntry = [&](ProbeContext& ctx) {
    if (ctx.funcIndex != 0)
      return;
    args.push_back(ctx.local(0).asV128());
    ks.push_back(ctx.local(1).asI32());
  };
  hooks.onExit = [&](ProbeContext& ctx, std::span<const Value> values, bool trapped) {
    if (ctx.funcIndex == 0 && !trapped)
      results.push_back(values[0].asV128());
  };
  rt.store->setFunctionHooks(hooks);
  ASSERT_TRUE(rt.call("sum", {Value::i32(2)}).ok());
  EXPECT_EQ(ks, (std::vector<uint32_t>{2, 1}));
  EXPECT_EQ(args, (std::vector<V128>{lanes(1, 2, 3, 4), lanes(1, 2, 3, 4)}));
  EXPECT_EQ(results, (std::vector<V128>{lanes(3, 5, 7, 9), lanes(2, 3, 4, 5)}));
}

TEST(ProbeTest, FuelIsExactForV128Code) {
  CompileOptions metered;
  metered.meterFuel = true;
  auto rt = instantiateWat(kSimd, metered);
  ASSERT_TRUE(rt.instance);
  // $scale: 9 instructions. Each loop pass: 3 for the test, then
  // local.get, v128.const, local.get, call (+ $scale), i32x4.add, local.set,
  // local.get, i32.const, i32.sub, local.set, br: 11. Around the loop:
  // block, loop, the last test (3), local.get, extract_lane, end: 8.
  for (uint32_t n : {0u, 1u, 5u}) {
    rt.store->setFuel(1'000'000);
    ASSERT_TRUE(rt.call("sum", {Value::i32(n)}).ok());
    EXPECT_EQ(rt.store->fuelConsumed(), (3ull + 11 + 9) * n + 8) << "n=" << n;
  }
  rt.store->setFuel(100);
  auto r = rt.call("sum", {Value::i32(10)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::OutOfFuel);
}

} // namespace
} // namespace wasmscope::runtime::test
