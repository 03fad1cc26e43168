// libFuzzer target: bytes as a DAP client's whole input to the adapter
// (DapHarness.h). A crash, a sanitizer report, a hang or a message of the
// wrong shape is a bug; error responses are the expected outcome.
#include "DapHarness.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto summary = wasmscope::dap::fuzz::runUntrustedDapStream({data, size});
  if (summary.hung) {
    std::fprintf(stderr, "the adapter did not finish with this input\n");
    std::abort();
  }
  if (!summary.shapeErrors.empty()) {
    for (const auto& error : summary.shapeErrors)
      std::fprintf(stderr, "bad message: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}
