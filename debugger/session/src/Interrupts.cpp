// Asynchronous interruption (pause, terminate, breakpoint changes while the
// guest runs) at zero cost while nothing is asked.
//
// At launch a local probe is installed at every function entry and loop
// header ("safepoints"), and then disarmed: the opcode word it replaced is
// written back, while the runtime's bookkeeping of the probe stays. Running
// code never meets them. A request from another thread re-arms them by
// writing the probe opcode into those words, one aligned 32-bit store each;
// no map or vector changes shape, so the guest, which only reads the words
// while it runs, sees either the old or the new opcode. Every loop iteration
// and call passes a safepoint, so the guest reaches one within one loop
// iteration or call; there its hook disarms them all and acts on the request
// on the guest thread, where changing probes is safe. A guest blocked inside
// a host call (a read from stdin) reacts when the call returns.
#include "SessionImpl.h"

namespace wasmscope::debugger {

namespace {

constexpr uint8_t kLoopOpcode = 0x03; // Spec 5.4.1.

void storeWord(const runtime::CompiledFunction* function, uint32_t pc, uint32_t value) {
  std::atomic_ref<uint32_t>(function->code[pc]).store(value, std::memory_order_relaxed);
}

} // namespace

void Session::Impl::installSafepoints() {
  const runtime::Module& module = compiled->module();
  for (const runtime::CompiledFunction& cf : compiled->functions()) {
    std::vector<uint32_t> candidates{cf.bodyOffset};
    for (uint32_t offset : cf.instructionOffsets()) {
      uint64_t at = uint64_t(module.codeSectionOffset) + offset;
      if (at < module.bytes.size() && module.bytes[at] == kLoopOpcode)
        candidates.push_back(offset);
    }
    for (uint32_t offset : candidates) {
      std::optional<uint32_t> pc = cf.pcAt(offset);
      if (!pc || safepointIndex.count({&cf, *pc}))
        continue;
      size_t index = safepoints.size();
      auto id = store->addLocalProbe(*compiled, cf.index, offset, [this, index](ProbeContext& ctx) {
        return onSafepoint(ctx, index);
      });
      if (!id.ok())
        continue; // Unreachable code: nothing runs there anyway.
      auto installed = cf.probes.find(*pc);
      if (installed == cf.probes.end())
        continue;
      if (!probeOpcode)
        probeOpcode = cf.code[*pc];
      safepoints.push_back({&cf, *pc, installed->second.originalOp, *id});
      safepointIndex.emplace(std::pair{&cf, *pc}, index);
      storeWord(&cf, *pc, installed->second.originalOp); // Disarmed.
    }
  }
}

void Session::Impl::requestAttention(Attention what) {
  std::lock_guard lock(armMutex);
  attention.fetch_or(uint32_t(what));
  if (armed || !probeOpcode)
    return;
  armed = true;
  for (const Safepoint& s : safepoints)
    storeWord(s.function, s.pc, probeOpcode);
}

void Session::Impl::disarmLocked() {
  armed = false;
  for (const Safepoint& s : safepoints) {
    auto installed = s.function->probes.find(s.pc);
    bool shared = installed != s.function->probes.end() && installed->second.probes.size() > 1;
    storeWord(s.function, s.pc, shared ? probeOpcode : s.originalOp);
  }
}

void Session::Impl::syncSafepointWord(const runtime::CompiledFunction* function, uint32_t pc) {
  auto it = safepointIndex.find({function, pc});
  if (it == safepointIndex.end())
    return;
  const Safepoint& s = safepoints[it->second];
  std::lock_guard lock(armMutex);
  auto installed = function->probes.find(pc);
  bool shared = installed != function->probes.end() && installed->second.probes.size() > 1;
  storeWord(function, pc, armed || shared ? probeOpcode : s.originalOp);
}

ProbeAction Session::Impl::onSafepoint(ProbeContext& ctx, size_t index) {
  // Also reached when another probe shares the instruction: nothing asked.
  if (attention.load(std::memory_order_acquire) == 0)
    return terminateRequested ? ProbeAction::Stop : ProbeAction::Continue;
  safepointHits.fetch_add(1, std::memory_order_relaxed);
  uint32_t flags;
  {
    std::lock_guard lock(armMutex);
    flags = attention.exchange(0);
    disarmLocked();
  }
  if ((flags & uint32_t(Attention::Terminate)) || terminateRequested)
    return ProbeAction::Stop;
  if (flags & uint32_t(Attention::ApplyBreakpoints)) {
    std::lock_guard lock(mutex);
    if (breakpointsDirty)
      applyBreakpoints();
  }
  if (flags & uint32_t(Attention::Pause)) {
    StoppedEvent e;
    e.reason = StopReason::Pause;
    e.description = "Paused";
    return park(std::move(e), &ctx, StopSource::OtherProbe, safepoints[index].probe);
  }
  return ProbeAction::Continue;
}

Result<ProbeId> Session::Impl::addProbe(FuncIndex func, uint32_t wasmOffset,
                                        runtime::ProbeHook hook) {
  TRY_ASSIGN(ProbeId id, store->addLocalProbe(*compiled, func, wasmOffset, std::move(hook)));
  const runtime::CompiledFunction* cf = compiled->function(func);
  std::optional<uint32_t> pc = cf ? cf->pcAt(wasmOffset) : std::nullopt;
  if (pc) {
    probePcs.emplace(id, std::pair{cf, *pc});
    syncSafepointWord(cf, *pc);
  }
  return id;
}

void Session::Impl::removeProbe(ProbeId id) {
  store->removeLocalProbe(id);
  auto it = probePcs.find(id);
  if (it == probePcs.end())
    return;
  auto [cf, pc] = it->second;
  probePcs.erase(it);
  syncSafepointWord(cf, pc);
}

} // namespace wasmscope::debugger
