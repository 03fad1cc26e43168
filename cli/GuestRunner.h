// Running a launched guest the way `wasmscope run` does, for every command
// that runs one (`run`, `profile`, `ci`): the entry point and its arguments
// checked before anything runs, then instantiation, the call, and the
// guest's results, exit status or trap report.
#pragma once

#include "CliSupport.h"
#include "RunOptions.h"

#include "wasmscope/runtime/Launch.h"
#include "wasmscope/runtime/Value.h"

#include <optional>
#include <string>
#include <vector>

namespace wasmscope::cli {

/// The function a run calls, and its arguments.
struct EntryPlan {
  std::string name;                ///< "_start", or --invoke's function.
  bool invoke = false;             ///< Print the results (--invoke).
  std::vector<runtime::Value> args;
  /// Source paths in trap backtraces (--source-map).
  debugger::SourceMap sourceMap;
};

/// Resolves the entry point and parses --invoke's arguments against the
/// module's exports, so that a usage mistake never runs the start function.
/// Errors are usage errors (InvalidArgument) with the reason.
runtime::Result<EntryPlan> planEntry(const RunOptions& options, const runtime::Guest& guest);

/// Instantiates `guest` (unless done) and calls the planned entry. Prints
/// --invoke's results on stdout, or the trap with its backtrace on stderr;
/// returns the process exit status (see ExitCode): the guest's own status
/// (proc_exit's, capped at 255), 134 after a trap or limit, 2 after a link
/// error.
int runGuest(runtime::Guest& guest, const EntryPlan& entry);

/// How a run ended, for observers that record it (`profile`).
struct RunOutcome {
  bool ran = false;              ///< The entry (or the start function) ran.
  std::optional<int> exitStatus; ///< The guest's status, when it exited or returned.
  std::string trap;              ///< The trap or limit that stopped it.
};
/// runGuest(), also saying how the run ended.
int runGuest(runtime::Guest& guest, const EntryPlan& entry, RunOutcome& outcome);

/// The exit status for an error from launching or running: what the module
/// or the user got wrong is bad input; what the guest did is a trap.
ExitCode statusFor(const runtime::Error& error);

/// Reports a launch error (one "wasmscope: error:" line) and returns its status.
int failLaunch(const runtime::Error& error);

} // namespace wasmscope::cli
