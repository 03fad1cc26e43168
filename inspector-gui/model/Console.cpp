// Console lines within a byte budget (see Console.h).
#include "Console.h"

namespace wasmscope::gui {

void Console::append(debugger::OutputCategory category, std::string_view text) {
  ++m_version;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view piece = text.substr(0, newline);
    if (m_lines.empty() || m_lines.back().complete || m_lines.back().category != category)
      m_lines.push_back({category, {}, false});
    ConsoleLine& line = m_lines.back();
    line.text.append(piece);
    m_bytes += piece.size();
    if (newline == std::string_view::npos)
      break;
    line.complete = true;
    text.remove_prefix(newline + 1);
  }
  while (m_bytes > kMaxConsoleBytes && m_lines.size() > 1) {
    m_bytes -= m_lines.front().text.size();
    m_lines.pop_front();
    ++m_dropped;
  }
}

void Console::clear() {
  m_lines.clear();
  m_bytes = 0;
  ++m_version;
}

} // namespace wasmscope::gui
