// Line-to-address resolution for breakpoints.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger::test {
namespace {

TEST(Breakpoints, ExactLineInOneFunction) {
  for (const char *name : {"structs.O0.wasm", "structs.dwarf5.O0.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    uint32_t line = lineOf("structs.c", "item->value = i;");
    LineMatch match;
    auto addrs = l.symbols->breakpointAddresses("structs.c", line, &match);
    ASSERT_EQ(addrs.size(), 1u) << name;
    EXPECT_EQ(match.line, line);
    EXPECT_EQ(match.requestedLine, line);
    const Function *fn = l.symbols->functionAt(addrs[0]);
    ASSERT_TRUE(fn);
    EXPECT_EQ(fn->name, "make_list");
    auto loc = l.symbols->locationAt(addrs[0]);
    ASSERT_TRUE(loc);
    EXPECT_EQ(loc->line, line);
    EXPECT_TRUE(loc->isStmt);
  }
}

TEST(Breakpoints, LineWithoutCodeMovesToTheNextLine) {
  Loaded l = loadModule("structs.O0.wasm");
  ASSERT_TRUE(l.symbols);
  // The blank line before `int divide(...)` and the comment lines of the
  // header have no code.
  uint32_t divideLine = lineOf("structs.c", "int divide(int a, int b) {");
  LineMatch match;
  auto addrs = l.symbols->breakpointAddresses("structs.c", divideLine - 1, &match);
  ASSERT_EQ(addrs.size(), 1u);
  EXPECT_EQ(match.requestedLine, divideLine - 1);
  EXPECT_EQ(match.line, divideLine);
  const Function *fn = l.symbols->functionAt(addrs[0]);
  ASSERT_TRUE(fn);
  EXPECT_EQ(fn->name, "divide");
  // A breakpoint on the opening line stops after the prologue.
  EXPECT_EQ(addrs[0], fn->bodyAddress);
  EXPECT_GT(fn->bodyAddress, fn->lowPc());
  // Nothing at or after a line past the end of the file.
  EXPECT_TRUE(l.symbols->breakpointAddresses("structs.c", 10000, &match).empty());
  EXPECT_EQ(match.line, 0u);
  EXPECT_TRUE(l.symbols->breakpointAddresses("nothere.c", 10).empty());
}

TEST(Breakpoints, CallLineOfAnInlinedFunctionStopsAtTheInlinedCode) {
  // At -O2 make_list is inlined into main and `list = make_list(...)` has no
  // rows of its own: the breakpoint goes to the start of the inlined copy
  // (LLDB 20+), not to the next line with code.
  for (const char *name : {"structs.O2.wasm", "structs.dwarf5.O2.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    uint32_t line = lineOf("structs.c", "struct node *list = make_list(argc + 4);");
    LineMatch match;
    auto addrs = l.symbols->breakpointAddresses("structs.c", line, &match);
    ASSERT_EQ(addrs.size(), 1u) << name;
    EXPECT_EQ(match.line, line) << "the call line itself, not moved";
    auto chain = l.symbols->inlineChainAt(addrs[0]);
    ASSERT_FALSE(chain.empty()) << name;
    EXPECT_EQ(chain.back().name, "make_list");
    EXPECT_EQ(chain.back().callLine, line);
    // The lowest address of the inlined copy.
    uint32_t low = UINT32_MAX;
    for (const AddressRange &r : chain.back().scope->ranges)
      low = std::min(low, r.low);
    EXPECT_EQ(addrs[0], low);
    // At -O0 nothing is inlined: the line has its own rows.
    Loaded o0 = loadModule("structs.O0.wasm");
    auto plain = o0.symbols->breakpointAddresses("structs.c", line, &match);
    ASSERT_EQ(plain.size(), 1u);
    EXPECT_TRUE(o0.symbols->inlineChainAt(plain[0]).empty());
    EXPECT_EQ(o0.symbols->locationAt(plain[0])->line, line);
  }
}

TEST(Breakpoints, LineBeforeAnyFunctionHasNoLocation) {
  // As LLDB: a line well before the function that has the next code is not
  // moved into it.
  Loaded l = loadModule("structs.O0.wasm");
  ASSERT_TRUE(l.symbols);
  uint32_t enumLine = lineOf("structs.c", "enum color {");
  EXPECT_TRUE(l.symbols->breakpointAddresses("structs.c", enumLine).empty());
}

TEST(Breakpoints, InlinedCodeAtO2) {
  for (const char *name : {"inline.O2.wasm", "inline.dwarf5.O2.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    uint32_t line = lineOf("inline.c", "int s = x * x;");
    LineMatch match;
    auto addrs = l.symbols->breakpointAddresses("inline.c", line, &match);
    ASSERT_FALSE(addrs.empty()) << name;
    EXPECT_EQ(match.line, line);
    bool inCrash = false;
    for (uint32_t a : addrs) {
      auto chain = l.symbols->inlineChainAt(a);
      ASSERT_FALSE(chain.empty()) << name << " " << a;
      EXPECT_EQ(chain.front().name, "square");
      const Function *fn = l.symbols->functionAt(a);
      ASSERT_TRUE(fn);
      inCrash |= fn->name == "crash";
    }
    EXPECT_TRUE(inCrash) << name;
  }
}

TEST(Breakpoints, FunctionBodyAddressIsAStatementOfTheFunction) {
  Loaded l = loadModule("structs.O0.wasm");
  ASSERT_TRUE(l.symbols);
  for (const auto &fn : l.symbols->functions()) {
    if (!fn->fromDwarf)
      continue;
    EXPECT_TRUE(fn->contains(fn->bodyAddress)) << fn->name;
    EXPECT_GE(fn->bodyAddress, fn->lowPc());
  }
}

} // namespace
} // namespace wasmscope::debugger::test
