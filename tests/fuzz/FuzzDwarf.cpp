// libFuzzer target: a module with untrusted DWARF through ModuleSymbols::load
// and the queries a debugger makes (DwarfHarness.h). A crash, a sanitizer
// report or a hang is a bug; warnings are the expected outcome.
#include "DwarfHarness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wasmscope::debugger::fuzz::runUntrustedDwarf({data, size});
  return 0;
}
