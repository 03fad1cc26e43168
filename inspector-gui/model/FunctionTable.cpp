// The function table's rows and orders, and the number formats the views
// share (see FunctionTable.h).
#include "FunctionTable.h"

#include "ModuleSummary.h"

#include <algorithm>
#include <cstdio>

namespace wasmscope::gui {

std::string groupDigits(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string shortCount(uint64_t value) {
  char buffer[32];
  if (value < 10000)
    return std::to_string(value);
  const char* units[] = {"k", "M", "G", "T", "P"};
  double v = double(value);
  int unit = -1;
  while (v >= 1000.0 && unit < 4) {
    v /= 1000.0;
    ++unit;
  }
  std::snprintf(buffer, sizeof buffer, v < 10 ? "%.1f %s" : "%.0f %s", v, units[unit]);
  return buffer;
}

std::string formatBytes(uint64_t bytes) {
  char buffer[32];
  if (bytes < 1024)
    return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = double(bytes);
  int unit = -1;
  while (v >= 1024.0 && unit < 3) {
    v /= 1024.0;
    ++unit;
  }
  std::snprintf(buffer, sizeof buffer, v < 10 ? "%.1f %s" : "%.0f %s", v, units[unit]);
  return buffer;
}

std::string formatAddress(uint64_t address) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%08llx", static_cast<unsigned long long>(address));
  return buffer;
}

std::string_view fileName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void FunctionTable::build(const profiler::Profile& profile) {
  m_rows.clear();
  m_totalInstructions = profile.totals.instructions;
  for (const profiler::FunctionStats& stats : profile.functions) {
    if (stats.frame >= profile.frames.size())
      continue;
    if (stats.selfInstructions == 0 && stats.totalInstructions == 0 && stats.calls == 0)
      continue;
    const profiler::Frame& frame = profile.frames[stats.frame];
    FunctionTableRow row;
    row.frame = stats.frame;
    row.name = frame.name;
    row.kind = frame.kind;
    if (frame.file != profiler::kNone) {
      row.location = std::string(fileName(profile.filePath(frame.file)));
      if (frame.line)
        row.location += ":" + std::to_string(frame.line);
    }
    row.self = stats.selfInstructions;
    row.total = stats.totalInstructions;
    row.calls = stats.calls;
    m_rows.push_back(std::move(row));
  }
}

std::vector<size_t> FunctionTable::order(ProfileColumn column, bool descending,
                                         std::string_view search) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < m_rows.size(); ++i)
    if (containsIgnoringCase(m_rows[i].name, search) ||
        containsIgnoringCase(m_rows[i].location, search))
      out.push_back(i);
  // The primary key in the asked direction; ties by name, A to Z.
  auto compare = [&](const FunctionTableRow& x, const FunctionTableRow& y) -> int {
    auto three = [](auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); };
    switch (column) {
    case ProfileColumn::Name:
      return 0;
    case ProfileColumn::Self:
      return three(x.self, y.self);
    case ProfileColumn::Total:
      return three(x.total, y.total);
    case ProfileColumn::Calls:
      return three(x.calls, y.calls);
    case ProfileColumn::Location:
      return three(x.location, y.location);
    }
    return 0;
  };
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) {
    const FunctionTableRow& x = m_rows[a];
    const FunctionTableRow& y = m_rows[b];
    int primary = compare(x, y);
    if (column == ProfileColumn::Name)
      primary = x.name < y.name ? -1 : (y.name < x.name ? 1 : 0);
    if (primary != 0)
      return descending ? primary > 0 : primary < 0;
    if (x.name != y.name)
      return x.name < y.name;
    return x.frame < y.frame;
  });
  return out;
}

size_t FunctionTable::rowOf(profiler::FrameId frame) const {
  for (size_t i = 0; i < m_rows.size(); ++i)
    if (m_rows[i].frame == frame)
      return i;
  return npos;
}

} // namespace wasmscope::gui
