// What every `wasmscope` subcommand shares: the process exit statuses and
// the one-line error convention ("wasmscope: error: ...").
#pragma once

#include <string>
#include <string_view>

namespace wasmscope::cli {

/// wasmscope's own process exit statuses, documented in `--help`. A WASI
/// guest's exit status passes through unchanged; a trap uses 128 + SIGABRT,
/// as other runtimes do, so that it stands apart from ordinary exit codes.
enum class ExitCode : int {
  Ok = 0,         ///< The guest ran to completion.
  GuestError = 1, ///< A command other than `run` failed (e.g. a lookup found nothing).
  BadInput = 2,   ///< Usage error, unreadable file, malformed or invalid module.
  Trap = 134,     ///< The guest trapped or hit a limit (fuel, memory, call depth).
};

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR; other
/// errors drop the rest (the guest's output has nowhere else to go).
void writeAll(int fd, std::string_view bytes);

/// Prints "wasmscope: error: MESSAGE" on stderr.
void reportError(const std::string& message);

/// reportError(), then the status to exit with.
int fail(ExitCode status, const std::string& message);

/// What the command is doing now ("reading prog.wasm", "running prog.wasm"),
/// for main()'s out-of-host-memory boundary: "out of host memory while ...".
void setActivity(std::string activity);
const std::string& activity();

} // namespace wasmscope::cli
