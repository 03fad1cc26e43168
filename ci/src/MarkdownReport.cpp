// The Markdown report (Reports.h): for $GITHUB_STEP_SUMMARY, a GitLab
// merge-request note or a pull-request comment. GitHub renders a job
// summary of at most 1 MiB, so the detail tables are cut to fit, longest
// first, and the report says what it left out.
#include "wasmscope/ci/Reports.h"

#include <algorithm>
#include <sstream>

namespace wasmscope::ci {

namespace {

/// Escapes what would break a table cell or start formatting.
std::string cell(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' ||
        c == ']' || c == '\\')
      out += '\\';
    if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string where(const Check &check) {
  if (check.file.empty())
    return "";
  return "`" + check.file + (check.line ? ":" + std::to_string(check.line) : "") + "`";
}

std::string statusCell(const Check &check) {
  switch (check.status) {
  case CheckStatus::Pass:
    return "✅ pass";
  case CheckStatus::Improved:
    return "🟢 improved";
  case CheckStatus::Regressed:
    return "❌ **regressed**";
  case CheckStatus::Added:
    return "🆕 new";
  case CheckStatus::Removed:
    return "➖ gone";
  case CheckStatus::NewLeak:
    return "❌ **new leak**";
  }
  return "";
}

std::string valueCell(const std::optional<uint64_t> &value) {
  return value ? groupDigits(*value) : "–";
}

std::string changeCell(const Check &check) {
  auto delta = check.delta();
  if (!delta)
    return "–";
  std::string text = *delta == 0 ? "0" : signedDigits(*delta);
  if (auto percent = check.percent(); percent && *delta != 0)
    text += " (" + percentText(*percent) + ")";
  return text;
}

/// Rows of the item table for one scenario, most grown first.
std::vector<const Check *> itemRows(const ScenarioResult &result, bool improvements) {
  std::vector<const Check *> rows;
  for (const Check &check : result.checks) {
    if (check.scope != Check::Scope::Item || check.status == CheckStatus::NewLeak)
      continue;
    bool better = check.status == CheckStatus::Improved || check.status == CheckStatus::Removed;
    if (better == improvements)
      rows.push_back(&check);
  }
  auto growth = [](const Check *c) -> int64_t {
    if (auto d = c->delta())
      return *d;
    if (c->current)
      return int64_t(*c->current);
    return -int64_t(c->baseline.value_or(0));
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Check *a, const Check *b) {
    int64_t ga = growth(a), gb = growth(b);
    if (improvements)
      return ga < gb;
    if (a->failed() != b->failed())
      return a->failed();
    return ga > gb;
  });
  return rows;
}

/// The report with at most `maxRows` rows per detail table (SIZE_MAX: all).
std::string render(const CiRun &run, size_t maxRows, size_t &cutRows) {
  cutRows = 0;
  std::ostringstream out;
  out << "## wasmscope ci: " << verdictLine(run) << "\n\n";
  if (!run.baselinePath.empty())
    out << "Baseline: `" << run.baselinePath << "`"
        << (run.updateBaseline ? " (updated by this run)" : "") << "\n\n";
  for (const ScenarioResult &result : run.results) {
    std::string verdict = result.updated      ? "baseline updated"
                          : result.newLeak()  ? "❌ new leak"
                          : result.regressed() ? "❌ regression"
                                               : "✅ pass";
    out << "### " << cell(result.name) << ": " << verdict << "\n\n";
    if (!result.current.module.empty())
      out << "Module `" << result.current.module << "`\n\n";
    out << "| Metric | Baseline | Current | Change | Limit | Status |\n"
        << "|---|---:|---:|---:|---:|---|\n";
    for (const Check &check : result.checks) {
      if (check.scope == Check::Scope::Item)
        continue;
      if (check.scope == Check::Scope::ExitStatus) {
        auto text = [](const std::optional<uint64_t> &v) {
          return v ? std::to_string(*v) : std::string("trap");
        };
        out << "| Exit status | " << text(check.baseline) << " | " << text(check.current)
            << " | | " << cell(check.limit) << " | " << statusCell(check) << " |\n";
        continue;
      }
      out << "| " << cell(check.title) << " (" << cell(check.unit) << ") | "
          << valueCell(check.baseline) << " | " << valueCell(check.current) << " | "
          << changeCell(check) << " | " << cell(check.limit) << " | " << statusCell(check)
          << " |\n";
    }
    out << "\n";

    std::vector<const Check *> leaks;
    for (const Check &check : result.checks)
      if (check.status == CheckStatus::NewLeak)
        leaks.push_back(&check);
    if (!leaks.empty()) {
      out << "#### New leak sites\n\n";
      size_t shown = std::min(leaks.size(), maxRows);
      for (size_t i = 0; i < shown; ++i) {
        const Check &check = *leaks[i];
        out << "- **" << cell(check.key) << "** " << where(check) << ": "
            << valueCell(check.current) << " " << cell(check.unit) << "\n";
        for (const std::string &frame : check.stack)
          out << "  - `" << frame << "`\n";
      }
      if (shown < leaks.size()) {
        out << "- … " << leaks.size() - shown << " more new leak sites cut\n";
        cutRows += leaks.size() - shown;
      }
      out << "\n";
    }

    for (bool improvements : {false, true}) {
      std::vector<const Check *> rows = itemRows(result, improvements);
      if (rows.empty())
        continue;
      out << (improvements ? "#### Functions and sites that shrank or went away\n\n"
                           : "#### Functions and sites that grew most\n\n");
      out << "| Item | Where | Baseline | Current | Change | Limit | Status |\n"
          << "|---|---|---:|---:|---:|---:|---|\n";
      size_t shown = std::min(rows.size(), maxRows);
      for (size_t i = 0; i < shown; ++i) {
        const Check &check = *rows[i];
        out << "| " << cell(check.metric) << ": " << cell(check.key) << " | " << where(check)
            << " | " << valueCell(check.baseline) << " | " << valueCell(check.current) << " | "
            << changeCell(check) << " | " << cell(check.limit) << " | " << statusCell(check)
            << " |\n";
      }
      if (shown < rows.size()) {
        out << "\n_" << rows.size() - shown << " more rows cut to keep this summary under "
            << "GitHub's 1 MiB limit; the JSON report has them all._\n";
        cutRows += rows.size() - shown;
      }
      out << "\n";
    }
  }
  return out.str();
}

} // namespace

std::string verdictLine(const CiRun &run) {
  size_t scenarios = run.results.size();
  size_t failing = 0;
  for (const ScenarioResult &result : run.results)
    failing += !result.updated && (result.regressed() || result.newLeak());
  std::string count = std::to_string(scenarios) + (scenarios == 1 ? " scenario" : " scenarios");
  if (run.updateBaseline)
    return "BASELINE UPDATED: " + count + " recorded";
  switch (run.exit) {
  case CiExit::Pass:
    return "PASS: " + count + ", no regression";
  case CiExit::Regression:
    return "FAIL: " + std::to_string(failing) + " of " + count + " regressed";
  case CiExit::NewLeak:
    return "FAIL: new leak sites in " + std::to_string(failing) + " of " + count;
  case CiExit::Error:
    return "ERROR";
  }
  return "";
}

std::string writeMarkdown(const CiRun &run, size_t limit) {
  size_t cut = 0;
  std::string text = render(run, SIZE_MAX, cut);
  // Fewer rows per table until it fits (each halving at least halves the
  // detail, so this ends quickly).
  for (size_t rows = 1000; text.size() > limit && rows > 0; rows /= 2)
    text = render(run, rows, cut);
  if (text.size() > limit) {
    text.resize(limit - 200);
    // Not in the middle of a UTF-8 sequence.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
      text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0)
      text.pop_back();
    text += "\n\n_Report cut at " + std::to_string(limit) + " bytes; see the JSON report._\n";
  }
  return text;
}

} // namespace wasmscope::ci
