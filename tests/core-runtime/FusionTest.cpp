// Superinstructions (InstructionFusion.h): listed pairs are fused, and
// everything that must see each instruction still sees the second one of a
// pair: a local probe there (which un-fuses the pair until it is removed),
// the global probe, memory watches, call hooks, and trap locations.
#include "InstructionFusion.h"
#include "InternalOps.h"
#include "WatUtil.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wasmscope::runtime::test {
namespace {

// Instruction indices below refer to f's body, in order. The add and the
// load compile to `i32.add_imm a <- p, 8` and `i32.load r <- a, 0`, a
// chained pair (the load's address is the add's result); in `unchained` the
// same two instructions are independent, a fused pair without chaining; g's
// argument copy and its call, `Copy` then `CallInternal`, another.
const char* kPair = R"((module
  (memory 1)
  (data (i32.const 16) "\2a\00\00\00")
  (func $f (export "f") (param $p i32) (result i32)
    (local $a i32)
    local.get $p   ;; 0
    i32.const 8    ;; 1
    i32.add        ;; 2
    local.set $a   ;; 3
    local.get $a   ;; 4
    i32.load       ;; 5
  )                ;; 6: end
  (func $g (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func (export "callsG") (param i32) (result i32)
    (call $g (local.get 0)))
  (func (export "unchained") (param $p i32) (param $q i32) (result i32)
    (local $a i32)
    (local.set $a (i32.add (local.get $p) (i32.const 8)))
    (i32.add (i32.load (local.get $q)) (local.get $a)))
))";

constexpr uint32_t kLoad = 5;

Op opAt(const CompiledFunction& f, uint32_t pc) { return Op(f.code[pc]); }

TEST(FusionTest, ListedPairsAreFusedInPlace) {
  auto rt = instantiateWat(kPair);
  ASSERT_TRUE(rt.instance);
  const CompiledFunction* f = rt.instance->code(0);
  ASSERT_EQ(f->fusedPairs.size(), 1u);
  const FusedPair& pair = f->fusedPairs[0];
  EXPECT_EQ(pair.firstPc, 0u);
  EXPECT_EQ(opAt(*f, 0), Op::I32AddImm_I32Load_2);
  EXPECT_EQ(unfusedOp(opAt(*f, 0)), Op::I32AddImm);
  // The second instruction is untouched, where it was.
  EXPECT_EQ(pair.secondPc, 4u);
  EXPECT_EQ(opAt(*f, pair.secondPc), Op::I32Load);
  EXPECT_EQ(fusedPairEndingAt(*f, pair.secondPc), &f->fusedPairs[0]);
  EXPECT_EQ(fusedPairEndingAt(*f, 0), nullptr);
  const CompiledFunction* callsG = rt.instance->code(2);
  ASSERT_EQ(callsG->fusedPairs.size(), 1u);
  EXPECT_EQ(opAt(*callsG, callsG->fusedPairs[0].firstPc), Op::Copy_CallInternal);

  const CompiledFunction* unchained = rt.instance->code(3);
  ASSERT_FALSE(unchained->fusedPairs.empty());
  EXPECT_EQ(opAt(*unchained, unchained->fusedPairs[0].firstPc), Op::I32AddImm_I32Load);

  auto r = rt.call("f", {Value::i32(8)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 42u);
  r = rt.call("unchained", {Value::i32(100), Value::i32(16)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 150u); // 42 + 108
}

TEST(FusionTest, ProbeOnTheSecondInstructionHitsAndRemovingItRefuses) {
  auto rt = instantiateWat(kPair);
  ASSERT_TRUE(rt.instance);
  const CompiledFunction* f = rt.instance->code(0);
  std::vector<uint32_t> original = f->code;
  std::vector<uint32_t> offsets = offsetsOf(*rt.module, 0);
  std::vector<uint32_t> hits;
  auto probe = [&](uint32_t index) {
    auto id = rt.store->addLocalProbe(*rt.instance, 0, offsets[index], [&](ProbeContext& ctx) {
      hits.push_back(ctx.wasmOffset);
      return ProbeAction::Continue;
    });
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  };

  ProbeId onLoad = probe(kLoad);
  EXPECT_EQ(opAt(*f, 0), Op::I32AddImm); // Un-fused while the probe is there.
  ASSERT_TRUE(rt.call("f", {Value::i32(8)}).ok());
  EXPECT_EQ(hits, (std::vector<uint32_t>{offsets[kLoad]}));

  // A probe on the first instruction too: it keeps the un-fused opcode
  // while the second's probe is there, and the fused one after.
  ProbeId onAdd = probe(2);
  hits.clear();
  ASSERT_TRUE(rt.call("f", {Value::i32(8)}).ok());
  EXPECT_EQ(hits, (std::vector<uint32_t>{offsets[2], offsets[kLoad]}));
  rt.store->removeLocalProbe(onLoad);
  EXPECT_EQ(f->probes.at(0).originalOp, uint32_t(Op::I32AddImm_I32Load_2));
  hits.clear();
  auto r = rt.call("f", {Value::i32(8)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 42u);
  EXPECT_EQ(hits, (std::vector<uint32_t>{offsets[2]}));
  rt.store->removeLocalProbe(onAdd);
  EXPECT_EQ(f->code, original);

  // The other order of removal restores the same code.
  onAdd = probe(2);
  onLoad = probe(kLoad);
  rt.store->removeLocalProbe(onAdd);
  EXPECT_EQ(opAt(*f, 0), Op::I32AddImm);
  rt.store->removeLocalProbe(onLoad);
  EXPECT_EQ(f->code, original);
  EXPECT_TRUE(f->probes.empty());
}

TEST(FusionTest, GlobalProbeSeesBothInstructionsOfAPair) {
  auto rt = instantiateWat(kPair);
  ASSERT_TRUE(rt.instance);
  std::vector<uint32_t> visited;
  rt.store->setGlobalProbe([&](ProbeContext& ctx) {
    visited.push_back(ctx.wasmOffset);
    return ProbeAction::Continue;
  });
  ASSERT_TRUE(rt.call("f", {Value::i32(8)}).ok());
  std::vector<uint32_t> offsets = offsetsOf(*rt.module, 0);
  // The add (which also sets $a), the load, the end.
  EXPECT_EQ(visited, (std::vector<uint32_t>{offsets[2], offsets[kLoad], offsets[6]}));
}

TEST(FusionTest, WatchSeesTheLoadOfAPair) {
  auto rt = instantiateWat(kPair);
  ASSERT_TRUE(rt.instance);
  std::vector<uint32_t> at;
  auto id = rt.store->addMemoryWatch(*rt.instance->memory(0), 16, 4, WatchAccess::Read,
                                     [&](ProbeContext& ctx, const MemoryAccess&) {
                                       at.push_back(ctx.wasmOffset);
                                       return ProbeAction::Continue;
                                     });
  ASSERT_TRUE(id.ok()) << id.error().describe();
  auto r = rt.call("f", {Value::i32(8)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 42u);
  EXPECT_EQ(at, (std::vector<uint32_t>{offsetsOf(*rt.module, 0)[kLoad]}));
}

TEST(FusionTest, CallHooksSeeACallFusedWithItsArgumentCopy) {
  auto rt = instantiateWat(kPair);
  ASSERT_TRUE(rt.instance);
  std::vector<FuncIndex> calls;
  CallHooks hooks;
  hooks.onCall = [&](Instance&, FuncIndex callee) { calls.push_back(callee); };
  hooks.onReturn = [] {};
  rt.store->setCallHooks(std::move(hooks));
  auto r = rt.call("callsG", {Value::i32(5)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 10u);
  EXPECT_EQ(calls, (std::vector<FuncIndex>{2, 1}));
}

TEST(FusionTest, TrapInTheSecondInstructionIsReportedThere) {
  auto rt = instantiateWat(kPair);
  ASSERT_TRUE(rt.instance);
  auto r = rt.call("f", {Value::i32(65536)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::OutOfBoundsMemoryAccess);
  EXPECT_EQ(r.error().offset, offsetsOf(*rt.module, 0)[kLoad]);
}

} // namespace
} // namespace wasmscope::runtime::test
