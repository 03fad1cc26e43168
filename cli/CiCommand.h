// `wasmscope ci`: profiles one or more scenarios (from --config FILE, or one
// from the command line with `run`'s options), compares their metrics with
// a committed baseline under thresholds, writes the reports CI systems read
// and exits 0 (pass), 1 (regression), 3 (new leak site) or 2 (error).
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

class CiCommand {
public:
  explicit CiCommand(CLI::App &parent);
  CLI::App &app() { return *m_app; }
  RunOptionSet &runOptions() { return m_runOptions; }
  int execute();

private:
  CLI::App *m_app = nullptr;
  RunOptionSet m_runOptions;
  std::optional<std::string> m_config;
  std::optional<std::string> m_baseline;
  bool m_updateBaseline = false;
  std::optional<std::string> m_junit;
  std::optional<std::string> m_markdown;
  std::optional<std::string> m_json;
  std::optional<std::string> m_annotations;
  std::optional<std::string> m_sourceRoot;
  std::optional<std::string> m_name;
  std::optional<uint64_t> m_functionFloor;
  std::vector<std::string> m_thresholds;
  std::optional<std::string> m_expectExit;
  std::vector<std::string> m_metrics;
  bool m_allowNewLeakSites = false;
};

} // namespace wasmscope::cli
