// What the profiler keeps while the guest runs: the interned call-path tree
// with per-block counters for each path, the shadow stack of activations,
// the call-trace ring buffer, and the cut-short blocks of a trap. Hooks run
// on every call and return, so lookups are a hash probe and a vector push.
#pragma once

#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/runtime/Instance.h"

#include <chrono>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace wasmscope::profiler {

class Symbolizer;

/// Identifies what a node stands for: a wasm function index, kHostKeyBase +
/// n for the n-th host function seen, or kTruncatedKey.
using NodeKey = uint32_t;
inline constexpr NodeKey kHostKeyBase = 0x80000000u;
inline constexpr NodeKey kTruncatedKey = 0xfffffffeu;

/// (parent node, key) -> child node, open addressing. Holds tree edges and
/// the edges recursion folds back onto an ancestor.
class EdgeMap {
public:
  EdgeMap();
  /// The node for the edge, or kNone.
  uint32_t find(uint32_t parent, NodeKey key) const {
    uint64_t k = pack(parent, key);
    for (size_t i = slot(k);; i = (i + 1) & m_mask) {
      if (m_keys[i] == k)
        return m_values[i];
      if (m_keys[i] == kEmpty)
        return kNone;
    }
  }
  void insert(uint32_t parent, NodeKey key, uint32_t node);

private:
  static constexpr uint64_t kEmpty = UINT64_MAX;
  static uint64_t pack(uint32_t parent, NodeKey key) { return (uint64_t(parent) << 32) | key; }
  size_t slot(uint64_t k) const { return size_t((k * 0x9E3779B97F4A7C15ull) >> m_shift); }
  void grow();
  std::vector<uint64_t> m_keys;
  std::vector<uint32_t> m_values;
  size_t m_mask = 0;
  unsigned m_shift = 0;
  size_t m_size = 0;
};

struct RawEvent {
  TraceEventKind kind;
  NodeKey key;
  uint64_t instructions;
  uint64_t nanos;
};

struct Profiler::State {
  State(runtime::Guest &guest, ProfilerOptions options);

  // Hooks.
  void enter(runtime::Instance &instance, runtime::FuncIndex func);
  void exit();
  void unwind(std::span<const runtime::FrameInfo> frames);
  void hostEnter(const runtime::FunctionInstance &f);
  void hostExit(const runtime::FunctionInstance &f);
  runtime::FuelDecision refuel(runtime::Store &store);
  /// Removes the hooks and the fuel handler; counts stay.
  void detach();
  /// Detaches and adds what was counted to `profile` (ProfileBuilder.cpp):
  /// paths, lines, functions, totals and the trace.
  Result<void> build(Profile &profile, Symbolizer &symbolizer);

  uint32_t childOf(uint32_t parent, NodeKey key);
  uint32_t newNode(uint32_t parent, NodeKey key);
  void redirectTo(uint32_t node) {
    if (instance)
      instance->redirectBlockCounts(nodes[node].base);
  }
  void record(TraceEventKind kind, NodeKey key) {
    if (!ring.empty())
      recordEvent(kind, key);
  }
  void recordEvent(TraceEventKind kind, NodeKey key);
  uint64_t nowNanos() const;

  struct Node {
    uint32_t parent;
    NodeKey key;
    uint64_t calls = 0;
    uint64_t hostNanos = 0;
    std::vector<uint64_t> counts; ///< Per block of the node's function.
    /// What redirectBlockCounts gets while this node runs: `counts` shifted
    /// by the function's first block id; null for frames without blocks.
    uint64_t *base = nullptr;
    /// The child last entered from here: most calls repeat the previous
    /// one (loops, recursion), which then needs no hash lookup.
    NodeKey lastKey = kNone;
    uint32_t lastChild = kNone;
  };
  struct Activation {
    uint32_t node;
    uint64_t startNanos; ///< Host frames with wall time on.
    bool foreign;        ///< A function of another instance: not profiled.
  };
  struct Cut {
    uint32_t node;
    runtime::FuncIndex func;
    uint32_t offset; ///< The trapping instruction; those after it never ran.
  };

  runtime::Guest &guest;
  ProfilerOptions options;
  const runtime::CompiledModule &module;
  runtime::Instance *instance = nullptr;
  std::vector<Node> nodes;
  EdgeMap edges;
  std::vector<Activation> stack;
  uint32_t current = 0;
  uint32_t truncatedNode = kNone;
  bool attached = true;
  bool fuelDenied = false;
  std::vector<Cut> cuts;
  std::unordered_map<const runtime::FunctionInstance *, NodeKey> hostKeys;
  std::vector<const runtime::FunctionInstance *> hostFunctions;
  std::optional<uint64_t> budget;
  uint64_t granted = 0;
  std::vector<RawEvent> ring;
  uint64_t recorded = 0;
  size_t ringNext = 0; ///< Where the next event goes.
  std::chrono::steady_clock::time_point start;
};

} // namespace wasmscope::profiler
