// Instruction families through the whole pipeline (compile + interpret),
// aimed at what the register compiler rewrites: deferred local.get and
// constants, local.set folded into the producer, fused compare-and-branch,
// value moves on branches, multi-value blocks and returns. The spec suite
// covers each operator's arithmetic; these cover the compiler's liberties.
#include "WatUtil.h"

#include <gtest/gtest.h>

namespace wasmscope::runtime::test {
namespace {

uint32_t callI32(Instantiated& rt, const std::string& name, std::vector<Value> args) {
  auto r = rt.call(name, std::move(args));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().describe());
  return r.ok() && !r->empty() ? (*r)[0].asI32() : 0xdeadbeef;
}

TEST(InstructionTest, DeferredLocalsSurviveWritesToThem) {
  auto rt = instantiateWat(R"((module
    ;; swap through the stack: both reads happen before either write
    (func (export "swap") (param $a i32) (param $b i32) (result i32)
      local.get $a
      local.get $b
      local.set $a
      local.set $b
      local.get $a
      i32.const 16
      i32.shl
      local.get $b
      i32.or)
    ;; the old value of $x is on the stack when $x is overwritten
    (func (export "old_plus_new") (param $x i32) (result i32)
      local.get $x
      i32.const 100
      local.set $x
      local.get $x
      i32.add)
    ;; tee, then a write to the teed local while its value is still pending
    (func (export "tee") (param $x i32) (result i32)
      (local $y i32)
      local.get $x
      i32.const 1
      i32.add
      local.tee $y
      i32.const 0
      local.set $y
      local.get $y
      i32.add)
    ;; a folded producer must not clobber a pending read of its target
    (func (export "fold_alias") (param $x i32) (result i32)
      local.get $x
      local.get $x
      i32.const 5
      i32.mul
      local.set $x
      local.get $x
      i32.sub)))");
  ASSERT_TRUE(rt.instance);
  EXPECT_EQ(callI32(rt, "swap", {Value::i32(1), Value::i32(2)}), (2u << 16) | 1u);
  EXPECT_EQ(callI32(rt, "old_plus_new", {Value::i32(7)}), 107u);
  EXPECT_EQ(callI32(rt, "tee", {Value::i32(41)}), 42u);
  EXPECT_EQ(callI32(rt, "fold_alias", {Value::i32(3)}), uint32_t(3 - 15));
}

TEST(InstructionTest, RegisterCodeFoldsLocalTraffic) {
  auto module = compileWat(R"((module
    (func (param $a i32) (param $b i32) (local $c i32)
      local.get $a
      local.get $b
      i32.add
      local.set $c)))");
  ASSERT_TRUE(module);
  std::string code = disassemble(*module->function(0));
  // One add writing local 2 directly from locals 0 and 1, then the return.
  size_t add = code.find("i32.add");
  ASSERT_NE(add, std::string::npos) << code;
  std::string addLine = code.substr(add, code.find('\n', add) - add);
  EXPECT_TRUE(addLine.ends_with(" 2 0 1")) << code;
  EXPECT_EQ(std::count(code.begin(), code.end(), '\n'), 3) << code; // header + 2
  EXPECT_NE(code.find("Return"), std::string::npos) << code;
}

TEST(InstructionTest, CompareAndBranchFusionKeepsSemantics) {
  auto rt = instantiateWat(R"((module
    (func (export "sum_below") (param $n i32) (result i32)
      (local $i i32) (local $s i32)
      block
        loop
          local.get $i
          local.get $n
          i32.ge_s
          br_if 1
          local.get $s
          local.get $i
          i32.add
          local.set $s
          local.get $i
          i32.const 1
          i32.add
          local.set $i
          br 0
        end
      end
      local.get $s)
    (func (export "classify") (param $x i32) (result i32)
      local.get $x
      i32.const 10
      i32.lt_u
      if (result i32)
        i32.const 1
      else
        local.get $x
        i32.eqz
        if (result i32) i32.const 2 else i32.const 3 end
      end)
    (func (export "eqz_branch") (param $x i32) (result i32)
      block
        local.get $x
        i32.eqz
        br_if 0
        i32.const 7
        return
      end
      i32.const 9)))");
  ASSERT_TRUE(rt.instance);
  EXPECT_EQ(callI32(rt, "sum_below", {Value::i32(10)}), 45u);
  EXPECT_EQ(callI32(rt, "sum_below", {Value::i32(-5)}), 0u);
  EXPECT_EQ(callI32(rt, "classify", {Value::i32(3)}), 1u);
  EXPECT_EQ(callI32(rt, "classify", {Value::i32(0xffffffff)}), 3u);
  EXPECT_EQ(callI32(rt, "eqz_branch", {Value::i32(0)}), 9u);
  EXPECT_EQ(callI32(rt, "eqz_branch", {Value::i32(4)}), 7u);
  std::string code = disassemble(*rt.module->function(0));
  EXPECT_NE(code.find("br_if_I32GeS"), std::string::npos) << code;
}

TEST(InstructionTest, BranchesMoveValuesToTheirLabels) {
  auto rt = instantiateWat(R"((module
    ;; br with a value from a deferred local, over extra stack entries
    (func (export "br_value") (param $x i32) (result i32)
      block (result i32)
        i32.const 1
        i32.const 2
        local.get $x
        br 0
      end)
    ;; br_if carrying a value: taken and not taken
    (func (export "br_if_value") (param $x i32) (result i32)
      block (result i32)
        i32.const 5
        i32.const 6
        local.get $x
        br_if 0
        i32.add
      end)
    ;; br_table whose targets sit at different heights
    (func (export "table") (param $i i32) (result i32)
      block (result i32)
        i32.const 100
        block (result i32)
          i32.const 200
          i32.const 300
          local.get $i
          br_table 0 1 0
        end
        i32.add
      end)))");
  ASSERT_TRUE(rt.instance);
  EXPECT_EQ(callI32(rt, "br_value", {Value::i32(42)}), 42u);
  EXPECT_EQ(callI32(rt, "br_if_value", {Value::i32(1)}), 6u);
  EXPECT_EQ(callI32(rt, "br_if_value", {Value::i32(0)}), 11u);
  EXPECT_EQ(callI32(rt, "table", {Value::i32(0)}), 400u);
  EXPECT_EQ(callI32(rt, "table", {Value::i32(1)}), 300u);
  EXPECT_EQ(callI32(rt, "table", {Value::i32(7)}), 400u);
}

TEST(InstructionTest, MultiValueBlocksCallsAndReturns) {
  auto rt = instantiateWat(R"((module
    (func $pair (param $a i32) (param $b i32) (result i32 i32)
      local.get $b
      local.get $a)
    (func (export "swap_call") (param $a i32) (param $b i32) (result i32)
      local.get $a
      local.get $b
      call $pair
      i32.const 10
      i32.mul
      i32.add)
    (func (export "block_params") (param $x i32) (result i32)
      local.get $x
      i32.const 3
      block (param i32 i32) (result i32)
        i32.sub
      end)
    ;; sum n..1 with the accumulator and counter as loop parameters
    (func (export "loop_params") (param $n i32) (result i32)
      i32.const 0
      local.get $n
      loop (param i32 i32) (result i32)
        local.set $n
        local.get $n
        i32.add
        local.get $n
        i32.const 1
        i32.sub
        local.tee $n
        local.get $n
        br_if 0
        drop
      end)))");
  ASSERT_TRUE(rt.instance);
  EXPECT_EQ(callI32(rt, "swap_call", {Value::i32(1), Value::i32(2)}), 2u + 10u);
  EXPECT_EQ(callI32(rt, "block_params", {Value::i32(10)}), 7u);
  EXPECT_EQ(callI32(rt, "loop_params", {Value::i32(4)}), 10u);
}

TEST(InstructionTest, MemoryBulkAndTableFamilies) {
  auto rt = instantiateWat(R"((module
    (memory 1)
    (data $d "hello")
    (table 4 funcref)
    (elem $e func $one $two)
    (func $one (result i32) i32.const 1)
    (func $two (result i32) i32.const 2)
    (type $t (func (result i32)))
    (func (export "bulk") (result i32)
      ;; copy "hello" to 100, duplicate it to 200, fill 3 bytes at 202
      i32.const 100 i32.const 0 i32.const 5 memory.init $d
      i32.const 200 i32.const 100 i32.const 5 memory.copy
      i32.const 202 i32.const 0x58 i32.const 3 memory.fill
      i32.const 200 i32.load
      i32.const 204 i32.load8_u
      i32.add)
    (func (export "tables") (param $i i32) (result i32)
      i32.const 1 i32.const 0 i32.const 2 table.init $e
      local.get $i
      call_indirect (type $t))
    (func (export "signext") (param $x i32) (result i64)
      local.get $x
      i64.extend_i32_s
      i64.const -1
      i64.mul)
    (func (export "oob") (param $a i32) (result i32)
      local.get $a
      i32.load offset=65534)))");
  ASSERT_TRUE(rt.instance);
  uint32_t hexx = 'h' | ('e' << 8) | ('X' << 16) | ('X' << 24);
  EXPECT_EQ(callI32(rt, "bulk", {}), hexx + 'X');
  EXPECT_EQ(callI32(rt, "tables", {Value::i32(1)}), 1u);
  EXPECT_EQ(callI32(rt, "tables", {Value::i32(2)}), 2u);
  auto t = rt.call("tables", {Value::i32(3)});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::UninitializedElement);
  auto s = rt.call("signext", {Value::i32(-3)});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0].asI64(), 3u);
  auto o = rt.call("oob", {Value::i32(0)});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, ErrorCode::OutOfBoundsMemoryAccess);
  EXPECT_TRUE(rt.call("oob", {Value::i32(-65534 + 65530)}).ok() == false);
}

TEST(InstructionTest, OffsetMapsRoundTrip) {
  auto module = compileWat(R"((module
    (memory 1)
    (func (param i32) (result i32)
      local.get 0
      if (result i32)
        local.get 0
        i32.load
      else
        i32.const 4
      end)))");
  ASSERT_TRUE(module);
  const CompiledFunction& f = *module->function(0);
  for (uint32_t offset : f.instructionOffsets()) {
    auto pc = f.pcAt(offset);
    ASSERT_TRUE(pc) << offset;
    // The instruction that runs there came from this wasm instruction or a
    // later one (deferred instructions emit nothing of their own).
    if (*pc < f.code.size()) {
      EXPECT_GE(f.wasmOffsetAt(*pc), offset);
    }
  }
  EXPECT_FALSE(f.pcAt(f.bodyOffset + 1)); // inside local.get's immediate
  EXPECT_EQ(module->functionAt(f.bodyOffset), &f);
}

} // namespace
} // namespace wasmscope::runtime::test
