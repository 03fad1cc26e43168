// The JSON report and GitHub annotations (Reports.h).
#include "wasmscope/ci/Reports.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace wasmscope::ci {

using nlohmann::ordered_json;

namespace {

const char *scopeName(Check::Scope scope) {
  switch (scope) {
  case Check::Scope::Total:
    return "total";
  case Check::Scope::Item:
    return "item";
  case Check::Scope::ExitStatus:
    return "exit_status";
  }
  return "?";
}

/// Workflow-command property values escape %, CR, LF, ':' and ','.
std::string escapeProperty(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    case ':':
      out += "%3A";
      break;
    case ',':
      out += "%2C";
      break;
    default:
      out += c;
    }
  }
  return out;
}

/// Workflow-command messages escape %, CR and LF.
std::string escapeMessage(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

} // namespace

std::string writeJsonReport(const CiRun &run) {
  ordered_json doc;
  doc["format"] = kReportFormatName;
  doc["version"] = kReportFormatVersion;
  doc["verdict"] = verdictLine(run);
  doc["exit_code"] = int(run.exit);
  doc["baseline"] = run.baselinePath;
  doc["update_baseline"] = run.updateBaseline;
  doc["scenarios"] = ordered_json::array();
  for (const ScenarioResult &result : run.results) {
    ordered_json scenario;
    scenario["name"] = result.name;
    scenario["module"] = result.current.module;
    scenario["updated"] = result.updated;
    scenario["regressed"] = !result.updated && result.regressed();
    scenario["new_leak"] = !result.updated && result.newLeak();
    scenario["checks"] = ordered_json::array();
    for (const Check &check : result.checks) {
      ordered_json c;
      c["metric"] = check.metric;
      c["scope"] = scopeName(check.scope);
      if (!check.key.empty())
        c["key"] = check.key;
      if (!check.file.empty())
        c["file"] = check.file;
      if (check.line)
        c["line"] = check.line;
      c["status"] = checkStatusName(check.status);
      c["baseline"] = check.baseline ? ordered_json(*check.baseline) : ordered_json(nullptr);
      c["current"] = check.current ? ordered_json(*check.current) : ordered_json(nullptr);
      if (auto delta = check.delta())
        c["delta"] = *delta;
      if (!check.limit.empty())
        c["limit"] = check.limit;
      if (check.allowed && *check.allowed != UINT64_MAX)
        c["allowed"] = *check.allowed;
      if (!check.unit.empty())
        c["unit"] = check.unit;
      if (!check.stack.empty())
        c["stack"] = check.stack;
      c["message"] = check.message;
      scenario["checks"].push_back(std::move(c));
    }
    doc["scenarios"].push_back(std::move(scenario));
  }
  return doc.dump(2) + "\n";
}

std::string writeGithubAnnotations(const CiRun &run) {
  std::ostringstream out;
  for (const ScenarioResult &result : run.results) {
    if (result.updated)
      continue;
    for (const Check &check : result.checks) {
      const char *level = nullptr;
      if (check.failed())
        level = "error";
      else if (check.status == CheckStatus::Improved && check.scope == Check::Scope::Total)
        level = "notice";
      if (!level)
        continue;
      out << "::" << level;
      std::string properties;
      if (!check.file.empty()) {
        properties += "file=" + escapeProperty(check.file);
        if (check.line)
          properties += ",line=" + std::to_string(check.line);
      }
      std::string title = "wasmscope ci: " + result.name + ": " +
                          (check.status == CheckStatus::NewLeak ? "new leak"
                           : check.failed()                     ? "regression"
                                                                : "improvement");
      properties += (properties.empty() ? "" : ",") + std::string("title=") + escapeProperty(title);
      out << " " << properties << "::" << escapeMessage(check.message) << "\n";
    }
  }
  return out.str();
}

} // namespace wasmscope::ci
