// The Call trace view's flame chart: the profile's enter/exit events turned
// into calls (spans on the instruction-time axis, one row per call depth).
// Drawing asks for the spans of a time range at a given resolution; spans
// narrower than a pixel are merged into runs, found by binary search, so
// that a million-event trace costs per pixel, not per call.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <vector>

namespace wasmscope::gui {

struct CallSpan {
  profiler::FrameId frame = profiler::kNone;
  uint64_t start = 0; ///< Instruction count at entry.
  uint64_t end = 0;   ///< At exit (the trace's end for calls still open).
  uint32_t depth = 0;
  uint32_t parent = UINT32_MAX; ///< Index of the enclosing call, or none.
  bool openAtStart = false;     ///< Entered before the kept trace began.
  bool openAtEnd = false;       ///< Not exited when the trace ends.
};

/// What to draw at one depth: a call, or several calls too narrow to tell
/// apart (`count` > 1) covering [start, end).
struct CallRun {
  uint32_t span = 0; ///< The first call of the run.
  uint32_t count = 1;
  uint64_t start = 0;
  uint64_t end = 0;
};

class CallTraceModel {
public:
  void build(const profiler::Profile& profile);

  bool empty() const { return m_spans.empty(); }
  const std::vector<CallSpan>& spans() const { return m_spans; }
  uint32_t depthCount() const { return uint32_t(m_byDepth.size()); }
  uint64_t begin() const { return m_begin; }
  uint64_t end() const { return m_end; }
  /// Events the run produced and those the ring dropped (the trace keeps
  /// the last ones).
  uint64_t recorded() const { return m_recorded; }
  uint64_t dropped() const { return m_dropped; }

  /// The calls at `depth` overlapping [from, to), merging neighbours that
  /// start within `resolution` instructions of a run's start.
  std::vector<CallRun> runs(uint32_t depth, uint64_t from, uint64_t to, double resolution) const;
  /// The call at `depth` containing `time`, or UINT32_MAX.
  uint32_t hit(uint32_t depth, uint64_t time) const;
  /// The call's stack: outermost first, ending with the call itself.
  std::vector<uint32_t> stackOf(uint32_t span) const;

private:
  std::vector<CallSpan> m_spans;
  /// Span indices per depth, by start (calls at one depth never overlap,
  /// so their ends are in order too).
  std::vector<std::vector<uint32_t>> m_byDepth;
  uint64_t m_begin = 0;
  uint64_t m_end = 0;
  uint64_t m_recorded = 0;
  uint64_t m_dropped = 0;
};

} // namespace wasmscope::gui
