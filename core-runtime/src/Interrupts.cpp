// Interrupting a running guest (Store::interrupt): pause, terminate and
// wall-clock limits, from any thread, at no cost while nothing is asked.
//
// enableInterrupts() gives every function entry and loop header (the pc its
// back edges jump to, recorded by the compiler) a dormant safepoint: an
// entry in the probe table with no probe in it, while the code word keeps
// its original opcode. Running code never meets them. interrupt() arms them
// by storing the probe opcode into those words (one atomic store each; no
// table changes shape, so the guest, which reads the words atomically as it
// dispatches, sees the old or the new opcode and both are right), and
// signals an eventfd for host functions that wait. Every loop iteration and
// call passes a safepoint, so the guest reaches one within one iteration or
// call; there the interpreter takes the requests, disarms the safepoints and
// acts on the guest's thread, where changing probes is safe. A host function
// blocked in poll() wakes on the eventfd and acts the same way
// (serviceInterrupt), then returns (stop) or waits on (after a pause).
#include "CodeWords.h"
#include "InternalOps.h"
#include "Interpreter.h"
#include "wasmscope/runtime/Store.h"

#include <sys/eventfd.h>
#include <unistd.h>

namespace wasmscope::runtime {

void Store::enableInterrupts() {
  if (m_interruptible)
    return;
  // Without an eventfd (none left), safepoints still work; only waits in
  // host functions go on until they end by themselves.
  m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  m_interruptible = true;
  for (const std::unique_ptr<Instance>& instance : m_instances)
    installSafepoints(*instance);
}

void Store::installSafepoints(Instance& instance) {
  std::lock_guard lock(m_armMutex);
  for (CompiledFunction& f : instance.m_code) {
    auto add = [&](uint32_t pc) {
      if (pc >= f.code.size())
        return;
      auto [it, inserted] = f.probes.try_emplace(pc);
      if (inserted)
        it->second.originalOp = f.code[pc];
      if (it->second.safepoint)
        return; // A loop that begins the function.
      it->second.safepoint = true;
      m_safepoints.push_back({&f, pc});
      if (m_armed)
        storeCodeWord(f, pc, uint32_t(Op::Probe));
    };
    add(0);
    for (uint32_t pc : f.loopHeaders)
      add(pc);
  }
}

void Store::interrupt(InterruptKind kind) {
  m_pending.fetch_or(uint32_t(kind), std::memory_order_release);
  {
    std::lock_guard lock(m_armMutex);
    if (!m_armed) {
      m_armed = true;
      for (const Safepoint& s : m_safepoints)
        storeCodeWord(*s.function, s.pc, uint32_t(Op::Probe));
    }
  }
  if (m_wakeFd >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(m_wakeFd, &one, sizeof one);
  }
}

uint32_t Store::takeInterrupts() {
  std::lock_guard lock(m_armMutex);
  uint32_t kinds = m_pending.exchange(0, std::memory_order_acq_rel);
  if (m_armed) {
    m_armed = false;
    for (const Safepoint& s : m_safepoints) {
      auto it = s.function->probes.find(s.pc);
      bool probed = it != s.function->probes.end() && !it->second.probes.empty();
      if (!probed && it != s.function->probes.end())
        storeCodeWord(*s.function, s.pc, it->second.originalOp);
    }
  }
  if (m_wakeFd >= 0) {
    uint64_t count;
    [[maybe_unused]] ssize_t n = ::read(m_wakeFd, &count, sizeof count);
  }
  return kinds;
}

Result<void> Store::actOnInterrupts(uint32_t kinds, ProbeContext& ctx) {
  if (kinds & uint32_t(InterruptKind::Timeout))
    return Error(ErrorCode::WallClockLimitExceeded);
  if (kinds & uint32_t(InterruptKind::Stop))
    return Error(ErrorCode::Interrupted);
  if ((kinds & uint32_t(InterruptKind::Notify)) && m_interruptHandler &&
      m_interruptHandler(ctx) == ProbeAction::Stop)
    return Error(ErrorCode::Interrupted);
  return success();
}

Result<void> Store::serviceInterrupt() {
  uint32_t kinds = takeInterrupts();
  if (!kinds)
    return success();
  std::optional<ProbeContext> ctx = m_interpreter->hostCallContext();
  if (!ctx) {
    // Called from the host, not from wasm: nothing to show a handler, but a
    // stop is still a stop.
    kinds &= ~uint32_t(InterruptKind::Notify);
    ProbeContext none{*this, nullptr, nullptr, 0, 0, nullptr, 0, 0, true};
    return actOnInterrupts(kinds, none);
  }
  return actOnInterrupts(kinds, *ctx);
}

} // namespace wasmscope::runtime
