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
  Count
};

inline constexpr uint32_t kNumOps = uint32_t(Op::Count);

/// Number of words an instruction occupies, opcode included, given a pointer
/// to it (br_table is variable length).
uint32_t instructionWords(const uint32_t* ip);
const char* opName(Op op);

} // namespace wasmscope::runtime
