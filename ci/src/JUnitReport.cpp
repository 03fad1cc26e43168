// JUnit XML (Reports.h), in the dialect GitLab's test reports, GitHub's
// JUnit annotators (mikepenz/action-junit-report, dorny/test-reporter) and
// Jenkins read: <testsuites> of <testsuite name tests failures errors
// skipped time>, <testcase name classname file line time>, <failure
// message type>text</failure>, <system-out>.
#include "wasmscope/ci/Reports.h"

#include <sstream>

namespace wasmscope::ci {

namespace {

/// XML-escapes text and attribute values; drops characters XML 1.0 forbids.
std::string xmlEscape(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    case '\n':
      out += "&#10;";
      break;
    case '\t':
      out += "&#9;";
      break;
    default:
      if (c < 0x20)
        break;
      out += char(c);
    }
  }
  return out;
}

/// Text content: newlines kept as they are.
std::string xmlText(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += '\n';
    else
      out += xmlEscape(std::string(1, c));
  }
  return out;
}

bool reported(const Check &check) {
  // Totals and the exit status are always test cases; items only when they
  // fail, so that each failing function or site points at its source.
  return check.scope != Check::Scope::Item || check.failed();
}

std::string detail(const Check &check) {
  std::ostringstream out;
  out << check.message << "\n";
  if (check.baseline)
    out << "baseline: " << groupDigits(*check.baseline) << "\n";
  if (check.current)
    out << "current:  " << groupDigits(*check.current) << "\n";
  if (!check.limit.empty())
    out << "limit:    " << check.limit
        << (check.allowed && *check.allowed != UINT64_MAX
                ? " (at most " + groupDigits(*check.allowed) + ")"
                : std::string())
        << "\n";
  if (!check.file.empty())
    out << "at " << check.file << (check.line ? ":" + std::to_string(check.line) : "") << "\n";
  if (!check.stack.empty()) {
    out << "allocated at:\n";
    for (const std::string &frame : check.stack)
      out << "  " << frame << "\n";
  }
  return out.str();
}

} // namespace

std::string writeJUnit(const CiRun &run) {
  size_t totalTests = 0, totalFailures = 0;
  for (const ScenarioResult &result : run.results)
    for (const Check &check : result.checks)
      if (reported(check)) {
        ++totalTests;
        totalFailures += check.failed() && !result.updated;
      }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"wasmscope ci\" tests=\"" << totalTests << "\" failures=\""
      << totalFailures << "\" errors=\"0\" time=\"0\">\n";
  for (const ScenarioResult &result : run.results) {
    size_t tests = 0, failures = 0;
    for (const Check &check : result.checks)
      if (reported(check)) {
        ++tests;
        failures += check.failed() && !result.updated;
      }
    out << "  <testsuite name=\"" << xmlEscape(result.name) << "\" tests=\"" << tests
        << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
    for (const Check &check : result.checks) {
      if (!reported(check))
        continue;
      std::string name = check.title;
      if (check.scope == Check::Scope::Item && check.status == CheckStatus::NewLeak)
        name = "new leak site " + check.key;
      out << "    <testcase name=\"" << xmlEscape(name) << "\" classname=\""
          << xmlEscape("wasmscope.ci." + result.name + "." + check.metric) << "\"";
      if (!check.file.empty())
        out << " file=\"" << xmlEscape(check.file) << "\"";
      if (check.line)
        out << " line=\"" << check.line << "\"";
      out << " time=\"0\"";
      if (check.failed() && !result.updated) {
        out << ">\n      <failure message=\"" << xmlEscape(check.message) << "\" type=\""
            << (check.status == CheckStatus::NewLeak ? "new-leak" : "regression") << "\">"
            << xmlText(detail(check)) << "</failure>\n    </testcase>\n";
      } else {
        out << ">\n      <system-out>" << xmlText(detail(check)) << "</system-out>\n"
            << "    </testcase>\n";
      }
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

} // namespace wasmscope::ci
