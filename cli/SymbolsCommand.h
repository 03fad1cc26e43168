// The `wasmscope symbols` subcommand: what the DWARF and name section of a
// module say, for people and for tests (functions, line-to-address and
// address-to-line lookups, variables with their locations, types).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wasmscope::cli {

struct SymbolsOptions {
  std::string modulePath;
  bool functions = false;
  std::optional<std::string> lines; ///< FILE:LINE
  std::optional<std::string> addr;  ///< Code offset, hex (0x...) or decimal.
  std::optional<std::string> vars;  ///< Function name.
  std::optional<std::string> types; ///< Type name.
  std::optional<std::string> disassemble; ///< Function name or index.
  std::vector<std::string> sourceMaps; ///< --source-map BUILD=LOCAL
};

/// Registers `symbols` on the top-level app and executes it once parsed.
class SymbolsCommand {
public:
  explicit SymbolsCommand(CLI::App &parent);

  CLI::App &app() { return *m_app; }
  /// Runs the parsed command; returns the process exit status.
  int execute();

private:
  CLI::App *m_app = nullptr;
  SymbolsOptions m_options;
};

} // namespace wasmscope::cli
