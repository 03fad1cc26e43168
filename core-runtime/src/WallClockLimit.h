// The wall-clock limit of a launched guest (LaunchSpec::timeout): a watchdog
// thread that interrupts the guest's store with InterruptKind::Timeout once
// the guest has had its time. Time while the clock is held (a debugger has
// the guest parked, or has not let it start) does not count.
#pragma once

#include "wasmscope/runtime/Store.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace wasmscope::runtime {

class WallClockLimit {
public:
  using Clock = std::chrono::steady_clock;

  /// Starts counting `budget` for `store` at once (unless held).
  WallClockLimit(Store& store, std::chrono::nanoseconds budget);
  /// Stops the watchdog; the store is not interrupted after this returns.
  ~WallClockLimit();
  WallClockLimit(const WallClockLimit&) = delete;
  WallClockLimit& operator=(const WallClockLimit&) = delete;

  /// Stops the clock until release(); holds nest.
  void hold();
  void release();
  /// Whether the limit has passed (and the store been interrupted).
  bool expired() const;

private:
  void watch();

  Store& m_store;
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  Clock::duration m_left;      ///< Budget not yet used as of m_since.
  Clock::time_point m_since;   ///< When the clock last started running.
  int m_holds = 0;
  bool m_expired = false;
  bool m_stopping = false;
  std::thread m_thread;
};

} // namespace wasmscope::runtime
