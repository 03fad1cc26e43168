// Probes: the single instrumentation mechanism (after the Wizard engine).
// Local probes overwrite one internal instruction; the global probe switches
// the interpreter to a dispatch table whose handlers call the hook first;
// function hooks switch the call and return handlers; fuel is charged per
// basic block by code compiled with CompileOptions::meterFuel. With none of
// them in use the interpreter runs the same code as a build without them.
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
  Slot* locals = nullptr;  ///< Params then locals; numLocals slots.
  uint32_t numLocals = 0;
};

/// The guest state a probe sees. Valid only during the hook call.
struct ProbeContext {
  Store& store;
  Instance* instance;
  const FunctionInstance* function;
  FuncIndex funcIndex;
  uint32_t wasmOffset; ///< Of the instruction about to execute.
  Slot* locals;        ///< Params then declared locals; writable.
  uint32_t numLocals;
  uint32_t callDepth;  ///< Number of wasm frames, this one included.
  /// The frame waits in a host function it called (wasmOffset is the call):
  /// an interrupt handler run from a blocking host call sees this.
  bool inHostCall = false;

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
/// exit, normal or by trap. `results` is empty on a trap exit.
struct FunctionHooks {
  std::function<void(ProbeContext&)> onEntry;
  std::function<void(ProbeContext&, std::span<const Value> results, bool trapped)> onExit;
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
