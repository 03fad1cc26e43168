// The profile-file commands: `wasmscope profile` (run a module like `run`
// does and write its exact instruction profile), `wasmscope report` (tables
// from a saved profile) and `wasmscope convert` (between formats).
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

/// `wasmscope profile`.
class ProfileCommand {
public:
  explicit ProfileCommand(CLI::App &parent);
  CLI::App &app() { return *m_app; }
  RunOptionSet &runOptions() { return m_runOptions; }
  /// The whole command line, recorded in the profile.
  void setCommandLine(std::vector<std::string> args) { m_commandLine = std::move(args); }
  int execute();

private:
  CLI::App *m_app = nullptr;
  RunOptionSet m_runOptions;
  std::vector<std::string> m_commandLine;
  std::optional<std::string> m_output;
  std::optional<std::string> m_format;
  bool m_trace = false;
  std::optional<uint64_t> m_traceSize;
  uint32_t m_maxStacks = 100000;
  bool m_wallTime = false;
  size_t m_top = 5;
  // Memory profile (--memory).
  bool m_memory = false;
  bool m_memoryOnly = false;
  std::vector<std::string> m_allocators;
  std::vector<std::string> m_suppressions;
  bool m_noDefaultSuppressions = false;
  std::string m_leakResolution = "high";
  std::optional<int> m_leakExitCode;
  uint64_t m_temporaryWindow = 10000;
  uint64_t m_heapEvents = 1000000;
};

/// `wasmscope report`.
class ReportCommand {
public:
  explicit ReportCommand(CLI::App &parent);
  CLI::App &app() { return *m_app; }
  int execute();

private:
  CLI::App *m_app = nullptr;
  std::string m_path;
  size_t m_top = 15;
  size_t m_depth = 6;
  bool m_leaks = false;
  bool m_reachable = false;
  bool m_peak = false;
  bool m_sites = false;
};

/// `wasmscope convert`.
class ConvertCommand {
public:
  explicit ConvertCommand(CLI::App &parent);
  CLI::App &app() { return *m_app; }
  int execute();

private:
  CLI::App *m_app = nullptr;
  std::string m_path;
  std::string m_output;
  std::optional<std::string> m_format;
};

} // namespace wasmscope::cli
