// Hostile DWARF: location expressions that loop through DW_OP_skip and
// DW_OP_bra, branch into the middle of an operation or nest frame bases,
// type graphs whose spelling would branch without end, and the saved inputs
// (tests/regression/dwarf/) and seed modules (tests/fuzz/dwarf-corpus/) of
// the DWARF fuzzer, replayed through its harness.
#include "DwarfHarness.h"
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

namespace wasmscope::debugger::test {
namespace {

DwarfExpression decode(std::vector<uint8_t> bytes) {
  auto r = decodeExpression(bytes);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : DwarfExpression{};
}

std::string evaluationError(const DwarfExpression& e, const DwarfExpression* frameBase = nullptr) {
  FakeFrame frame;
  frame.locals[0] = 0x100;
  auto r = evaluateExpression(e, frameBase, frame);
  return r.ok() ? "ok" : r.error().message;
}

TEST(HostileExpression, BranchesWork) {
  FakeFrame frame;
  // lit1, bra over "lit5, skip": taken, so the value is 7.
  auto taken = decode({0x31,             // DW_OP_lit1
                       0x28, 0x04, 0x00, // DW_OP_bra +4: to the lit7
                       0x35,             // DW_OP_lit5
                       0x2f, 0x01, 0x00, // DW_OP_skip +1: over the lit7
                       0x37,             // DW_OP_lit7
                       0x9f});           // DW_OP_stack_value
  auto r = evaluateExpression(taken, nullptr, frame);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, LocationKind::Value);
  EXPECT_EQ(r->value, 7u);
  // lit0, bra: not taken; lit5, skip over the lit7: the value is 5.
  auto notTaken = decode({0x30, 0x28, 0x04, 0x00, 0x35, 0x2f, 0x01, 0x00, 0x37, 0x9f});
  r = evaluateExpression(notTaken, nullptr, frame);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->value, 5u);
  EXPECT_EQ(formatExpression(notTaken),
            "DW_OP_lit0, DW_OP_bra +4, DW_OP_lit5, DW_OP_skip +1, DW_OP_lit7, DW_OP_stack_value");
}

TEST(HostileExpression, ALoopEndsWithAClearError) {
  // DW_OP_skip -3 jumps to itself for ever.
  auto loop = decode({0x2f, 0xfd, 0xff}); // DW_OP_skip -3
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(evaluationError(loop),
            "DWARF expression: more than 100000 operations executed (a DW_OP_skip/DW_OP_bra "
            "loop?)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  // A counting loop that pushes: the stack bound or the step bound ends it.
  auto pushing = decode({0x30,              // DW_OP_lit0
                         0x12,              // DW_OP_dup
                         0x2f, 0xfc, 0xff}); // DW_OP_skip -4: back to the dup
  EXPECT_EQ(evaluationError(pushing), "DWARF expression: stack overflow");
}

TEST(HostileExpression, BranchesOutsideTheOperationsAreErrors) {
  auto intoOperand = decode({0x2f, 0xfe, 0xff}); // DW_OP_skip -2: into its own operand
  EXPECT_EQ(evaluationError(intoOperand),
            "DWARF expression: DW_OP_skip at byte 0 branches to byte 1, which does not start "
            "an operation");
  auto past = decode({0x31, 0x28, 0x10, 0x00}); // lit1, DW_OP_bra +16: past the end
  EXPECT_EQ(evaluationError(past),
            "DWARF expression: DW_OP_bra at byte 1 branches to byte 20, which does not start an "
            "operation");
  auto before = decode({0x2f, 0x00, 0x80}); // DW_OP_skip -32768
  EXPECT_NE(evaluationError(before).find("which does not start an operation"), std::string::npos);
  // A branch to the very end finishes the expression.
  auto toEnd = decode({0x35, 0x2f, 0x00, 0x00}); // lit5, DW_OP_skip +0
  FakeFrame frame;
  auto r = evaluateExpression(toEnd, nullptr, frame);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, LocationKind::Memory);
  EXPECT_EQ(r->address, 5u);
}

TEST(HostileExpression, FrameBaseWorkCountsTowardsTheBound) {
  // 4000 DW_OP_fbreg, each evaluating a frame base of 4000 operations: 16
  // million operations unless they share one budget.
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 4000; ++i) {
    bytes.push_back(0x91); // DW_OP_fbreg 0
    bytes.push_back(0x00);
  }
  std::vector<uint8_t> baseBytes = {0xed, 0x00, 0x00}; // DW_OP_WASM_location local 0
  for (int i = 0; i < 3999; ++i)
    baseBytes.push_back(0x96); // DW_OP_nop
  auto expression = decode(bytes);
  auto base = decode(baseBytes);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(evaluationError(expression, &base),
            "DWARF expression: more than 100000 operations executed (a DW_OP_skip/DW_OP_bra "
            "loop?)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(HostileTypeNames, SpellingIsBoundedInDepthAndWork) {
  Type i32;
  i32.kind = TypeKind::Base;
  i32.name = i32.qualifiedName = "int";
  // A pointer chain 5000 deep.
  std::vector<Type> chain(5000);
  const Type* target = &i32;
  for (Type& t : chain) {
    t.kind = TypeKind::Pointer;
    t.target = target;
    target = &t;
  }
  std::string deep = chain.back().displayName();
  EXPECT_EQ(deep.rfind("...", 0), 0u) << deep;
  EXPECT_LT(deep.size(), 200u);
  // A function type with 100000 parameters, each a pointer to itself.
  Type fn;
  fn.kind = TypeKind::Subroutine;
  fn.target = &i32;
  Type fnPtr;
  fnPtr.kind = TypeKind::Pointer;
  fnPtr.target = &fn;
  fn.parameters.assign(100000, &fnPtr);
  auto start = std::chrono::steady_clock::now();
  std::string name = fnPtr.displayName();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_LT(name.size(), 20000u);
  // An array with a million dimensions.
  Type array;
  array.kind = TypeKind::Array;
  array.target = &i32;
  array.dimensions.assign(1000000, ArrayDimension{0, 2});
  EXPECT_LT(array.displayName().size(), 2000u);
}

TEST(HostileRegression, SavedDwarfInputsAndSeedsLoadCleanly) {
  namespace fs = std::filesystem;
  size_t modules = 0, withDwarf = 0;
  for (const char* folder : {"tests/regression/dwarf", "tests/fuzz/dwarf-corpus"}) {
    fs::path dir = fs::path(WASMSCOPE_SOURCE_DIR) / folder;
    if (!fs::exists(dir))
      continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".wasm")
        continue;
      SCOPED_TRACE(entry.path().string());
      auto summary = fuzz::runUntrustedDwarf(readFile(entry.path().string()));
      ++modules;
      withDwarf += summary.hasDwarf;
    }
  }
  EXPECT_GE(modules, 8u);
  EXPECT_GE(withDwarf, 8u); // The seeds are real modules with DWARF.
}

} // namespace
} // namespace wasmscope::debugger::test
