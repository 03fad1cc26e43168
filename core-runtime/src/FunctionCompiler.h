// Validates one function body and compiles it to register-based internal code
// in a single pass (spec 3.3 and appendix A.3, "validation algorithm").
//
// The compiler keeps an abstract operand stack. Each position of the wasm
// operand stack owns frame slots right after the locals, laid out by the
// types below it (a v128 takes two slots, everything else one), so a
// position's slots depend only on the types under it and agree on every path
// to a merge. An entry may be *deferred*:
// a local.get or a constant is not copied to its slot until something needs
// it there, so `local.get a; local.get b; i32.add; local.set c` becomes one
// instruction `i32.add c, a, b`. Deferred entries are made real before any
// control-flow merge, call, or write to the local they name.
#pragma once

#include "InternalOps.h"
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/ModuleValidator.h"

#include <optional>
#include <vector>

namespace wasmscope::runtime {

class BinaryReader;

/// An abstract operand-stack entry, as a probe sees it too.
struct StackEntry {
  enum class Kind : uint8_t { Slot, Local, Const };
  ValType type;
  Kind kind = Kind::Slot;
  uint32_t local = 0; ///< For Kind::Local: the wasm local index.
  uint64_t bits = 0;  ///< For Kind::Const (a v128's bytes 0-7).
  uint64_t high = 0;  ///< For a v128 Kind::Const: bytes 8-15.
  uint32_t slot = 0;  ///< First frame slot of this stack position.
};

class FunctionCompiler {
public:
  /// `functionsBase` is the module's array of compiled functions, which
  /// direct calls point into; null when only analysing.
  FunctionCompiler(const Module& module, const ModuleContext& context,
                   const CompileOptions& options, FuncIndex index, CompiledFunction& out,
                   const CompiledFunction* functionsBase);

  Result<void> compile();

  /// Replays compilation up to the instruction at `wasmOffset` and returns the
  /// abstract stack there (used to show probes the operand stack).
  static Result<std::vector<StackEntry>> stackAt(const Module& module,
                                                  const ModuleContext& context,
                                                  FuncIndex index, uint32_t wasmOffset);

private:
  struct Ctrl {
    uint8_t opcode; ///< Block, Loop, If, Else, or 0 for the function body.
    std::vector<ValType> params;
    std::vector<ValType> results;
    uint32_t height = 0;       ///< Stack height below the block's params.
    uint32_t slotHeight = 0;   ///< First frame slot at that height.
    bool unreachable = false;
    uint32_t loopPc = 0;
    std::vector<uint32_t> fixups{}; ///< Code words to patch with the end pc.
    uint32_t elseFixup = UINT32_MAX;
    const std::vector<ValType>& labelTypes() const { return opcode == 0x03 ? params : results; }
  };

  Result<void> compileInstruction(BinaryReader& r, uint8_t opcode);
  Result<void> compilePrefixed(BinaryReader& r);
  /// The 0xFD-prefixed SIMD instructions (FunctionCompilerSimd.cpp).
  Result<void> compileSimd(BinaryReader& r);
  /// Pops `operands` (last on top) and emits `op`: its result slot if
  /// `result` is given, the operands' slots, then `immediates`.
  Result<void> emitOperation(Op op, std::initializer_list<ValType> operands,
                             std::optional<ValType> result,
                             std::initializer_list<uint32_t> immediates);
  Result<void> compileEnd();
  Result<void> compileBinary(Op op, ValType in, ValType out, bool hasImm);
  static uint64_t foldBinary(Op op, uint64_t a, uint64_t b);

  // Validation helpers.
  Error fail(ErrorCode code, std::string message = {}) const;
  Result<StackEntry> pop(ValType expected);
  Result<StackEntry> popAny();
  void push(ValType type);
  void pushEntry(StackEntry e);
  Result<void> popTypes(const std::vector<ValType>& types);
  Result<void> checkLabel(uint32_t depth);
  Result<std::pair<std::vector<ValType>, std::vector<ValType>>> readBlockType(BinaryReader& r);
  Result<uint32_t> readMemArg(BinaryReader& r, uint32_t naturalAlign);
  Result<void> checkMemory(uint32_t index);
  Result<void> checkTable(uint32_t index);
  Result<void> checkData(uint32_t index);
  void markUnreachable();
  bool emitting() const { return !m_ctrls.back().unreachable && !m_analysisOnly; }

  // Emission.
  /// The first frame slot of the next value pushed.
  uint32_t nextSlot() const {
    return m_stack.empty() ? m_out.numLocalSlots : m_stack.back().slot + slotCount(m_stack.back().type);
  }
  uint32_t localSlot(uint32_t local) const { return m_out.localSlots[local]; }
  uint32_t pc() const { return uint32_t(m_out.code.size()); }
  void emitOp(Op op);
  void emitWord(uint32_t w) { m_out.code.push_back(w); }
  void emit64(uint64_t v) {
    emitWord(uint32_t(v));
    emitWord(uint32_t(v >> 32));
  }
  /// Slot holding entry `e` (popped or on the stack), writing a deferred
  /// constant to the entry's own slot first.
  uint32_t operandSlot(StackEntry& e);
  /// Writes entry `e` into slot `dest` (a copy or a constant).
  void emitMove(const StackEntry& e, uint32_t sourceSlot, uint32_t dest);
  void materialize(uint32_t position);
  void materializeAll();
  void materializeLocal(uint32_t local);
  /// Moves the top `count` entries to consecutive slots from `destSlot`.
  void moveTopTo(uint32_t count, uint32_t destSlot);
  void emitBranchTo(uint32_t depth);
  void startBasicBlock();
  /// Writes the open fuel block's cost (and its CountedBlock's) and closes it.
  void closeFuelBlock();
  void invalidateLast() { m_lastDst = UINT32_MAX; m_lastCmp.reset(); }
  uint32_t pushResult(ValType type);

  const Module& m_module;
  const ModuleContext& m_context;
  const CompileOptions& m_options;
  FuncIndex m_index;
  CompiledFunction& m_out;
  const CompiledFunction* m_functionsBase;
  const FuncType& m_type;

  std::vector<StackEntry> m_stack;
  std::vector<Ctrl> m_ctrls;
  uint32_t m_maxSlots = 0; ///< One past the highest frame slot the stack used.
  uint32_t m_instrOffset = 0; ///< Current instruction, code-section-relative.
  uint32_t m_instrAbsolute = 0; ///< Current instruction, in the module's bytes.

  // Peephole state: the last emitted instruction's destination word, if it
  // wrote a fresh stack slot that local.set may retarget.
  uint32_t m_lastDst = UINT32_MAX;
  struct LastCompare {
    uint32_t start; ///< First word of the compare instruction.
    uint32_t end;   ///< One past its last word.
    Op op;
    uint32_t a;
    uint32_t b;
    bool imm;
    uint32_t resultPosition;
  };
  std::optional<LastCompare> m_lastCmp;

  uint32_t m_fuelWord = UINT32_MAX; ///< Cost word of the open fuel block.
  uint32_t m_fuelCount = 0;

  bool m_analysisOnly = false;
  std::optional<uint32_t> m_stopAt;
  std::optional<std::vector<StackEntry>> m_stackAtStop;
};

} // namespace wasmscope::runtime
