// Superinstructions (INTERNAL_FUSED_PAIRS in InternalOps.h): after a function
// is compiled, each instruction whose successor forms a listed pair with it
// gets the pair's opcode in its opcode word. Nothing else changes: both
// instructions' words stay where they were, so a branch to the second still
// finds it, pcs and offset maps are the same, and un-fusing is one word.
//
// Code that must see every instruction keeps seeing it:
// - a local probe at a pair's second instruction un-fuses the pair while it
//   is there (Store::installProbe), so the probe runs;
// - the second instruction is never a safepoint (a loop header), which
//   another thread may arm at any time;
// - the global probe, memory watches and call hooks dispatch a fused pair as
//   its first instruction (Interpreter.cpp builds those tables so).
#pragma once

#include "wasmscope/runtime/Compiler.h"

namespace wasmscope::runtime {

/// Fuses the listed pairs in `function`'s code and records them in
/// `function.fusedPairs`. The code must hold no probes yet.
void fuseInstructionPairs(CompiledFunction& function);

/// The fused pair whose second instruction is at `pc`, if any.
const FusedPair* fusedPairEndingAt(const CompiledFunction& function, uint32_t pc);

} // namespace wasmscope::runtime
