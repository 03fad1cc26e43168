// The config file (Config.h).
#include "wasmscope/ci/Config.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace wasmscope::ci {

using nlohmann::json;
using runtime::Error;
using runtime::ErrorCode;

namespace {

/// A config problem, thrown inside this file only and turned into an Error.
struct ConfigError {
  std::string message;
};

std::string resolve(const std::string &directory, const std::string &path) {
  std::filesystem::path p(path);
  if (!p.is_absolute() && !directory.empty())
    p = std::filesystem::path(directory) / p;
  std::string out = p.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') // "/repo/ci/.." -> "/repo"
    out.pop_back();
  return out.empty() ? "." : out;
}

void checkKeys(const json &object, const std::string &where, const std::set<std::string> &known) {
  if (!object.is_object())
    throw ConfigError{where + " must be an object"};
  for (const auto &[key, value] : object.items())
    if (!known.count(key))
      throw ConfigError{"unknown key '" + key + "' in " + where};
}

std::string stringAt(const json &object, const std::string &key, const std::string &where) {
  const json &value = object.at(key);
  if (!value.is_string())
    throw ConfigError{where + "." + key + " must be a string"};
  return value.get<std::string>();
}

std::vector<std::string> stringsAt(const json &object, const std::string &key,
                                   const std::string &where) {
  const json &value = object.at(key);
  std::vector<std::string> out;
  if (!value.is_array())
    throw ConfigError{where + "." + key + " must be an array of strings"};
  for (const json &item : value) {
    if (!item.is_string())
      throw ConfigError{where + "." + key + " must be an array of strings"};
    out.push_back(item.get<std::string>());
  }
  return out;
}

uint64_t unsignedAt(const json &object, const std::string &key, const std::string &where) {
  const json &value = object.at(key);
  if (!value.is_number_unsigned())
    throw ConfigError{where + "." + key + " must be a non-negative integer"};
  return value.get<uint64_t>();
}

/// "thresholds": { METRIC: "LIMIT" | { "total": "LIMIT", "function"|"site": "LIMIT" },
///                 "exit_status": "baseline"|"any"|N, "new_leak_sites": "fail"|"allow" }
void applyThresholds(const json &object, const std::string &where, Thresholds &thresholds) {
  if (!object.is_object())
    throw ConfigError{where + " must be an object"};
  for (const auto &[key, value] : object.items()) {
    std::string at = where + "." + key;
    if (key == "exit_status") {
      std::string text = value.is_number_unsigned() ? std::to_string(value.get<uint64_t>())
                         : value.is_string()        ? value.get<std::string>()
                                                    : std::string("?");
      auto requirement = parseExitRequirement(text);
      if (!requirement.ok())
        throw ConfigError{at + ": " + requirement.error().message};
      thresholds.exit = *requirement;
      continue;
    }
    if (key == "new_leak_sites") {
      std::string text = value.is_string() ? value.get<std::string>() : "";
      if (text != "fail" && text != "allow")
        throw ConfigError{at + " must be \"fail\" or \"allow\""};
      thresholds.noNewLeakSites = text == "fail";
      continue;
    }
    if (!findMetric(key))
      throw ConfigError{"unknown metric '" + key + "' in " + where};
    auto set = [&](const std::string &scope, const json &limit) {
      if (!limit.is_string() && !limit.is_number_unsigned())
        throw ConfigError{at + (scope.empty() ? "" : "." + scope) +
                          " must be a limit such as \"5%\", \"+4096\", 0 or \"off\""};
      std::string text =
          limit.is_string() ? limit.get<std::string>() : std::to_string(limit.get<uint64_t>());
      auto done = thresholds.set(key, scope, text);
      if (!done.ok())
        throw ConfigError{at + ": " + done.error().message};
    };
    if (value.is_object()) {
      for (const auto &[scope, limit] : value.items())
        set(scope, limit);
    } else {
      set("", value);
    }
  }
}

CiConfig fromJson(const json &doc, const std::string &path, const std::string &directory) {
  CiConfig config;
  config.path = path;
  checkKeys(doc, "the config",
            {"version", "baseline", "source_root", "function_floor", "thresholds", "metrics",
             "scenarios"});
  if (!doc.contains("version") || !doc["version"].is_number_unsigned() ||
      doc["version"].get<uint64_t>() != kConfigVersion)
    throw ConfigError{"\"version\" must be " + std::to_string(kConfigVersion)};
  if (doc.contains("baseline"))
    config.baseline = resolve(directory, stringAt(doc, "baseline", "config"));
  if (doc.contains("source_root"))
    config.sourceRoot = resolve(directory, stringAt(doc, "source_root", "config"));
  if (doc.contains("function_floor"))
    config.functionFloor = unsignedAt(doc, "function_floor", "config");
  Thresholds common = Thresholds::defaults();
  if (doc.contains("thresholds"))
    applyThresholds(doc["thresholds"], "thresholds", common);
  auto metricsAt = [&](const json &object, const std::string &where) {
    std::vector<std::string> metrics = stringsAt(object, "metrics", where);
    for (const std::string &metric : metrics)
      if (!findMetric(metric))
        throw ConfigError{"unknown metric '" + metric + "' in " + where + ".metrics"};
    return metrics;
  };
  if (doc.contains("metrics"))
    common.metrics = metricsAt(doc, "config");
  if (!doc.contains("scenarios") || !doc["scenarios"].is_array() || doc["scenarios"].empty())
    throw ConfigError{"\"scenarios\" must be a non-empty array"};
  std::set<std::string> names;
  for (size_t i = 0; i < doc["scenarios"].size(); ++i) {
    const json &s = doc["scenarios"][i];
    std::string where = "scenarios[" + std::to_string(i) + "]";
    checkKeys(s, where,
              {"name", "module", "args", "env", "dirs", "stdin", "invoke", "fuel", "max_memory",
               "max_call_depth", "timeout", "seed", "metrics", "thresholds"});
    ScenarioConfig scenario;
    if (!s.contains("name") || !s.contains("module"))
      throw ConfigError{where + " needs \"name\" and \"module\""};
    scenario.name = stringAt(s, "name", where);
    if (scenario.name.empty() || !names.insert(scenario.name).second)
      throw ConfigError{where + ".name '" + scenario.name + "' is empty or used twice"};
    where = "scenario '" + scenario.name + "'";
    ScenarioLaunch &launch = scenario.launch;
    launch.module = resolve(directory, stringAt(s, "module", where));
    if (s.contains("args"))
      launch.args = stringsAt(s, "args", where);
    if (s.contains("env")) {
      const json &env = s["env"];
      if (env.is_object()) {
        for (const auto &[key, value] : env.items()) {
          if (!value.is_string())
            throw ConfigError{where + ".env." + key + " must be a string"};
          launch.env.push_back(key + "=" + value.get<std::string>());
        }
      } else {
        launch.env = stringsAt(s, "env", where);
      }
    }
    if (s.contains("dirs"))
      for (const std::string &dir : stringsAt(s, "dirs", where)) {
        size_t sep = dir.find("::");
        std::string host = dir.substr(0, sep);
        std::string guest = sep == std::string::npos ? host : dir.substr(sep + 2);
        launch.dirs.push_back(resolve(directory, host) + "::" + guest);
      }
    if (s.contains("stdin"))
      launch.stdinFile = resolve(directory, stringAt(s, "stdin", where));
    if (s.contains("invoke"))
      launch.invoke = stringAt(s, "invoke", where);
    if (s.contains("fuel"))
      launch.fuel = unsignedAt(s, "fuel", where);
    if (s.contains("max_memory"))
      launch.maxMemory = s["max_memory"].is_number_unsigned()
                             ? std::to_string(s["max_memory"].get<uint64_t>())
                             : stringAt(s, "max_memory", where);
    if (s.contains("max_call_depth")) {
      uint64_t depth = unsignedAt(s, "max_call_depth", where);
      if (depth == 0 || depth > UINT32_MAX)
        throw ConfigError{where + ".max_call_depth must be between 1 and 4294967295"};
      launch.maxCallDepth = uint32_t(depth);
    }
    if (s.contains("timeout"))
      launch.timeout = stringAt(s, "timeout", where);
    if (s.contains("seed"))
      launch.seed = unsignedAt(s, "seed", where);
    scenario.thresholds = common;
    if (s.contains("metrics"))
      scenario.thresholds.metrics = metricsAt(s, where);
    if (s.contains("thresholds"))
      applyThresholds(s["thresholds"], where + ".thresholds", scenario.thresholds);
    config.scenarios.push_back(std::move(scenario));
  }
  return config;
}

} // namespace

runtime::Result<CiConfig> parseConfig(const std::string &text, const std::string &path,
                                      const std::string &directory) {
  try {
    return fromJson(json::parse(text), path, directory);
  } catch (const ConfigError &e) {
    return Error(ErrorCode::InvalidArgument, "config '" + path + "': " + e.message);
  } catch (const json::exception &e) {
    return Error(ErrorCode::InvalidArgument, "config '" + path + "': " + e.what());
  }
}

runtime::Result<CiConfig> readConfigFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::IoError, "cannot read config '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  std::string directory = std::filesystem::path(path).parent_path().string();
  return parseConfig(text.str(), path, directory);
}

} // namespace wasmscope::ci
