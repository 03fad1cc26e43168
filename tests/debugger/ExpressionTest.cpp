// DWARF expressions: decoding (with DW_OP_WASM_location), printing and
// evaluation, built as byte vectors with a comment per byte.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger::test {
namespace {

DwarfExpression decode(std::vector<uint8_t> bytes) {
  auto r = decodeExpression(bytes);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : DwarfExpression{};
}

TEST(Expression, DecodeAndFormatWasmLocations) {
  auto local = decode({0xed, 0x00, 0x02, // DW_OP_WASM_location local 2
                       0x9f});           // DW_OP_stack_value
  EXPECT_EQ(formatExpression(local), "DW_OP_WASM_location 0x0 0x2, DW_OP_stack_value");
  auto global = decode({0xed, 0x01, 0x80, 0x01}); // global, ULEB index 128
  EXPECT_EQ(formatExpression(global), "DW_OP_WASM_location 0x1 0x80");
  auto fixed = decode({0xed, 0x03,             // global with a fixed u32 index
                       0x05, 0x00, 0x00, 0x00, // index 5
                       0x9f});                 // DW_OP_stack_value
  EXPECT_EQ(formatExpression(fixed), "DW_OP_WASM_location 0x3 0x5, DW_OP_stack_value");
  auto stack = decode({0xed, 0x02, 0x01}); // operand stack entry 1
  EXPECT_EQ(stack[0].operand1, 2u);
  EXPECT_EQ(stack[0].operand2, 1u);
  auto fb = decode({0x91, 0x74}); // DW_OP_fbreg -12 (SLEB 0x74)
  EXPECT_EQ(formatExpression(fb), "DW_OP_fbreg -12");
  auto misc = decode({0x23, 0x10,                     // DW_OP_plus_uconst 16
                      0x30,                           // DW_OP_lit0
                      0x93, 0x04,                     // DW_OP_piece 4
                      0x11, 0x7f,                     // DW_OP_consts -1
                      0x03, 0x00, 0x04, 0x00, 0x00}); // DW_OP_addr 0x400
  EXPECT_EQ(
      formatExpression(misc),
      "DW_OP_plus_uconst 0x10, DW_OP_lit0, DW_OP_piece 0x4, DW_OP_consts -1, DW_OP_addr 0x400");
}

TEST(Expression, DecodeErrors) {
  std::vector<uint8_t> truncated = {0xed, 0x03, 0x01}; // u32 index cut short
  EXPECT_FALSE(decodeExpression(truncated));
  std::vector<uint8_t> badKind = {0xed, 0x09, 0x01}; // no kind 9
  EXPECT_FALSE(decodeExpression(badKind));
  std::vector<uint8_t> unknown = {0xfa}; // not an operation
  EXPECT_FALSE(decodeExpression(unknown));
  std::vector<uint8_t> longLeb = {0x10, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_FALSE(decodeExpression(longLeb));
}

TEST(Expression, EvaluateLocationKinds) {
  FakeFrame frame;
  frame.locals[2] = 0x2000;
  frame.globals[0] = 0x8000;
  frame.stack[1] = 42;
  frame.memory.resize(0x3000);
  frame.memory[0x2010] = 0x34;
  frame.memory[0x2011] = 0x12;

  // A wasm local holding the value.
  auto r = evaluateExpression(decode({0xed, 0x00, 0x02, 0x9f}), nullptr, frame);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, LocationKind::WasmLocal);
  EXPECT_EQ(r->index, 2u);
  // An operand-stack entry.
  r = evaluateExpression(decode({0xed, 0x02, 0x01, 0x9f}), nullptr, frame);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, LocationKind::WasmOperandStack);
  // A local without stack_value holds an address (LLVM's indirect locals).
  r = evaluateExpression(decode({0xed, 0x00, 0x02}), nullptr, frame);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, LocationKind::Memory);
  EXPECT_EQ(r->address, 0x2000u);
  // fbreg against a frame base in a global (the stack pointer).
  DwarfExpression base = decode({0xed, 0x03, 0x00, 0x00, 0x00, 0x00, 0x9f});
  r = evaluateExpression(decode({0x91, 0x08}), &base, frame); // DW_OP_fbreg +8
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, LocationKind::Memory);
  EXPECT_EQ(r->address, 0x8008u);
  // Arithmetic and memory reads: *(u16*)(local2 + 0x10) + 1, as a value.
  r = evaluateExpression(decode({0xed, 0x00, 0x02, // local 2
                                 0x23, 0x10,       // + 16
                                 0x94, 0x02,       // DW_OP_deref_size 2
                                 0x31,             // DW_OP_lit1
                                 0x22,             // DW_OP_plus
                                 0x9f}),           // DW_OP_stack_value
                         nullptr, frame);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, LocationKind::Value);
  EXPECT_EQ(r->value, 0x1235u);
  // Pieces: low 4 bytes in local 2, high 4 bytes optimized out.
  r = evaluateExpression(decode({0xed, 0x00, 0x02, 0x9f, // local 2 as value
                                 0x93, 0x04,             // DW_OP_piece 4
                                 0x93, 0x04}),           // DW_OP_piece 4 (empty)
                         nullptr, frame);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->kind, LocationKind::Composite);
  ASSERT_EQ(r->pieces.size(), 2u);
  EXPECT_EQ(r->pieces[0].kind, LocationKind::WasmLocal);
  EXPECT_EQ(r->pieces[0].pieceSize, 4u);
  EXPECT_EQ(r->pieces[1].kind, LocationKind::OptimizedOut);
  // Implicit value.
  r = evaluateExpression(decode({0x9e, 0x02, 0xaa, 0xbb}), nullptr, frame);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, LocationKind::ImplicitBytes);
  EXPECT_EQ(r->bytes, (std::vector<uint8_t>{0xaa, 0xbb}));
}

// The most negative constant: decoding sign-extends and DW_OP_neg/abs wrap
// (two's complement, as a DWARF consumer must), without signed overflow.
// fuzz_dwarf found both under UBSan.
TEST(Expression, MostNegativeConstantWraps) {
  FakeFrame frame;
  std::vector<uint8_t> minConst = {0x11, 0x80, 0x80, 0x80, 0x80, 0x80, // DW_OP_consts
                                   0x80, 0x80, 0x80, 0x80, 0x7f};      // INT64_MIN (SLEB)
  auto decoded = decode(minConst);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].operand1, uint64_t(1) << 63);
  for (uint8_t op : {uint8_t(0x1f), uint8_t(0x19)}) { // DW_OP_neg, DW_OP_abs
    auto bytes = minConst;
    bytes.push_back(op);
    bytes.push_back(0x9f); // DW_OP_stack_value
    auto r = evaluateExpression(decode(bytes), nullptr, frame);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->value, uint64_t(1) << 63);
  }
  auto small = decode({0x11, 0x40}); // DW_OP_consts -64: sign bit in the last byte
  EXPECT_EQ(int64_t(small[0].operand1), -64);
}

TEST(Expression, EvaluationErrors) {
  FakeFrame frame;
  EXPECT_FALSE(evaluateExpression(decode({0x22}), nullptr, frame));             // plus: underflow
  EXPECT_FALSE(evaluateExpression(decode({0xed, 0x00, 0x07}), nullptr, frame)); // no local 7
  EXPECT_FALSE(evaluateExpression(decode({0x91, 0x00}), nullptr, frame));       // no frame base
  EXPECT_FALSE(evaluateExpression(decode({0x30, 0x06}), nullptr, frame)); // deref outside memory
  EXPECT_FALSE(evaluateExpression(decode({0x50}), nullptr, frame));       // DW_OP_reg0
  auto empty = evaluateExpression({}, nullptr, frame);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->kind, LocationKind::OptimizedOut);
}

} // namespace
} // namespace wasmscope::debugger::test
