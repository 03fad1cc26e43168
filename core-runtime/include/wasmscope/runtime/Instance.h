// Runtime objects (spec 4.2): function, table, memory and global instances,
// module instances, and host functions. A Store owns them all.
#pragma once

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Result.h"
#include "wasmscope/runtime/Value.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace wasmscope::runtime {

class Store;
class Instance;
struct MemoryInstance;

/// What a host function sees of its caller.
struct HostCall {
  Store& store;
  Instance* caller;       ///< The calling instance, or null when called from the host.
  MemoryInstance* memory; ///< The caller's memory 0, or null.
};

/// A host function: reads its arguments from `args` and writes its results to
/// `results` (raw slots, typed by its FuncType: one slot per value, two for a
/// v128, lo then hi). Returning an error traps the guest with it.
using HostFunction =
    std::function<Result<void>(HostCall& call, const uint64_t* args, uint64_t* results)>;

struct FunctionInstance {
  FuncType type;
  uint32_t canonicalType = 0;
  Instance* instance = nullptr;           ///< Owner, for wasm functions.
  const CompiledFunction* code = nullptr; ///< Null for host functions.
  HostFunction host;
  std::string name; ///< For backtraces: "module.func" or the export name.

  bool isHost() const { return code == nullptr; }
};

/// A linear memory. Its pages are reserved up front for the largest size it
/// may reach, so `data` never moves when it grows.
struct MemoryInstance {
  MemoryType type;
  uint8_t* data = nullptr;
  uint64_t size = 0;         ///< Accessible bytes: pages * 64 KiB.
  uint64_t maxPages = 0;     ///< Type maximum, capped by the 4 GiB space and the store's limit.
  uint64_t reserved = 0;     ///< Bytes of address space reserved.

  MemoryInstance() = default;
  MemoryInstance(const MemoryInstance&) = delete;
  MemoryInstance& operator=(const MemoryInstance&) = delete;
  ~MemoryInstance();

  /// A memory of `type` that may reach at most `limitPages` pages: only that
  /// much address space is reserved, and growth beyond fails.
  static Result<std::unique_ptr<MemoryInstance>> create(const MemoryType& type,
                                                        uint64_t limitPages = kMaxPages);
  uint64_t pages() const { return size / kPageSize; }
  /// Grows by `delta` pages; returns the old size in pages, or -1 on failure.
  int64_t grow(uint64_t delta);
  /// Bounds-checked access to guest memory.
  bool inBounds(uint64_t addr, uint64_t len) const { return addr <= size && len <= size - addr; }
};

struct TableInstance {
  TableType type;
  std::vector<uint64_t> elems; ///< Reference slots, 0 is null.

  /// Grows by `delta` elements set to `init` within the type's maximum;
  /// returns the old size or -1. Store::growTable also applies the store's
  /// table-element limit; guests grow through it.
  int64_t grow(uint64_t delta, uint64_t init);
};

struct GlobalInstance {
  GlobalType type;
  uint64_t value = 0; ///< As a slot holds it; a v128's bytes 0-7.
  uint64_t high = 0;  ///< A v128's bytes 8-15; 0 for other types.

  Value get() const { return Value::fromSlots(type.type, &value); }
  void set(const Value& v) {
    value = v.toSlot();
    high = v.high;
  }
};

/// An exported or importable entity.
struct Extern {
  ExternKind kind = ExternKind::Func;
  void* ptr = nullptr;

  static Extern func(FunctionInstance* f) { return {ExternKind::Func, f}; }
  static Extern table(TableInstance* t) { return {ExternKind::Table, t}; }
  static Extern memory(MemoryInstance* m) { return {ExternKind::Memory, m}; }
  static Extern global(GlobalInstance* g) { return {ExternKind::Global, g}; }
  FunctionInstance* asFunc() const { return static_cast<FunctionInstance*>(ptr); }
  TableInstance* asTable() const { return static_cast<TableInstance*>(ptr); }
  MemoryInstance* asMemory() const { return static_cast<MemoryInstance*>(ptr); }
  GlobalInstance* asGlobal() const { return static_cast<GlobalInstance*>(ptr); }
};

/// A module instance, or a host module built with HostModuleBuilder.
class Instance {
public:
  /// The compiled module, or null for a host module.
  const CompiledModule* module() const { return m_module.get(); }
  const std::string& name() const { return m_name; }

  std::optional<Extern> findExport(std::string_view name) const;
  const std::map<std::string, Extern, std::less<>>& exports() const { return m_exports; }
  FunctionInstance* findFunction(std::string_view exportName) const;

  FunctionInstance* function(FuncIndex i) const { return m_funcs[i]; }
  /// The code this instance runs for defined function `f` (its own copy of
  /// the module's, where its probes are), or null if `f` is imported.
  const CompiledFunction* code(FuncIndex f) const;
  MemoryInstance* memory(MemIndex i = 0) const {
    return i < m_memories.size() ? m_memories[i] : nullptr;
  }
  TableInstance* table(TableIndex i) const { return m_tables[i]; }
  GlobalInstance* global(GlobalIndex i) const { return m_globals[i]; }
  size_t numFunctions() const { return m_funcs.size(); }
  size_t numGlobals() const { return m_globals.size(); }

  /// Counting code only (CompileOptions::countBlocks): how often each basic
  /// block of the module ran (indexed by CompiledModule block id) since
  /// instantiation or the last resetBlockCounts(); empty otherwise.
  std::span<const uint64_t> blockCounts() const { return m_blockCounts; }
  void resetBlockCounts() { std::fill(m_blockCounts.begin(), m_blockCounts.end(), 0); }
  /// Sends block counts somewhere else: entering block id `i` then adds one
  /// to `counters[i]` (null: back to blockCounts()). For observers that keep
  /// counts per call path and switch arrays in function entry and exit
  /// hooks; every id that runs until the next switch must be in bounds.
  void redirectBlockCounts(uint64_t* counters) {
    m_blockCounters = counters ? counters : m_blockCounts.data();
  }

private:
  friend class Store;
  friend class HostModuleBuilder;
  friend class Interpreter;
  std::shared_ptr<const CompiledModule> m_module;
  std::string m_name;
  /// This instance's copy of the module's defined functions, with direct
  /// calls relocated into it: probes patch it, never the shared module.
  std::vector<CompiledFunction> m_code;
  std::vector<FunctionInstance*> m_funcs;
  std::vector<TableInstance*> m_tables;
  std::vector<MemoryInstance*> m_memories;
  std::vector<GlobalInstance*> m_globals;
  /// Element segments' evaluated references; emptied by elem.drop.
  std::vector<std::vector<uint64_t>> m_elems;
  /// Data segments' bytes in the module; emptied by data.drop.
  std::vector<std::span<const uint8_t>> m_datas;
  std::map<std::string, Extern, std::less<>> m_exports;
  /// Counting code: the instance's own block counters, and where counts go.
  std::vector<uint64_t> m_blockCounts;
  uint64_t* m_blockCounters = nullptr;
};

/// Builds a host module: named functions, globals, memories and tables that
/// wasm modules can import, such as WASI or the spec tests' `spectest`.
class HostModuleBuilder {
public:
  HostModuleBuilder(Store& store, std::string name);
  HostModuleBuilder& function(std::string name, FuncType type, HostFunction fn);
  HostModuleBuilder& global(std::string name, GlobalType type, Value init);
  HostModuleBuilder& memory(std::string name, MemoryType type);
  HostModuleBuilder& table(std::string name, TableType type);
  /// Creates the instance in the store.
  Result<Instance*> build();

private:
  Store& m_store;
  std::unique_ptr<Instance> m_instance;
  std::vector<Error> m_errors;
};

} // namespace wasmscope::runtime
