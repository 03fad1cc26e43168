// Reading typed values out of untrusted JSON with the position of the first
// problem in the error ("missing value at (root).breakpoints[2].line"), in
// the manner of LLVM's json::Path and json::ObjectMapper that lldb-dap uses.
// Every DAP argument struct has a `fromJSON(const json&, T&, Path)` built
// from these pieces.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::dap::protocol {

using json = nlohmann::json;

/// Where the first error was found; owned by whoever starts a parse.
struct PathRoot {
  std::string error; ///< Empty until Path::report() is called.
};

/// A position inside the value being parsed. Paths are built on the stack
/// while descending (each points at its parent), so they are cheap and only
/// turned into text when an error is reported.
class Path {
public:
  explicit Path(PathRoot& root) : m_root(&root) {}
  Path field(std::string_view name) const { return Path(*this, name); }
  Path index(size_t index) const { return Path(*this, index); }

  /// Records "MESSAGE at PATH" unless an earlier error was recorded.
  void report(std::string_view message) const;
  bool failed() const { return !m_root->error.empty(); }
  /// "(root).a.b[3]"
  std::string toString() const;

private:
  Path(const Path& parent, std::string_view name)
      : m_root(parent.m_root), m_parent(&parent), m_name(name), m_isField(true) {}
  Path(const Path& parent, size_t index)
      : m_root(parent.m_root), m_parent(&parent), m_index(index) {}

  PathRoot* m_root;
  const Path* m_parent = nullptr;
  std::string_view m_name;
  size_t m_index = 0;
  bool m_isField = false;
};

// Leaf readers. Each returns false after reporting at `path`.
bool fromJSON(const json& value, bool& out, const Path& path);
bool fromJSON(const json& value, int64_t& out, const Path& path);
bool fromJSON(const json& value, uint64_t& out, const Path& path);
bool fromJSON(const json& value, int32_t& out, const Path& path);
bool fromJSON(const json& value, uint32_t& out, const Path& path);
bool fromJSON(const json& value, double& out, const Path& path);
bool fromJSON(const json& value, std::string& out, const Path& path);
/// Keeps any JSON value as is (for `body`-like passthrough fields).
bool fromJSON(const json& value, json& out, const Path& path);

template <typename T> bool fromJSON(const json& value, std::vector<T>& out, const Path& path) {
  if (!value.is_array()) {
    path.report("expected array");
    return false;
  }
  out.clear();
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    T item{};
    if (!fromJSON(value[i], item, path.index(i)))
      return false;
    out.push_back(std::move(item));
  }
  return true;
}

template <typename T> bool fromJSON(const json& value, std::optional<T>& out, const Path& path) {
  if (value.is_null()) {
    out.reset();
    return true;
  }
  T item{};
  if (!fromJSON(value, item, path))
    return false;
  out = std::move(item);
  return true;
}

/// Reads the fields of one JSON object. Unknown fields are ignored (clients
/// add their own, such as VS Code's `__configurationTarget`); a `null` field
/// counts as absent.
class ObjectReader {
public:
  ObjectReader(const json& value, const Path& path) : m_value(value), m_path(path) {
    if (!value.is_object())
      path.report("expected object");
  }
  explicit operator bool() const { return m_value.is_object() && !m_path.failed(); }

  /// A field that must be present.
  template <typename T> bool map(std::string_view key, T& out) {
    if (!*this)
      return false;
    auto it = m_value.find(key);
    if (it == m_value.end() || it->is_null()) {
      m_path.field(key).report("missing value");
      return false;
    }
    return fromJSON(*it, out, m_path.field(key));
  }
  /// A field that may be absent; `out` keeps its value then.
  template <typename T> bool mapOptional(std::string_view key, T& out) {
    if (!*this)
      return false;
    auto it = m_value.find(key);
    if (it == m_value.end() || it->is_null())
      return true;
    return fromJSON(*it, out, m_path.field(key));
  }
  bool has(std::string_view key) const {
    if (!m_value.is_object())
      return false;
    auto it = m_value.find(key);
    return it != m_value.end() && !it->is_null();
  }
  const json& value() const { return m_value; }
  const Path& path() const { return m_path; }

private:
  const json& m_value;
  const Path& m_path;
};

/// Parses `value` into T, or returns the error text.
template <typename T> std::optional<std::string> parseInto(const json& value, T& out) {
  PathRoot root;
  Path path(root);
  if (!fromJSON(value, out, path) && root.error.empty())
    path.report("invalid value");
  if (root.error.empty())
    return std::nullopt;
  return root.error;
}

/// Parses JSON text without exceptions, refusing nesting deeper than
/// `maxDepth` before the parser sees it (bounded work on hostile input).
/// nullopt on any error, with the reason in `error`.
std::optional<json> parseJsonText(std::string_view text, std::string& error, size_t maxDepth = 128);

/// Integers outside [0, 2^53) are not safe in JavaScript clients; DAP's
/// uint64 fields are bounded by that.
inline constexpr uint64_t kMaxSafeInteger = (uint64_t(1) << 53) - 1;

} // namespace wasmscope::dap::protocol
