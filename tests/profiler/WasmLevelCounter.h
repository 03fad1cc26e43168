// The second, independent way of counting instructions, for the exactness
// test: a global probe (called before every internal instruction) follows
// control flow itself, deciding each branch from the operand slots it reads
// before the branch runs, and counts the *wasm* instructions each step
// executes from the module's bytes: on a straight-line step every wasm
// instruction compiled to the new position ran; on a taken wasm branch the
// `end` (or `loop`) of the target label, and dead code before it, did not.
// It knows nothing of basic blocks or their fuel costs: its counts come
// from the wasm bytes, the offset maps and the branch decisions alone.
#pragma once

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Probes.h"

#include <map>
#include <string>
#include <vector>

namespace wasmscope::profiler::test {

class WasmLevelCounter {
public:
  explicit WasmLevelCounter(const runtime::CompiledModule &module);

  /// The global probe's hook.
  runtime::ProbeAction observe(runtime::ProbeContext &ctx);

  /// Wasm instructions executed per function index.
  const std::map<runtime::FuncIndex, uint64_t> &counts() const { return m_counts; }
  /// Where the counter lost track of control flow (empty when it never did).
  const std::string &problem() const { return m_problem; }

private:
  enum class Arrival { Sequential, TakenBranch };
  struct Frame {
    const runtime::CompiledFunction *function = nullptr;
    uint32_t pc = 0;
    Arrival arrival = Arrival::Sequential;
  };
  struct FunctionFacts {
    /// Wasm instruction offsets compiled to each pc, in wasm order.
    std::map<uint32_t, std::vector<uint32_t>> atPc;
    /// For each `if`: whether it has an `else`.
    std::map<uint32_t, bool> ifHasElse;
  };

  const FunctionFacts &facts(const runtime::CompiledFunction &f);
  uint8_t opcodeAt(uint32_t offset) const;
  void arrive(Frame &frame, runtime::FuncIndex func);
  Arrival branchArrival(const runtime::CompiledFunction &f, uint32_t branchPc, uint32_t target);

  const runtime::CompiledModule &m_module;
  std::map<const runtime::CompiledFunction *, FunctionFacts> m_facts;
  std::vector<Frame> m_frames;
  std::map<runtime::FuncIndex, uint64_t> m_counts;
  std::string m_problem;
};

} // namespace wasmscope::profiler::test
