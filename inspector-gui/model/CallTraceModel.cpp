// Calls from trace events, and the per-pixel queries (see CallTraceModel.h).
#include "CallTraceModel.h"

#include <algorithm>

namespace wasmscope::gui {

void CallTraceModel::build(const profiler::Profile& profile) {
  m_spans.clear();
  m_byDepth.clear();
  const profiler::Trace& trace = profile.trace;
  m_recorded = trace.recorded;
  m_dropped = trace.dropped;
  m_begin = trace.events.empty() ? 0 : trace.events.front().instructions;
  m_end = trace.events.empty() ? 0 : trace.events.back().instructions;
  if (trace.events.empty())
    return;
  m_end = std::max(m_end, profile.totals.instructions);

  std::vector<uint32_t> open;
  auto enter = [&](profiler::FrameId frame, uint64_t time, bool before) {
    CallSpan span;
    span.frame = frame;
    span.start = time;
    span.end = time;
    span.depth = uint32_t(open.size());
    span.parent = open.empty() ? UINT32_MAX : open.back();
    span.openAtStart = before;
    uint32_t index = uint32_t(m_spans.size());
    m_spans.push_back(span);
    if (m_byDepth.size() <= span.depth)
      m_byDepth.resize(span.depth + 1);
    m_byDepth[span.depth].push_back(index);
    open.push_back(index);
  };
  for (profiler::FrameId frame : trace.openAtStart)
    enter(frame, m_begin, true);
  for (const profiler::TraceEvent& event : trace.events) {
    if (event.kind == profiler::TraceEventKind::Enter) {
      enter(event.frame, event.instructions, false);
    } else if (!open.empty()) {
      m_spans[open.back()].end = event.instructions;
      open.pop_back();
    }
  }
  for (uint32_t index : open) {
    m_spans[index].end = m_end;
    m_spans[index].openAtEnd = true;
  }
}

std::vector<CallRun> CallTraceModel::runs(uint32_t depth, uint64_t from, uint64_t to,
                                          double resolution) const {
  std::vector<CallRun> out;
  if (depth >= m_byDepth.size() || from >= to)
    return out;
  const std::vector<uint32_t>& row = m_byDepth[depth];
  // The first call that ends after `from` (ends are in order at one depth).
  auto it = std::partition_point(row.begin(), row.end(),
                                 [&](uint32_t s) { return m_spans[s].end <= from; });
  uint64_t step = resolution < 1.0 ? 1 : uint64_t(resolution);
  while (it != row.end()) {
    const CallSpan& first = m_spans[*it];
    if (first.start >= to)
      break;
    CallRun run;
    run.span = *it;
    run.start = first.start;
    run.end = first.end;
    if (double(first.end - first.start) >= resolution) {
      out.push_back(run);
      ++it;
      continue;
    }
    // Too narrow to see alone: take every call that starts within a pixel.
    uint64_t limit = first.start + step;
    auto last = std::partition_point(it, row.end(),
                                     [&](uint32_t s) { return m_spans[s].start < limit; });
    run.count = uint32_t(last - it);
    run.end = std::max(run.end, m_spans[*(last - 1)].end);
    out.push_back(run);
    it = last;
  }
  return out;
}

uint32_t CallTraceModel::hit(uint32_t depth, uint64_t time) const {
  if (depth >= m_byDepth.size())
    return UINT32_MAX;
  const std::vector<uint32_t>& row = m_byDepth[depth];
  auto it = std::partition_point(row.begin(), row.end(),
                                 [&](uint32_t s) { return m_spans[s].end <= time; });
  if (it == row.end() || m_spans[*it].start > time)
    return UINT32_MAX;
  return *it;
}

std::vector<uint32_t> CallTraceModel::stackOf(uint32_t span) const {
  std::vector<uint32_t> out;
  while (span != UINT32_MAX && span < m_spans.size()) {
    out.push_back(span);
    span = m_spans[span].parent;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

} // namespace wasmscope::gui
