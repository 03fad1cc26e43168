// The `wasmscope dap` subcommand: a Debug Adapter Protocol server over stdio
// (how VS Code and other clients start an adapter) or, with --port, on
// 127.0.0.1 for one client at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace wasmscope::cli {

struct DapOptions {
  std::optional<uint16_t> port;       ///< Listen on 127.0.0.1:PORT (0: any free port).
  std::optional<std::string> logPath; ///< Protocol trace.
};

/// Registers `dap` on the top-level app and executes it once parsed.
class DapCommand {
public:
  explicit DapCommand(CLI::App& parent);

  CLI::App& app() { return *m_app; }
  /// Serves until stdin closes (stdio) or forever (--port); returns the
  /// process exit status.
  int execute();

private:
  CLI::App* m_app = nullptr;
  DapOptions m_options;
};

} // namespace wasmscope::cli
