// The `wasmscope run` subcommand: loads a module, instantiates it in a fresh
// Store under the requested limits with WASI preview1 available, and calls
// `_start` or one named export, printing the results or a trap with its wasm
// backtrace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

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

/// What `wasmscope run` was asked to do, as parsed from the command line.
struct RunOptions {
  std::string modulePath;
  std::optional<std::string> invoke;    ///< Export to call instead of `_start`.
  std::optional<uint64_t> fuel;         ///< Instruction budget; enables metering.
  std::optional<std::string> maxMemory; ///< "64MiB", "1G", "65536", ...
  std::optional<uint32_t> maxCallDepth;
  std::vector<std::string> guestArgs; ///< Everything after MODULE.
  // WASI: what the guest may see of the host.
  std::vector<std::string> dirs; ///< --dir HOST[::GUEST], preopened as fds 3, 4, ...
  std::vector<std::string> env;  ///< --env KEY=VALUE
  bool deterministic = false;    ///< Fixed clocks and seeded random bytes.
  std::optional<uint64_t> seed;
};

/// `run`'s usage examples, shown in its --help.
extern const char* const kRunExamples;

/// Registers `run` on the top-level app and executes it once parsed.
class RunCommand {
public:
  explicit RunCommand(CLI::App& parent);

  CLI::App& app() { return *m_app; }

  /// Removes the guest's arguments from `args` (the tokens after the
  /// subcommand name) and keeps them: everything after MODULE belongs to the
  /// guest, even when it looks like one of our options, so that
  /// `wasmscope run prog.wasm --fuel 3` passes `--fuel 3` to prog.
  void splitGuestArgs(std::vector<std::string>& args);

  /// Runs the parsed command; returns the process exit status.
  int execute();

private:
  CLI::App* m_app = nullptr;
  RunOptions m_options;
  std::vector<std::string> m_splitGuestArgs;
};

/// Parses a byte size with an optional binary suffix (K, Ki, KiB, M, MiB, G,
/// GiB; case-insensitive; "B" alone allowed). Empty on malformed input.
std::optional<uint64_t> parseByteSize(std::string_view text);

} // namespace wasmscope::cli
