// The Source view's model: one source file's text (read from disk, bounded),
// its per-line instruction counts from the profile as a heat column, the
// lines that have code, and the breakpoints on it. Setting or clearing a
// breakpoint from the gutter goes through the session and keeps every other
// breakpoint of the file, whichever front end set it (a DAP client may share
// the session).
#pragma once

#include "wasmscope/profiler/Profile.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {
class Session;
class ModuleSymbols;
} // namespace wasmscope::debugger

namespace wasmscope::gui {

/// The largest source file the view opens.
inline constexpr uint64_t kMaxSourceBytes = 16u << 20;

/// A breakpoint as the gutter shows it.
struct GutterBreakpoint {
  int64_t id = 0;
  bool verified = false;
  bool conditional = false; ///< Has a condition, hit condition or log message.
  std::string message;      ///< Why unverified, or a note.
};

class SourceModel {
public:
  /// Opens `path` (a regular file of at most kMaxSourceBytes). On failure
  /// the model is empty and error() says why.
  void open(const std::string& path);
  const std::string& path() const { return m_path; }
  const std::string& error() const { return m_error; }
  bool loaded() const { return m_error.empty() && !m_path.empty(); }
  size_t lineCount() const { return m_lines.size(); }
  /// Line `line` (1-based) without its newline; "" out of range.
  std::string_view line(uint32_t line) const;

  /// Per-line instructions of this file from a profile (innermost
  /// attribution: inlined code counts on its own line).
  void setHeat(const profiler::Profile* profile);
  uint64_t heat(uint32_t line) const;
  uint64_t maxHeat() const { return m_maxHeat; }
  uint64_t fileInstructions() const { return m_fileInstructions; }
  /// Lines sorted by instructions, hottest first (for "go to hottest line").
  std::vector<uint32_t> hottestLines(size_t count) const;

  /// Lines with code, from the debug info (breakpoints may go there).
  void setSymbols(const debugger::ModuleSymbols* symbols);
  bool hasCode(uint32_t line) const { return m_codeLines.count(line) != 0; }
  bool knowsCode() const { return !m_codeLines.empty(); }

  /// Re-reads the session's breakpoints on this file.
  void refreshBreakpoints(const debugger::Session& session);
  const GutterBreakpoint* breakpointAt(uint32_t line) const;
  const std::map<uint32_t, GutterBreakpoint>& breakpoints() const { return m_breakpoints; }

private:
  std::string m_path;
  std::string m_error;
  std::string m_text;
  std::vector<std::string_view> m_lines;
  std::map<uint32_t, uint64_t> m_heat;
  uint64_t m_maxHeat = 0;
  uint64_t m_fileInstructions = 0;
  std::set<uint32_t> m_codeLines;
  std::map<uint32_t, GutterBreakpoint> m_breakpoints;
};

/// Whether two source paths name the same file: equal, or one is a suffix
/// of the other at a '/' ("request_handler.c" and "/src/request_handler.c").
bool samePath(std::string_view a, std::string_view b);

/// Sets a line breakpoint on `file`:`line` if there is none there, or clears
/// the one there, through the session. Every other line breakpoint of the
/// file stays as it is, with its condition, whichever front end set it:
/// the session replaces a file's breakpoints per request path, so each
/// request path of the file is given its full list back. Returns true when
/// the line now has a breakpoint.
runtime::Result<bool> toggleBreakpoint(debugger::Session& session, const std::string& file,
                                       uint32_t line);

} // namespace wasmscope::gui
