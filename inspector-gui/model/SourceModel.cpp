// Source text, line heat, gutter breakpoints and toggling (see
// SourceModel.h).
#include "SourceModel.h"

#include "wasmscope/session/Session.h"
#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::gui {

namespace {

/// Reads a regular file of at most `limit` bytes without blocking on a FIFO
/// or a device.
runtime::Result<std::string> readSourceFile(const std::string& path, uint64_t limit) {
  using runtime::Error;
  using runtime::ErrorCode;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return Error(ErrorCode::IoError, "cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(ErrorCode::IoError, "'" + path + "' is not a regular file");
  }
  if (uint64_t(st.st_size) > limit) {
    ::close(fd);
    return Error(ErrorCode::IoError, "'" + path + "' is larger than " +
                                         std::to_string(limit >> 20) + " MiB");
  }
  std::string text(size_t(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += size_t(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

} // namespace

bool samePath(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty())
    return false;
  if (a == b)
    return true;
  if (a.size() < b.size())
    std::swap(a, b);
  return a.size() > b.size() && a.ends_with(b) && a[a.size() - b.size() - 1] == '/';
}

void SourceModel::open(const std::string& path) {
  m_path = path;
  m_error.clear();
  m_text.clear();
  m_lines.clear();
  auto text = readSourceFile(path, kMaxSourceBytes);
  if (!text.ok()) {
    m_error = text.error().message;
    return;
  }
  // Tabs to spaces (stops of 4), so that columns line up in any font.
  m_text.reserve(text->size());
  size_t column = 0;
  for (char c : *text) {
    if (c == '\t') {
      do
        m_text += ' ';
      while (++column % 4 != 0);
      continue;
    }
    m_text += c;
    column = c == '\n' ? 0 : column + 1;
  }
  std::string_view all(m_text);
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos)
      end = all.size();
    std::string_view line = all.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    m_lines.push_back(line);
    start = end + 1;
  }
}

std::string_view SourceModel::line(uint32_t line) const {
  return line >= 1 && line <= m_lines.size() ? m_lines[line - 1] : std::string_view();
}

void SourceModel::setHeat(const profiler::Profile* profile) {
  m_heat.clear();
  m_maxHeat = 0;
  m_fileInstructions = 0;
  if (!profile || m_path.empty())
    return;
  std::vector<bool> fileMatches(profile->files.size());
  for (size_t i = 0; i < profile->files.size(); ++i)
    fileMatches[i] = samePath(profile->files[i], m_path);
  for (const profiler::LineStats& stats : profile->lines) {
    profiler::FileId file = stats.file();
    if (file == profiler::kNone || file >= fileMatches.size() || !fileMatches[file] ||
        stats.line() == 0)
      continue;
    uint64_t& count = m_heat[stats.line()];
    count += stats.instructions;
    m_fileInstructions += stats.instructions;
  }
  for (const auto& [line, count] : m_heat)
    m_maxHeat = std::max(m_maxHeat, count);
}

uint64_t SourceModel::heat(uint32_t line) const {
  auto it = m_heat.find(line);
  return it == m_heat.end() ? 0 : it->second;
}

std::vector<uint32_t> SourceModel::hottestLines(size_t count) const {
  std::vector<std::pair<uint64_t, uint32_t>> all;
  for (const auto& [line, n] : m_heat)
    if (n)
      all.emplace_back(n, line);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<uint32_t> out;
  for (size_t i = 0; i < all.size() && i < count; ++i)
    out.push_back(all[i].second);
  return out;
}

void SourceModel::setSymbols(const debugger::ModuleSymbols* symbols) {
  m_codeLines.clear();
  if (!symbols || m_path.empty())
    return;
  for (debugger::FileIndex i = 0; i < symbols->files().size(); ++i)
    if (samePath(symbols->files()[i].path, m_path))
      for (uint32_t line : symbols->linesWithCode(i))
        m_codeLines.insert(line);
}

void SourceModel::refreshBreakpoints(const debugger::Session& session) {
  m_breakpoints.clear();
  if (m_path.empty())
    return;
  for (const debugger::LineBreakpointInfo& info : session.lineBreakpoints()) {
    const std::string& where =
        info.placed.sourcePath.empty() ? info.requestPath : info.placed.sourcePath;
    if (!samePath(where, m_path) && !samePath(info.requestPath, m_path))
      continue;
    uint32_t line = info.placed.line ? info.placed.line : info.request.line;
    GutterBreakpoint bp;
    bp.id = info.placed.id;
    bp.verified = info.placed.verified;
    bp.conditional = !info.request.condition.empty() || !info.request.hitCondition.empty() ||
                     !info.request.logMessage.empty();
    bp.message = info.placed.message;
    m_breakpoints[line] = std::move(bp);
  }
}

const GutterBreakpoint* SourceModel::breakpointAt(uint32_t line) const {
  auto it = m_breakpoints.find(line);
  return it == m_breakpoints.end() ? nullptr : &it->second;
}

runtime::Result<bool> toggleBreakpoint(debugger::Session& session, const std::string& file,
                                       uint32_t line) {
  std::vector<debugger::LineBreakpointInfo> all = session.lineBreakpoints();
  // The file's breakpoints, grouped by the path they were requested with.
  std::map<std::string, std::vector<debugger::LineBreakpointInfo>> byRequestPath;
  bool present = false;
  for (debugger::LineBreakpointInfo& info : all) {
    const std::string& where =
        info.placed.sourcePath.empty() ? info.requestPath : info.placed.sourcePath;
    if (!samePath(where, file) && !samePath(info.requestPath, file))
      continue;
    if (info.placed.line == line || info.request.line == line)
      present = true;
    byRequestPath[info.requestPath].push_back(std::move(info));
  }
  if (present) {
    for (auto& [requestPath, infos] : byRequestPath) {
      std::vector<debugger::SourceBreakpoint> keep;
      bool changed = false;
      for (const auto& info : infos) {
        if (info.placed.line == line || info.request.line == line)
          changed = true;
        else
          keep.push_back(info.request);
      }
      if (changed)
        TRY(session.setBreakpoints(requestPath, keep));
    }
    return false;
  }
  // Added under the path the file's breakpoints already use, so that the
  // front end that set them keeps seeing one list.
  std::string requestPath = byRequestPath.empty() ? file : byRequestPath.begin()->first;
  std::vector<debugger::SourceBreakpoint> list;
  if (auto it = byRequestPath.find(requestPath); it != byRequestPath.end())
    for (const auto& info : it->second)
      list.push_back(info.request);
  debugger::SourceBreakpoint added;
  added.line = line;
  list.push_back(added);
  TRY(session.setBreakpoints(requestPath, list));
  return true;
}

} // namespace wasmscope::gui
