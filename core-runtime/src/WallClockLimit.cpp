// The wall-clock limit's watchdog (WallClockLimit.h). It sleeps until the
// budget would run out; a hold or a release wakes it to recompute. When the
// budget is spent it interrupts the store, which stops the guest at its next
// safepoint or inside a blocking host call with "wall-clock limit exceeded".
#include "WallClockLimit.h"

namespace wasmscope::runtime {

WallClockLimit::WallClockLimit(Store& store, std::chrono::nanoseconds budget)
    : m_store(store), m_left(std::chrono::duration_cast<Clock::duration>(budget)),
      m_since(Clock::now()) {
  m_thread = std::thread([this] { watch(); });
}

WallClockLimit::~WallClockLimit() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_changed.notify_all();
  m_thread.join();
}

void WallClockLimit::hold() {
  {
    std::lock_guard lock(m_mutex);
    if (m_holds++ == 0 && !m_expired)
      m_left -= Clock::now() - m_since;
  }
  m_changed.notify_all();
}

void WallClockLimit::release() {
  {
    std::lock_guard lock(m_mutex);
    if (m_holds == 0 || --m_holds > 0)
      return;
    m_since = Clock::now();
  }
  m_changed.notify_all();
}

bool WallClockLimit::expired() const {
  std::lock_guard lock(m_mutex);
  return m_expired;
}

void WallClockLimit::watch() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (m_stopping)
      return;
    if (m_holds > 0) {
      m_changed.wait(lock);
      continue;
    }
    Clock::time_point deadline = m_since + m_left;
    if (Clock::now() >= deadline) {
      m_expired = true;
      m_store.interrupt(InterruptKind::Timeout);
      // Nothing more to do but wait to be destroyed.
      m_changed.wait(lock, [&] { return m_stopping; });
      return;
    }
    m_changed.wait_until(lock, deadline);
  }
}

} // namespace wasmscope::runtime
