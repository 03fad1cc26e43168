// poll_oneoff: waits for the first of a set of clock timeouts and fd
// readiness events. Regular files and captured stdout/stderr are always
// ready; stdin (a host fd) is polled. In deterministic mode a clock
// subscription does not sleep: the fake clock jumps to its deadline.
#include "WasiState.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

namespace wasmscope::runtime::wasi {

namespace {

constexpr uint32_t kMaxSubscriptions = 65536;

struct Subscription {
  uint64_t userdata = 0;
  uint8_t tag = 0;
  uint32_t clock = 0;
  uint64_t timeout = 0;
  uint16_t clockFlags = 0;
  uint32_t fd = 0;
};

struct Event {
  uint64_t userdata = 0;
  Errno error = Errno::Success;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

Errno readSubscription(const GuestMemory& mem, uint64_t at, Subscription& s) {
  WASI_TRY(mem.readU64(at + layout::kSubUserdata, s.userdata));
  WASI_TRY(mem.readU8(at + layout::kSubTag, s.tag));
  if (s.tag == kEventClock) {
    WASI_TRY(mem.readU32(at + layout::kSubClockId, s.clock));
    WASI_TRY(mem.readU64(at + layout::kSubClockTimeout, s.timeout));
    WASI_TRY(mem.readU16(at + layout::kSubClockFlags, s.clockFlags));
  } else {
    WASI_TRY(mem.readU32(at + layout::kSubFd, s.fd));
  }
  return Errno::Success;
}

Errno writeEvent(const GuestMemory& mem, uint64_t at, const Event& e) {
  WASI_TRY(mem.zero(at, layout::kEventSize));
  WASI_TRY(mem.writeU64(at + layout::kEventUserdata, e.userdata));
  WASI_TRY(mem.writeU16(at + layout::kEventError, uint16_t(e.error)));
  WASI_TRY(mem.writeU8(at + layout::kEventType, e.type));
  WASI_TRY(mem.writeU64(at + layout::kEventNbytes, e.nbytes));
  return mem.writeU16(at + layout::kEventFlags, e.flags);
}

/// Bytes left to read in a regular file from its current offset.
uint64_t bytesLeft(int fd) {
  struct stat st;
  off_t pos = ::lseek(fd, 0, SEEK_CUR);
  if (::fstat(fd, &st) != 0 || pos < 0 || st.st_size <= pos)
    return 0;
  return uint64_t(st.st_size - pos);
}

Errno pollOneoff(WasiCall& c) {
  uint32_t in = c.u32(0), out = c.u32(1), count = c.u32(2), neventsPtr = c.u32(3);
  // Bounds what the host allocates for one call (the guest's memory could
  // hold millions of subscriptions).
  if (count == 0 || count > kMaxSubscriptions)
    return Errno::Inval;
  if (!c.mem.checkArray(in, count, layout::kSubscriptionSize) ||
      !c.mem.checkArray(out, count, layout::kEventSize) || !c.mem.check(neventsPtr, 4))
    return Errno::Fault;
  std::vector<Subscription> subs(count);
  for (uint32_t i = 0; i < count; ++i) {
    WASI_TRY(readSubscription(c.mem, in + uint64_t(i) * layout::kSubscriptionSize, subs[i]));
    if (subs[i].tag > kEventFdWrite)
      return Errno::Inval;
  }

  State& w = c.wasi;
  std::vector<Event> events;      // Ready without waiting.
  std::vector<pollfd> pollfds;    // Host fds to wait on...
  std::vector<size_t> pollSubs;   // ...and the subscription each serves.
  std::optional<uint64_t> wait;   // Earliest clock timeout, in ns from now.
  std::vector<uint64_t> remaining(count, UINT64_MAX);

  for (uint32_t i = 0; i < count; ++i) {
    const Subscription& s = subs[i];
    Event ev{s.userdata, Errno::Success, s.tag, 0, 0};
    if (s.tag == kEventClock) {
      if (s.clock != kClockRealtime && s.clock != kClockMonotonic) {
        ev.error = Errno::Inval;
        events.push_back(ev);
        continue;
      }
      uint64_t left = s.timeout;
      if (s.clockFlags & kSubclockAbstime) {
        auto now = w.now(s.clock);
        if (!now.ok()) {
          ev.error = now.error();
          events.push_back(ev);
          continue;
        }
        left = s.timeout > *now ? s.timeout - *now : 0;
      }
      remaining[i] = left;
      wait = std::min(wait.value_or(UINT64_MAX), left);
      continue;
    }
    bool reading = s.tag == kEventFdRead;
    FdEntry* e = w.entry(s.fd);
    if (!e || !(e->rightsBase & (reading ? rights::kFdRead : rights::kFdWrite))) {
      ev.error = Errno::BadF;
      events.push_back(ev);
      continue;
    }
    if (e->kind == FdKind::File) {
      if (reading)
        ev.nbytes = bytesLeft(e->host.get());
      events.push_back(ev);
    } else if (e->kind == FdKind::Stdout || e->kind == FdKind::Stderr) {
      events.push_back(ev);
    } else { // Stdin: a host stream.
      int host = w.stdioHostFd(*e);
      if (host < 0) {
        ev.flags = kEventFdReadwriteHangup;
        events.push_back(ev);
        continue;
      }
      pollfds.push_back({host, short(reading ? POLLIN : POLLOUT), 0});
      pollSubs.push_back(i);
    }
  }

  // Wait only when nothing is ready yet; a deterministic run never blocks
  // on a clock.
  bool det = w.config.deterministic;
  int64_t timeoutNs = -1;
  if (!events.empty() || (det && wait))
    timeoutNs = 0;
  else if (wait)
    timeoutNs = int64_t(std::min<uint64_t>(*wait, uint64_t(INT64_MAX)));
  if (!pollfds.empty() || (timeoutNs > 0 && !det)) {
    // A debugger's pause or terminate, or a timeout, ends the wait early.
    auto ready = waitInterruptibly(c, pollfds, timeoutNs);
    if (!ready.ok())
      return ready.error();
    for (size_t k = 0; k < pollfds.size(); ++k) {
      short re = pollfds[k].revents;
      if (!re)
        continue;
      const Subscription& s = subs[pollSubs[k]];
      Event ev{s.userdata, Errno::Success, s.tag, 0, 0};
      if (re & (POLLHUP | POLLERR))
        ev.flags = kEventFdReadwriteHangup;
      int avail = 0;
      if (s.tag == kEventFdRead && ::ioctl(pollfds[k].fd, FIONREAD, &avail) == 0 && avail > 0)
        ev.nbytes = uint64_t(avail);
      events.push_back(ev);
    }
  }
  // No fd became ready: the earliest clock(s) fired.
  if (events.empty() && wait) {
    if (det)
      w.fakeNanos += *wait;
    for (uint32_t i = 0; i < count; ++i)
      if (subs[i].tag == kEventClock && remaining[i] <= *wait)
        events.push_back({subs[i].userdata, Errno::Success, kEventClock, 0, 0});
  }

  for (size_t k = 0; k < events.size(); ++k)
    WASI_TRY(writeEvent(c.mem, out + uint64_t(k) * layout::kEventSize, events[k]));
  return c.mem.writeU32(neventsPtr, uint32_t(events.size()));
}

constexpr WasiFunctionDef kFunctions[] = {
    {"poll_oneoff", "iiii", pollOneoff},
};

} // namespace

std::span<const WasiFunctionDef> pollFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
