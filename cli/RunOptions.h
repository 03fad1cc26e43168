// The options of every command that launches a guest (`run`, `profile`,
// `ci`, `inspect`): module, arguments, WASI access and limits. They are
// registered on each subcommand the same way and turned into one
// runtime::LaunchSpec, so every front end launches guests alike.
#pragma once

#include "wasmscope/runtime/Launch.h"
#include "wasmscope/symbols/SourcePaths.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace wasmscope::cli {

/// What the command line asked of a guest run.
struct RunOptions {
  std::string modulePath;
  std::optional<std::string> invoke;    ///< Export to call instead of `_start`.
  std::optional<uint64_t> fuel;         ///< Instruction budget; enables metering.
  std::optional<std::string> maxMemory; ///< "64MiB", "1G", "65536", ...
  std::optional<uint32_t> maxCallDepth;
  std::optional<std::string> timeout; ///< "500ms", "30s", "5m", ...
  std::vector<std::string> guestArgs; ///< Everything after MODULE.
  // WASI: what the guest may see of the host.
  std::vector<std::string> dirs; ///< --dir HOST[::GUEST], preopened as fds 3, 4, ...
  std::vector<std::string> env;  ///< --env KEY=VALUE
  bool deterministic = false;    ///< Fixed clocks and seeded random bytes.
  std::optional<uint64_t> seed;
  /// --source-map BUILD=LOCAL: source paths shown in backtraces.
  std::vector<std::string> sourceMaps;
};

/// The run options on one subcommand.
class RunOptionSet {
public:
  /// Adds the options, then MODULE and ARGS, to `app`. `what` completes
  /// MODULE's description ("to run", "to profile").
  void addTo(CLI::App& app, const std::string& what);

  /// Removes the guest's arguments from `args` (the tokens after the
  /// subcommand name) and keeps them: everything after MODULE belongs to the
  /// guest, even when it looks like one of our options, so that
  /// `wasmscope run prog.wasm --fuel 3` passes `--fuel 3` to prog.
  void splitGuestArgs(std::vector<std::string>& args);

  /// The options once parsed, with the guest's arguments in place.
  const RunOptions& options();

  /// The launch specification, or a usage error (bad --dir, --env,
  /// --max-memory or --timeout) as an InvalidArgument error with the
  /// option's name.
  runtime::Result<runtime::LaunchSpec> launchSpec();

  /// The --source-map pairs, or a usage error naming the bad one.
  runtime::Result<debugger::SourceMap> sourceMap();

private:
  CLI::App* m_app = nullptr;
  RunOptions m_options;
  std::vector<std::string> m_splitGuestArgs;
};

/// Registers `--source-map BUILD=LOCAL` (repeatable) on `app`.
void addSourceMapOption(CLI::App& app, std::vector<std::string>& pairs);
/// The pairs as a SourceMap, or a usage error naming the bad one.
runtime::Result<debugger::SourceMap> parseSourceMap(const std::vector<std::string>& pairs);

/// Parses a byte size with an optional binary suffix (K, Ki, KiB, M, MiB, G,
/// GiB; case-insensitive; "B" alone allowed). Empty on malformed input.
std::optional<uint64_t> parseByteSize(std::string_view text);

/// Usage examples and the WASI note, shown in `run --help`.
extern const char* const kRunExamples;

} // namespace wasmscope::cli
