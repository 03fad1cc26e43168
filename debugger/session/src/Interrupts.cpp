// Asynchronous interruption (pause, terminate, breakpoint changes while the
// guest runs), through the runtime's interruption mechanism
// (Store::interrupt): the store's dormant safepoints at every function entry
// and loop header cost nothing until a request arms them. A request from a
// controlling thread records what it wants in `attention` and interrupts the
// store; the guest acts on it at its next safepoint, or at once when it
// waits in a blocking host call (a sleep, a read from stdin), in
// onInterrupt() on the guest thread, where changing probes is safe.
// Terminate asks the runtime to stop the guest outright.
#include "SessionImpl.h"

namespace wasmscope::debugger {

void Session::Impl::installSafepoints() {
  // The launch path enabled interrupts before instantiating (so that the
  // start function can be stopped too); this only makes sure.
  store->enableInterrupts();
  store->setInterruptHandler([this](ProbeContext& ctx) { return onInterrupt(ctx); });
  std::lock_guard lock(armMutex);
  interruptible = store;
}

void Session::Impl::requestAttention(Attention what) {
  attention.fetch_or(uint32_t(what));
  // Under armMutex: resetRun() clears `interruptible` before the store goes.
  std::lock_guard lock(armMutex);
  if (interruptible)
    interruptible->interrupt(what == Attention::Terminate ? runtime::InterruptKind::Stop
                                                          : runtime::InterruptKind::Notify);
}

ProbeAction Session::Impl::onInterrupt(ProbeContext& ctx) {
  safepointHits.fetch_add(1, std::memory_order_relaxed);
  uint32_t flags = attention.exchange(0);
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
    // At a safepoint every probe of the instruction is yet to run; inside a
    // host call the instruction (the call) has run already.
    return park(std::move(e), &ctx, ctx.inHostCall ? StopSource::HostCall : StopSource::OtherProbe);
  }
  return ProbeAction::Continue;
}

Result<ProbeId> Session::Impl::addProbe(FuncIndex func, uint32_t wasmOffset,
                                        runtime::ProbeHook hook) {
  if (!instance)
    return Error(ErrorCode::InvalidArgument, "no program is launched");
  return store->addLocalProbe(*instance, func, wasmOffset, std::move(hook));
}

void Session::Impl::removeProbe(ProbeId id) { store->removeLocalProbe(id); }

} // namespace wasmscope::debugger
