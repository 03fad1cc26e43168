// The gdb-remote stub: runs one guest under a debugger::Session and serves
// LLDB's WebAssembly plug-in (`process connect --plugin wasm
// connect://127.0.0.1:PORT`) on a loopback port or a Unix socket. The guest
// is launched and parked before its first instruction of `_start` until a
// client connects and continues it; it then runs at full speed between the
// breakpoints and watchpoints the client sets (the session's local probes
// and memory watches). One client is served at a time: when one goes away
// without detaching, its breakpoints are removed, a running guest is paused,
// and the next client finds it stopped. See docs/LLDB.md.
#pragma once

#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/runtime/Result.h"
#include "wasmscope/session/Session.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::gdbstub {

struct GdbServerOptions {
  /// Listen on 127.0.0.1:port (0: any free port). Exactly one of `port`
  /// and `socketPath` is set.
  std::optional<uint16_t> port;
  /// Listen on a Unix socket created at this path with mode 0600.
  std::optional<std::string> socketPath;
  /// The guest. stopOnEntry and onEvent are set by the server (and, with
  /// `profile` or `memory`, countBlocks and observers).
  debugger::LaunchConfig launch;
  /// Run the instruction profiler (profiler/) for the whole run, so that the
  /// `profile` monitor command can answer. It compiles block counters into
  /// the module and hooks every call, which costs speed: off by default.
  bool profile = false;
  /// Run the heap profiler (profiler/) for the whole run, so that the
  /// `leak_check`, `block_list` and `who_points_at` monitor commands can
  /// answer. It compiles block counters into the module and probes the
  /// allocator's functions: off by default. The launch fails when the module
  /// has no allocator the profiler knows.
  bool memory = false;
  /// With `memory`: the guest's own allocator functions to intercept
  /// besides the standard names (`run --allocator NAME=KIND`).
  std::vector<profiler::AllocatorName> allocators;
  /// Receives one line when the server is ready ("waiting for LLDB on
  /// 127.0.0.1:4711 ...") and notes on clients coming and going.
  std::function<void(std::string_view line)> log;
  /// Receives the guest's stdout and stderr as written (fd 1 or 2); they
  /// also go to the client as console output while the guest runs.
  std::function<void(int fd, std::string_view bytes)> output;
};

/// Launches the guest and serves clients until the guest has exited and the
/// last client has gone, a client detached and the guest finished, or a
/// client killed the guest. Returns the guest's exit status (its proc_exit
/// code; 134 after a trap; 137 when killed). Errors: the module cannot be
/// launched (with the launch error's message) or the port or socket cannot
/// be opened.
runtime::Result<uint32_t> serveGdbRemote(GdbServerOptions options);

} // namespace wasmscope::gdbstub
