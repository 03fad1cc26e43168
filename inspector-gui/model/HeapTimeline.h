// The heap timeline's model: live heap bytes over instruction time from the
// profile's event log (thinned for drawing, keeping each bucket's maximum
// so the peak survives), the exact peak, memory.grow events, and the
// scrubbed moment: the live set at that instruction replayed from the log,
// not re-run.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace wasmscope::gui {

class HeapTimeline {
public:
  /// Points kept for drawing (a few per pixel of a wide window).
  static constexpr size_t kMaxPoints = 8192;

  void build(const profiler::Profile& profile);

  bool empty() const { return m_points.empty(); }
  const std::vector<profiler::MemoryProfile::TimelinePoint>& points() const { return m_points; }
  uint64_t beginTime() const { return m_begin; }
  uint64_t endTime() const { return m_end; }
  /// The largest live byte count of the drawn points (the plot's scale).
  uint64_t maxBytes() const { return m_maxBytes; }
  /// The profile's exact peak.
  const profiler::HeapPeak* peak() const { return m_peak; }
  const std::vector<profiler::GrowEvent>& grows() const { return *m_grows; }

  /// The live bytes just after `time` (every event at or before it applied),
  /// by a binary search of the kept log's running totals.
  uint64_t bytesAt(uint64_t time) const;

  /// Moves the scrubbed moment (clamped to the log); rebuilds the live set.
  void scrub(uint64_t time);
  void clearScrub();
  std::optional<uint64_t> scrubbed() const { return m_scrubbed; }
  /// The live set at the scrubbed moment, by address.
  const std::vector<profiler::HeapBlock>& liveSet() const { return m_live; }
  uint64_t liveBytes() const { return m_liveBytes; }

private:
  const profiler::MemoryProfile* m_memory = nullptr;
  std::vector<profiler::MemoryProfile::TimelinePoint> m_points;
  /// Time and running live bytes after each kept event (exact, unthinned).
  std::vector<uint64_t> m_eventTimes;
  std::vector<uint64_t> m_eventBytes;
  uint64_t m_baseBytes = 0;
  uint64_t m_begin = 0;
  uint64_t m_end = 0;
  uint64_t m_maxBytes = 0;
  const profiler::HeapPeak* m_peak = nullptr;
  const std::vector<profiler::GrowEvent>* m_grows = &kNoGrows;
  std::optional<uint64_t> m_scrubbed;
  std::vector<profiler::HeapBlock> m_live;
  uint64_t m_liveBytes = 0;

  static inline const std::vector<profiler::GrowEvent> kNoGrows{};
};

} // namespace wasmscope::gui
