// The Store (spec 4.2.3) owns every runtime object of one guest run, links
// imports, instantiates modules and runs them. It also holds the run's
// limits and its instrumentation (probes, function hooks, fuel).
#pragma once

#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/MemoryWatch.h"
#include "wasmscope/runtime/Probes.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::runtime {

class Interpreter;

/// Resource limits for a run. Exceeding one stops the guest with a trap.
struct ResourceLimits {
  uint64_t maxMemoryPages = kMaxPages; ///< "memory limit exceeded" beyond.
  uint32_t maxCallDepth = 100000;      ///< "call stack exhausted" beyond.
  uint64_t valueStackSlots = 16u << 20; ///< 128 MiB of address space, touched lazily.
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
  Result<MemoryInstance*> createMemory(const MemoryType& type);
  TableInstance* createTable(const TableType& type, uint64_t init = 0);
  Instance* adoptInstance(std::unique_ptr<Instance> instance);

  // --- Instrumentation. ---
  /// Installs a probe before the wasm instruction at `wasmOffset` (code-section
  /// relative) of defined function `func` of `module`. Fails if no instruction
  /// starts there.
  Result<ProbeId> addLocalProbe(const CompiledModule& module, FuncIndex func,
                                uint32_t wasmOffset, ProbeHook hook);
  void removeLocalProbe(ProbeId id);
  /// Sets (or clears, with an empty hook) the hook run before every instruction.
  void setGlobalProbe(ProbeHook hook);
  void setFunctionHooks(FunctionHooks hooks);
  void clearFunctionHooks();

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
  /// Fuel consumed since the last setFuel, including refills.
  uint64_t fuelConsumed() const;
  void setFuelHandler(FuelHandler handler) { m_fuelHandler = std::move(handler); }

  /// The wasm call stack, innermost first: live during a probe hook, and kept
  /// as it was at the moment of the last trap afterwards.
  std::vector<FrameInfo> frames() const;
  const std::vector<FrameInfo>& lastTrapFrames() const { return m_trapFrames; }

private:
  friend class Interpreter;
  friend class HostModuleBuilder;
  friend struct ProbeContext;
  friend class HostMemoryWrites;

  struct LocalProbe {
    const CompiledFunction* function;
    uint32_t pc;
    uint32_t wasmOffset;
    ProbeHook hook;
  };

  ResourceLimits m_limits;
  std::vector<std::unique_ptr<Instance>> m_instances;
  std::vector<std::unique_ptr<FunctionInstance>> m_functions;
  std::vector<std::unique_ptr<MemoryInstance>> m_memories;
  std::vector<std::unique_ptr<TableInstance>> m_tables;
  std::vector<std::unique_ptr<GlobalInstance>> m_globals;

  std::unique_ptr<Interpreter> m_interpreter;
  std::map<ProbeId, LocalProbe> m_localProbes;
  ProbeId m_nextProbeId = 1;
  ProbeHook m_globalProbe;
  FunctionHooks m_functionHooks;
  bool m_hasFunctionHooks = false;
  MemoryWatchSet m_watches;
  int64_t m_fuel = INT64_MAX;
  uint64_t m_fuelAdded = 0;
  uint64_t m_fuelStart = INT64_MAX;
  FuelHandler m_fuelHandler;
  std::vector<FrameInfo> m_trapFrames;
};

} // namespace wasmscope::runtime
