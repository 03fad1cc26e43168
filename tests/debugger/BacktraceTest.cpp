// Symbolicated backtraces as `wasmscope run` prints them.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger::test {
namespace {

TEST(Backtrace, FunctionsWithFileLineColumn) {
  Loaded l = loadModule("structs.O0.wasm");
  ASSERT_TRUE(l.symbols);
  const ModuleSymbols &s = *l.symbols;
  uint32_t divideAt = s.breakpointAddresses("structs.c", lineOf("structs.c", "return a / b;"))[0];
  uint32_t callAt = s.breakpointAddresses("structs.c", lineOf("structs.c", "return divide("))[0];
  const Function *divide = s.functionAt(divideAt);
  const Function *main = s.functionAt(callAt);
  std::vector<runtime::FrameInfo> frames(2);
  frames[0].funcIndex = divide->funcIndex;
  frames[0].wasmOffset = divideAt;
  frames[1].funcIndex = main->funcIndex;
  frames[1].wasmOffset = callAt;
  std::string text = formatBacktrace(frames, *l.module, &s);
  std::string file = sourcePath("structs.c");
  EXPECT_NE(text.find("backtrace:\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#0  0x"), std::string::npos) << text;
  EXPECT_NE(text.find(" divide at " + file + ":" +
                      std::to_string(lineOf("structs.c", "return a / b;")) + ":"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("#1  0x"), std::string::npos) << text;
  // main(argc, argv) is wasi-libc's __main_argc_argv underneath; a
  // backtrace shows the name as written.
  EXPECT_EQ(main->linkageName, "__main_argc_argv");
  EXPECT_NE(
      text.find(" main at " + file + ":" + std::to_string(lineOf("structs.c", "return divide("))),
      std::string::npos)
      << text;
  // Without symbols: names from the name section only.
  std::string plain = formatBacktrace(frames, *l.module, nullptr);
  EXPECT_NE(plain.find(" divide\n"), std::string::npos) << plain;
  EXPECT_EQ(plain.find(" at "), std::string::npos) << plain;
}

TEST(Backtrace, InlinedFramesAreListed) {
  Loaded l = loadModule("inline.O2.wasm");
  ASSERT_TRUE(l.symbols);
  const ModuleSymbols &s = *l.symbols;
  const Function *crash = s.findFunctions("crash").at(0);
  uint32_t pc = 0;
  for (uint32_t a = crash->lowPc(); a < crash->ranges.back().high && !pc; ++a)
    if (!s.inlineChainAt(a).empty() && s.locationAt(a) && s.locationAt(a)->line)
      pc = a;
  ASSERT_NE(pc, 0u);
  runtime::FrameInfo frame;
  frame.funcIndex = crash->funcIndex;
  frame.wasmOffset = pc;
  std::string text = formatBacktrace(std::span(&frame, 1), *l.module, &s);
  EXPECT_NE(text.find("#0  "), std::string::npos);
  EXPECT_NE(text.find(" square at "), std::string::npos) << text;
  EXPECT_NE(text.find(" [inlined]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#1  "), std::string::npos);
  EXPECT_NE(text.find(" crash at " + sourcePath("inline.c") + ":" +
                      std::to_string(lineOf("inline.c", "int v = square(k);")) + ":11\n"),
            std::string::npos)
      << text;
}

} // namespace
} // namespace wasmscope::debugger::test
