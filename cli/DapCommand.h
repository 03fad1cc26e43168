// The `wasmscope dap` subcommand: a Debug Adapter Protocol server over stdio
// (how VS Code and other clients start an adapter) or, for one client at a
// time, on 127.0.0.1:PORT (clients must send the printed token) or a Unix
// socket only its owner can open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace wasmscope::cli {

struct DapOptions {
  std::optional<uint16_t> port;         ///< Listen on 127.0.0.1:PORT (0: any free port).
  std::optional<std::string> socketPath; ///< Listen on a Unix socket (mode 0600).
  std::optional<std::string> tokenFile;  ///< Also write the TCP token here (mode 0600).
  std::optional<std::string> logPath;   ///< Protocol trace.
  /// How long the end of a session waits for a guest stuck in a host call.
  double guestStopSeconds = 3;
};

/// Registers `dap` on the top-level app and executes it once parsed.
class DapCommand {
public:
  explicit DapCommand(CLI::App& parent);

  CLI::App& app() { return *m_app; }
  /// Serves until stdin closes (stdio) or forever (--port, --socket);
  /// returns the process exit status.
  int execute();

private:
  CLI::App* m_app = nullptr;
  DapOptions m_options;
};

} // namespace wasmscope::cli
