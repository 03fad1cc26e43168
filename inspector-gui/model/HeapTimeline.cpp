// The heap timeline's model (see HeapTimeline.h).
#include "HeapTimeline.h"

#include <algorithm>

namespace wasmscope::gui {

void HeapTimeline::build(const profiler::Profile& profile) {
  *this = {};
  if (!profile.memory)
    return;
  const profiler::MemoryProfile& m = *profile.memory;
  m_memory = &m;
  m_peak = &m.peak;
  m_grows = &m.grows;
  m_points = m.timeline(kMaxPoints);
  m_begin = m.log.baseTime;
  m_end = std::max(m.endTime, m_points.empty() ? 0 : m_points.back().time);
  for (const profiler::HeapBlock& b : m.log.base)
    m_baseBytes += b.size;
  uint64_t bytes = m_baseBytes;
  m_eventTimes.reserve(m.log.events.size());
  m_eventBytes.reserve(m.log.events.size());
  for (const profiler::HeapEvent& e : m.log.events) {
    if (e.kind == profiler::HeapEventKind::Alloc)
      bytes += e.size;
    else
      bytes -= std::min<uint64_t>(bytes, e.size);
    m_eventTimes.push_back(e.time);
    m_eventBytes.push_back(bytes);
  }
  for (const auto& p : m_points)
    m_maxBytes = std::max(m_maxBytes, p.bytes);
  m_maxBytes = std::max(m_maxBytes, m.peak.bytes);
}

uint64_t HeapTimeline::bytesAt(uint64_t time) const {
  auto it = std::upper_bound(m_eventTimes.begin(), m_eventTimes.end(), time);
  if (it == m_eventTimes.begin())
    return m_baseBytes;
  return m_eventBytes[size_t(it - m_eventTimes.begin()) - 1];
}

void HeapTimeline::scrub(uint64_t time) {
  if (!m_memory)
    return;
  time = std::clamp(time, m_begin, m_end);
  if (m_scrubbed == time)
    return;
  m_scrubbed = time;
  m_live.clear();
  m_liveBytes = 0;
  if (auto live = m_memory->liveAt(time)) {
    m_live = std::move(*live);
    for (const profiler::HeapBlock& b : m_live)
      m_liveBytes += b.size;
  }
}

void HeapTimeline::clearScrub() {
  m_scrubbed.reset();
  m_live.clear();
  m_liveBytes = 0;
}

} // namespace wasmscope::gui
