// v128 in the debugger, on data/vectors.c built with -msimd128: C vector
// variables (v128_t, float4, u8x16) show their lanes whether they live in
// linear memory (-O0) or in wasm locals (-O2); raw wasm v128 locals and
// operand-stack entries show as "i32x4 {...}" with every lane view and the
// bytes beneath; and locals after a v128 (which takes two frame slots) still
// read right.
#include "SessionTestSupport.h"

namespace wasmscope::debugger::test {
namespace {

const char* kFile = "vectors.c";
constexpr uint32_t kCallLaneSum = 27; // int s = lane_sum(a, argc + 1);
constexpr uint32_t kLaneSumReturn = 14; // return wasm_i32x4_extract_lane(u, 0) * k;

std::map<std::string, VariableNode> children(Driver& d, VariablesReference reference) {
  std::map<std::string, VariableNode> out;
  Result<std::vector<VariableNode>> r = d.session.variables(reference);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (r.ok())
    for (VariableNode& v : *r)
      out.emplace(v.name, std::move(v));
  return out;
}

std::map<std::string, VariableNode> scope(Driver& d, FrameScopeKind kind) {
  Result<StackTrace> t = d.session.stackTrace();
  EXPECT_TRUE(t.ok());
  Result<std::vector<FrameScope>> scopes = d.session.scopes(t->frames[0].id);
  EXPECT_TRUE(scopes.ok());
  for (const FrameScope& s : *scopes)
    if (s.kind == kind)
      return children(d, s.variablesReference);
  ADD_FAILURE() << "no such scope";
  return {};
}

TEST(SimdSession, VectorVariablesInMemoryShowTheirLanes) {
  SKIP_WITHOUT(vectorsPath("O0"));
  Driver d;
  d.launch(configFor(vectorsPath("O0")), false);
  Breakpoint bp = d.breakAt(kFile, kCallLaneSum);
  ASSERT_TRUE(bp.verified) << bp.message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_EQ(d.top().line, kCallLaneSum);

  EXPECT_EQ(d.eval("a"), "i32x4 {1, 2, 3, 4}");
  EXPECT_EQ(d.eval("f"), "f32x4 {1.5, -2, 0.25, 8}");
  // Unsigned char lanes are numbers, not a string.
  EXPECT_EQ(d.eval("raw"), "i8x16 {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255}");
  EXPECT_EQ(d.eval("a[2] + raw[15]"), "258");
  EXPECT_EQ(d.eval("f[1]"), "-2");

  std::map<std::string, VariableNode> locals = scope(d, FrameScopeKind::Locals);
  ASSERT_TRUE(locals.count("a"));
  EXPECT_EQ(locals["a"].type, "v128_t");
  EXPECT_EQ(locals["a"].value, "i32x4 {1, 2, 3, 4}");
  ASSERT_NE(locals["a"].variablesReference, 0);
  std::map<std::string, VariableNode> lanes = children(d, locals["a"].variablesReference);
  EXPECT_EQ(lanes["[3]"].value, "4");
  EXPECT_EQ(lanes["[3]"].evaluateName, "a[3]");
  ASSERT_TRUE(d.session.terminate().ok());
}

TEST(SimdSession, VectorsInWasmLocalsAndOnTheOperandStack) {
  SKIP_WITHOUT(vectorsPath("O2"));
  Driver d;
  d.launch(configFor(vectorsPath("O2")), false);
  FunctionBreakpoint fb = functionBreakpoint("lane_sum");
  Result<std::vector<Breakpoint>> r = d.session.setFunctionBreakpoints(std::span(&fb, 1));
  ASSERT_TRUE(r.ok() && !r->empty());
  ASSERT_TRUE((*r)[0].verified) << (*r)[0].message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_EQ(d.top().name, "lane_sum");

  // Optimised, the parameters live in wasm locals: v in local 0, a v128
  // taking two frame slots, and k in local 1 after it.
  EXPECT_EQ(d.eval("v"), "i32x4 {1, 2, 3, 4}");
  EXPECT_EQ(d.eval("k"), "2");
  EXPECT_EQ(d.eval("v[3] * k"), "8");
  EXPECT_EQ(d.eval("$local0"), "i32x4 {1, 2, 3, 4}");
  EXPECT_EQ(d.eval("$local1"), "2");
  EXPECT_EQ(d.eval("$local0.i32x4[2]"), "3");
  EXPECT_EQ(d.eval("$local0.i16x8[2]"), "2");
  EXPECT_EQ(d.eval("$local0.i64x2[1]"), "17179869187"); // 4 << 32 | 3
  EXPECT_EQ(d.eval("$local0.bytes"), "01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00");

  std::map<std::string, VariableNode> wasmLocals = scope(d, FrameScopeKind::WasmLocals);
  ASSERT_TRUE(wasmLocals.count("$local0"));
  EXPECT_EQ(wasmLocals["$local0"].type, "v128");
  EXPECT_EQ(wasmLocals["$local0"].value, "i32x4 {1, 2, 3, 4}");
  EXPECT_EQ(wasmLocals["$local1"].type, "i32");
  EXPECT_EQ(wasmLocals["$local1"].value, "2");
  ASSERT_NE(wasmLocals["$local0"].variablesReference, 0);
  std::map<std::string, VariableNode> views = children(d, wasmLocals["$local0"].variablesReference);
  for (const char* view : {"i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2", "bytes"})
    EXPECT_TRUE(views.count(view)) << view;
  EXPECT_EQ(views["i16x8"].value, "i16x8 {1, 0, 2, 0, 3, 0, 4, 0}");
  EXPECT_EQ(views["i32x4"].evaluateName, "$local0.i32x4");

  // One instruction on, at the first i32x4.add (its local.gets and the
  // shuffle went with the first step), the stack holds the shuffled v and v.
  ASSERT_TRUE(d.session.next(StepGranularity::Instruction).ok());
  ASSERT_TRUE(d.waitStop());
  std::map<std::string, VariableNode> stack = scope(d, FrameScopeKind::OperandStack);
  ASSERT_EQ(stack.size(), 2u);
  EXPECT_EQ(stack["[0]"].type, "v128");
  EXPECT_EQ(stack["[0]"].value, "i32x4 {3, 4, 1, 2}");
  EXPECT_EQ(stack["[1]"].value, "i32x4 {1, 2, 3, 4}");
  // And at the second shuffle, the sum t = v + shuffled v, teed into
  // local 0 and read back twice.
  ASSERT_TRUE(d.session.next(StepGranularity::Instruction).ok());
  ASSERT_TRUE(d.waitStop());
  stack = scope(d, FrameScopeKind::OperandStack);
  ASSERT_EQ(stack.size(), 3u);
  EXPECT_EQ(stack["[2]"].value, "i32x4 {4, 6, 4, 6}");
  EXPECT_EQ(d.eval("t"), "i32x4 {4, 6, 4, 6}");

  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 0u);
  EXPECT_EQ(d.out, "20 70.3125 255\n");
}

TEST(SimdSession, ConditionsReadLocalsAfterAV128) {
  // A breakpoint condition is compiled to read wasm locals straight from the
  // frame; k (local 1) sits after v, a v128 in slots 0 and 1, so it is at
  // slot 2. Reading slot 1 would see v's lane 2 (3) instead of k (2).
  SKIP_WITHOUT(vectorsPath("O2"));
  for (const char* condition : {"k == 2", "k == 3"}) {
    SCOPED_TRACE(condition);
    Driver d;
    d.launch(configFor(vectorsPath("O2")), false);
    Breakpoint bp = d.breakAt(kFile, kLaneSumReturn, lineBreakpoint(0, condition));
    ASSERT_TRUE(bp.verified) << bp.message;
    ASSERT_TRUE(d.session.configurationDone().ok());
    if (std::string(condition) == "k == 2") {
      ASSERT_TRUE(d.waitStop());
      EXPECT_EQ(d.top().name, "lane_sum");
      EXPECT_EQ(d.eval("k"), "2");
      ASSERT_TRUE(d.session.resume().ok());
    }
    EXPECT_EQ(d.waitExit(), 0u);
    EXPECT_EQ(d.out, "20 70.3125 255\n");
  }
}

} // namespace
} // namespace wasmscope::debugger::test
