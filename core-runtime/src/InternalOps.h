// The interpreter's internal instruction set. It is register based: operands
// are frame slot indices (params, locals and operand-stack positions all live
// in the frame at fixed indices known to the compiler), so wasm's local.get /
// local.set traffic mostly disappears. Each instruction is an opcode word
// followed by 32-bit operand words; 64-bit immediates take two words and
// branch targets are word indices into the function's code.
//
// The numeric and SIMD instructions are generated from Opcodes.def; the rest
// are listed here with their operand counts. A v128 operand names the first
// of its two consecutive slots.
#pragma once

#include "wasmscope/runtime/Opcodes.def"

#include <cstdint>

namespace wasmscope::runtime {

// X(Name, operandWords)
#define INTERNAL_SPECIAL_OPS(X)                                                \
  X(Unreachable, 0)                                                            \
  X(Nop, 0)                                                                    \
  X(Copy, 2)        /* d s */                                                  \
  X(Const32, 2)     /* d imm */                                                \
  X(Const64, 3)     /* d lo hi */                                              \
  X(Br, 1)          /* target */                                               \
  X(BrIf, 2)        /* cond target */                                          \
  X(BrUnless, 2)    /* cond target */                                          \
  X(BrTable, 2)     /* index count, then count+1 targets */                    \
  X(Return, 0)                                                                 \
  X(Return1, 1)     /* s: copy s to slot 0, return */                          \
  X(CallInternal, 3) /* calleeLo calleeHi argBase (CompiledFunction*) */       \
  X(Call, 2)        /* funcIndex argBase (any function, via the instance) */   \
  X(CallIndirect, 4) /* canonicalType table argBase indexSlot */               \
  X(Select, 4)      /* d a b cond */                                           \
  X(GlobalGet, 2)   /* d global */                                             \
  X(GlobalSet, 2)   /* global s */                                             \
  X(TableGet, 3)    /* d table index */                                        \
  X(TableSet, 3)    /* table index value */                                    \
  X(TableSize, 2)   /* d table */                                              \
  X(TableGrow, 4)   /* d table init n */                                       \
  X(TableFill, 4)   /* table i value n */                                      \
  X(TableCopy, 5)   /* dstTable srcTable d s n */                              \
  X(TableInit, 5)   /* table elem d s n */                                     \
  X(ElemDrop, 1)    /* elem */                                                 \
  X(MemorySize, 1)  /* d */                                                    \
  X(MemoryGrow, 2)  /* d n */                                                  \
  X(MemoryInit, 4)  /* data d s n */                                           \
  X(DataDrop, 1)    /* data */                                                 \
  X(MemoryCopy, 3)  /* d s n */                                                \
  X(MemoryFill, 3)  /* d value n */                                            \
  X(RefNull, 1)     /* d */                                                    \
  X(RefIsNull, 2)   /* d a */                                                  \
  X(RefFunc, 2)     /* d func */                                               \
  X(Fuel, 1)        /* cost: charged on entry to a basic block */              \
  X(CountedFuel, 2) /* cost block: charged, and block's counter incremented */ \
  X(Probe, 0)       /* a local probe over the original instruction */

// Moves of v128 values, which take two frame slots, and the v128
// instructions with immediates of their own: X(Name, operandWords)
#define INTERNAL_SIMD_OPS(X)                                                   \
  X(Copy128, 2)     /* d s: slots d, d+1 <- s, s+1 */                          \
  X(Const128, 5)    /* d, then the 16 bytes as 4 words */                      \
  X(Select128, 4)   /* d a b cond */                                           \
  X(GlobalGet128, 2) /* d global */                                            \
  X(GlobalSet128, 2) /* global s */                                            \
  X(V128Store, 3)   /* addr value offset */                                    \
  X(I8x16Shuffle, 7) /* d a b, then the 16 lane indices as 4 words */

// Compare-and-branch fusions for i32 compares: X(Name, compareOp)
#define INTERNAL_FUSED_COMPARES(X)                                             \
  X(I32Eq) X(I32Ne) X(I32LtS) X(I32LtU) X(I32GtS) X(I32GtU) X(I32LeS)         \
  X(I32LeU) X(I32GeS) X(I32GeU)

// Superinstructions: pairs of instructions that often run one after the
// other, from the fall-through pair counts of opcode_stats on the six real
// programs (each weighted equally; share of all instructions executed): the
// first 116 from bench/opcode_stats.md (top 40 per program, default sizes),
// the rest from a `--top 150` run at smaller sizes (docs/Interpreter.md).
// A fused pair keeps both instructions' words exactly where they were; only
// the first opcode word changes, to A_B, whose handler does A's work and
// jumps straight to B's handler instead of dispatching through the table.
// A branch into B still finds B. See InstructionFusion.h for where pairs are
// fused and how probes un-fuse them. X(A, B); A never branches.
#define INTERNAL_FUSED_PAIRS(X)                                                \
  X(I32AddImm, I32AddImm) /* 4.38% */ \
  X(Copy, Copy) /* 2.77% */ \
  X(I32AddImm, I32Load) /* 2.29% */ \
  X(I32AndImm, BrUnless) /* 2.28% */ \
  X(I32Add, I32Load8U) /* 2.28% */ \
  X(I32Add, I32AddImm) /* 1.78% */ \
  X(I64Load, I64Store) /* 1.64% */ \
  X(I64Store, I32AddImm) /* 1.51% */ \
  X(I32Store, I32AddImm) /* 1.47% */ \
  X(I32AddImm, I32Store) /* 1.20% */ \
  X(I32Add, I32Add) /* 1.18% */ \
  X(I32AddImm, I64Load) /* 1.16% */ \
  X(I32Load, Copy) /* 1.08% */ \
  X(Copy, CallInternal) /* 1.02% */ \
  X(I32AddImm, I32Load8U) /* 0.97% */ \
  X(I32ShlImm, I32Add) /* 0.95% */ \
  X(I32Load8U, BrIfI32Ne) /* 0.90% */ \
  X(I32Add, I32Load) /* 0.88% */ \
  X(I32AddImm, BrIfI32Ne) /* 0.87% */ \
  X(I32Load, I32AddImm) /* 0.85% */ \
  X(I32AndImm, I32ShlImm) /* 0.84% */ \
  X(I32Load, I32Store) /* 0.79% */ \
  X(I32AndImm, BrIf) /* 0.77% */ \
  X(I32Load8U, I32Add) /* 0.77% */ \
  X(I32ShrUImm, I32AndImm) /* 0.77% */ \
  X(Copy, Br) /* 0.73% */ \
  X(I32AddImm, I32AndImm) /* 0.65% */ \
  X(Copy, BrIf) /* 0.62% */ \
  X(I32Load, I32Add) /* 0.59% */ \
  X(I32AddImm, Copy) /* 0.58% */ \
  X(I32AddImm, BrIfI32GtUImm) /* 0.56% */ \
  X(I32Store, I32Load) /* 0.50% */ \
  X(I32AddImm, Const32) /* 0.50% */ \
  X(Const32, Select) /* 0.49% */ \
  X(I32MulImm, I32Add) /* 0.47% */ \
  X(I32Load, BrIfI32GeSImm) /* 0.47% */ \
  X(I32Load, BrIf) /* 0.47% */ \
  X(GlobalGet, I32SubImm) /* 0.45% */ \
  X(I32AddImm, GlobalSet) /* 0.45% */ \
  X(I32Mul, I32Add) /* 0.41% */ \
  X(I32Store8, I32AddImm) /* 0.38% */ \
  X(I32Sub, BrIfI32LeUImm) /* 0.38% */ \
  X(I32LtUImm, I32AddImm) /* 0.37% */ \
  X(I32SubImm, GlobalSet) /* 0.37% */ \
  X(I32Load, I32MulImm) /* 0.36% */ \
  X(Copy, I32AddImm) /* 0.35% */ \
  X(I32ShlImm, I32AddImm) /* 0.35% */ \
  X(I32Load8U, I32AddImm) /* 0.33% */ \
  X(Copy, CallIndirect) /* 0.32% */ \
  X(Const32, I32Load) /* 0.32% */ \
  X(I32Load, I32Load) /* 0.31% */ \
  X(I32Store, Copy) /* 0.31% */ \
  X(I32Load16S, I32Mul) /* 0.30% */ \
  X(I32Load8U, I32AndImm) /* 0.29% */ \
  X(I32Add, I32Store) /* 0.29% */ \
  X(I32AddImm, BrIf) /* 0.28% */ \
  X(Copy, I32AndImm) /* 0.28% */ \
  X(I32AndImm, I32ShrUImm) /* 0.27% */ \
  X(I32AndImm, I32Mul) /* 0.27% */ \
  X(I32Load16U, I32Mul) /* 0.27% */ \
  X(I32Mul, I32ShrUImm) /* 0.27% */ \
  X(I32AndImm, BrIfI32Eq) /* 0.27% */ \
  X(I32And, BrIf) /* 0.26% */ \
  X(I32NeImm, I32And) /* 0.26% */ \
  X(I32NeImm, I32NeImm) /* 0.26% */ \
  X(Const32, Const32) /* 0.26% */ \
  X(I32Load, I32ShrSImm) /* 0.24% */ \
  X(I32ShrSImm, I32AndImm) /* 0.24% */ \
  X(I32Load16S, I32Load16S) /* 0.24% */ \
  X(I32Load8U, BrUnless) /* 0.24% */ \
  X(I32Load8U, Br) /* 0.23% */ \
  X(Const32, I32Sub) /* 0.23% */ \
  X(GlobalSet, Return) /* 0.23% */ \
  X(I32Load8U, BrIf) /* 0.23% */ \
  X(Copy, Const32) /* 0.22% */ \
  X(I32AddImm, I32Load16U) /* 0.21% */ \
  X(I32AndImm, I32Or) /* 0.20% */ \
  X(I32Load16S, I32MulImm) /* 0.20% */ \
  X(I32Load16U, I32ShlImm) /* 0.20% */ \
  X(I32Or, I32AndImm) /* 0.20% */ \
  X(Select, I32AddImm) /* 0.20% */ \
  X(I32Load8U, I32Load8U) /* 0.19% */ \
  X(I64Store, I64Load) /* 0.17% */ \
  X(I32Store, I32Store) /* 0.16% */ \
  X(I32AddImm, I32Load16S) /* 0.16% */ \
  X(I32AddImm, BrIfI32LtU) /* 0.15% */ \
  X(I32Load8U, BrIfI32NeImm) /* 0.15% */ \
  X(I32Load16S, I32AddImm) /* 0.14% */ \
  X(I32Mul, I32Load16S) /* 0.14% */ \
  X(I32Add, I32Load16S) /* 0.14% */ \
  X(I32Add, I32Load16U) /* 0.14% */ \
  X(I32Load16U, I32AddImm) /* 0.14% */ \
  X(I32Load16U, I32Load16U) /* 0.14% */ \
  X(I32Load, I32ShlImm) /* 0.13% */ \
  X(I32AddImm, I32Add) /* 0.13% */ \
  X(I32AndImm, BrIfI32Ne) /* 0.12% */ \
  X(I32AddImm, Select) /* 0.11% */ \
  X(GlobalSet, I32Load) /* 0.11% */ \
  X(I32Sub, BrIfI32GtS) /* 0.11% */ \
  X(Const32, I32Store8) /* 0.11% */ \
  X(I32Mul, I32AddImm) /* 0.11% */ \
  X(I32ShrU, I32Add) /* 0.10% */ \
  X(I32And, I32Mul) /* 0.10% */ \
  X(I32Load8U, I32ShlImm) /* 0.10% */ \
  X(I32AddImm, I32Mul) /* 0.10% */ \
  X(I32Load8U, BrIfI32EqImm) /* 0.10% */ \
  X(I32Or, I32Store) /* 0.10% */ \
  X(GlobalSet, I32AddImm) /* 0.10% */ \
  X(I32AddImm, I32And) /* 0.10% */ \
  X(I32And, I32AndImm) /* 0.10% */ \
  X(I32XorImm, I32AddImm) /* 0.10% */ \
  X(Const32, I32Store) /* 0.09% */ \
  X(I32Store, I32Add) /* 0.09% */ \
  X(I32Add, Const32) /* 0.09% */ \
  X(I32And, Select) /* 0.09% */ \
  X(I32AndImm, I32Eq) /* 0.09% */ \
  X(Const32, Copy) /* 0.22% */ \
  X(I32Load, I32Sub) /* 0.22% */ \
  X(Const32, I32AddImm) /* 0.22% */ \
  X(I32Load8U, I32Store8) /* 0.21% */ \
  X(I32Store, Const32) /* 0.20% */ \
  X(Const64, I64Store) /* 0.19% */ \
  X(I32AddImm, BrIfI32LtUImm) /* 0.18% */ \
  X(GlobalSet, Return1) /* 0.17% */ \
  X(I32AddImm, I64Store) /* 0.16% */ \
  X(I32AddImm, BrTable) /* 0.15% */ \
  X(I32Load8S, I32AddImm) /* 0.15% */ \
  X(I32Sub, BrIfI32GeU) /* 0.15% */ \
  X(Const32, CallInternal) /* 0.14% */ \
  X(I32AndImm, I32Add) /* 0.14% */ \
  X(I32Mul, I32Load16U) /* 0.14% */ \
  X(I32Add, Return1) /* 0.13% */ \
  X(I32AddImm, BrIfI32GeU) /* 0.13% */ \
  X(Const32, BrTable) /* 0.13% */ \
  X(I32Load8U, I32Xor) /* 0.13% */ \
  X(I32OrImm, I32AddImm) /* 0.13% */ \
  X(I32AddImm, I32Store8) /* 0.12% */ \
  X(I64Store, I32Load) /* 0.11% */ \
  X(I32AddImm, I32OrImm) /* 0.11% */ \
  X(Const32, Br) /* 0.11% */ \
  X(Select, I32Add) /* 0.10% */ \
  X(I32Sub, I32AddImm) /* 0.09% */ \
  X(I64Xor, I64MulImm) /* 0.09% */ \
  X(Select, Return1) /* 0.09% */ \
  X(I32ShlImm, I32Load) /* 0.08% */ \
  X(I32Load16S, BrIfI32GtS) /* 0.08% */ \
  X(I32MulImm, I32RemU) /* 0.08% */ \
  X(I32MulImm, I32Load) /* 0.08% */ \
  X(I32AndImm, BrIfI32GtU) /* 0.08% */ \
  X(I32AndImm, I32Load16U) /* 0.08% */ \
  X(I32Load, I32Load16S) /* 0.08% */ \
  X(I32Load, I32RemU) /* 0.08% */ \
  X(I32ShlImm, I32Load16S) /* 0.08% */ \
  X(I32AddImm, BrIfI32Eq) /* 0.08% */ \
  X(I32AddImm, Br) /* 0.08% */ \
  X(I32EqImm, Const32) /* 0.08% */ \
  X(I32Eq, I32Eqz) /* 0.08% */ \
  X(I32Eqz, I32And) /* 0.08% */ \
  X(Select, BrIfI32LtU) /* 0.08% */ \
  X(Copy, I32ShrU) /* 0.08% */ \
  X(Select, I32And) /* 0.08% */ \
  X(I32Store, I32Load8U) /* 0.07% */ \
  X(I64Store, Const32) /* 0.07% */ \
  X(I32Load, I32AndImm) /* 0.07% */ \
  X(I32OrImm, I32Store) /* 0.07% */ \
  X(I32ShrUImm, I32Or) /* 0.07% */ \
  X(I32ShlImm, I32ShrUImm) /* 0.07% */ \
  X(Const32, I32Add) /* 0.07% */ \
  X(I32GtSImm, Const32) /* 0.07% */ \
  X(I32AddImm, I32MulImm) /* 0.06% */ \
  X(I32Sub, Const32) /* 0.06% */ \
  X(I32Load8U, I32Or) /* 0.06% */ \
  X(I32Load, BrIfI32LeU) /* 0.06% */ \
  X(I32AndImm, I32AddImm) /* 0.06% */ \
  X(I32Store8, BrIfI32LtUImm) /* 0.06% */ \
  X(I32Load, Const32) /* 0.06% */ \
  X(I32Add, I32ShrUImm) /* 0.06% */ \
  X(I32ShrUImm, I32Xor) /* 0.06% */ \
  X(I32Xor, I32AndImm) /* 0.06% */ \
  X(I64ShrUImm, I64Xor) /* 0.06% */ \
  X(Select, Br) /* 0.06% */ \
  X(Select, Copy) /* 0.05% */ \
  X(I32Load, BrIfI32Ne) /* 0.05% */ \
  X(I32Sub, Return1) /* 0.05% */ \
  X(I32Load16U, BrIfI32Ne) /* 0.05% */ \
  X(I32AndImm, BrIfI32GeUImm) /* 0.05% */ \
  X(Const32, I32Load8U) /* 0.05% */ \
  X(I32Sub, I32OrImm) /* 0.05% */ \
  X(I32Xor, BrUnless) /* 0.05% */ \
  X(I32AndImm, BrIfI32NeImm) /* 0.05% */ \
  X(I32Load, I32ShrUImm) /* 0.05% */ \
  X(Const32, I32Shl) /* 0.05% */ \
  X(I32Load, BrIfI32Eq) /* 0.05% */ \
  X(I32Add, I32AndImm) /* 0.05% */ \
  X(I32AndImm, I32LtUImm) /* 0.05% */ \
  X(I32LtUImm, Const32) /* 0.05% */ \
  X(Select, Select) /* 0.04% */ \
  X(I64Load, I64Load) /* 0.04% */ \
  X(I32ShlImm, I32Or) /* 0.04% */ \
  X(I32MulImm, I32ShrUImm) /* 0.04% */ \
  X(I32Or, I32MulImm) /* 0.04% */ \
  X(I32AddImm, I32EqImm) /* 0.04% */ \
  X(I32Store, Br) /* 0.04% */ \
  X(Copy, BrUnless) /* 0.04% */ \
  X(I64GtU, I64LtU) /* 0.04% */ \
  X(I64Load, I64GtU) /* 0.04% */ \
  X(I64LtU, Const32) /* 0.04% */ \
  X(I32AndImm, I32AndImm) /* 0.04% */ \
  X(Copy, I32Load8S) /* 0.04% */ \
  X(I32ShrUImm, I32AddImm) /* 0.04% */ \
  X(I32LtS, Select) /* 0.04% */ \
  X(I32Load, I32XorImm) /* 0.04% */

// Chained superinstructions: pairs where the second instruction reads the
// first one's result (the frame slot the first writes is the second's
// operand word `word`), the usual shape of address arithmetic feeding a
// load or store, and of a test feeding a branch. The handler still writes
// the first's result to its slot, and hands it to the second in a machine
// register instead of through the slot, off the dependency chain's store and
// reload. The same pair can also be listed above, fused without chaining, for
// when the second reads other slots. X(A, B, word).
#define INTERNAL_CHAINED_PAIRS(X)                                              \
  X(I32AddImm, I32AddImm, 2) \
  X(I32AddImm, I32Load, 2) \
  X(I32AndImm, BrUnless, 1) \
  X(I32Add, I32Load8U, 2) \
  X(I32Add, I32AddImm, 2) \
  X(I64Load, I64Store, 2) \
  X(I32AddImm, I32Store, 1) \
  X(I32Add, I32Add, 2) \
  X(I32Add, I32Add, 3) \
  X(I32AddImm, I64Load, 2) \
  X(I32AddImm, I32Load8U, 2) \
  X(I32ShlImm, I32Add, 2) \
  X(I32ShlImm, I32Add, 3) \
  X(I32Load8U, BrIfI32Ne, 1) \
  X(I32Load8U, BrIfI32Ne, 2) \
  X(I32Add, I32Load, 2) \
  X(I32AddImm, BrIfI32Ne, 1) \
  X(I32Load, I32AddImm, 2) \
  X(I32AndImm, I32ShlImm, 2) \
  X(I32Load, I32Store, 2) \
  X(I32AndImm, BrIf, 1) \
  X(I32Load8U, I32Add, 2) \
  X(I32Load8U, I32Add, 3) \
  X(I32ShrUImm, I32AndImm, 2) \
  X(I32AddImm, I32AndImm, 2) \
  X(I32Load, I32Add, 2) \
  X(I32Load, I32Add, 3) \
  X(I32AddImm, BrIfI32GtUImm, 1) \
  X(I32MulImm, I32Add, 2) \
  X(I32MulImm, I32Add, 3) \
  X(I32Load, BrIfI32GeSImm, 1) \
  X(I32Load, BrIf, 1) \
  X(I32Mul, I32Add, 2) \
  X(I32Mul, I32Add, 3) \
  X(I32Sub, BrIfI32LeUImm, 1) \
  X(I32Load, I32MulImm, 2) \
  X(I32ShlImm, I32AddImm, 2) \
  X(I32Load8U, I32AddImm, 2) \
  X(I32Load, I32Load, 2) \
  X(I32Load16S, I32Mul, 2) \
  X(I32Load16S, I32Mul, 3) \
  X(I32Load8U, I32AndImm, 2) \
  X(I32Add, I32Store, 1) \
  X(I32AddImm, BrIf, 1) \
  X(I32AddImm, I32Load16U, 2) \
  X(I32Load16U, I32Mul, 2) \
  X(I32Load16U, I32Mul, 3) \
  X(I32AndImm, BrIfI32Eq, 1) \
  X(I32And, BrIf, 1) \
  X(I32Load8U, BrUnless, 1) \
  X(I32Load8U, BrIf, 1) \
  X(I32Load, I32Sub, 2) \
  X(I32Load, I32Sub, 3) \
  X(I32Load8U, I32Store8, 2) \
  X(I32AddImm, BrIfI32LtUImm, 1) \
  X(I32AddImm, I64Store, 1) \
  X(I32AndImm, I32Add, 2) \
  X(I32AndImm, I32Add, 3) \
  X(I32Mul, I32Load16U, 2) \
  X(I32AddImm, BrIfI32GeU, 1) \
  X(I32AddImm, BrIfI32GeU, 2) \
  X(I32Sub, BrIfI32GeU, 1) \
  X(I32Sub, BrIfI32GeU, 2) \
  X(I32AddImm, I32Store8, 1) \
  X(I32ShlImm, I32Load, 2) \
  X(I32MulImm, I32Load, 2) \
  X(I32AddImm, BrIfI32Eq, 1) \
  X(I32AddImm, BrIfI32Eq, 2) \
  X(I32Sub, I32AddImm, 2) \
  X(I32ShlImm, I32Load16S, 2) \
  X(I32AndImm, I32Load16U, 2) \
  X(I32Load, I32Load16S, 2) \
  X(I32AndImm, BrIfI32GtU, 1)

enum class Op : uint32_t {
#define X(name, n) name,
  INTERNAL_SPECIAL_OPS(X)
#undef X
#define X(name, text, code, in, out) name,
#define XI(name, text, code, in, out) name, name##Imm,
  WASM_UNARY(X) WASM_BINARY(XI) WASM_FLOAT_BINARY(X) WASM_TRAPPING_UNARY(X)
  WASM_TRAPPING_BINARY(X) WASM_SAT_UNARY(X)
#undef X
#undef XI
#define X(name, text, code, type, bytes, ctype) name,
  WASM_LOAD(X) WASM_STORE(X)
#undef X
#define X(cmp) BrIf##cmp, BrIf##cmp##Imm,
  INTERNAL_FUSED_COMPARES(X)
#undef X
#define X(name, n) name,
  INTERNAL_SIMD_OPS(X)
#undef X
#define X(name, text, code, ...) name,
  WASM_SIMD_UNARY(X) WASM_SIMD_BINARY(X) WASM_SIMD_SHIFT(X) WASM_SIMD_TERNARY(X)
  WASM_SIMD_EXTRACT_LANE(X) WASM_SIMD_REPLACE_LANE(X) WASM_SIMD_LOAD(X)
  WASM_SIMD_LOAD_LANE(X) WASM_SIMD_STORE_LANE(X)
#undef X
#define X(a, b) a##_##b,
  INTERNAL_FUSED_PAIRS(X)
#undef X
#define X(a, b, word) a##_##b##_##word,
  INTERNAL_CHAINED_PAIRS(X)
#undef X
  Count
};

inline constexpr uint32_t kNumOps = uint32_t(Op::Count);

/// Number of words an instruction occupies, opcode included, given a pointer
/// to it (br_table is variable length).
uint32_t instructionWords(const uint32_t* ip);
/// An instruction's name; a fused pair's is its first instruction's, so a
/// listing reads the same fused or not.
const char* opName(Op op);

/// The first instruction of a fused pair, or `op` itself if it is not one.
Op unfusedOp(Op op);
/// The fused pair of `a` followed by `b`, or Op::Count if there is none.
Op fusedOp(Op a, Op b);
/// The best superinstruction for the instruction at `first` followed by the
/// one at `second`: a chained pair if the second reads the first's result
/// in the listed operand word, else a fused pair, else Op::Count.
Op superinstructionFor(const uint32_t* first, const uint32_t* second);
/// Whether `op` is a fused pair.
inline bool isFusedOp(Op op) { return unfusedOp(op) != op; }

} // namespace wasmscope::runtime
