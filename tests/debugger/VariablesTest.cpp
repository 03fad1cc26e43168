// Variables in scope at an address, per source frame, and their locations
// evaluated against a fake frame.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

#include <functional>

namespace wasmscope::debugger::test {
namespace {

std::vector<std::string> names(const std::vector<const Variable *> &vars) {
  std::vector<std::string> out;
  for (const Variable *v : vars)
    out.push_back(v->name);
  return out;
}

uint32_t breakpoint(const ModuleSymbols &s, const std::string &file, const std::string &text) {
  auto addrs = s.breakpointAddresses(file, lineOf(file, text));
  EXPECT_EQ(addrs.size(), 1u) << text;
  return addrs.empty() ? 0 : addrs[0];
}

class VariablesO0 : public ::testing::TestWithParam<const char *> {};

TEST_P(VariablesO0, ParametersLocalsAndBlocks) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  const ModuleSymbols &s = *l.symbols;
  uint32_t pc = breakpoint(s, "structs.c", "item->value = i;");
  auto vars = s.variablesAt(pc);
  EXPECT_EQ(names(vars), (std::vector<std::string>{"n", "head", "i", "item"}));
  ASSERT_EQ(vars.size(), 4u);
  EXPECT_TRUE(vars[0]->isParameter);
  EXPECT_FALSE(vars[1]->isParameter);
  EXPECT_EQ(vars[3]->type->displayName(), "struct node *");
  EXPECT_EQ(vars[3]->declLine, lineOf("structs.c", "struct node *item = malloc"));

  // At -O0 every variable lives in the frame: DW_OP_fbreg N with the frame
  // base in a wasm local (DW_OP_WASM_location 0x0 L, DW_OP_stack_value).
  const Function *fn = s.functionAt(pc);
  ASSERT_EQ(fn->frameBase.size(), 2u);
  EXPECT_EQ(fn->frameBase[0].opcode, kDwOpWasmLocation);
  EXPECT_EQ(fn->frameBase[0].operand1, 0u);
  FakeFrame frame;
  frame.locals[uint32_t(fn->frameBase[0].operand2)] = 0x1000;
  for (const Variable *v : vars) {
    auto loc = s.evaluateLocation(*v, pc, frame);
    ASSERT_TRUE(loc) << v->name << ": " << loc.error().message;
    EXPECT_EQ(loc->kind, LocationKind::Memory) << v->name;
    EXPECT_GE(loc->address, 0x1000u);
    EXPECT_LT(loc->address, 0x1020u);
    ASSERT_EQ(v->location.size(), 1u);
    EXPECT_EQ(formatExpression(v->location[0].expression).rfind("DW_OP_fbreg +", 0), 0u);
  }
  // Without the frame-base local the evaluation fails cleanly.
  FakeFrame empty;
  EXPECT_FALSE(s.evaluateLocation(*vars[0], pc, empty));
}

TEST_P(VariablesO0, LexicalScopesAndShadowing) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  const ModuleSymbols &s = *l.symbols;
  EXPECT_EQ(names(s.variablesAt(breakpoint(s, "structs.c", "result -= inner2;"))),
            (std::vector<std::string>{"a", "result", "inner", "inner2"}));
  EXPECT_EQ(names(s.variablesAt(breakpoint(s, "structs.c", "result *= branch;"))),
            (std::vector<std::string>{"a", "result", "branch"}));
  EXPECT_EQ(names(s.variablesAt(breakpoint(s, "structs.c", "return result;"))),
            (std::vector<std::string>{"a", "result"}));
  // Only one source frame here.
  EXPECT_TRUE(s.variablesAt(breakpoint(s, "structs.c", "return result;"), 1).empty());
  // Globals: none with a location in this program except libc's; the query works.
  for (const Variable &g : s.globalVariables())
    EXPECT_EQ(g.function, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Modules, VariablesO0,
                         ::testing::Values("structs.O0.wasm", "structs.dwarf5.O0.wasm"));

class VariablesO2 : public ::testing::TestWithParam<const char *> {};

TEST_P(VariablesO2, InlinedFramesAndWasmLocals) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  const ModuleSymbols &s = *l.symbols;
  const Function *crash = s.findFunctions("crash").at(0);
  // The first address in crash inside the inlined square.
  uint32_t pc = 0;
  for (uint32_t a = crash->lowPc(); a < crash->ranges.back().high && !pc; ++a)
    if (!s.inlineChainAt(a).empty())
      pc = a;
  ASSERT_NE(pc, 0u);
  EXPECT_EQ(names(s.variablesAt(pc, 0)), (std::vector<std::string>{"x", "s"}));
  EXPECT_EQ(names(s.variablesAt(pc, 1)), (std::vector<std::string>{"p", "k", "v"}));
  EXPECT_TRUE(s.variablesAt(pc, 2).empty());

  // x is `DW_OP_WASM_location 0x0 0x1, DW_OP_stack_value`: wasm local 1,
  // reported as a register-like location; inlined variables use the
  // concrete function's frame.
  const Variable *x = s.variablesAt(pc, 0).at(0);
  EXPECT_EQ(x->function, crash);
  FakeFrame frame;
  auto loc = s.evaluateLocation(*x, pc, frame);
  ASSERT_TRUE(loc) << loc.error().message;
  EXPECT_EQ(loc->kind, LocationKind::WasmLocal);
  EXPECT_EQ(loc->index, 1u);
  // Location lists: k has an entry that ends; past it, it is optimized out.
  const Variable *k = s.variablesAt(pc, 1).at(1);
  ASSERT_FALSE(k->location.empty());
  EXPECT_FALSE(k->location[0].always);
  auto end = k->location.back().range.high;
  if (end < crash->ranges.back().high) {
    auto gone = s.evaluateLocation(*k, end, frame);
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->kind, LocationKind::OptimizedOut);
  }
}

TEST_P(VariablesO2, ComputedValues) {
  // Somewhere in structs -O2 a variable is `DW_OP_WASM_location 0x0 N,
  // DW_OP_lit3, DW_OP_mul, DW_OP_stack_value` (inner2 = inner * 3, with
  // scopes() inlined into main).
  Loaded l = loadModule(std::string(GetParam()).replace(0, 6, "structs"));
  ASSERT_TRUE(l.symbols);
  const Variable *inner2 = nullptr;
  std::function<void(const Scope &)> find = [&](const Scope &scope) {
    for (const Variable &v : scope.variables)
      if (v.name == "inner2" && !v.location.empty())
        inner2 = &v;
    for (const Scope &c : scope.children)
      find(c);
  };
  for (const auto &fn : l.symbols->functions())
    find(fn->scope);
  ASSERT_TRUE(inner2);
  const LocationEntry &e = inner2->location.front();
  ASSERT_GE(e.expression.size(), 2u);
  FakeFrame frame;
  frame.locals[uint32_t(e.expression[0].operand2)] = 7;
  frame.stack[0] = 7;
  auto loc = l.symbols->evaluateLocation(*inner2, e.always ? 0 : e.range.low, frame);
  ASSERT_TRUE(loc) << loc.error().message;
  if (e.expression.size() > 2) {
    EXPECT_EQ(loc->kind, LocationKind::Value);
    EXPECT_EQ(loc->value, 21u);
  }
}

INSTANTIATE_TEST_SUITE_P(Modules, VariablesO2,
                         ::testing::Values("inline.O2.wasm", "inline.dwarf5.O2.wasm"));

} // namespace
} // namespace wasmscope::debugger::test
