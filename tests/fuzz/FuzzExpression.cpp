// libFuzzer target: bytes as a C expression for the debugger's parser and
// evaluator, against a fixed fake frame with hostile types
// (ExpressionHarness.h). A crash or sanitizer report is a bug; a clear error
// is the expected outcome for most inputs.
#include "ExpressionHarness.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wasmscope::debugger::fuzz::runUntrustedExpression(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
