// The `wasmscope ci --config FILE` format: JSON (read with nlohmann-json),
// a version, defaults for every scenario, and the scenarios. Relative paths
// in it (modules, stdin files, directories, baseline, source root) are
// relative to the file's own directory, so a config works from any working
// directory. docs/CI.md documents every key.
//
//   { "version": 1, "baseline": "ci/baseline.json", "source_root": "..",
//     "function_floor": 1000,
//     "thresholds": { "instructions": { "total": "2%", "function": "5%" } },
//     "scenarios": [ { "name": "small", "module": "build/app.wasm",
//                      "args": ["10"], "env": { "LANG": "C" },
//                      "dirs": ["data::/data"], "stdin": "input.txt" } ] }
#pragma once

#include "wasmscope/ci/Thresholds.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wasmscope::ci {

inline constexpr uint32_t kConfigVersion = 1;

/// How one scenario launches its guest: `wasmscope run`'s options.
struct ScenarioLaunch {
  std::string module; ///< Resolved against the config's directory.
  std::vector<std::string> args;
  std::vector<std::string> env;  ///< "KEY=VALUE".
  std::vector<std::string> dirs; ///< "HOST[::GUEST]", HOST resolved.
  std::optional<std::string> stdinFile;
  std::optional<std::string> invoke;
  std::optional<uint64_t> fuel;
  std::optional<std::string> maxMemory;
  std::optional<uint32_t> maxCallDepth;
  std::optional<std::string> timeout;
  std::optional<uint64_t> seed;
};

struct ScenarioConfig {
  std::string name;
  ScenarioLaunch launch;
  Thresholds thresholds; ///< Defaults, then the file's, then the scenario's.
};

struct CiConfig {
  std::string path; ///< The file read.
  std::optional<std::string> baseline;   ///< Resolved.
  std::optional<std::string> sourceRoot; ///< Resolved.
  std::optional<uint64_t> functionFloor;
  std::vector<ScenarioConfig> scenarios;
};

/// Parses a config; `directory` resolves relative paths. Errors name the
/// file and the key.
runtime::Result<CiConfig> parseConfig(const std::string &text, const std::string &path,
                                      const std::string &directory);
runtime::Result<CiConfig> readConfigFile(const std::string &path);

} // namespace wasmscope::ci
