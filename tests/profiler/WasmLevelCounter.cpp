// The wasm-level instruction counter of the exactness test (see the header).
#include "WasmLevelCounter.h"

#include "InternalOps.h"
#include "wasmscope/runtime/Numeric.h"
#include "wasmscope/runtime/Store.h"

#include <algorithm>

namespace wasmscope::profiler::test {

using namespace wasmscope::runtime;

namespace {
constexpr uint8_t kLoop = 0x03, kIf = 0x04, kElse = 0x05, kEnd = 0x0b, kBrIf = 0x0d, kBlock = 0x02;
} // namespace

WasmLevelCounter::WasmLevelCounter(const CompiledModule &module) : m_module(module) {}

uint8_t WasmLevelCounter::opcodeAt(uint32_t offset) const {
  const Module &m = m_module.module();
  return m.bytes[m.codeSectionOffset + offset];
}

const WasmLevelCounter::FunctionFacts &WasmLevelCounter::facts(const CompiledFunction &f) {
  auto [it, inserted] = m_facts.try_emplace(&f);
  if (!inserted)
    return it->second;
  FunctionFacts &facts = it->second;
  for (const auto &[offset, pc] : f.wasmToPc)
    facts.atPc[pc].push_back(offset);
  // Block structure from the opcodes: which `if` has an `else`.
  std::vector<uint32_t> open;
  for (const auto &[offset, pc] : f.wasmToPc) {
    uint8_t op = opcodeAt(offset);
    if (op == kBlock || op == kLoop || op == kIf) {
      open.push_back(offset);
      if (op == kIf)
        facts.ifHasElse[offset] = false;
    } else if (op == kElse && !open.empty()) {
      facts.ifHasElse[open.back()] = true;
    } else if (op == kEnd && !open.empty()) {
      open.pop_back();
    }
  }
  return facts;
}

void WasmLevelCounter::arrive(Frame &frame, FuncIndex func) {
  // Count what reaching each position executes, stepping over the fuel
  // instructions, which the global probe never sees.
  const CompiledFunction &f = *frame.function;
  const FunctionFacts &fx = facts(f);
  while (true) {
    auto it = fx.atPc.find(frame.pc);
    if (it != fx.atPc.end()) {
      const std::vector<uint32_t> &offsets = it->second;
      size_t first = 0;
      if (frame.arrival == Arrival::TakenBranch) {
        // A branch lands after its label's `end` (or `loop`): that and any
        // dead code before it did not run.
        for (size_t i = 0; i < offsets.size(); ++i) {
          uint8_t op = opcodeAt(offsets[i]);
          if (op == kEnd || op == kLoop)
            first = i + 1;
        }
      }
      m_counts[func] += offsets.size() - first;
    }
    Op op = Op(f.code[frame.pc]);
    if (op != Op::Fuel && op != Op::CountedFuel)
      return;
    frame.pc += instructionWords(&f.code[frame.pc]);
    frame.arrival = Arrival::Sequential;
  }
}

WasmLevelCounter::Arrival WasmLevelCounter::branchArrival(const CompiledFunction &f,
                                                          uint32_t branchPc, uint32_t target) {
  uint32_t origin = f.wasmOffsetAt(branchPc);
  uint8_t op = opcodeAt(origin);
  if (op == kIf) // The false arm: an else arm starts afresh; without one, after `end`.
    return facts(f).ifHasElse.at(origin) ? Arrival::Sequential : Arrival::TakenBranch;
  if (op == kBrIf && target >= 2 && target - 2 > branchPc) {
    // br_if with values to move compiles to "branch over the moves if not
    // taken; moves; br": landing just after that br means "not taken".
    uint32_t br = target - 2;
    auto it = std::lower_bound(f.pcToWasm.begin(), f.pcToWasm.end(), br,
                               [](const auto &e, uint32_t pc) { return e.first < pc; });
    if (it != f.pcToWasm.end() && it->first == br && it->second == origin &&
        Op(f.code[br]) == Op::Br)
      return Arrival::Sequential;
  }
  return Arrival::TakenBranch;
}

ProbeAction WasmLevelCounter::observe(ProbeContext &ctx) {
  if (!m_problem.empty() || !ctx.function || !ctx.function->code)
    return ProbeAction::Continue;
  const CompiledFunction *f = ctx.function->code;
  if (ctx.instance && ctx.instance->module() != &m_module)
    return ProbeAction::Continue;
  uint32_t depth = ctx.callDepth;
  if (depth > m_frames.size() + 1 || depth == 0) {
    m_problem = "call depth jumped to " + std::to_string(depth);
    return ProbeAction::Continue;
  }
  if (depth <= m_frames.size()) {
    m_frames.resize(depth); // Returned from the deeper frames.
    if (m_frames.back().function != f)
      m_frames.back() = Frame{f, 0, Arrival::Sequential}; // A new run's entry.
  } else {
    m_frames.push_back(Frame{f, 0, Arrival::Sequential});
  }
  Frame &frame = m_frames.back();
  arrive(frame, f->index);
  uint32_t pc = frame.pc;
  if (f->wasmOffsetAt(pc) != ctx.wasmOffset) {
    m_problem = "lost track in function " + std::to_string(f->index) + " at pc " +
                std::to_string(pc) + ": expected wasm offset " +
                std::to_string(f->wasmOffsetAt(pc)) + ", the probe is at " +
                std::to_string(ctx.wasmOffset);
    return ProbeAction::Continue;
  }

  // Where control goes next, decided from the slots before the instruction runs.
  const uint32_t *ip = &f->code[pc];
  const Slot *fp = ctx.locals;
  uint32_t next = pc + instructionWords(ip);
  Arrival arrival = Arrival::Sequential;
  auto take = [&](uint32_t target) {
    arrival = branchArrival(*f, pc, target);
    next = target;
  };
  switch (Op(*ip)) {
  case Op::Br:
    take(ip[1]);
    break;
  case Op::BrIf:
    if (fp[ip[1]].i32)
      take(ip[2]);
    break;
  case Op::BrUnless:
    if (!fp[ip[1]].i32)
      take(ip[2]);
    break;
  case Op::BrTable:
    take(ip[3 + std::min(fp[ip[1]].i32, ip[2])]);
    break;
#define X(cmp)                                                                                     \
  case Op::BrIf##cmp:                                                                              \
    if (numeric::cmp(fp[ip[1]].i32, fp[ip[2]].i32))                                                \
      take(ip[3]);                                                                                 \
    break;                                                                                         \
  case Op::BrIf##cmp##Imm:                                                                         \
    if (numeric::cmp(fp[ip[1]].i32, ip[2]))                                                        \
      take(ip[3]);                                                                                 \
    break;
    INTERNAL_FUSED_COMPARES(X)
#undef X
  default:
    break;
  }
  frame.pc = next;
  frame.arrival = arrival;
  return ProbeAction::Continue;
}

} // namespace wasmscope::profiler::test
