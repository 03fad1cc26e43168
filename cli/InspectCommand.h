// `wasmscope inspect`: the desktop inspector (inspector-gui/) on a module
// run live, with the run options of `wasmscope run`, or on a saved profile.
#pragma once

#include "RunOptions.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace wasmscope::cli {

class InspectCommand {
public:
  explicit InspectCommand(CLI::App& parent);
  CLI::App& app() { return *m_app; }
  RunOptionSet& runOptions() { return m_runOptions; }
  /// The whole command line, recorded in the live run's profile.
  void setCommandLine(std::vector<std::string> args) { m_commandLine = std::move(args); }
  int execute();

private:
  CLI::App* m_app = nullptr;
  RunOptionSet m_runOptions;
  std::vector<std::string> m_commandLine;
  bool m_stopOnEntry = false;
  bool m_memory = false;
  std::vector<std::string> m_breakpoints;
  std::optional<uint16_t> m_dapPort;
  std::string m_tokenFile;
  bool m_headless = false;
  int m_frames = 3;
  std::string m_screenshot;
  std::string m_layout;
  std::string m_view;
  std::optional<std::string> m_select;
  std::string m_size = "1600x1000";
};

} // namespace wasmscope::cli
