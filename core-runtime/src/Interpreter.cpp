// The dispatch loop: token-threaded code with computed goto. Each handler
// ends by jumping through the current dispatch table, which is the plain
// table unless instrumentation is on: the global probe and the function
// hooks each have a table of their own, so the plain path carries no checks
// for them. Local probes replace an opcode word with Op::Probe.
#include "Interpreter.h"

#include "CodeWords.h"

#include "wasmscope/runtime/Numeric.h"
#include "wasmscope/runtime/NumericSimd.h"
#include "wasmscope/runtime/Store.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

static_assert(std::endian::native == std::endian::little,
              "linear memory is accessed with host loads; a big-endian host needs byte swaps");

namespace wasmscope::runtime {

Interpreter::Interpreter(Store& store) : m_store(store) {
  // calloc of a large block maps zero pages lazily: untouched stack costs
  // address space only.
  size_t slots = std::max<uint64_t>(store.limits().valueStackSlots, 1024);
  m_stack = static_cast<Slot*>(std::calloc(slots, sizeof(Slot)));
  m_stackEnd = m_stack ? m_stack + slots : nullptr;
  m_stackTop = m_stack;
  // One record per wasm frame: the outermost holds the return to the host.
  // Mapped lazily too, so a generous depth limit costs nothing until used,
  // and one the host cannot back fails the first call instead of throwing.
  size_t frames = std::max<size_t>(store.limits().maxCallDepth, 1);
  m_frames = static_cast<Frame*>(std::calloc(frames, sizeof(Frame)));
  m_frameTop = m_frames;
  m_frameEnd = m_frames ? m_frames + frames : nullptr;
}

Interpreter::~Interpreter() {
  std::free(m_stack);
  std::free(m_frames);
}

uint32_t Interpreter::callDepth() const {
  // One frame record per wasm activation of the current run.
  return uint32_t(m_frameTop - m_runBase);
}

std::vector<FrameInfo> Interpreter::frames() const {
  std::vector<FrameInfo> out;
  if (!m_current.func)
    return out;
  auto add = [&](const CompiledFunction* func, Instance* inst, const uint32_t* ip, Slot* fp,
                 bool isReturnAddress) {
    uint32_t pc = uint32_t(ip - func->code.data());
    FrameInfo info;
    info.funcIndex = func->index;
    info.function = inst ? inst->function(func->index) : nullptr;
    info.wasmOffset = func->wasmOffsetAt(isReturnAddress && pc > 0 ? pc - 1 : pc);
    info.locals = fp;
    info.numLocals = func->numLocals;
    info.localSlots = func->localSlots.data();
    out.push_back(info);
  };
  add(m_current.func, m_current.inst, m_current.ip, m_current.fp, false);
  // Each frame record holds its caller's state; the run's entry record
  // (retIp null) returns to the host.
  for (const Frame* f = m_frameTop; f-- > m_runBase;) {
    if (!f->retIp)
      break;
    add(f->func, f->inst, f->retIp, f->fp, true);
  }
  return out;
}

ProbeContext Interpreter::makeContext(const Current& at, uint32_t wasmOffset) const {
  ProbeContext ctx{m_store,
                   at.inst,
                   at.inst ? at.inst->function(at.func->index) : nullptr,
                   at.func->index,
                   wasmOffset,
                   at.fp,
                   at.func->numLocals,
                   callDepth()};
  ctx.localSlots = at.func->localSlots.data();
  return ctx;
}

Result<void> Interpreter::callHost(const FunctionInstance& f, Instance* caller, uint64_t* slots) {
  // Arguments are copied so the host may write results over them freely.
  uint64_t args[16];
  std::vector<uint64_t> bigArgs;
  uint64_t* argp = args;
  size_t n = slotCount(f.type.params);
  if (n > 16) {
    bigArgs.resize(n);
    argp = bigArgs.data();
  }
  if (n)
    std::memcpy(argp, slots, n * sizeof(uint64_t));
  HostCall hc{m_store, caller, caller ? caller->memory(0) : nullptr};
  // A host function's exception must not unwind through the dispatch loop:
  // it becomes an error at the call, with the guest's frames intact.
  try {
    return f.host(hc, argp, slots);
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::OutOfHostMemory, "out of host memory in host function " + f.name);
  } catch (const std::exception& e) {
    return Error(ErrorCode::HostTrap, "host function " + f.name + " failed: " + e.what());
  }
}

Result<void> Interpreter::call(const FunctionInstance& function, uint64_t* slots) {
  if (function.isHost())
    return callHost(function, nullptr, slots);
  const CompiledFunction* func = function.code;
  if (!m_stack || !m_frames)
    return Error(ErrorCode::CallStackExhausted,
                 "call stack exhausted: the host cannot reserve the configured stack");
  Slot* fp = m_stackTop;
  if (uint64_t(m_stackEnd - fp) < func->frameSlots || m_frameTop >= m_frameEnd)
    return Error(ErrorCode::CallStackExhausted);
  if (func->numParamSlots)
    std::memcpy(fp, slots, func->numParamSlots * sizeof(Slot));
  std::memset(fp + func->numParamSlots, 0,
              (func->numLocalSlots - func->numParamSlots) * sizeof(Slot));

  // Save the state of any run this one nests in (a host function calling
  // back into wasm).
  Frame* savedBase = m_runBase;
  Current savedCurrent = m_current;
  Slot* savedTop = m_stackTop;
  m_runBase = m_frameTop;
  *m_frameTop++ = Frame{nullptr, nullptr, nullptr, nullptr};
  // An allocation failure inside the run (a trap's backtrace, a hook's
  // work) ends the run with an error; the state below is restored either way.
  Result<void> r = success();
  try {
    r = run(func, function.instance, fp);
  } catch (const std::bad_alloc&) {
    r = Error(ErrorCode::OutOfHostMemory, "out of host memory while running the guest");
  } catch (const std::exception& e) {
    r = Error(ErrorCode::HostTrap, std::string("host failure while running the guest: ") + e.what());
  }
  m_frameTop = m_runBase;
  m_runBase = savedBase;
  m_current = savedCurrent;
  m_stackTop = savedTop;
  if (r.ok() && func->numResultSlots)
    std::memcpy(slots, fp, func->numResultSlots * sizeof(Slot));
  return r;
}

bool Interpreter::callHostFromGuest(const FunctionInstance& f, Instance* caller, uint64_t* slots,
                                    ErrorCode& code, std::string& message) {
  if (m_store.m_hasHostHooks && m_store.m_callHooks.onHostCall) [[unlikely]]
    m_store.m_callHooks.onHostCall(f);
  Result<void> r = callHost(f, caller, slots);
  if (m_store.m_hasHostHooks && m_store.m_callHooks.onHostReturn) [[unlikely]]
    m_store.m_callHooks.onHostReturn(f, !r.ok());
  if (r.ok())
    return true;
  code = r.error().code;
  message = std::move(r).error().message;
  return false;
}

Interpreter::ProbeOutcome Interpreter::runLocalProbes(const CompiledFunction* func, uint32_t pc) {
  auto it = func->probes.find(pc);
  if (it == func->probes.end())
    return {true, ErrorCode::IllegalOpcode, 0, func->wasmOffsetAt(pc)};
  ProbeOutcome outcome{false, ErrorCode::Interrupted, it->second.originalOp, 0};

  // An armed safepoint: act on the interrupt requests before any probe here.
  if (it->second.safepoint && m_store.m_pending.load(std::memory_order_acquire) != 0) {
    if (uint32_t kinds = m_store.takeInterrupts()) {
      ProbeContext ctx = makeContext(m_current, func->wasmOffsetAt(pc));
      Result<void> acted = m_store.actOnInterrupts(kinds, ctx);
      if (!acted.ok())
        return {true, acted.error().code, outcome.originalOp, ctx.wasmOffset};
      it = func->probes.find(pc); // The handler may have changed the probes.
    }
  }

  // The probes in order, without copying the list. A hook may add or remove
  // probes (its own too): the store's probe generation tells, and then the
  // entry is looked up again and the walk goes on after the last probe run.
  // Probes added during this hit (ids from `limit` on) wait for the next.
  const ProbeId limit = m_store.m_nextProbeId;
  uint64_t generation = m_store.m_probeGeneration;
  const std::vector<ProbeSlot>* list = &it->second.probes;
  for (size_t i = 0; i < list->size();) {
    ProbeSlot slot = (*list)[i];
    if (slot.id >= limit) {
      ++i;
      continue;
    }
    ProbeContext ctx = makeContext(m_current, slot.wasmOffset);
    if (Op(outcome.originalOp) == Op::Return)
      ctx.results = m_current.fp;
    else if (Op(outcome.originalOp) == Op::Return1)
      ctx.results = m_current.fp + func->code[pc + 1];
    // The hook may remove its own probe, and with it the closure running.
    if ((*slot.hook)(ctx) == ProbeAction::Stop) {
      outcome.stop = true;
      outcome.wasmOffset = slot.wasmOffset;
      return outcome;
    }
    if (m_store.m_probeGeneration == generation) {
      ++i;
      continue;
    }
    generation = m_store.m_probeGeneration;
    it = func->probes.find(pc);
    if (it == func->probes.end())
      break;
    list = &it->second.probes;
    i = size_t(std::upper_bound(list->begin(), list->end(), slot) - list->begin());
  }
  return outcome;
}

std::optional<ProbeContext> Interpreter::hostCallContext() const {
  if (!m_current.func)
    return std::nullopt;
  const CompiledFunction* func = m_current.func;
  ProbeContext ctx =
      makeContext(m_current, func->wasmOffsetAt(uint32_t(m_current.ip - func->code.data())));
  ctx.inHostCall = true;
  return ctx;
}

Op Interpreter::originalOpAt(const CompiledFunction* func, const uint32_t* ip) const {
  uint32_t op = loadCodeWord(ip);
  if (op != uint32_t(Op::Probe))
    return Op(op);
  auto it = func->probes.find(uint32_t(ip - func->code.data()));
  return it == func->probes.end() ? Op::Probe : Op(it->second.originalOp);
}

bool Interpreter::runGlobalProbe() {
  const CompiledFunction* func = m_current.func;
  uint32_t pc = uint32_t(m_current.ip - func->code.data());
  ProbeContext ctx = makeContext(m_current, func->wasmOffsetAt(pc));
  return !m_store.m_globalProbe || m_store.m_globalProbe(ctx) != ProbeAction::Stop;
}

void Interpreter::runEntryHook(const CompiledFunction* callee, Instance* inst, Slot* fp,
                               uint32_t visibleLocals) {
  Current at{callee->code.data(), fp, callee, inst};
  ProbeContext ctx = makeContext(at, callee->bodyOffset);
  ctx.numLocals = visibleLocals;
  m_store.m_functionHooks.onEntry(ctx);
}

void Interpreter::runEntryHookForCall(Slot* fp) {
  // The hook sees the callee with its arguments in place, before the frame
  // switch; an indirect call that will trap is left to trap unhooked.
  if (!m_store.m_functionHooks.onEntry && !m_store.m_callHooks.onCall)
    return;
  const uint32_t* ip = m_current.ip;
  Instance* inst = m_current.inst;
  const CompiledFunction* callee = nullptr;
  Instance* calleeInst = inst;
  uint32_t argBase = 0;
  // Another thread may have armed a safepoint at this very call since it
  // was dispatched.
  Op op = originalOpAt(m_current.func, ip);
  if (op == Op::CallInternal) {
    uint64_t bits = uint64_t(ip[1]) | (uint64_t(ip[2]) << 32);
    callee = reinterpret_cast<const CompiledFunction*>(bits);
    argBase = ip[3];
  } else {
    const FunctionInstance* t = nullptr;
    if (op == Op::Call) {
      t = inst->function(ip[1]);
      argBase = ip[2];
    } else {
      TableInstance* table = inst->table(ip[2]);
      uint32_t index = fp[ip[4]].i32;
      if (index < table->elems.size())
        t = reinterpret_cast<const FunctionInstance*>(table->elems[index]);
      if (t && t->canonicalType != ip[1])
        t = nullptr;
      argBase = ip[3];
    }
    if (!t || t->isHost())
      return;
    callee = t->code;
    calleeInst = t->instance;
  }
  if (m_store.m_callHooks.onCall)
    m_store.m_callHooks.onCall(*calleeInst, callee->index);
  if (!m_store.m_functionHooks.onEntry)
    return;
  // One deeper than the caller; locals beyond the params are not yet zeroed.
  Frame* top = m_frameTop;
  ++m_frameTop;
  runEntryHook(callee, calleeInst, fp + argBase, callee->numParams);
  m_frameTop = top;
}

void Interpreter::runExitHook() {
  if (m_store.m_callHooks.onReturn)
    m_store.m_callHooks.onReturn();
  if (!m_store.m_functionHooks.onExit)
    return;
  const CompiledFunction* func = m_current.func;
  ProbeContext ctx = makeContext(m_current, func->wasmOffsetAt(uint32_t(m_current.ip - func->code.data())));
  // Results on the host stack when few (nearly always): a return is hot
  // under hooks, an allocation per return is not cheap.
  Value small[8];
  std::vector<Value> large;
  std::span<Value> results;
  if (ctx.function) {
    const std::vector<ValType>& types = ctx.function->type.results;
    if (types.size() > std::size(small)) {
      large.resize(types.size());
      results = large;
    } else {
      results = std::span<Value>(small, types.size());
    }
    uint32_t slot = 0; // A v128 result takes two slots.
    for (size_t i = 0; i < types.size(); ++i) {
      results[i] = Value::fromSlots(types[i], &m_current.fp[slot].i64);
      slot += slotCount(types[i]);
    }
  }
  m_store.m_functionHooks.onExit(ctx, results, false);
}

Error Interpreter::trapError(ErrorCode code, std::string message, std::optional<uint32_t> offset) {
  const CompiledFunction* func = m_current.func;
  uint32_t at = offset.value_or(func->wasmOffsetAt(uint32_t(m_current.ip - func->code.data())));
  m_store.m_trapFrames = frames();
  if (!m_store.m_trapFrames.empty())
    m_store.m_trapFrames.front().wasmOffset = at;
  if (m_store.m_callHooks.onUnwind)
    m_store.m_callHooks.onUnwind(m_store.m_trapFrames);
  if (m_store.m_hasFunctionHooks && m_store.m_functionHooks.onExit) {
    for (const FrameInfo& f : m_store.m_trapFrames) {
      ProbeContext ctx{m_store, f.function ? f.function->instance : nullptr, f.function,
                       f.funcIndex, f.wasmOffset, f.locals, f.numLocals, 0};
      ctx.localSlots = f.localSlots;
      m_store.m_functionHooks.onExit(ctx, {}, true);
    }
  }
  m_current = {};
  return Error(code, std::move(message), at, func->index);
}

namespace {

/// Zeroes a callee's declared locals. Most functions have a handful, where an
/// inline loop beats a call to memset.
inline void zeroLocals(Slot* fp, const CompiledFunction* callee) {
  for (uint32_t i = callee->numParamSlots; i < callee->numLocalSlots; ++i)
    fp[i].i64 = 0;
}

template <typename T> T readImm64(const uint32_t* p) {
  uint64_t v = uint64_t(p[0]) | (uint64_t(p[1]) << 32);
  return T(v);
}

/// Reading and writing values of any type in frame slots, for the v128
/// handlers (InterpreterSimd.inc): a v128 takes the slot and the next.
namespace simdslots {
inline V128 get(const Slot* s) { return {s[0].i64, s[1].i64}; }
template <ValType T> inline auto get(const Slot* s) {
  if constexpr (T == ValType::V128)
    return get(s);
  else if constexpr (T == ValType::I32)
    return s->i32;
  else if constexpr (T == ValType::I64)
    return s->i64;
  else if constexpr (T == ValType::F32)
    return s->f32;
  else
    return s->f64;
}
inline void put(Slot* s, V128 v) {
  s[0].i64 = v.lo;
  s[1].i64 = v.hi;
}
inline void put(Slot* s, uint32_t v) { s->i32 = v; }
inline void put(Slot* s, uint64_t v) { s->i64 = v; }
inline void put(Slot* s, float v) { s->f32 = v; }
inline void put(Slot* s, double v) { s->f64 = v; }
} // namespace simdslots

} // namespace

// Slot field for each value type in the opcode table.
#define FIELD_I32 i32
#define FIELD_I64 i64
#define FIELD_F32 f32
#define FIELD_F64 f64
#define FIELD(t) FIELD_##t

Result<void> Interpreter::run(const CompiledFunction* func, Instance* inst, Slot* fp) {
  // The plain dispatch table: one label per internal opcode, in enum order.
  static const void* const kPlain[] = {
#define X(name, n) &&L_##name,
      INTERNAL_SPECIAL_OPS(X)
#undef X
#define X(name, text, code, in, out) &&L_##name,
#define XI(name, text, code, in, out) &&L_##name, &&L_##name##Imm,
      WASM_UNARY(X) WASM_BINARY(XI) WASM_FLOAT_BINARY(X) WASM_TRAPPING_UNARY(X)
      WASM_TRAPPING_BINARY(X) WASM_SAT_UNARY(X)
#undef X
#undef XI
#define X(name, text, code, type, bytes, ctype) &&L_##name,
      WASM_LOAD(X) WASM_STORE(X)
#undef X
#define X(cmp) &&L_BrIf##cmp, &&L_BrIf##cmp##Imm,
      INTERNAL_FUSED_COMPARES(X)
#undef X
#define X(name, n) &&L_##name,
      INTERNAL_SIMD_OPS(X)
#undef X
#define X(name, text, code, ...) &&L_##name,
      WASM_SIMD_UNARY(X) WASM_SIMD_BINARY(X) WASM_SIMD_SHIFT(X) WASM_SIMD_TERNARY(X)
      WASM_SIMD_EXTRACT_LANE(X) WASM_SIMD_REPLACE_LANE(X) WASM_SIMD_LOAD(X)
      WASM_SIMD_LOAD_LANE(X) WASM_SIMD_STORE_LANE(X)
#undef X
#define X(a, b) &&L_##a##_##b,
      INTERNAL_FUSED_PAIRS(X)
#undef X
#define X(a, b, word) &&L_##a##_##b##_##word,
      INTERNAL_CHAINED_PAIRS(X)
#undef X
  };
  static_assert(sizeof(kPlain) / sizeof(kPlain[0]) == kNumOps);

  // Instrumented tables, built once: labels are only addressable in here.
  static const void* sHooked[kNumOps];
  static const void* sGlobalProbe[kNumOps];
  // With memory watches: loads, stores and bulk memory test the watched
  // ranges first (MemoryWatch.h), with and without function hooks.
  static const void* sWatched[kNumOps];
  static const void* sHookedWatched[kNumOps];
  static std::mutex sTablesMutex;
  static std::atomic<bool> sTablesReady{false};
  if (!sTablesReady.load(std::memory_order_acquire)) {
    std::lock_guard lock(sTablesMutex);
    if (!sTablesReady.load(std::memory_order_relaxed)) {
      for (uint32_t i = 0; i < kNumOps; ++i) {
        sHooked[i] = kPlain[i];
        sGlobalProbe[i] = &&L_GlobalProbe;
      }
      sHooked[uint32_t(Op::CallInternal)] = &&L_CallHooked;
      sHooked[uint32_t(Op::Call)] = &&L_CallHooked;
      sHooked[uint32_t(Op::CallIndirect)] = &&L_CallHooked;
      sHooked[uint32_t(Op::Return)] = &&L_ReturnHooked;
      sHooked[uint32_t(Op::Return1)] = &&L_Return1Hooked;
      for (uint32_t i = 0; i < kNumOps; ++i) {
        sWatched[i] = kPlain[i];
        sHookedWatched[i] = sHooked[i];
      }
#define X(name, text, code, type, bytes, ctype)                                \
  sWatched[uint32_t(Op::name)] = sHookedWatched[uint32_t(Op::name)] = &&L_##name##Watched;
      WASM_LOAD(X) WASM_STORE(X)
#undef X
      for (Op op : {Op::MemoryCopy, Op::MemoryFill, Op::MemoryInit})
        sWatched[uint32_t(op)] = sHookedWatched[uint32_t(op)] = &&L_BulkWatched;
      // A fused pair jumps to its second instruction's plain handler. Where
      // a table has its own handler for either instruction (a hooked call,
      // a watched load), the pair runs unfused: its first instruction's
      // entry, which then dispatches the second through the table.
      for (const void** table : {sHooked, sWatched, sHookedWatched}) {
#define X(a, b)                                                                \
  table[uint32_t(Op::a##_##b)] =                                               \
      table[uint32_t(Op::a)] == kPlain[uint32_t(Op::a)] &&                     \
              table[uint32_t(Op::b)] == kPlain[uint32_t(Op::b)]                \
          ? kPlain[uint32_t(Op::a##_##b)]                                      \
          : table[uint32_t(Op::a)];
        INTERNAL_FUSED_PAIRS(X)
#undef X
#define X(a, b, word)                                                          \
  table[uint32_t(Op::a##_##b##_##word)] =                                      \
      table[uint32_t(Op::a)] == kPlain[uint32_t(Op::a)] &&                     \
              table[uint32_t(Op::b)] == kPlain[uint32_t(Op::b)]                \
          ? kPlain[uint32_t(Op::a##_##b##_##word)]                             \
          : table[uint32_t(Op::a)];
        INTERNAL_CHAINED_PAIRS(X)
#undef X
      }
      sTablesReady.store(true, std::memory_order_release);
    }
  }

  const void* const* dispatch = kPlain;
  /// Runs the opcode a probe covers: through the hooked and watched
  /// handlers when those are on, so a probed call still reaches the hooks.
  const void* const* afterGlobalProbe = kPlain;
  // The watched ranges' bounds, for the watched handlers' inline test.
  uint64_t watchLo = UINT64_MAX, watchHi = 0;
  auto selectTables = [&] {
    bool watching = !m_store.m_watches.empty();
    watchLo = m_store.m_watches.lo();
    watchHi = m_store.m_watches.hi();
    const void* const* plain = watching ? sWatched : kPlain;
    afterGlobalProbe = m_store.m_hasFunctionHooks ? (watching ? sHookedWatched : sHooked) : plain;
    dispatch = m_store.m_globalProbe ? sGlobalProbe : afterGlobalProbe;
  };
  selectTables();

  const uint32_t* code = func->code.data();
  const uint32_t* ip = code;
  MemoryInstance* memInst = inst->memory(0);
  uint8_t* mem = memInst ? memInst->data : nullptr;
  uint64_t memSize = memInst ? memInst->size : 0;
  ErrorCode trapCode = ErrorCode::Unreachable;
  std::string trapMessage;
  // Where a trap is reported when the pc alone can't tell (a probe stop at one
  // of several wasm instructions sharing a pc).
  std::optional<uint32_t> trapOffset;

  auto spill = [&] { m_current = Current{ip, fp, func, inst}; };
  auto reloadMemory = [&] {
    memInst = inst->memory(0);
    mem = memInst ? memInst->data : nullptr;
    memSize = memInst ? memInst->size : 0;
  };

#define NEXT(words)                                                            \
  do {                                                                         \
    ip += (words);                                                             \
    goto* dispatch[loadCodeWord(ip)];                                          \
  } while (0)
#define JUMP(target)                                                           \
  do {                                                                         \
    ip = code + (target);                                                      \
    goto* dispatch[loadCodeWord(ip)];                                          \
  } while (0)
#define TRAP(code_)                                                            \
  do {                                                                         \
    trapCode = (code_);                                                        \
    goto L_trap;                                                               \
  } while (0)
#define S(i) fp[ip[i]]

  if (m_store.m_hasFunctionHooks) {
    if (m_store.m_callHooks.onCall)
      m_store.m_callHooks.onCall(*inst, func->index);
    if (m_store.m_functionHooks.onEntry) {
      spill();
      runEntryHook(func, inst, fp, func->numLocals);
    }
  }
  goto* dispatch[loadCodeWord(ip)];

  // --- Control ---------------------------------------------------------------
L_Unreachable:
  TRAP(ErrorCode::Unreachable);
L_Nop:
  NEXT(1);
L_Copy:
  S(1) = S(2);
  NEXT(3);
L_Const32:
  S(1).i32 = ip[2];
  NEXT(3);
L_Const64:
  S(1).i64 = readImm64<uint64_t>(ip + 2);
  NEXT(4);
L_Br:
  JUMP(ip[1]);
L_BrIf:
  if (S(1).i32)
    JUMP(ip[2]);
  NEXT(3);
L_BrUnless:
  if (!S(1).i32)
    JUMP(ip[2]);
  NEXT(3);
L_BrTable: {
  uint32_t i = std::min(S(1).i32, ip[2]);
  JUMP(ip[3 + i]);
}
#define X(cmp)                                                                 \
  L_BrIf##cmp:                                                                 \
  if (numeric::cmp(S(1).i32, S(2).i32))                                        \
    JUMP(ip[3]);                                                               \
  NEXT(4);                                                                     \
  L_BrIf##cmp##Imm:                                                            \
  if (numeric::cmp(S(1).i32, ip[2]))                                           \
    JUMP(ip[3]);                                                               \
  NEXT(4);
  INTERNAL_FUSED_COMPARES(X)
#undef X

L_Return1:
  fp[0] = S(1);
L_Return: {
  Frame& f = *--m_frameTop;
  if (!f.retIp) [[unlikely]] {
    ++m_frameTop; // call() pops the entry record.
    return success();
  }
  ip = f.retIp;
  fp = f.fp;
  func = f.func;
  code = func->code.data();
  if (f.inst != inst) {
    inst = f.inst;
    reloadMemory();
  } else if (memInst) {
    memSize = memInst->size; // The callee may have grown memory.
  }
  goto* dispatch[loadCodeWord(ip)];
}

L_CallInternal: {
  const auto* callee = readImm64<const CompiledFunction*>(ip + 1);
  Slot* newFp = fp + ip[3];
  if (uint64_t(m_stackEnd - newFp) < callee->frameSlots || m_frameTop >= m_frameEnd) [[unlikely]]
    TRAP(ErrorCode::CallStackExhausted);
  *m_frameTop++ = Frame{ip + 4, fp, func, inst};
  zeroLocals(newFp, callee);
  fp = newFp;
  func = callee;
  code = ip = callee->code.data();
  goto* dispatch[loadCodeWord(ip)];
}

  {
    const FunctionInstance* target;
    uint32_t argBase;
    uint32_t words;
  L_Call:
    target = inst->function(ip[1]);
    argBase = ip[2];
    words = 3;
    goto L_callFunction;
  L_CallIndirect: {
    TableInstance* table = inst->table(ip[2]);
    uint32_t index = S(4).i32;
    if (index >= table->elems.size())
      TRAP(ErrorCode::UndefinedElement);
    target = reinterpret_cast<const FunctionInstance*>(table->elems[index]);
    if (!target) {
      trapMessage = "uninitialized element " + std::to_string(index);
      TRAP(ErrorCode::UninitializedElement);
    }
    if (target->canonicalType != ip[1])
      TRAP(ErrorCode::IndirectCallTypeMismatch);
    argBase = ip[3];
    words = 5;
  }
  L_callFunction:
    if (target->isHost()) {
      spill();
      m_stackTop = fp + func->frameSlots;
      if (!callHostFromGuest(*target, inst, &fp[argBase].i64, trapCode, trapMessage))
        goto L_trap;
      reloadMemory();
      selectTables();
      NEXT(words);
    }
    const CompiledFunction* callee = target->code;
    Slot* newFp = fp + argBase;
    if (uint64_t(m_stackEnd - newFp) < callee->frameSlots || m_frameTop >= m_frameEnd)
      TRAP(ErrorCode::CallStackExhausted);
    *m_frameTop++ = Frame{ip + words, fp, func, inst};
    zeroLocals(newFp, callee);
    fp = newFp;
    func = callee;
    code = ip = callee->code.data();
    if (target->instance != inst) {
      inst = target->instance;
      reloadMemory();
    }
    goto* dispatch[loadCodeWord(ip)];
  }

L_Select:
  S(1) = S(4).i32 ? S(2) : S(3);
  NEXT(5);

  // --- Variables and references ------------------------------------------------
L_GlobalGet:
  S(1).i64 = inst->global(ip[2])->value;
  NEXT(3);
L_GlobalSet:
  inst->global(ip[1])->value = S(2).i64;
  NEXT(3);
L_RefNull:
  S(1).i64 = 0;
  NEXT(2);
L_RefIsNull:
  S(1).i64 = S(2).i64 == 0;
  NEXT(3);
L_RefFunc:
  S(1).ref = inst->function(ip[2]);
  NEXT(3);

  // --- Tables -----------------------------------------------------------------
L_TableGet: {
  TableInstance* t = inst->table(ip[2]);
  uint32_t i = S(3).i32;
  if (i >= t->elems.size())
    TRAP(ErrorCode::OutOfBoundsTableAccess);
  S(1).i64 = t->elems[i];
  NEXT(4);
}
L_TableSet: {
  TableInstance* t = inst->table(ip[1]);
  uint32_t i = S(2).i32;
  if (i >= t->elems.size())
    TRAP(ErrorCode::OutOfBoundsTableAccess);
  t->elems[i] = S(3).i64;
  NEXT(4);
}
L_TableSize:
  S(1).i64 = uint32_t(inst->table(ip[2])->elems.size());
  NEXT(3);
L_TableGrow: {
  TableInstance* t = inst->table(ip[2]);
  S(1).i64 = uint32_t(m_store.growTable(*t, S(4).i32, S(3).i64));
  NEXT(5);
}
L_TableFill: {
  TableInstance* t = inst->table(ip[1]);
  uint64_t i = S(2).i32, n = S(4).i32;
  if (i + n > t->elems.size())
    TRAP(ErrorCode::OutOfBoundsTableAccess);
  std::fill_n(t->elems.begin() + i, n, S(3).i64);
  NEXT(5);
}
L_TableCopy: {
  TableInstance* dt = inst->table(ip[1]);
  TableInstance* st = inst->table(ip[2]);
  uint64_t d = S(3).i32, s = S(4).i32, n = S(5).i32;
  if (d + n > dt->elems.size() || s + n > st->elems.size())
    TRAP(ErrorCode::OutOfBoundsTableAccess);
  if (n)
    std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(uint64_t));
  NEXT(6);
}
L_TableInit: {
  TableInstance* t = inst->table(ip[1]);
  const std::vector<uint64_t>& seg = inst->m_elems[ip[2]];
  uint64_t d = S(3).i32, s = S(4).i32, n = S(5).i32;
  if (s + n > seg.size() || d + n > t->elems.size())
    TRAP(ErrorCode::OutOfBoundsTableAccess);
  std::copy_n(seg.begin() + s, n, t->elems.begin() + d);
  NEXT(6);
}
L_ElemDrop:
  inst->m_elems[ip[1]].clear();
  inst->m_elems[ip[1]].shrink_to_fit();
  NEXT(2);

  // --- Memory -------------------------------------------------------------------
L_MemorySize:
  S(1).i64 = uint32_t(memSize / kPageSize);
  NEXT(2);
L_MemoryGrow: {
  // The store's memory limit is in maxPages: beyond it the grow fails.
  uint64_t delta = S(2).i32;
  S(1).i64 = uint32_t(memInst->grow(delta));
  memSize = memInst->size;
  NEXT(3);
}
L_MemoryInit: {
  std::span<const uint8_t> seg = inst->m_datas[ip[1]];
  uint64_t d = S(2).i32, s = S(3).i32, n = S(4).i32;
  if (s + n > seg.size() || d + n > memSize)
    TRAP(ErrorCode::OutOfBoundsMemoryAccess);
  if (n)
    std::memcpy(mem + d, seg.data() + s, n);
  NEXT(5);
}
L_DataDrop:
  inst->m_datas[ip[1]] = {};
  NEXT(2);
L_MemoryCopy: {
  uint64_t d = S(1).i32, s = S(2).i32, n = S(3).i32;
  if (d + n > memSize || s + n > memSize)
    TRAP(ErrorCode::OutOfBoundsMemoryAccess);
  if (n)
    std::memmove(mem + d, mem + s, n);
  NEXT(4);
}
L_MemoryFill: {
  uint64_t d = S(1).i32, n = S(3).i32;
  if (d + n > memSize)
    TRAP(ErrorCode::OutOfBoundsMemoryAccess);
  if (n)
    std::memset(mem + d, int(uint8_t(S(2).i32)), n);
  NEXT(4);
}

// The access itself, shared by the plain handlers and the memory-watch ones:
// the bounds check, the load or store, the next instruction.
#define LOAD_ACCESS(type, bytes, ctype)                                        \
  if (ea + bytes > memSize) [[unlikely]]                                       \
    TRAP(ErrorCode::OutOfBoundsMemoryAccess);                                  \
  ctype v;                                                                     \
  std::memcpy(&v, mem + ea, bytes);                                            \
  if constexpr (ValType::type == ValType::I32 || ValType::type == ValType::F32) \
    S(1).i32 = uint32_t(v);                                                    \
  else                                                                         \
    S(1).i64 = uint64_t(v);                                                    \
  NEXT(4);
#define STORE_ACCESS(bytes, ctype)                                             \
  if (ea + bytes > memSize) [[unlikely]]                                       \
    TRAP(ErrorCode::OutOfBoundsMemoryAccess);                                  \
  ctype v = ctype(S(2).i64);                                                   \
  std::memcpy(mem + ea, &v, bytes);                                            \
  NEXT(4);

#define LOAD(name, text, code_, type, bytes, ctype)                            \
  L_##name: {                                                                  \
    uint64_t ea = uint64_t(S(2).i32) + ip[3];                                  \
    LOAD_ACCESS(type, bytes, ctype)                                            \
  }
  WASM_LOAD(LOAD)
#undef LOAD

#define STORE(name, text, code_, type, bytes, ctype)                           \
  L_##name: {                                                                  \
    uint64_t ea = uint64_t(S(1).i32) + ip[3];                                  \
    STORE_ACCESS(bytes, ctype)                                                 \
  }
  WASM_STORE(STORE)
#undef STORE

  // --- Numeric ------------------------------------------------------------------
#define UNARY(name, text, code_, in, out)                                      \
  L_##name:                                                                    \
  S(1).FIELD(out) = numeric::name(S(2).FIELD(in));                             \
  NEXT(3);
  WASM_UNARY(UNARY)
  WASM_SAT_UNARY(UNARY)
#undef UNARY

#define BINARY(name, text, code_, in, out)                                     \
  L_##name:                                                                    \
  S(1).FIELD(out) = numeric::name(S(2).FIELD(in), S(3).FIELD(in));             \
  NEXT(4);
  WASM_FLOAT_BINARY(BINARY)
#undef BINARY

#define INT_BINARY(name, text, code_, in, out)                                 \
  L_##name:                                                                    \
  S(1).FIELD(out) = numeric::name(S(2).FIELD(in), S(3).FIELD(in));             \
  NEXT(4);                                                                     \
  L_##name##Imm:                                                               \
  if constexpr (ValType::in == ValType::I32) {                                 \
    S(1).FIELD(out) = numeric::name(S(2).i32, ip[3]);                          \
    NEXT(4);                                                                   \
  } else {                                                                     \
    S(1).FIELD(out) = numeric::name(S(2).i64, readImm64<uint64_t>(ip + 3));    \
    NEXT(5);                                                                   \
  }
  WASM_BINARY(INT_BINARY)
#undef INT_BINARY

#define TRAPPING_UNARY(name, text, code_, in, out)                             \
  L_##name: {                                                                  \
    decltype(Slot{}.FIELD(out)) r;                                             \
    ErrorCode e = numeric::name(S(2).FIELD(in), r);                            \
    if (e != numeric::kNoTrap) [[unlikely]]                                    \
      TRAP(e);                                                                 \
    S(1).FIELD(out) = r;                                                       \
    NEXT(3);                                                                   \
  }
  WASM_TRAPPING_UNARY(TRAPPING_UNARY)
#undef TRAPPING_UNARY

#define TRAPPING_BINARY(name, text, code_, in, out)                            \
  L_##name: {                                                                  \
    decltype(Slot{}.FIELD(out)) r;                                             \
    ErrorCode e = numeric::name(S(2).FIELD(in), S(3).FIELD(in), r);            \
    if (e != numeric::kNoTrap) [[unlikely]]                                    \
      TRAP(e);                                                                 \
    S(1).FIELD(out) = r;                                                       \
    NEXT(4);                                                                   \
  }
  WASM_TRAPPING_BINARY(TRAPPING_BINARY)
#undef TRAPPING_BINARY

  // --- SIMD -------------------------------------------------------------------------
#include "InterpreterSimd.inc"

  // --- Superinstructions ---------------------------------------------------------
#include "InterpreterFused.inc"

  // --- Instrumentation ------------------------------------------------------------
#define CHARGE_FUEL(cost)                                                      \
  while (m_store.m_fuel < (cost)) [[unlikely]] {                               \
    FuelDecision d = m_store.m_fuelHandler ? (spill(), m_store.m_fuelHandler(m_store)) : FuelDecision{}; \
    if (!d.refill || d.amount == 0)                                            \
      TRAP(ErrorCode::OutOfFuel);                                              \
    m_store.m_fuel += int64_t(std::min<uint64_t>(d.amount, uint64_t(INT64_MAX / 2))); \
    m_store.m_fuelAdded += d.amount;                                           \
  }                                                                            \
  m_store.m_fuel -= (cost);
L_Fuel: {
  int64_t cost = ip[1];
  CHARGE_FUEL(cost);
  NEXT(2);
}
L_CountedFuel: {
  int64_t cost = ip[1];
  CHARGE_FUEL(cost);
  ++inst->m_blockCounters[ip[2]];
  NEXT(3);
}
#undef CHARGE_FUEL

L_Probe: {
  spill();
  ProbeOutcome outcome = runLocalProbes(func, uint32_t(ip - code));
  if (outcome.stop) {
    trapOffset = outcome.wasmOffset;
    TRAP(outcome.code);
  }
  selectTables();
  // A hook may have removed this probe, restoring the opcode. The original
  // instruction runs through the hooked table when hooks are on, so that a
  // probed call or return still reaches the call hooks; a fused pair runs
  // unfused, so that the global probe, if set, sees its second instruction.
  uint32_t op = loadCodeWord(ip);
  goto* afterGlobalProbe[uint32_t(unfusedOp(Op(op == uint32_t(Op::Probe) ? outcome.originalOp : op)))];
}

L_GlobalProbe: {
  if (uint32_t op = loadCodeWord(ip); op != uint32_t(Op::Fuel) && op != uint32_t(Op::CountedFuel)) {
    spill();
    if (!runGlobalProbe())
      TRAP(ErrorCode::Interrupted);
    selectTables();
  }
  // A fused pair runs unfused, so that the probe sees its second instruction.
  goto* afterGlobalProbe[uint32_t(unfusedOp(Op(loadCodeWord(ip))))];
}

  // --- Memory watches (MemoryWatch.cpp) ----------------------------------------------
  // Only reached through the watched tables. An access outside every watched
  // range does its work right here, after two compares of values held in
  // registers (the same work as the plain handlers above); one inside goes
  // out of line.
#define WATCHED_LOAD(name, text, code_, type, bytes, ctype)                    \
  L_##name##Watched: {                                                         \
    uint64_t ea = uint64_t(S(2).i32) + ip[3];                                  \
    if (ea < watchHi && ea + bytes > watchLo) [[unlikely]] {                   \
      spill();                                                                 \
      if (watchedAccess(Op::name, ip, fp, memInst, inst) == WatchStep::Stop)   \
        TRAP(ErrorCode::Interrupted);                                          \
      selectTables();                                                          \
    }                                                                          \
    LOAD_ACCESS(type, bytes, ctype)                                            \
  }
  WASM_LOAD(WATCHED_LOAD)
#undef WATCHED_LOAD
#define WATCHED_STORE(name, text, code_, type, bytes, ctype)                   \
  L_##name##Watched: {                                                         \
    uint64_t ea = uint64_t(S(1).i32) + ip[3];                                  \
    if (ea < watchHi && ea + bytes > watchLo) [[unlikely]] {                   \
      spill();                                                                 \
      WatchStep step = watchedAccess(Op::name, ip, fp, memInst, inst);         \
      if (step == WatchStep::Stop)                                             \
        TRAP(ErrorCode::Interrupted);                                          \
      selectTables();                                                          \
      if (step == WatchStep::Done)                                             \
        NEXT(4);                                                               \
    }                                                                          \
    STORE_ACCESS(bytes, ctype)                                                 \
  }
  WASM_STORE(WATCHED_STORE)
#undef LOAD_ACCESS
#undef STORE_ACCESS
#undef WATCHED_STORE

L_BulkWatched: {
  // The opcode word may be a probe's: take the op from the probe record.
  uint32_t word = uint32_t(originalOpAt(func, ip));
  spill();
  WatchStep step = watchedAccess(Op(word), ip, fp, memInst, inst);
  if (step == WatchStep::Stop)
    TRAP(ErrorCode::Interrupted);
  selectTables();
  if (step == WatchStep::Done)
    NEXT(word == uint32_t(Op::MemoryInit) ? 5 : 4);
  goto* kPlain[word];
}

L_CallHooked:
  spill();
  runEntryHookForCall(fp);
  selectTables();
  // The call itself; a probe at the call has run already.
  goto* kPlain[uint32_t(originalOpAt(func, ip))];

L_Return1Hooked:
  fp[0] = S(1);
L_ReturnHooked:
  spill();
  runExitHook();
  selectTables();
  goto L_Return;

L_trap:
  spill();
  return trapError(trapCode, std::move(trapMessage), trapOffset);

#undef NEXT
#undef JUMP
#undef TRAP
#undef S
}

} // namespace wasmscope::runtime
