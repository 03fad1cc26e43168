// A live run for the inspector: one debugger::Session whose runs are also
// profiled, by profilers attached to each run as session observers. Events
// from the guest's thread are queued for the GUI thread (and forwarded at
// once to a second front end, the shared DAP server, when there is one).
//
// What the profilers collected is published as immutable snapshots: at
// every stop (taken in the event handler, while the guest is certainly
// parked, before any front end hears of the stop and could resume it) and
// at the end of the run (when the session detaches its observers). Views
// read those snapshots; nothing here lets them reach the interpreter.
#pragma once

#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/profiler/Profile.h"
#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/session/Session.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wasmscope::gui {

struct LiveOptions {
  /// The launch; its onEvent and observers are the LiveRun's own.
  debugger::LaunchConfig config;
  /// Profile the run (instructions per function, line and call path).
  bool profile = true;
  /// Call-trace events kept (the last ones); 0: no call trace.
  uint64_t traceEvents = 1'000'000;
  /// Profile the heap too (`--memory`): allocations, the live set over time,
  /// the leak check at the end.
  bool memory = false;
  /// With `memory`: the heap profiler's options.
  profiler::HeapProfilerOptions heap;
  /// For the profile's run information.
  std::vector<std::string> commandLine;
};

/// The largest linear memory a final snapshot keeps a copy of.
inline constexpr uint64_t kMaxMemoryImage = uint64_t(256) << 20;

/// What the profilers had collected at a moment of the run.
struct RunSnapshot {
  std::shared_ptr<const profiler::Profile> profile;
  bool final = false;   ///< The run is over: this is all there will be.
  std::string error;    ///< Why there is no profile, if there is none.
  /// Linear memory as the run left it (final snapshots, at most
  /// kMaxMemoryImage bytes; the hex view reads it once the guest is gone).
  std::shared_ptr<const std::vector<uint8_t>> memoryImage;
  uint64_t version = 0; ///< Moves with every new snapshot.
};

class LiveRun final : public debugger::RunObserver {
public:
  LiveRun();
  /// Ends the guest (waiting a few seconds at most for one blocked in a
  /// host call) before the profilers go.
  ~LiveRun() override;
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  /// Launches the module; the guest waits for start().
  runtime::Result<void> launch(LiveOptions options);
  /// Lets the guest run (the session's configurationDone).
  runtime::Result<void> start();
  /// Ends this run and starts the module again, with the same breakpoints.
  runtime::Result<void> restart();

  debugger::Session& session() { return *m_session; }
  const debugger::Session& session() const { return *m_session; }

  /// Events since the last call, oldest first (GUI thread).
  std::vector<debugger::Event> takeEvents();
  /// Also hands every event, as it happens, to `forward` (on the thread that
  /// delivers it). Set before launch().
  void setForwarder(debugger::EventHandler forward);

  /// The latest snapshot.
  RunSnapshot latest() const;

  // RunObserver: the session calls these around each run.
  runtime::Result<void> attach(runtime::Guest& guest) override;
  runtime::Result<void> instantiated(runtime::Guest& guest) override;
  void detach(runtime::Guest& guest) override;

private:
  void onEvent(const debugger::Event& event);
  void publish(runtime::Result<profiler::Profile> profile, bool final,
               std::shared_ptr<const std::vector<uint8_t>> memoryImage = {});
  profiler::RunInfo runInfo() const;

  LiveOptions m_options;
  debugger::EventHandler m_forward;
  mutable std::mutex m_mutex;
  std::deque<debugger::Event> m_events;
  /// Attached to the current run's guest; touched only while the guest is
  /// not running (attach, detach, a stop), under m_mutex.
  std::unique_ptr<profiler::Profiler> m_profiler;
  std::unique_ptr<profiler::HeapProfiler> m_heap;
  RunSnapshot m_latest;
  /// Destroyed first: its guest thread calls back into the members above.
  std::unique_ptr<debugger::Session> m_session;
};

} // namespace wasmscope::gui
