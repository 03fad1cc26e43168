// The guest's stdout and stderr (and the debugger's own notes) as the
// console shows them: lines tagged with where they came from, kept within a
// byte budget by dropping the oldest.
#pragma once

#include "wasmscope/session/Session.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace wasmscope::gui {

/// Bytes the console keeps; older lines are dropped beyond it.
inline constexpr size_t kMaxConsoleBytes = 8u << 20;

struct ConsoleLine {
  debugger::OutputCategory category = debugger::OutputCategory::Stdout;
  std::string text;      ///< Without the newline.
  bool complete = false; ///< Ended by a newline (more text may follow if not).
};

class Console {
public:
  /// Appends output as the guest wrote it (a write need not end a line).
  void append(debugger::OutputCategory category, std::string_view text);
  void clear();
  const std::deque<ConsoleLine>& lines() const { return m_lines; }
  /// Lines dropped to stay within kMaxConsoleBytes.
  uint64_t droppedLines() const { return m_dropped; }
  /// Moves with every change, so a view knows to scroll to the end.
  uint64_t version() const { return m_version; }

private:
  std::deque<ConsoleLine> m_lines;
  size_t m_bytes = 0;
  uint64_t m_dropped = 0;
  uint64_t m_version = 0;
};

} // namespace wasmscope::gui
