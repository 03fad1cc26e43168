// Loads the symbols of an untrusted module the way the fuzzer does
// (decode, ModuleSymbols::load) and asks them what a debugger asks: lines,
// functions, inlined frames, breakpoint addresses, variables with their
// location expressions evaluated against a fake frame, and type names.
// Work per input is bounded (the first items of each list). Shared by the
// libFuzzer target and the replay of tests/regression/dwarf/ and the seeds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wasmscope::debugger::fuzz {

struct DwarfRunSummary {
  bool decoded = false;
  bool hasDwarf = false;
  size_t functions = 0;
  size_t variables = 0; ///< Variables whose location was evaluated.
  size_t types = 0;     ///< Types whose name was spelled.
};

DwarfRunSummary runUntrustedDwarf(std::span<const uint8_t> bytes);

} // namespace wasmscope::debugger::fuzz
