// The instruction profiler: attaches to a launched guest through the
// runtime's generic instruments (function entry/exit and host-call hooks,
// per-block counters, fuel) and, after the run, turns what it counted into a
// symbolicated Profile. It never launches the guest itself and adds nothing
// to the runtime that is specific to profiling.
#pragma once

#include "wasmscope/profiler/Profile.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace wasmscope::profiler {

template <typename T> using Result = runtime::Result<T>;

class HeapProfiler;

/// The largest call-trace ring: 24 bytes an event, 1.2 GB.
inline constexpr uint64_t kMaxTraceEvents = 50'000'000;

struct ProfilerOptions {
  /// Distinct call paths kept; new paths beyond meet in a "[more call paths]"
  /// frame (per function below it), so memory stays bounded.
  uint32_t maxStacks = 100000;
  /// Call-trace ring buffer size in events (at most kMaxTraceEvents); 0:
  /// no trace.
  uint64_t traceEvents = 0;
  /// Measure wall time (host calls, trace events, the run). Off, a profile
  /// is a pure function of the module and its input: byte-identical on
  /// every run and machine.
  bool wallTime = false;
  /// Called on the guest's thread about every `progressInterval`
  /// instructions with the count so far (for progress lines).
  std::function<void(uint64_t instructions)> onProgress;
  uint64_t progressInterval = uint64_t(1) << 26;
};

class Profiler {
public:
  /// Attaches to a guest loaded with LaunchSpec::countBlocks and not yet
  /// instantiated (so the start function is profiled too). The profiler
  /// takes over the store's function hooks and fuel handler, honouring a
  /// fuel budget the launch set. Fails if the module was compiled without
  /// block counters.
  static Result<std::unique_ptr<Profiler>> attach(runtime::Guest &guest, ProfilerOptions options);
  ~Profiler();
  Profiler(const Profiler &) = delete;
  Profiler &operator=(const Profiler &) = delete;

  /// Instructions executed so far (block granularity).
  uint64_t instructions() const;

  /// Builds the profile once the run is over: symbolicates with the
  /// module's DWARF (else its name section), corrects the block a trap cut
  /// short, and fills `run`'s module facts and the totals. Detaches from
  /// the store.
  Result<Profile> finish(RunInfo run);
  /// The profile so far, built as finish() builds it, without detaching:
  /// for a front end that shows a run while a debugger holds it stopped.
  /// Only while the guest is not running (stopped, or not started), on any
  /// thread that is ordered after the stop.
  Result<Profile> snapshot(RunInfo run) const;

  struct State;

private:
  friend Result<Profile> finishProfile(runtime::Guest &, RunInfo, Profiler *, HeapProfiler *);
  friend Result<Profile> snapshotProfile(RunInfo, const Profiler *, const HeapProfiler *);
  explicit Profiler(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

/// Builds the profile of a finished run from the collectors that were
/// attached to `guest` (either may be null): the module's facts in `run`,
/// the instruction profile, the memory profile (with its leak check run
/// against the guest's final state), symbolicated once with the module's
/// DWARF (else its name section). Detaches both.
Result<Profile> finishProfile(runtime::Guest &guest, RunInfo run, Profiler *instructions,
                              HeapProfiler *heap);

/// The profile so far of a run both collectors (either may be null, not
/// both) are still attached to, built as finishProfile() builds it but
/// without detaching: for a front end showing a stopped guest. The heap
/// part (as HeapProfiler::snapshot) has a leak check whose roots include
/// the stopped guest's live frames. Only inside a stop, on the guest's
/// thread (the event handler of the stop).
Result<Profile> snapshotProfile(RunInfo run, const Profiler *instructions,
                                const HeapProfiler *heap);

/// Hex SHA-256 of `bytes` (module identity in profiles).
std::string sha256Hex(const std::vector<uint8_t> &bytes);

} // namespace wasmscope::profiler
