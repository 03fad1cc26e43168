// `wasmscope run --debug-port N` / `--debug-socket PATH`: the guest runs at
// full speed inside a debug session, and a DAP client (VS Code's attach
// configuration) may attach at any moment, set breakpoints, pause, and
// detach again while the program goes on. See docs/VSCode.md, "Attaching
// to a running program".
#pragma once

#include "wasmscope/runtime/Launch.h"
#include "wasmscope/session/Session.h"
#include "wasmscope/symbols/SourcePaths.h"

#include <cstdint>
#include <optional>
#include <string>

namespace wasmscope::cli {

/// Where the DAP server listens: exactly one of port and socketPath.
struct DebugEndpoint {
  std::optional<uint16_t> port;
  std::optional<std::string> socketPath;
  /// With `port`: also write the access token here (mode 0600).
  std::optional<std::string> tokenFile;
  /// Hold the guest before `_start` until a client attaches and sends
  /// configurationDone (--debug-wait).
  bool wait = false;
};

/// The debug session's launch configuration for a command line's launch
/// specification (the guest's arguments, WASI access and limits), shared by
/// every command that debugs a `run` (--gdb-port, --debug-port).
debugger::LaunchConfig launchConfigFor(const runtime::LaunchSpec& spec);

/// Runs the guest described by `spec` with a DAP server on `endpoint`;
/// returns the process exit status: the guest's, as `run` gives it (134
/// after a trap, 137 when a client terminated it), or 2 when it cannot
/// start.
int runWithDebugServer(const runtime::LaunchSpec& spec, const debugger::SourceMap& sourceMap,
                       const DebugEndpoint& endpoint);

} // namespace wasmscope::cli
