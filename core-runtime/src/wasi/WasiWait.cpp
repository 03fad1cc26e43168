// Waiting in a WASI call without making the guest unstoppable. A guest that
// sleeps an hour in poll_oneoff, or reads a pipe nobody writes, must still
// obey a debugger's pause and terminate and a wall-clock limit: every wait
// polls the store's interrupt fd (Store::interruptFd) along with what it
// waits for, and acts on a request there (Store::serviceInterrupt). A stop
// becomes the call's trap, reported at the call with the guest's frames; a
// pause parks the guest inside the call, and the wait then goes on until its
// original deadline, so the call still does what it was asked.
#include "WasiState.h"

#include <poll.h>
#include <time.h>

#include <cerrno>

namespace wasmscope::runtime::wasi {

namespace {

int64_t monotonicNanos() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

ErrnoOr<int> waitInterruptibly(WasiCall& c, std::vector<pollfd>& fds, int64_t timeoutNs) {
  int wake = c.store ? c.store->interruptFd() : -1;
  size_t own = fds.size();
  if (wake >= 0)
    fds.push_back({wake, POLLIN, 0});
  int64_t deadline = timeoutNs >= 0 ? monotonicNanos() + timeoutNs : 0;
  auto done = [&](ErrnoOr<int> result) {
    fds.resize(own);
    return result;
  };
  for (;;) {
    timespec ts{};
    if (timeoutNs >= 0) {
      int64_t left = std::max<int64_t>(0, deadline - monotonicNanos());
      ts = {time_t(left / 1000000000), long(left % 1000000000)};
    }
    for (pollfd& p : fds)
      p.revents = 0;
    int ready = ::ppoll(fds.data(), fds.size(), timeoutNs >= 0 ? &ts : nullptr, nullptr);
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      return done(lastHostErrno());
    }
    if (wake >= 0 && fds[own].revents) {
      --ready;
      Result<void> acted = c.store->serviceInterrupt();
      if (!acted.ok()) {
        c.trap = std::move(acted).error();
        return done(Errno::Intr);
      }
      if (ready == 0)
        continue; // Paused and resumed, or a stale wake-up: wait on.
    }
    return done(ready);
  }
}

Errno waitForFd(WasiCall& c, int fd, short events) {
  if (!c.store || c.store->interruptFd() < 0)
    return Errno::Success; // Not interruptible: the blocking call itself waits.
  std::vector<pollfd> fds{{fd, events, 0}};
  auto r = waitInterruptibly(c, fds, -1);
  return r.ok() ? Errno::Success : r.error();
}

} // namespace wasmscope::runtime::wasi
