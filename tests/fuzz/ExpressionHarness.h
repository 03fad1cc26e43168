// Parses and evaluates an untrusted C expression the way the fuzzer does,
// against a fixed fake frame (FakeFrame.cpp) whose variables have types
// hostile DWARF could describe: a list whose last node points back to the
// first, a typedef cycle, an array of arrays, a struct that is its own
// anonymous member, a pointer chain thousands deep, a function type whose
// parameters point back to it. The value is then formatted and expanded as
// the variables view would. Shared by the libFuzzer target and the replay
// of tests/regression/expressions/.
#pragma once

#include <string>
#include <string_view>

namespace wasmscope::debugger::fuzz {

struct ExpressionRunSummary {
  bool parsed = false;
  bool evaluated = false;
  std::string value; ///< The formatted value, or the error.
};

ExpressionRunSummary runUntrustedExpression(std::string_view text);

} // namespace wasmscope::debugger::fuzz
