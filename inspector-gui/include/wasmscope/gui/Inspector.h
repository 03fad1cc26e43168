// The desktop inspector's entry point, for `wasmscope inspect`: a window
// (or, headless, an off-screen render written to a PNG) showing a live run
// of a module under a debug session, or a saved profile. No GUI types here:
// the CLI includes it whether or not the GUI was built.
#pragma once

#include "wasmscope/session/Session.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::gui {

/// A second front end on the live session (the CLI's DAP server, so that VS
/// Code sees the same run): the inspector hands it every session event and
/// tells it when breakpoints change. inspector-gui knows it only through
/// this interface, so it never depends on dap-server.
class SessionShare {
public:
  virtual ~SessionShare() = default;
  /// Every event of the session, on the thread that delivers it.
  virtual void onSessionEvent(const debugger::Event& event) = 0;
  /// Breakpoints were set or cleared in the inspector.
  virtual void breakpointsChanged() = 0;
  /// Whether a client is attached (a headless inspector waits for it to
  /// leave before it ends).
  virtual bool clientAttached() const = 0;
  /// For the status line: "DAP client attached on 127.0.0.1:4711".
  virtual std::string status() const = 0;
};

/// Makes the second front end once the live session exists, before its
/// guest is launched. Errors end the inspector with their message.
using ShareSession =
    std::function<runtime::Result<std::unique_ptr<SessionShare>>(debugger::Session&)>;

struct InspectorOptions {
  /// Live: the module to run and how (from the run options).
  std::optional<debugger::LaunchConfig> launch;
  /// The command line, for the profile's run information.
  std::vector<std::string> commandLine;
  /// Saved: a JSON profile to open (when `launch` is empty).
  std::string profilePath;

  /// Live: profile the heap too (allocations, leak check), for the memory
  /// views (`--memory`).
  bool memory = false;

  /// Stop before the first instruction of `_start`.
  bool stopOnEntry = false;
  /// Breakpoints to set before the run starts, "FILE:LINE" (as if clicked
  /// in the Source view's gutter).
  std::vector<std::string> breakpoints;

  /// Live: a second front end on the same session (`--dap-port`), or none.
  ShareSession shareSession;

  /// Render off-screen (under Xvfb) instead of opening a window.
  bool headless = false;
  /// Headless: frames to render once the run has stopped or ended.
  int frames = 3;
  /// Headless: where to write the last frame as PNG ("" for none).
  std::string screenshotPath;
  /// Headless: where to write, as JSON, the rectangles the views drew their
  /// parts in during the last frame (for tests that check screenshots).
  std::string layoutPath;
  /// The view to show: "memory", "allocations", "timeline", "calltrace",
  /// "profile", "source", "debug", "module".
  std::string view;
  /// An address to select in the memory views.
  std::optional<uint64_t> select;
  int width = 1600;
  int height = 1000;
  /// Headless: the longest wait for the run to stop or end.
  std::chrono::milliseconds settleTimeout{120000};
};

/// Runs the inspector until its window is closed (or, headless, until the
/// frames are rendered and the run is over). Returns the process's exit
/// status; errors are printed on stderr as "wasmscope: error: ...".
int runInspector(const InspectorOptions& options);

} // namespace wasmscope::gui
