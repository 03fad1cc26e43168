// libFuzzer target: an untrusted module through decode, validate, compile,
// instantiate and run (UntrustedRun.h). A crash, a sanitizer report or a
// hang is a bug; a clean error value is the expected outcome for most inputs.
#include "UntrustedRun.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wasmscope::runtime::fuzz::runUntrustedModule({data, size});
  return 0;
}
