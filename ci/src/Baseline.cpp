// Baseline files (Baseline.h): JSON through nlohmann-json, whose default
// object type keeps keys sorted, so the output order is fixed.
#include "wasmscope/ci/Baseline.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace wasmscope::ci {

using runtime::Error;
using runtime::ErrorCode;
using nlohmann::json;

namespace {

/// A count: a non-negative integer (nlohmann would convert -1 silently).
uint64_t countOf(const json &value, const std::string &where) {
  if (!value.is_number_unsigned())
    throw json::type_error::create(302, where + " must be a non-negative integer", &value);
  return value.get<uint64_t>();
}

json itemToJson(const ItemMetrics &item) {
  json out = json::object();
  if (!item.file.empty())
    out["file"] = item.file;
  if (item.line)
    out["line"] = item.line;
  for (const auto &[name, value] : item.values)
    out[name] = value;
  if (!item.stack.empty())
    out["stack"] = item.stack;
  return out;
}

json scenarioToJson(const ScenarioMetrics &metrics) {
  json out = json::object();
  out["module"] = metrics.module;
  if (metrics.exitStatus)
    out["exit_status"] = *metrics.exitStatus;
  else
    out["exit_status"] = nullptr;
  if (!metrics.trap.empty())
    out["trap"] = metrics.trap;
  out["totals"] = json::object();
  for (const auto &[name, value] : metrics.totals)
    out["totals"][name] = value;
  for (const auto &[group, items] : metrics.groups) {
    json &g = out[group] = json::object();
    for (const auto &[key, item] : items)
      g[key] = itemToJson(item);
  }
  return out;
}

/// Reads `text` as JSON and the baseline in it; throws json exceptions that
/// parseBaseline turns into an Error.
Baseline fromJson(const json &doc, std::string &problem) {
  Baseline baseline;
  if (!doc.is_object() || doc.value("format", "") != kBaselineFormatName) {
    problem = std::string("not a wasmscope CI baseline (no \"format\": \"") +
              kBaselineFormatName + "\")";
    return baseline;
  }
  uint32_t version = doc.value("version", 0u);
  if (version != kBaselineFormatVersion) {
    problem = "baseline version " + std::to_string(version) + " is not supported (this " +
              "wasmscope reads version " + std::to_string(kBaselineFormatVersion) + ")";
    return baseline;
  }
  for (const auto &[name, scenario] : doc.at("scenarios").items()) {
    ScenarioMetrics metrics;
    if (!scenario.is_object()) {
      problem = "scenario '" + name + "' is not an object";
      return baseline;
    }
    for (const auto &[key, value] : scenario.items()) {
      if (key == "module") {
        metrics.module = value.get<std::string>();
      } else if (key == "exit_status") {
        if (!value.is_null())
          metrics.exitStatus = value.get<int>();
      } else if (key == "trap") {
        metrics.trap = value.get<std::string>();
      } else if (key == "totals") {
        for (const auto &[total, number] : value.items())
          metrics.totals[total] = countOf(number, name + ".totals." + total);
      } else {
        auto &group = metrics.groups[key];
        for (const auto &[itemKey, itemJson] : value.items()) {
          ItemMetrics item;
          for (const auto &[field, fieldValue] : itemJson.items()) {
            if (field == "file")
              item.file = fieldValue.get<std::string>();
            else if (field == "line")
              item.line = uint32_t(countOf(fieldValue, name + "." + key + "." + itemKey + ".line"));
            else if (field == "stack")
              item.stack = fieldValue.get<std::vector<std::string>>();
            else
              item.values[field] =
                  countOf(fieldValue, name + "." + key + "." + itemKey + "." + field);
          }
          group[itemKey] = std::move(item);
        }
      }
    }
    baseline.scenarios[name] = std::move(metrics);
  }
  return baseline;
}

} // namespace

std::string writeBaseline(const Baseline &baseline) {
  json doc = json::object();
  doc["format"] = kBaselineFormatName;
  doc["version"] = kBaselineFormatVersion;
  doc["scenarios"] = json::object();
  for (const auto &[name, metrics] : baseline.scenarios)
    doc["scenarios"][name] = scenarioToJson(metrics);
  return doc.dump(2) + "\n";
}

runtime::Result<Baseline> parseBaseline(const std::string &text, const std::string &origin) {
  std::string problem;
  Baseline baseline;
  try {
    baseline = fromJson(json::parse(text), problem);
  } catch (const json::exception &e) {
    problem = e.what();
  }
  if (!problem.empty())
    return Error(ErrorCode::InvalidArgument, "baseline '" + origin + "': " + problem);
  return baseline;
}

runtime::Result<Baseline> readBaselineFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::IoError, "cannot read baseline '" + path + "' (no such file?)");
  std::ostringstream text;
  text << in.rdbuf();
  return parseBaseline(text.str(), path);
}

} // namespace wasmscope::ci
