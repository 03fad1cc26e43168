// The threaded interpreter over internal code (InternalOps.h). Wasm calls
// push records on an explicit frame stack rather than recursing on the host
// stack, so guest recursion depth is bounded only by the configured limits
// and a debugger can walk every frame.
#pragma once

#include "InternalOps.h"
#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/MemoryWatch.h"
#include "wasmscope/runtime/Probes.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::runtime {

class Store;

class Interpreter {
public:
  explicit Interpreter(Store& store);
  ~Interpreter();

  /// Runs `function` with arguments in `slots`; results replace them. `slots`
  /// has room for max(params, results) values.
  Result<void> call(const FunctionInstance& function, uint64_t* slots);

  /// Wasm frames of the current run, innermost first (valid inside hooks).
  std::vector<FrameInfo> frames() const;
  /// The innermost wasm frame while it waits in a host function it called,
  /// as a probe context (inHostCall set); empty outside wasm.
  std::optional<ProbeContext> hostCallContext() const;

private:
  /// What a call saves to resume its caller.
  struct Frame {
    const uint32_t* retIp; ///< Null for the frame that returns to the host.
    Slot* fp;
    const CompiledFunction* func;
    Instance* inst;
  };

  /// The innermost activation, written out before hooks and traps so that
  /// frames() and probe contexts can see it.
  struct Current {
    const uint32_t* ip = nullptr;
    Slot* fp = nullptr;
    const CompiledFunction* func = nullptr;
    Instance* inst = nullptr;
  };

  /// What the local probes (and a safepoint) at one pc decided.
  struct ProbeOutcome {
    bool stop;          ///< End the guest: a hook said Stop, an interrupt, or corrupt code.
    ErrorCode code;     ///< The trap when stopping.
    uint32_t originalOp;
    uint32_t wasmOffset; ///< Where the stop is reported.
  };

  /// What a watched load, store or bulk instruction does next (MemoryWatch.cpp).
  enum class WatchStep : uint8_t {
    Plain, ///< Run the plain handler (no watch touched, or a read reported).
    Done,  ///< The access was done and reported: go to the next instruction.
    Stop,  ///< A hook said Stop.
  };
  struct WatchReport {
    std::shared_ptr<WatchHook> hook;
    MemoryAccess access;
    std::vector<uint8_t> oldBytes, newBytes;
  };

  Result<void> run(const CompiledFunction* func, Instance* inst, Slot* fp);
  WatchStep watchedAccess(Op op, const uint32_t* ip, Slot* fp, MemoryInstance* mem, Instance* inst);
  WatchStep runWatchHooks(std::vector<WatchReport>& reports);
  // Out of line so that the dispatch loop holds no objects with destructors
  // (an indirect goto may not leave their scope).
  bool callHostFromGuest(const FunctionInstance& f, Instance* caller, uint64_t* slots,
                         ErrorCode& code, std::string& message);
  ProbeOutcome runLocalProbes(const CompiledFunction* func, uint32_t pc);
  bool runGlobalProbe();
  void runEntryHook(const CompiledFunction* callee, Instance* inst, Slot* fp, uint32_t visibleLocals);
  void runEntryHookForCall(Slot* fp);
  /// The opcode at `ip`, seen through a probe or safepoint installed there.
  Op originalOpAt(const CompiledFunction* func, const uint32_t* ip) const;
  void runExitHook();
  Error trapError(ErrorCode code, std::string message, std::optional<uint32_t> offset);
  Result<void> callHost(const FunctionInstance& f, Instance* caller, uint64_t* slots);
  ProbeContext makeContext(const Current& at, uint32_t wasmOffset) const;
  uint32_t callDepth() const;

  Store& m_store;
  Slot* m_stack = nullptr;
  Slot* m_stackEnd = nullptr;
  Slot* m_stackTop = nullptr; ///< First slot free for a new run.
  Frame* m_frames = nullptr; ///< calloc'd: maxCallDepth records, touched lazily.
  Frame* m_frameTop = nullptr;
  Frame* m_frameEnd = nullptr;
  Frame* m_runBase = nullptr; ///< Entry frame of the innermost run.
  Current m_current;
};

} // namespace wasmscope::runtime
