// The `wasmscope run` subcommand: launches a module through the shared
// launch path with WASI preview1 under the requested limits, and calls
// `_start` or one named export, printing the results or a trap with its
// wasm backtrace.
#pragma once

#include "CliSupport.h"
#include "RunOptions.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wasmscope::cli {

/// Registers `run` on the top-level app and executes it once parsed.
class RunCommand {
public:
  explicit RunCommand(CLI::App& parent);

  CLI::App& app() { return *m_app; }
  RunOptionSet& runOptions() { return m_runOptions; }

  /// Runs the parsed command; returns the process exit status.
  int execute();

private:
  CLI::App* m_app = nullptr;
  RunOptionSet m_runOptions;
  std::optional<uint16_t> m_gdbPort;
  std::optional<std::string> m_gdbSocket;
  bool m_gdbProfile = false;
  bool m_gdbMemory = false;
  std::vector<std::string> m_allocators;
  std::optional<uint16_t> m_debugPort;
  std::optional<std::string> m_debugSocket;
  std::optional<std::string> m_tokenFile;
  bool m_debugWait = false;
};

} // namespace wasmscope::cli
