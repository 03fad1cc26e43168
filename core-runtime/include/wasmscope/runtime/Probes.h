// Probes: the single instrumentation mechanism (after the Wizard engine).
// Local probes overwrite one internal instruction; the global probe switches
// the interpreter to a dispatch table whose handlers call the hook first;
// function hooks (and the lighter call hooks, for profilers) switch the call
// and return handlers; fuel is charged per
// basic block by code compiled with CompileOptions::meterFuel, and blocks are
// counted (Instance::blockCounts) by code compiled with countBlocks. With
// none of them in use the interpreter runs the same code as a build without
// them.
#pragma once

#include "wasmscope/runtime/Types.h"
#include "wasmscope/runtime/Value.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace wasmscope::runtime {

class Store;
class Instance;
struct FunctionInstance;

/// One wasm activation, innermost first in Store::frames().
struct FrameInfo {
  const FunctionInstance* function = nullptr;
  FuncIndex funcIndex = 0;
  uint32_t wasmOffset = 0; ///< Current instruction (code-section-relative).
  Slot* locals = nullptr;  ///< The frame: params and locals, then the operand stack.
  uint32_t numLocals = 0;  ///< Wasm locals (params included).
  /// Slot of each wasm local in `locals` (CompiledFunction::localSlots); a
  /// v128 local takes that slot and the next. Null means local i is at slot i.
  const uint32_t* localSlots = nullptr;

  /// The first slot of wasm local `i` (< numLocals).
  Slot* local(uint32_t i) const { return locals + (localSlots ? localSlots[i] : i); }
  /// The frame's operand stack before `wasmOffset`, bottom first, typed: for
  /// a caller, the values it holds across the call (the call's arguments on
  /// top). Empty for a host frame. Valid while the frame is live.
  std::vector<Value> operandStack() const;
};

/// The guest state a probe sees. Valid only during the hook call.
struct ProbeContext {
  Store& store;
  Instance* instance;
  const FunctionInstance* function;
  FuncIndex funcIndex;
  uint32_t wasmOffset; ///< Of the instruction about to execute.
  Slot* locals;        ///< The frame: params then declared locals; writable.
  uint32_t numLocals;  ///< Wasm locals (params included).
  uint32_t callDepth;  ///< Number of wasm frames, this one included.
  /// The frame waits in a host function it called (wasmOffset is the call):
  /// an interrupt handler run from a blocking host call sees this.
  bool inHostCall = false;
  /// At a return probe (Store::addReturnProbes): the values the function is
  /// about to return, one slot per result of its type; null elsewhere.
  const Slot* results = nullptr;
  /// Slot of each wasm local in `locals`; null means local i is at slot i.
  const uint32_t* localSlots = nullptr;

  /// The first slot of wasm local `i` (< numLocals); a v128 takes two.
  Slot* localSlot(uint32_t i) const { return locals + (localSlots ? localSlots[i] : i); }

  /// The operand stack before the instruction, bottom first, typed.
  std::vector<Value> operandStack() const;
  /// Local i as a typed value.
  Value local(uint32_t i) const;
};

enum class ProbeAction : uint8_t {
  Continue, ///< Run the instruction.
  Stop,     ///< End the guest with ErrorCode::Interrupted.
};

using ProbeHook = std::function<ProbeAction(ProbeContext&)>;
using ProbeId = uint64_t;

/// Called on entry to a wasm function (arguments are its first locals) and on
/// exit, normal or by trap. `results` is empty on a trap exit. A trap (or a
/// proc_exit, or a probe's Stop) calls onExit for every frame it unwinds,
/// innermost first, with `trapped` set.
struct FunctionHooks {
  std::function<void(ProbeContext&)> onEntry;
  std::function<void(ProbeContext&, std::span<const Value> results, bool trapped)> onExit;
};

/// The lightest way to follow calls, for observers that need only which
/// function runs when (profilers): no ProbeContext is built and no result is
/// copied. Each hook may be set alone; they can be combined with
/// FunctionHooks.
///  - onCall: a wasm function is entered (its instance and index), before
///    its first instruction;
///  - onReturn: the innermost wasm function returns normally;
///  - onUnwind: a trap (or proc_exit, or a probe's Stop) ends the run; the
///    frames it unwinds, innermost first, the first at the trapping
///    instruction (a call whose callee never started is not among them);
///  - onHostCall, onHostReturn: a host function (a WASI import) is called
///    from wasm and returns; `failed` when it ended the guest. They cost
///    nothing on wasm-to-wasm calls: a host call leaves the dispatch loop
///    anyway.
struct CallHooks {
  std::function<void(Instance& instance, FuncIndex callee)> onCall;
  std::function<void()> onReturn;
  std::function<void(std::span<const FrameInfo> unwound)> onUnwind;
  std::function<void(const FunctionInstance& callee)> onHostCall;
  std::function<void(const FunctionInstance& callee, bool failed)> onHostReturn;
};

/// Why Store::interrupt asks the guest to stop (bits; several may be pending).
enum class InterruptKind : uint32_t {
  Stop = 1,    ///< End the guest: ErrorCode::Interrupted.
  Timeout = 2, ///< End the guest: ErrorCode::WallClockLimitExceeded.
  Notify = 4,  ///< Run the store's interrupt handler on the guest's thread.
};

/// Runs on the guest's thread where a Notify request takes effect.
using InterruptHandler = std::function<ProbeAction(ProbeContext&)>;

/// What to do when fuel runs out: add more and go on, or trap "out of fuel".
struct FuelDecision {
  bool refill = false;
  uint64_t amount = 0;
};
using FuelHandler = std::function<FuelDecision(Store&)>;

} // namespace wasmscope::runtime
