// clock_res_get and clock_time_get over the four preview1 clocks, and the
// fake clock of deterministic mode: it starts at a fixed instant and moves
// only by a fixed step per read and by poll_oneoff's sleeps.
#include "WasiState.h"

#include <time.h>

namespace wasmscope::runtime::wasi {

namespace {

/// The deterministic realtime clock starts at 2024-01-01T00:00:00Z.
constexpr uint64_t kFakeEpochNanos = 1704067200ull * 1000000000ull;
/// Each read of a deterministic clock advances it by one microsecond, so
/// that loops waiting for time to pass still end.
constexpr uint64_t kFakeStepNanos = 1000;

bool hostClock(uint32_t clock, clockid_t& out) {
  switch (clock) {
  case kClockRealtime:
    out = CLOCK_REALTIME;
    return true;
  case kClockMonotonic:
    out = CLOCK_MONOTONIC;
    return true;
  case kClockProcessCputime:
    out = CLOCK_PROCESS_CPUTIME_ID;
    return true;
  case kClockThreadCputime:
    out = CLOCK_THREAD_CPUTIME_ID;
    return true;
  default:
    return false;
  }
}

uint64_t toNanos(const timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

Errno clockResGet(WasiCall& c) {
  uint32_t clock = c.u32(0), out = c.u32(1);
  clockid_t id;
  if (!hostClock(clock, id))
    return Errno::Inval;
  if (!c.mem.check(out, 8))
    return Errno::Fault;
  if (c.wasi.config.deterministic)
    return c.mem.writeU64(out, kFakeStepNanos);
  timespec ts;
  if (::clock_getres(id, &ts) != 0)
    return lastHostErrno();
  return c.mem.writeU64(out, toNanos(ts));
}

Errno clockTimeGet(WasiCall& c) {
  uint32_t clock = c.u32(0), out = c.u32(2); // args[1] is the precision, a hint.
  if (!c.mem.check(out, 8)) {
    clockid_t id;
    return hostClock(clock, id) ? Errno::Fault : Errno::Inval;
  }
  auto t = c.wasi.now(clock);
  if (!t.ok())
    return t.error();
  return c.mem.writeU64(out, *t);
}

constexpr WasiFunctionDef kFunctions[] = {
    {"clock_res_get", "ii", clockResGet},
    {"clock_time_get", "iIi", clockTimeGet},
};

} // namespace

std::span<const WasiFunctionDef> clockFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi

namespace wasmscope::runtime {

wasi::ErrnoOr<uint64_t> WasiContext::State::now(uint32_t clock) {
  clockid_t id;
  if (!wasi::hostClock(clock, id))
    return wasi::Errno::Inval;
  if (config.deterministic) {
    fakeNanos += wasi::kFakeStepNanos;
    return clock == wasi::kClockRealtime ? wasi::kFakeEpochNanos + fakeNanos : fakeNanos;
  }
  timespec ts;
  if (::clock_gettime(id, &ts) != 0)
    return wasi::lastHostErrno();
  return wasi::toNanos(ts);
}

} // namespace wasmscope::runtime
