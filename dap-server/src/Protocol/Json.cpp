// Path-bearing JSON readers (see Json.h).
#include "Protocol/Json.h"

#include <cmath>
#include <vector>

namespace wasmscope::dap::protocol {

void Path::report(std::string_view message) const {
  if (!m_root->error.empty())
    return;
  m_root->error = std::string(message) + " at " + toString();
}

std::string Path::toString() const {
  std::vector<const Path*> chain;
  for (const Path* p = this; p->m_parent; p = p->m_parent)
    chain.push_back(p);
  std::string text = "(root)";
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->m_isField) {
      text += '.';
      text += (*it)->m_name;
    } else {
      text += '[' + std::to_string((*it)->m_index) + ']';
    }
  }
  return text;
}

bool fromJSON(const json& value, bool& out, const Path& path) {
  if (!value.is_boolean()) {
    path.report("expected boolean");
    return false;
  }
  out = value.get<bool>();
  return true;
}

namespace {

/// Any JSON number with an integral value, as a double-free pair.
bool readInteger(const json& value, int64_t& out, bool& negativeOverflow, uint64_t& unsignedOut) {
  negativeOverflow = false;
  if (value.is_number_unsigned()) {
    unsignedOut = value.get<uint64_t>();
    out = unsignedOut > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(unsignedOut);
    return true;
  }
  if (value.is_number_integer()) {
    out = value.get<int64_t>();
    unsignedOut = out < 0 ? 0 : uint64_t(out);
    return true;
  }
  if (value.is_number_float()) {
    double d = value.get<double>();
    // JavaScript clients may send 3.0 for 3.
    if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9007199254740991.0)
      return false;
    out = int64_t(d);
    unsignedOut = out < 0 ? 0 : uint64_t(out);
    return true;
  }
  return false;
}

} // namespace

bool fromJSON(const json& value, int64_t& out, const Path& path) {
  bool overflow;
  uint64_t u;
  if (!readInteger(value, out, overflow, u)) {
    path.report("expected integer");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, uint64_t& out, const Path& path) {
  int64_t s;
  bool overflow;
  if (!readInteger(value, s, overflow, out)) {
    path.report("expected integer");
    return false;
  }
  if (s < 0) {
    path.report("expected non-negative integer");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, int32_t& out, const Path& path) {
  int64_t wide;
  if (!fromJSON(value, wide, path))
    return false;
  if (wide < INT32_MIN || wide > INT32_MAX) {
    path.report("expected 32-bit integer");
    return false;
  }
  out = int32_t(wide);
  return true;
}

bool fromJSON(const json& value, uint32_t& out, const Path& path) {
  uint64_t wide;
  if (!fromJSON(value, wide, path))
    return false;
  if (wide > UINT32_MAX) {
    path.report("expected 32-bit unsigned integer");
    return false;
  }
  out = uint32_t(wide);
  return true;
}

bool fromJSON(const json& value, double& out, const Path& path) {
  if (!value.is_number()) {
    path.report("expected number");
    return false;
  }
  out = value.get<double>();
  return true;
}

bool fromJSON(const json& value, std::string& out, const Path& path) {
  if (!value.is_string()) {
    path.report("expected string");
    return false;
  }
  out = value.get<std::string>();
  return true;
}

bool fromJSON(const json& value, json& out, const Path&) {
  out = value;
  return true;
}

std::optional<json> parseJsonText(std::string_view text, std::string& error, size_t maxDepth) {
  // Depth check outside strings; the parser itself is iterative, but the
  // values it builds are trees and deep trees cost stack elsewhere.
  size_t depth = 0;
  bool inString = false;
  bool escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (++depth > maxDepth) {
        error = "JSON nested deeper than " + std::to_string(maxDepth) + " levels";
        return std::nullopt;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Re-parse with a SAX handler only to learn where it failed.
    struct Locator : nlohmann::json_sax<json> {
      std::string message;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t position, const std::string&,
                       const nlohmann::detail::exception& e) override {
        // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
        std::string what = e.what();
        size_t bracket = what.find("] ");
        if (what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
          what.erase(0, bracket + 2);
        message = "byte " + std::to_string(position) + ": " + what;
        return false;
      }
    } locator;
    json::sax_parse(text.begin(), text.end(), &locator, nlohmann::json::input_format_t::json, true);
    error = locator.message.empty() ? "invalid JSON" : "invalid JSON at " + locator.message;
    return std::nullopt;
  }
  return value;
}

} // namespace wasmscope::dap::protocol
