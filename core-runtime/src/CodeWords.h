// Reading and writing the opcode words of code that may be running. Probes
// and safepoints patch opcode words in place; Store::interrupt() arms
// safepoints from another thread while the guest runs. Every such word is
// therefore read and written with relaxed atomic operations: an aligned
// 32-bit access that compiles to a plain load or store on the hosts we
// support, and that the thread sanitizer knows to be race-free. The guest
// sees either the old or the new opcode, and either is correct.
#pragma once

#include "wasmscope/runtime/Compiler.h"

#include <cstdint>

namespace wasmscope::runtime {

/// The opcode word at `word`, which another thread may be writing.
inline uint32_t loadCodeWord(const uint32_t* word) {
  return __atomic_load_n(word, __ATOMIC_RELAXED);
}

/// Writes the opcode word at `pc` of `function`'s code.
inline void storeCodeWord(CompiledFunction& function, uint32_t pc, uint32_t value) {
  __atomic_store_n(&function.code[pc], value, __ATOMIC_RELAXED);
}

} // namespace wasmscope::runtime
