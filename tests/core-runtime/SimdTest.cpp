// v128 through the whole pipeline (decode, compile, interpret), aimed at
// what a two-slot value changes: the local-to-slot map with v128 params and
// locals among scalars, deferred and folded v128 moves, block results and
// branches carrying mixed widths, calls and multi-value returns, select,
// globals, host functions (two slots per v128 in the argument array), the
// memory instructions' bounds, and the text forms. Each operator's arithmetic
// is the spec suite's and NumericSimdTest's business.
#include "WatUtil.h"

#include <gtest/gtest.h>

namespace wasmscope::runtime::test {
namespace {

V128 i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return {uint64_t(a) | uint64_t(b) << 32, uint64_t(c) | uint64_t(d) << 32};
}

std::vector<Value> call(Instantiated& rt, const std::string& name, std::vector<Value> args = {}) {
  auto r = rt.call(name, std::move(args));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().describe());
  return r.ok() ? *r : std::vector<Value>{};
}

TEST(SimdTest, LocalsAroundV128KeepTheirOwnSlots) {
  auto rt = instantiateWat(R"((module
    (func (export "mix") (param $a i32) (param $v v128) (param $b i64) (result i64 v128 i32)
      (local $w v128) (local $x f32) (local $y i32)
      (local.set $x (f32.const 2.5))
      (local.set $y (i32.const 7))
      (local.set $w (i32x4.splat (local.get $a)))
      (i64.add (local.get $b) (i64.trunc_f32_s (local.get $x)))
      (i32x4.add (local.get $v) (local.get $w))
      (i32.add (local.get $y) (local.get $a)))))");
  ASSERT_TRUE(rt.instance);
  const CompiledFunction* f = rt.module->function(0);
  EXPECT_EQ(f->numLocals, 6u);
  EXPECT_EQ(f->localSlots, (std::vector<uint32_t>{0, 1, 3, 4, 6, 7}));
  EXPECT_EQ(f->numParamSlots, 4u);
  EXPECT_EQ(f->numLocalSlots, 8u);
  EXPECT_EQ(f->numResultSlots, 4u);
  EXPECT_NE(disassemble(*f).find("; local slots: 0=s0 1=s1+1 2=s3 3=s4+1 4=s6 5=s7"),
            std::string::npos)
      << disassemble(*f);

  auto r = call(rt, "mix", {Value::i32(10), Value::v128(i32x4(1, 2, 3, 4)), Value::i64(100)});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].asI64(), 102u);
  EXPECT_EQ(r[1].type, ValType::V128);
  EXPECT_EQ(r[1].asV128(), i32x4(11, 12, 13, 14));
  EXPECT_EQ(r[2].asI32(), 17u);
  EXPECT_EQ(r[1].toString(), "v128:i32x4 {11, 12, 13, 14}");
  // Arguments are type-checked, a v128 too.
  EXPECT_FALSE(rt.call("mix", {Value::i32(1), Value::i64(2), Value::i64(3)}).ok());
}

TEST(SimdTest, DeferredAndFoldedV128Moves) {
  auto rt = instantiateWat(R"((module
    ;; the old $v is on the stack when $v is overwritten
    (func (export "old_plus_new") (param $v v128) (result v128)
      local.get $v
      v128.const i32x4 100 200 300 400
      local.set $v
      local.get $v
      i32x4.add)
    ;; a producer folded into local.set $c, read back after a scalar write
    (func (export "fold") (param $a v128) (param $b v128) (result v128)
      (local $c v128) (local $n i32)
      local.get $a
      local.get $b
      i32x4.sub
      local.set $c
      (local.set $n (i32.const 3))
      (i32x4.replace_lane 1 (local.get $c) (local.get $n)))
    ;; tee of a v128, then the teed local rewritten while its value is pending
    (func (export "tee") (param $v v128) (result v128)
      (local $t v128)
      local.get $v
      local.tee $t
      (local.set $t (v128.const i32x4 0 0 0 0))
      local.get $t
      i32x4.sub)))");
  ASSERT_TRUE(rt.instance);
  EXPECT_EQ(call(rt, "old_plus_new", {Value::v128(i32x4(1, 2, 3, 4))})[0].asV128(),
            i32x4(101, 202, 303, 404));
  EXPECT_EQ(call(rt, "fold", {Value::v128(i32x4(10, 10, 10, 10)), Value::v128(i32x4(1, 2, 3, 4))})[0]
                .asV128(),
            i32x4(9, 3, 7, 6));
  EXPECT_EQ(call(rt, "tee", {Value::v128(i32x4(5, 6, 7, 8))})[0].asV128(), i32x4(5, 6, 7, 8));
}

TEST(SimdTest, BranchesAndLoopsCarryV128) {
  auto rt = instantiateWat(R"((module
    ;; sum of i32x4 lanes of 0..n-1 splatted, with an i32 counter beside
    (func (export "loop") (param $n i32) (result v128 i32)
      (local $i i32) (local $acc v128)
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $acc (i32x4.add (local.get $acc)
                                      (i32x4.mul (i32x4.splat (local.get $i))
                                                 (v128.const i32x4 1 2 3 4))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $acc) (local.get $i))
    ;; a block with a v128 param and mixed results, left by br_if and br_table
    (func (export "pick") (param $k i32) (param $v v128) (result i32 v128)
      (local.get $k)
      (local.get $v)
      (block $b (param i32 v128) (result i32 v128)
        (block $a (param i32 v128) (result i32 v128)
          (br_if $b (i32.eq (local.get $k) (i32.const 7)))
          (br_table $b $a (local.get $k)))
        (local.set $v)
        (i32.add (i32.const 100))
        (i32x4.splat (i32.const 9))))
    (func (export "if") (param $c i32) (result v128)
      (if (result v128) (local.get $c)
        (then (v128.const i64x2 1 2))
        (else (v128.const i64x2 3 4))))))");
  ASSERT_TRUE(rt.instance);
  auto r = call(rt, "loop", {Value::i32(4)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].asV128(), i32x4(6, 12, 18, 24));
  EXPECT_EQ(r[1].asI32(), 4u);
  V128 v = i32x4(1, 2, 3, 4);
  r = call(rt, "pick", {Value::i32(0), Value::v128(v)});
  EXPECT_EQ(r[0].asI32(), 0u);
  EXPECT_EQ(r[1].asV128(), v);
  r = call(rt, "pick", {Value::i32(1), Value::v128(v)});
  EXPECT_EQ(r[0].asI32(), 101u);
  EXPECT_EQ(r[1].asV128(), i32x4(9, 9, 9, 9));
  r = call(rt, "pick", {Value::i32(7), Value::v128(v)});
  EXPECT_EQ(r[0].asI32(), 7u);
  EXPECT_EQ(r[1].asV128(), v);
  EXPECT_EQ(call(rt, "if", {Value::i32(1)})[0].asV128(), (V128{1, 2}));
  EXPECT_EQ(call(rt, "if", {Value::i32(0)})[0].asV128(), (V128{3, 4}));
}

TEST(SimdTest, CallsSelectAndGlobals) {
  auto rt = instantiateWat(R"((module
    (type $t (func (param v128 i32 v128) (result v128 i32)))
    (table 1 funcref)
    (elem (i32.const 0) $combine)
    (global $g (mut v128) (v128.const i32x4 1 1 1 1))
    (global $k (export "k") v128 (v128.const f32x4 1.5 -2 0 8))
    (func $combine (type $t)
      (i32x4.add (local.get 0) (i32x4.splat (local.get 1)))
      (i32.add (i32x4.extract_lane 3 (local.get 2)) (local.get 1)))
    ;; recursion with a v128 parameter: depth n adds n to every lane
    (func $deep (param $n i32) (param $v v128) (result v128)
      (if (result v128) (i32.eqz (local.get $n))
        (then (local.get $v))
        (else (call $deep (i32.sub (local.get $n) (i32.const 1))
                          (i32x4.add (local.get $v) (i32x4.splat (local.get $n)))))))
    (func (export "calls") (param $v v128) (result v128 i32 v128 i32 v128)
      (call $combine (local.get $v) (i32.const 10) (v128.const i32x4 0 0 0 5))
      (call_indirect (type $t) (local.get $v) (i32.const 20) (v128.const i32x4 0 0 0 6) (i32.const 0))
      (call $deep (i32.const 100) (local.get $v)))
    (func (export "select") (param $c i32) (result v128 v128)
      (select (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (local.get $c))
      (select (result v128) (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (local.get $c)))
    (func (export "global") (result v128)
      (global.set $g (i32x4.add (global.get $g) (global.get $k)))
      (global.get $g))))");
  ASSERT_TRUE(rt.instance);
  auto r = call(rt, "calls", {Value::v128(i32x4(1, 2, 3, 4))});
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].asV128(), i32x4(11, 12, 13, 14));
  EXPECT_EQ(r[1].asI32(), 15u);
  EXPECT_EQ(r[2].asV128(), i32x4(21, 22, 23, 24));
  EXPECT_EQ(r[3].asI32(), 26u);
  EXPECT_EQ(r[4].asV128(), i32x4(5051, 5052, 5053, 5054));
  r = call(rt, "select", {Value::i32(0)});
  EXPECT_EQ(r[0].asV128(), i32x4(5, 6, 7, 8));
  EXPECT_EQ(r[1].asV128(), i32x4(5, 6, 7, 8));
  r = call(rt, "select", {Value::i32(1)});
  EXPECT_EQ(r[0].asV128(), i32x4(1, 2, 3, 4));
  EXPECT_EQ(r[1].asV128(), i32x4(1, 2, 3, 4));
  // $k's f32 lanes added to 1 as integers: 1.5f is 0x3fc00000.
  V128 once = call(rt, "global")[0].asV128();
  EXPECT_EQ(once, i32x4(0x3fc00001, 0xc0000001, 1, 0x41000001));
  EXPECT_EQ(call(rt, "global")[0].asV128(), i32x4(0x7f800001, 0x80000001, 1, 0x82000001));
  std::optional<Extern> k = rt.instance->findExport("k");
  ASSERT_TRUE(k && k->kind == ExternKind::Global);
  EXPECT_EQ(k->asGlobal()->get().toString(), "v128:i32x4 {1069547520, -1073741824, 0, 1090519040}");
  EXPECT_EQ(v128Text(k->asGlobal()->get().asV128(), V128Shape::F32x4), "f32x4 {1.5, -2, 0, 8}");
}

TEST(SimdTest, HostFunctionsAndImportedGlobalsUseTwoSlotsPerV128) {
  Store store;
  HostModuleBuilder env(store, "env");
  int calls = 0;
  // (v128, i32) -> (i32, v128): the arguments are slots [lo, hi, i32], the
  // results [i32, lo, hi].
  env.function("swap", FuncType{{ValType::V128, ValType::I32}, {ValType::I32, ValType::V128}},
               [&](HostCall&, const uint64_t* args, uint64_t* results) -> Result<void> {
                 ++calls;
                 V128 v = Value::fromSlots(ValType::V128, args).asV128();
                 uint32_t n = uint32_t(args[2]);
                 results[0] = uint32_t(v.lo);
                 Value::v128({v.lo + n, v.hi + n}).toSlots(results + 1);
                 return success();
               });
  env.global("base", GlobalType{ValType::V128, false}, Value::v128(i32x4(7, 0, 0, 9)));
  auto host = env.build();
  ASSERT_TRUE(host.ok());
  Linker linker;
  linker.defineInstance("env", **host);
  auto module = compileWat(R"((module
    (import "env" "swap" (func $swap (param v128 i32) (result i32 v128)))
    (import "env" "base" (global $base v128))
    (global $copy v128 (global.get $base))
    (func (export "run") (param $x i32) (result i32 v128)
      (local $t v128)
      (call $swap (global.get $copy) (local.get $x))
      (local.set $t)
      (i32.add (local.get $x))
      (local.get $t))))");
  ASSERT_TRUE(module);
  auto inst = store.instantiate(module, linker);
  ASSERT_TRUE(inst.ok()) << inst.error().describe();
  auto r = store.invoke(*(*inst)->findFunction("run"), std::vector<Value>{Value::i32(1)});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ((*r)[0].asI32(), 8u); // lane 0 of base (7) plus the argument
  EXPECT_EQ((*r)[1].asV128(), i32x4(8, 0, 1, 9)); // each half plus 1
  // Called from the host directly, too.
  auto direct = store.invoke(*(*host)->findFunction("swap"),
                             std::vector<Value>{Value::v128(i32x4(1, 2, 3, 4)), Value::i32(0)});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ((*direct)[1].asV128(), i32x4(1, 2, 3, 4));
}

TEST(SimdTest, MemoryInstructionsCheckBoundsOverTheirWidth) {
  auto rt = instantiateWat(R"((module
    (memory 1)
    (func (export "load") (param $a i32) (result v128) (v128.load offset=1 (local.get $a)))
    (func (export "store") (param $a i32) (param $v v128) (v128.store (local.get $a) (local.get $v)))
    (func (export "lane") (param $a i32) (result v128)
      (v128.store32_lane 3 (local.get $a) (v128.const i32x4 1 2 3 0xdeadbeef))
      (v128.load32_lane 0 (local.get $a) (v128.const i32x4 0 0 0 0)))
    (func (export "splat") (param $a i32) (result v128) (v128.load16_splat (local.get $a)))))");
  ASSERT_TRUE(rt.instance);
  V128 v = i32x4(1, 2, 3, 4);
  ASSERT_TRUE(rt.call("store", {Value::i32(65536 - 16), Value::v128(v)}).ok());
  EXPECT_EQ(call(rt, "load", {Value::i32(65536 - 17)})[0].asV128(), v);
  auto oob = rt.call("load", {Value::i32(65536 - 16)});
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().code, ErrorCode::OutOfBoundsMemoryAccess);
  EXPECT_FALSE(rt.call("store", {Value::i32(65536 - 15), Value::v128(v)}).ok());
  EXPECT_EQ(call(rt, "lane", {Value::i32(65536 - 4)})[0].asV128(), i32x4(0xdeadbeef, 0, 0, 0));
  EXPECT_FALSE(rt.call("lane", {Value::i32(65536 - 3)}).ok());
  EXPECT_EQ(call(rt, "splat", {Value::i32(65536 - 2)})[0].asV128(),
            i32x4(0xdeaddead, 0xdeaddead, 0xdeaddead, 0xdeaddead));
  EXPECT_FALSE(rt.call("splat", {Value::i32(65536 - 1)}).ok());
}

} // namespace
} // namespace wasmscope::runtime::test
