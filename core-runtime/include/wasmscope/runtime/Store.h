// The Store (spec 4.2.3) owns every runtime object of one guest run, links
// imports, instantiates modules and runs them. It also holds the run's
// limits, its instrumentation (probes, function hooks, fuel) and the means
// to interrupt it from another thread. A store runs on one thread at a time;
// only interrupt() may be called from others.
#pragma once

#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/MemoryWatch.h"
#include "wasmscope/runtime/Probes.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::runtime {

class Interpreter;

/// Resource limits for a run: every host allocation a module can size is
/// bounded by one of them, so a hostile module gets an error, not the host's
/// memory.
struct ResourceLimits {
  /// Pages each linear memory may reach: memory.grow beyond fails (returns
  /// -1, as the spec allows any grow to), and only this much address space
  /// is reserved. An initial size beyond it traps "memory limit exceeded" at
  /// instantiation.
  uint64_t maxMemoryPages = kMaxPages;
  uint32_t maxCallDepth = 100000;      ///< "call stack exhausted" beyond.
  uint64_t valueStackSlots = 16u << 20; ///< 128 MiB of address space, touched lazily.
  /// Elements all tables of the store may hold together (8 bytes each): an
  /// instantiation beyond is a link error naming the table, a table.grow
  /// beyond returns -1.
  uint64_t maxTableElements = 10'000'000;
};

/// Resolves imports by (module, name). Modules are registered under a name
/// and export all their exports to later instantiations.
class Linker {
public:
  void define(std::string module, std::string name, Extern value);
  /// Makes every export of `instance` importable as (`module`, export name).
  void defineInstance(const std::string& module, const Instance& instance);
  std::optional<Extern> resolve(std::string_view module, std::string_view name) const;

private:
  std::map<std::pair<std::string, std::string>, Extern, std::less<>> m_defs;
};

class Store {
public:
  explicit Store(ResourceLimits limits = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const ResourceLimits& limits() const { return m_limits; }

  /// Links imports, allocates, initialises segments and runs the start
  /// function (spec 4.5.4). A trap in the start function is returned as an
  /// error; the instance's effects on shared imports stay, as the spec says.
  Result<Instance*> instantiate(std::shared_ptr<const CompiledModule> module,
                                const Linker& linker, std::string name = {});

  /// Calls a function with typed arguments (checked against its type).
  Result<std::vector<Value>> invoke(const FunctionInstance& function,
                                    std::span<const Value> args);

  // --- Objects created by the host (for host modules). ---
  FunctionInstance* createHostFunction(std::string name, FuncType type, HostFunction fn);
  GlobalInstance* createGlobal(GlobalType type, uint64_t value);
  /// Fails with MemoryLimitExceeded when the initial size is beyond the limit.
  Result<MemoryInstance*> createMemory(const MemoryType& type);
  /// Fails with TableLimitExceeded when the store's tables would hold more
  /// than ResourceLimits::maxTableElements; `what` names the table then.
  Result<TableInstance*> createTable(const TableType& type, uint64_t init = 0,
                                     std::string_view what = "table");
  /// table.grow: grows `table` by `delta` elements set to `init` within its
  /// type's maximum and the store's table-element limit; the old size or -1.
  int64_t growTable(TableInstance& table, uint64_t delta, uint64_t init);
  /// Elements held by all tables of this store.
  uint64_t tableElements() const { return m_tableElements; }
  Instance* adoptInstance(std::unique_ptr<Instance> instance);

  // --- Instrumentation. ---
  /// Installs a probe before the wasm instruction at `wasmOffset` (code-section
  /// relative) of defined function `func` of `instance`, an instance of this
  /// store. Only that instance's code changes. Fails if no instruction starts
  /// there. A hook may add and remove probes, its own included.
  Result<ProbeId> addLocalProbe(Instance& instance, FuncIndex func, uint32_t wasmOffset,
                                ProbeHook hook);
  void removeLocalProbe(ProbeId id);
  /// Installs `hook` before every return of defined function `func` of
  /// `instance`: each `return`, the body's final `end` and each branch to
  /// the body's label, which the compiler all turns into return
  /// instructions. The hook sees the results (ProbeContext::results) and the
  /// frame still in place. Only this function pays: no other call or return
  /// is hooked. Returns one probe id per return point (remove each with
  /// removeLocalProbe).
  Result<std::vector<ProbeId>> addReturnProbes(Instance& instance, FuncIndex func,
                                               ProbeHook hook);
  /// Sets (or clears, with an empty hook) the hook run before every instruction.
  void setGlobalProbe(ProbeHook hook);
  void setFunctionHooks(FunctionHooks hooks);
  void clearFunctionHooks();
  /// Sets (or, with empty hooks, clears) the lightweight call hooks.
  void setCallHooks(CallHooks hooks);

  /// Watches [address, address + size) of `memory` for the accesses in
  /// `access` (MemoryWatch.h). Fails on an empty range, one past 4 GiB, or an
  /// empty hook. Takes effect at the guest's next instruction.
  Result<WatchId> addMemoryWatch(const MemoryInstance& memory, uint64_t address, uint64_t size,
                                 WatchAccess access, WatchHook hook);
  void removeMemoryWatch(WatchId id);
  const MemoryWatchSet& memoryWatches() const { return m_watches; }

  /// Fuel: only charged by modules compiled with CompileOptions::meterFuel.
  void setFuel(uint64_t fuel);
  uint64_t fuel() const { return m_fuel < 0 ? 0 : uint64_t(m_fuel); }
  /// Fuel consumed since the last setFuel, including refills. Inline: a
  /// profiler stamps every call-trace event with it.
  uint64_t fuelConsumed() const { return m_fuelStart + m_fuelAdded - fuel(); }
  void setFuelHandler(FuelHandler handler) { m_fuelHandler = std::move(handler); }

  // --- Interruption (Interrupts.cpp). ---
  /// Makes the guest interruptible: every function entry and loop header of
  /// every instance, present and future, gets a dormant safepoint. Until
  /// interrupt() arms them they cost nothing: the code is as it was. Call on
  /// the guest's thread, while no guest code runs. Idempotent.
  void enableInterrupts();
  bool interruptsEnabled() const { return m_interruptible; }
  /// Asks the running guest to stop, from any thread: the safepoints are
  /// armed (one atomic store per code word) and the interrupt fd is
  /// signalled, so the guest acts on it at its next function entry or loop
  /// back edge, or at once inside a blocking host call (see interruptFd).
  /// Stop and Timeout end the guest with ErrorCode::Interrupted and
  /// ErrorCode::WallClockLimitExceeded; Notify calls the interrupt handler on
  /// the guest's thread. A request stays pending until the guest acts on it.
  /// Needs enableInterrupts().
  void interrupt(InterruptKind kind);
  /// Called on the guest's thread when a Notify request is acted on, with the
  /// guest's innermost frame (ProbeContext::inHostCall when it waits in a
  /// blocking host call); returning Stop ends the guest (Interrupted).
  void setInterruptHandler(InterruptHandler handler) { m_interruptHandler = std::move(handler); }
  /// For host functions that wait (a sleep, a read from a pipe): a file
  /// descriptor that becomes readable when an interrupt is requested, to add
  /// to the poll set; -1 when interrupts are not enabled.
  int interruptFd() const { return m_wakeFd; }
  /// For host functions that wait, when interruptFd() became readable: acts
  /// on the pending request as a safepoint would. Returns the error the host
  /// function must return (the guest traps at the call, with its frames) for
  /// Stop and Timeout or when the handler says Stop; success when the wait
  /// should go on (after a Notify handled by, say, a debugger's pause).
  Result<void> serviceInterrupt();

  /// The wasm call stack, innermost first: live during a probe hook, and kept
  /// as it was at the moment of the last trap afterwards.
  std::vector<FrameInfo> frames() const;
  const std::vector<FrameInfo>& lastTrapFrames() const { return m_trapFrames; }

private:
  friend class Interpreter;
  friend class HostModuleBuilder;
  friend struct ProbeContext;
  friend class HostMemoryWrites;

  void updateHookFlags();

  struct LocalProbe {
    CompiledFunction* function;
    uint32_t pc;
    uint32_t wasmOffset;
    ProbeHook hook;
  };
  /// A function entry or loop header of an instance's code.
  struct Safepoint {
    CompiledFunction* function;
    uint32_t pc;
  };

  void installSafepoints(Instance& instance);
  /// The instance's own copy of defined function `func`, or null.
  static CompiledFunction* instanceCode(Instance& instance, FuncIndex func);
  /// Installs a probe at internal pc `pc` (an instruction start) of `cf`.
  ProbeId installProbe(CompiledFunction& cf, uint32_t pc, uint32_t wasmOffset, ProbeHook hook);
  /// Sets the opcode that runs at `pc`: the word itself, or the one a probe
  /// or safepoint there keeps (un-fusing and re-fusing superinstructions).
  void setOpcodeAt(CompiledFunction& cf, uint32_t pc, uint32_t op);
  /// Takes the pending interrupt requests and disarms the safepoints (guest
  /// thread); returns the requests.
  uint32_t takeInterrupts();
  /// What a taken request means at `ctx`: success to go on, or the error that
  /// ends the guest.
  Result<void> actOnInterrupts(uint32_t kinds, ProbeContext& ctx);

  ResourceLimits m_limits;
  std::vector<std::unique_ptr<Instance>> m_instances;
  std::vector<std::unique_ptr<FunctionInstance>> m_functions;
  std::vector<std::unique_ptr<MemoryInstance>> m_memories;
  std::vector<std::unique_ptr<TableInstance>> m_tables;
  std::vector<std::unique_ptr<GlobalInstance>> m_globals;
  uint64_t m_tableElements = 0;

  std::unique_ptr<Interpreter> m_interpreter;
  std::map<ProbeId, LocalProbe> m_localProbes;
  ProbeId m_nextProbeId = 1;
  /// Changes whenever a local probe is added or removed, so that a probe hit
  /// walks its list without copying it and notices a hook's changes.
  uint64_t m_probeGeneration = 0;
  ProbeHook m_globalProbe;
  FunctionHooks m_functionHooks;
  bool m_hasFunctionHooks = false; ///< Wasm call or return hooks of either kind.
  CallHooks m_callHooks;
  bool m_hasHostHooks = false;
  MemoryWatchSet m_watches;
  int64_t m_fuel = INT64_MAX;
  uint64_t m_fuelAdded = 0;
  uint64_t m_fuelStart = INT64_MAX;
  FuelHandler m_fuelHandler;
  std::vector<FrameInfo> m_trapFrames;

  // Interruption: the safepoint list and `m_armed` are guarded by
  // m_armMutex (interrupt() runs on any thread); `m_pending` is read at
  // every armed safepoint without it.
  bool m_interruptible = false;
  std::mutex m_armMutex;
  bool m_armed = false;
  std::vector<Safepoint> m_safepoints;
  std::atomic<uint32_t> m_pending{0};
  int m_wakeFd = -1; ///< eventfd, signalled by interrupt().
  InterruptHandler m_interruptHandler;
};

} // namespace wasmscope::runtime
