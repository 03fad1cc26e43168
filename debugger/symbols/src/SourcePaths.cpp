// Source maps and finding a module's files by the paths a user gives (see
// SourcePaths.h). Paths are compared as strings of '/'-separated
// components; the file system is asked only to resolve symlinks, once per
// module, and only for files that exist here.
#include "wasmscope/symbols/SourcePaths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace wasmscope::debugger {

namespace fs = std::filesystem;

namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t next = path.find('/', i);
    if (next == std::string_view::npos)
      next = path.size();
    if (next > i)
      out.push_back(path.substr(i, next - i));
    i = next + 1;
  }
  return out;
}

/// `prefix` is `path` or a leading run of its whole components.
bool hasPathPrefix(std::string_view path, std::string_view prefix) {
  if (prefix.empty() || path.substr(0, prefix.size()) != prefix)
    return false;
  return path.size() == prefix.size() || prefix.back() == '/' || path[prefix.size()] == '/';
}

std::string replacePrefix(std::string_view path, std::string_view prefix,
                          std::string_view replacement) {
  std::string rest(path.substr(prefix.size()));
  if (rest.empty())
    return std::string(replacement);
  if (rest.front() == '/' && !replacement.empty() && replacement.back() == '/')
    rest.erase(0, 1);
  else if (rest.front() != '/' && !replacement.empty() && replacement.back() != '/')
    rest.insert(0, "/");
  return std::string(replacement) + rest;
}

/// The longest matching prefix among `pairs` on the chosen side.
std::optional<std::string> mapPath(const std::vector<std::pair<std::string, std::string>> &pairs,
                                   std::string_view path, bool buildToLocal) {
  std::string normal = lexicallyNormal(path);
  const std::pair<std::string, std::string> *best = nullptr;
  size_t bestLength = 0;
  for (const auto &pair : pairs) {
    const std::string &from = buildToLocal ? pair.first : pair.second;
    if (hasPathPrefix(normal, from) && (!best || from.size() > bestLength)) {
      best = &pair;
      bestLength = from.size();
    }
  }
  if (!best)
    return std::nullopt;
  return buildToLocal ? replacePrefix(normal, best->first, best->second)
                      : replacePrefix(normal, best->second, best->first);
}

std::string canonical(const std::string &path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? lexicallyNormal(path) : p.string();
}

} // namespace

std::string lexicallyNormal(std::string_view path) {
  bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string_view> out;
  for (std::string_view part : components(path)) {
    if (part == ".")
      continue;
    if (part == ".." && !out.empty() && out.back() != "..") {
      out.pop_back();
      continue;
    }
    if (part == ".." && absolute)
      continue; // "/.." is "/".
    out.push_back(part);
  }
  std::string s = absolute ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i)
      s += '/';
    s += out[i];
  }
  if (s.empty())
    return path.empty() ? std::string() : ".";
  return s;
}

// ------------------------------------------------------------ SourceMap ---

Result<std::pair<std::string, std::string>> SourceMap::parsePair(std::string_view spec) {
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size())
    return runtime::Error(runtime::ErrorCode::InvalidArgument,
                          "expected BUILD=LOCAL, got '" + std::string(spec) + "'");
  return std::pair{std::string(spec.substr(0, eq)), std::string(spec.substr(eq + 1))};
}

void SourceMap::add(std::string_view buildPrefix, std::string_view localPrefix) {
  m_pairs.emplace_back(lexicallyNormal(buildPrefix), lexicallyNormal(localPrefix));
}

std::optional<std::string> SourceMap::toLocal(std::string_view buildPath) const {
  return mapPath(m_pairs, buildPath, true);
}

std::optional<std::string> SourceMap::toBuild(std::string_view localPath) const {
  return mapPath(m_pairs, localPath, false);
}

// ------------------------------------------------------- SourceResolver ---

SourceResolver::SourceResolver(const ModuleSymbols &symbols, SourceMap map)
    : m_symbols(symbols), m_map(std::move(map)) {}

std::optional<FileIndex> SourceResolver::find(std::string_view path) const {
  if (path.empty())
    return std::nullopt;
  if (std::optional<std::string> build = m_map.toBuild(path))
    if (std::optional<FileIndex> f = m_symbols.findFile(*build))
      return f;
  if (std::optional<FileIndex> f = m_symbols.findFile(path))
    return f;
  std::string normal = lexicallyNormal(path);
  if (std::optional<FileIndex> f = m_symbols.findFile(normal))
    return f;
  std::optional<FileIndex> found = byCanonicalPath(normal);
  if (!found)
    found = byTrailingComponents(normal);
  if (found && normal.front() == '/') {
    std::lock_guard lock(m_mutex);
    m_learnt.emplace(*found, normal);
  }
  return found;
}

std::optional<FileIndex> SourceResolver::byCanonicalPath(const std::string &path) const {
  std::error_code ec;
  if (!fs::exists(fs::path(path), ec))
    return std::nullopt;
  std::lock_guard lock(m_mutex);
  if (!m_canonical) {
    m_canonical.emplace();
    const std::vector<SourceFile> &files = m_symbols.files();
    for (FileIndex i = 0; i < files.size(); ++i) {
      std::string local = m_map.toLocal(files[i].path).value_or(files[i].path);
      if (!local.empty() && local.front() == '/')
        m_canonical->emplace(canonical(local), i);
    }
  }
  auto it = m_canonical->find(canonical(path));
  if (it == m_canonical->end())
    return std::nullopt;
  return it->second;
}

std::optional<FileIndex> SourceResolver::byTrailingComponents(const std::string &path) const {
  std::vector<std::string_view> want = components(path);
  if (want.empty())
    return std::nullopt;
  std::optional<FileIndex> best;
  size_t bestCount = 0;
  bool tie = false;
  const std::vector<SourceFile> &files = m_symbols.files();
  for (FileIndex i = 0; i < files.size(); ++i) {
    if (files[i].name != want.back())
      continue;
    std::vector<std::string_view> have = components(files[i].path);
    size_t n = 0;
    while (n < have.size() && n < want.size() &&
           have[have.size() - 1 - n] == want[want.size() - 1 - n])
      ++n;
    if (n > bestCount) {
      best = i;
      bestCount = n;
      tie = false;
    } else if (n == bestCount && n > 0) {
      tie = true;
    }
  }
  // Two files equally like the path (two "util.c" in different folders,
  // neither sharing more of it): naming either would be a guess.
  if (tie || !best)
    return std::nullopt;
  return best;
}

std::string SourceResolver::localPath(FileIndex file) const {
  const std::string &path = m_symbols.filePath(file);
  if (path.empty())
    return path;
  if (std::optional<std::string> local = m_map.toLocal(path))
    return *local;
  std::lock_guard lock(m_mutex);
  if (auto it = m_learnt.find(file); it != m_learnt.end())
    return it->second;
  return path;
}

} // namespace wasmscope::debugger
