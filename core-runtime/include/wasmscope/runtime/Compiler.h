// The one-pass validator and compiler (spec 3.3 validation; our own
// register-based internal code). Each function body is type-checked and
// translated in the same pass, with branch targets and frame slots resolved,
// and every internal instruction mapped to its wasm instruction's offset.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/ModuleValidator.h"
#include "wasmscope/runtime/Probes.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace wasmscope::runtime {

struct CompileOptions {
  /// Emit per-basic-block fuel charges. Off, the code carries no trace of
  /// metering; on, every block charges its wasm instruction count on entry.
  /// Blocks end after each call, so that a call that never returns
  /// (proc_exit, a trap in the callee) leaves nothing after it charged.
  bool meterFuel = false;
  /// Also count executions of each basic block (implies meterFuel): every
  /// block entry adds one to its counter (Instance::blockCounts). The blocks
  /// are the same as with meterFuel alone. Off, nothing of it is compiled in.
  bool countBlocks = false;
};

/// One basic block of counting code (CompileOptions::countBlocks): the wasm
/// instructions it charges are instructionOffsets [first, first + cost) of
/// CompiledFunction::blockInstructions.
struct CountedBlock {
  uint32_t first = 0; ///< Index into CompiledFunction::blockInstructions.
  uint32_t cost = 0;  ///< Wasm instructions charged on entry.
};

/// One local probe at a pc, as a probe hit needs it.
struct ProbeSlot {
  uint32_t wasmOffset = 0; ///< Of the instruction the probe is before.
  uint64_t id = 0;         ///< The store's probe id.
  /// The hook, owned by the store; valid while the slot is in the list.
  const ProbeHook* hook = nullptr;
  /// Program order: by wasm offset, then installation.
  bool operator<(const ProbeSlot& other) const {
    return wasmOffset != other.wasmOffset ? wasmOffset < other.wasmOffset : id < other.id;
  }
};

/// The local probes at one pc and the opcode they replaced. Several wasm
/// instructions can share a pc (a deferred local.get emits no code), so the
/// probes are kept in program order.
struct InstalledProbe {
  uint32_t originalOp = 0;
  std::vector<ProbeSlot> probes;
  /// A safepoint of Store::interrupt: the entry stays, dormant (the opcode
  /// word restored), when no probe is left.
  bool safepoint = false;
};

/// Two instructions fused into a superinstruction (InstructionFusion.h): the
/// first's opcode word holds the pair's opcode, the second is unchanged.
struct FusedPair {
  uint32_t secondPc = 0;
  uint32_t firstPc = 0;
  uint32_t fusedOp = 0; ///< The pair's opcode, restored when no probe is left at secondPc.
};

/// A defined function, compiled. Internal code is a sequence of 32-bit
/// words: an opcode word followed by its operands (frame slot indices,
/// immediates, branch targets as word indices).
///
/// Every call reads the callee's slot counts and code pointer, so each
/// function starts a cache line and keeps them in its first 64 bytes: with
/// objects straddling lines, quicksort ran 6-8% slower.
struct alignas(64) CompiledFunction {
  FuncIndex index = 0;       ///< In the module's function index space.
  TypeIndex typeIndex = 0;
  uint32_t canonicalType = 0; ///< Structural type id, for call_indirect.
  uint32_t numParams = 0;
  uint32_t numResults = 0;
  uint32_t numLocals = 0;  ///< Wasm locals: params plus declared locals.
  /// Frame slots taken by the params, all locals and the results. A v128
  /// takes two consecutive slots, every other type one, so these equal the
  /// counts above unless the function has v128 values. The locals occupy
  /// slots [0, numLocalSlots) and the operand stack follows them.
  uint32_t numParamSlots = 0;
  uint32_t numLocalSlots = 0;
  uint32_t numResultSlots = 0;
  uint32_t frameSlots = 0; ///< numLocalSlots plus the operand stack's maximum size.
  /// The internal code. A module's own copy is never changed; each instance
  /// runs a copy of its own (Instance::code), in which probes patch opcode
  /// words, so a probe in one instance touches no other.
  std::vector<uint32_t> code;
  std::vector<ValType> localTypes; ///< Params then declared locals.
  /// The frame slot of each wasm local, by local index: where a debugger or
  /// probe finds local i (`fp[localSlots[i]]`, and the next slot for a v128).
  std::vector<uint32_t> localSlots;
  /// Pcs of the CallInternal instructions, whose callee pointers an
  /// instance's copy of the code relocates to its own functions.
  std::vector<uint32_t> directCalls;
  /// Pcs where loops begin: the targets of their back edges, in order.
  std::vector<uint32_t> loopHeaders;

  /// For each internal instruction, by increasing pc: its wasm offset
  /// (code-section-relative).
  std::vector<std::pair<uint32_t, uint32_t>> pcToWasm;
  /// For each wasm instruction, by increasing offset: the pc where execution
  /// is when that instruction is about to run.
  std::vector<std::pair<uint32_t, uint32_t>> wasmToPc;
  uint32_t bodyOffset = 0; ///< Code-section-relative offset of the first instruction.
  uint32_t bodyEnd = 0;    ///< Code-section-relative offset just past the final `end`.

  /// Counting code only (CompileOptions::countBlocks): the function's basic
  /// blocks, whose counters are module-wide ids firstBlock, firstBlock + 1,
  /// ...; and the code offsets of the wasm instructions each block charges,
  /// block after block (an instruction in unreachable code is in none).
  std::vector<CountedBlock> blocks;
  std::vector<uint32_t> blockInstructions;
  uint32_t firstBlock = 0;

  /// The fused pairs, by increasing secondPc. A probe at a pair's second
  /// instruction un-fuses the pair while it is there.
  std::vector<FusedPair> fusedPairs;

  /// Probes (and safepoints) currently installed, by pc; empty in a module's
  /// own copy of the code.
  std::unordered_map<uint32_t, InstalledProbe> probes;

  /// Wasm offset of the instruction containing internal pc `pc`.
  uint32_t wasmOffsetAt(uint32_t pc) const;
  /// The pc that runs when the wasm instruction at `wasmOffset` is next; empty
  /// if no instruction starts there.
  std::optional<uint32_t> pcAt(uint32_t wasmOffset) const;
  /// Wasm offsets of all instructions in this function, in order.
  std::vector<uint32_t> instructionOffsets() const;
};

/// A validated and compiled module. Only this type can be instantiated, so
/// "validated before run" holds by construction.
class CompiledModule {
public:
  const Module& module() const { return m_module; }
  const CompileOptions& options() const { return m_options; }
  /// Defined functions, indexed by (function index - imported functions).
  std::vector<CompiledFunction>& functions() { return m_functions; }
  const std::vector<CompiledFunction>& functions() const { return m_functions; }
  /// The compiled form of function `f`, or null if `f` is imported.
  CompiledFunction* function(FuncIndex f);
  const CompiledFunction* function(FuncIndex f) const;
  /// The defined function whose body contains code-section offset `offset`.
  const CompiledFunction* functionAt(uint32_t offset) const;
  /// Counting code only: the number of basic blocks over all functions
  /// (block counter ids are 0 .. numBlocks()-1).
  uint32_t numBlocks() const { return m_numBlocks; }
  /// Module-level facts the compiler derived (declared function references).
  const ModuleContext& context() const { return m_context; }

private:
  friend Result<std::shared_ptr<CompiledModule>> compileModule(Module, const CompileOptions&);
  Module m_module;
  CompileOptions m_options;
  std::vector<CompiledFunction> m_functions;
  ModuleContext m_context;
  uint32_t m_numBlocks = 0;
};

/// Locals (params included) all functions of a module may declare together;
/// beyond, compilation fails with "too many locals".
inline constexpr uint64_t kMaxModuleLocals = uint64_t(1) << 25;

/// Validates and compiles a decoded module.
Result<std::shared_ptr<CompiledModule>> compileModule(Module module,
                                                      const CompileOptions& options = {});

/// Decodes, validates and compiles in one step.
Result<std::shared_ptr<CompiledModule>> loadModule(std::span<const uint8_t> bytes,
                                                   const CompileOptions& options = {});

/// A listing of a function's internal code, one instruction a line with its
/// pc, wasm offset and operands (for tests, docs and --dump-code).
std::string disassemble(const CompiledFunction& function);

/// A structural id for a function type, equal for equal types across modules.
uint32_t canonicalTypeId(const FuncType& type);

} // namespace wasmscope::runtime
