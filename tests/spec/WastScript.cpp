// Parsing of wast2json's JSON output into the command model, and the value
// matching rules of the spec tests (NaN patterns, reference patterns). The
// JSON library's exceptions stop here: a malformed script is an Outcome error
// naming the offending field.
#include "WastScript.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

namespace wasmscope::spec {

using nlohmann::json;

const char* wastTypeName(WastType type) {
  switch (type) {
  case WastType::I32: return "i32";
  case WastType::I64: return "i64";
  case WastType::F32: return "f32";
  case WastType::F64: return "f64";
  case WastType::V128: return "v128";
  case WastType::FuncRef: return "funcref";
  case WastType::ExternRef: return "externref";
  }
  return "?";
}

const char* commandTypeName(CommandType type) {
  switch (type) {
  case CommandType::Module: return "module";
  case CommandType::Register: return "register";
  case CommandType::Action: return "action";
  case CommandType::AssertReturn: return "assert_return";
  case CommandType::AssertTrap: return "assert_trap";
  case CommandType::AssertExhaustion: return "assert_exhaustion";
  case CommandType::AssertInvalid: return "assert_invalid";
  case CommandType::AssertMalformed: return "assert_malformed";
  case CommandType::AssertUnlinkable: return "assert_unlinkable";
  case CommandType::AssertUninstantiable: return "assert_uninstantiable";
  }
  return "?";
}

// --- Values -----------------------------------------------------------------

namespace {

uint64_t laneBits(const WastValue& v, int lane) {
  uint8_t bytes[16];
  std::memcpy(bytes, &v.bits, 8);
  std::memcpy(bytes + 8, &v.high, 8);
  uint64_t out = 0;
  std::memcpy(&out, bytes + lane * v.laneBytes, v.laneBytes);
  return out;
}

bool isFloatLane(const WastValue& v) {
  return v.laneType == WastType::F32 || v.laneType == WastType::F64;
}

/// A scalar value of one lane, for printing and NaN-pattern checks.
WastValue laneValue(const WastValue& v, int lane) {
  WastValue out;
  out.bits = laneBits(v, lane);
  out.type = isFloatLane(v) ? v.laneType : v.laneBytes == 8 ? WastType::I64 : WastType::I32;
  if (size_t(lane) < v.lanes.size())
    out.kind = v.lanes[lane];
  return out;
}

/// "v128:i32x4 {1, 2, 3, 4}", in the shape of `v`'s script form.
std::string v128Text(const WastValue& v) {
  static const char* const kIntShapes[] = {"", "i8x16", "i16x8", "", "i32x4", "", "", "", "i64x2"};
  int n = 16 / v.laneBytes;
  std::string out = "v128:";
  out += isFloatLane(v) ? (v.laneType == WastType::F32 ? "f32x4" : "f64x2") : kIntShapes[v.laneBytes];
  out += " {";
  for (int i = 0; i < n; ++i) {
    if (i)
      out += ", ";
    WastValue lane = laneValue(v, i);
    std::string text = lane.toString();
    out += text.substr(text.find(':') + 1); // Without the lane's own type prefix.
  }
  return out + "}";
}

/// Lane-wise comparison in the expected value's shape: a NaN pattern lane
/// matches any NaN of that kind, other lanes must be the same bits.
bool v128Matches(const WastValue& expected, const WastValue& actual) {
  WastValue shaped = actual;
  shaped.laneType = expected.laneType;
  shaped.laneBytes = expected.laneBytes;
  shaped.lanes.clear();
  for (int i = 0; i < 16 / expected.laneBytes; ++i)
    if (!matches(laneValue(expected, i), laneValue(shaped, i)))
      return false;
  return true;
}

std::string formatFloat(WastType type, uint64_t bits) {
  char buf[64];
  if (type == WastType::F32) {
    uint32_t b = uint32_t(bits);
    float f;
    std::memcpy(&f, &b, 4);
    if (std::isnan(f))
      std::snprintf(buf, sizeof buf, "f32:%snan (0x%08" PRIx32 ")", (b >> 31) ? "-" : "", b);
    else
      std::snprintf(buf, sizeof buf, "f32:%.9g (0x%08" PRIx32 ")", double(f), b);
  } else {
    double d;
    std::memcpy(&d, &bits, 8);
    if (std::isnan(d))
      std::snprintf(buf, sizeof buf, "f64:%snan (0x%016" PRIx64 ")", (bits >> 63) ? "-" : "", bits);
    else
      std::snprintf(buf, sizeof buf, "f64:%.17g (0x%016" PRIx64 ")", d, bits);
  }
  return buf;
}

} // namespace

std::string WastValue::toString() const {
  std::string name = wastTypeName(type);
  switch (kind) {
  case Kind::CanonicalNan: return name + ":nan:canonical";
  case Kind::ArithmeticNan: return name + ":nan:arithmetic";
  case Kind::Null: return name + ":null";
  case Kind::AnyRef: return name + ":non-null";
  case Kind::Bits: break;
  }
  switch (type) {
  case WastType::I32: {
    // Show negative numbers too: spec scripts are easier to match that way.
    int32_t s = int32_t(uint32_t(bits));
    return s < 0 ? name + ":" + std::to_string(uint32_t(bits)) + " (" + std::to_string(s) + ")"
                 : name + ":" + std::to_string(s);
  }
  case WastType::I64: {
    int64_t s = int64_t(bits);
    return s < 0 ? name + ":" + std::to_string(bits) + " (" + std::to_string(s) + ")"
                 : name + ":" + std::to_string(s);
  }
  case WastType::F32:
  case WastType::F64: return formatFloat(type, bits);
  case WastType::FuncRef: return name + ":non-null";
  case WastType::ExternRef: return name + ":" + std::to_string(bits);
  case WastType::V128: return v128Text(*this);
  }
  return name;
}

std::string toString(const std::vector<WastValue>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      out += ", ";
    out += values[i].toString();
  }
  return out + ")";
}

bool matches(const WastValue& expected, const WastValue& actual) {
  if (expected.type != actual.type)
    return false;
  if (expected.type == WastType::V128)
    return v128Matches(expected, actual);
  bool actualNull = actual.kind == WastValue::Kind::Null;
  switch (expected.kind) {
  case WastValue::Kind::Null: return actualNull;
  case WastValue::Kind::AnyRef: return !actualNull;
  case WastValue::Kind::CanonicalNan:
    // Spec 4.3.3: a canonical NaN has only the most significant payload bit set.
    if (expected.type == WastType::F32)
      return (uint32_t(actual.bits) & 0x7fffffffu) == 0x7fc00000u;
    return (actual.bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
  case WastValue::Kind::ArithmeticNan:
    // An arithmetic NaN has the most significant payload bit set, others free.
    if (expected.type == WastType::F32)
      return (uint32_t(actual.bits) & 0x7fc00000u) == 0x7fc00000u;
    return (actual.bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
  case WastValue::Kind::Bits: break;
  }
  if (actualNull)
    return false;
  // A funcref in a script can only say "some function"; compare non-nullness.
  if (expected.type == WastType::FuncRef)
    return true;
  return expected.bits == actual.bits;
}

std::string Action::describe() const {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `s + " "`.
  std::string out = type == Type::Invoke ? "invoke " : "get ";
  if (!module.empty()) {
    out += module;
    out += ' ';
  }
  out += '"';
  out += field;
  out += '"';
  if (type == Type::Invoke) {
    out += ' ';
    out += spec::toString(args);
  }
  return out;
}


// --- JSON -------------------------------------------------------------------

namespace {

/// Reads typed fields of a JSON object, remembering the first error with its
/// path, so that the parse functions read straight through.
class Reader {
public:
  explicit Reader(std::string& error) : m_error(error) {}

  bool failed() const { return !m_error.empty(); }
  void fail(const std::string& path, const std::string& what) {
    if (m_error.empty())
      m_error = path + ": " + what;
  }

  const json* member(const json& obj, const std::string& path, const char* key,
                     bool required = true) {
    if (!obj.is_object()) {
      fail(path, "expected an object");
      return nullptr;
    }
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required)
        fail(path + "." + key, "missing value");
      return nullptr;
    }
    return &*it;
  }

  std::string string(const json& obj, const std::string& path, const char* key,
                     bool required = true) {
    const json* v = member(obj, path, key, required);
    if (!v)
      return {};
    if (!v->is_string()) {
      fail(path + "." + key, "expected a string");
      return {};
    }
    return v->get<std::string>();
  }

  uint32_t uint(const json& obj, const std::string& path, const char* key) {
    const json* v = member(obj, path, key);
    if (!v)
      return 0;
    if (!v->is_number_unsigned() || v->get<uint64_t>() > UINT32_MAX) {
      fail(path + "." + key, "expected an unsigned 32-bit number");
      return 0;
    }
    return v->get<uint32_t>();
  }

private:
  std::string& m_error;
};

std::optional<WastType> parseType(const std::string& s) {
  static const std::pair<const char*, WastType> kTypes[] = {
      {"i32", WastType::I32},         {"i64", WastType::I64},
      {"f32", WastType::F32},         {"f64", WastType::F64},
      {"v128", WastType::V128},       {"funcref", WastType::FuncRef},
      {"externref", WastType::ExternRef},
  };
  for (const auto& [name, type] : kTypes)
    if (s == name)
      return type;
  return std::nullopt;
}

/// A v128: {"type": "v128", "lane_type": "i8".."f64", "value": [lanes]},
/// each lane an unsigned decimal bit pattern or, for float lanes, a NaN
/// pattern.
WastValue parseV128(Reader& r, const json& j, const std::string& path) {
  WastValue v;
  v.type = WastType::V128;
  std::string laneType = r.string(j, path, "lane_type");
  if (r.failed())
    return v;
  static const std::tuple<const char*, WastType, uint8_t> kLaneTypes[] = {
      {"i8", WastType::I32, 1},  {"i16", WastType::I32, 2}, {"i32", WastType::I32, 4},
      {"i64", WastType::I64, 8}, {"f32", WastType::F32, 4}, {"f64", WastType::F64, 8},
  };
  bool known = false;
  for (const auto& [name, lane, bytes] : kLaneTypes)
    if (laneType == name) {
      v.laneType = lane;
      v.laneBytes = bytes;
      known = true;
    }
  if (!known) {
    r.fail(path + ".lane_type", "unknown lane type \"" + laneType + "\"");
    return v;
  }
  const json* raw = r.member(j, path, "value");
  if (!raw)
    return v;
  int count = 16 / v.laneBytes;
  if (!raw->is_array() || int(raw->size()) != count) {
    r.fail(path + ".value", "expected an array of " + std::to_string(count) + " lanes");
    return v;
  }
  uint8_t bytes[16] = {};
  bool isFloat = v.laneType == WastType::F32 || v.laneType == WastType::F64;
  for (int i = 0; i < count; ++i) {
    std::string lanePath = path + ".value[" + std::to_string(i) + "]";
    const json& lane = (*raw)[size_t(i)];
    if (!lane.is_string()) {
      r.fail(lanePath, "expected a string");
      return v;
    }
    const std::string& s = lane.get_ref<const std::string&>();
    WastValue::Kind kind = WastValue::Kind::Bits;
    uint64_t bits = 0;
    if (isFloat && (s == "nan:canonical" || s == "nan:arithmetic")) {
      kind = s == "nan:canonical" ? WastValue::Kind::CanonicalNan : WastValue::Kind::ArithmeticNan;
    } else {
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), bits);
      bool fits = v.laneBytes == 8 || bits < (uint64_t(1) << (8 * v.laneBytes));
      if (ec != std::errc() || end != s.data() + s.size() || s.empty() || !fits) {
        r.fail(lanePath, "bad " + laneType + " lane \"" + s + "\"");
        return v;
      }
    }
    std::memcpy(bytes + i * v.laneBytes, &bits, v.laneBytes);
    v.lanes.push_back(kind);
  }
  std::memcpy(&v.bits, bytes, 8);
  std::memcpy(&v.high, bytes + 8, 8);
  return v;
}

WastValue parseValue(Reader& r, const json& j, const std::string& path) {
  std::string typeName = r.string(j, path, "type");
  if (r.failed())
    return {};
  std::optional<WastType> type = parseType(typeName);
  if (!type) {
    r.fail(path + ".type", "unknown value type \"" + typeName + "\"");
    return {};
  }
  WastValue v;
  v.type = *type;
  if (*type == WastType::V128)
    return parseV128(r, j, path);
  const json* raw = r.member(j, path, "value", /*required=*/!isWastRefType(*type));
  if (!raw) {
    if (!r.failed())
      v.kind = WastValue::Kind::AnyRef; // `(ref.extern)` or `(ref.func)` without a value.
    return v;
  }
  if (!raw->is_string()) {
    r.fail(path + ".value", "expected a string");
    return v;
  }
  const std::string& s = raw->get_ref<const std::string&>();
  if (s == "nan:canonical" || s == "nan:arithmetic") {
    if (*type != WastType::F32 && *type != WastType::F64) {
      r.fail(path + ".value", s + " for a non-float type");
      return v;
    }
    v.kind = s == "nan:canonical" ? WastValue::Kind::CanonicalNan
                                  : WastValue::Kind::ArithmeticNan;
    return v;
  }
  if (s == "null") {
    if (!isWastRefType(*type)) {
      r.fail(path + ".value", "null for a non-reference type");
      return v;
    }
    v.kind = WastValue::Kind::Null;
    return v;
  }
  // Everything else is a decimal unsigned bit pattern.
  uint64_t bits = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), bits);
  bool narrow = *type == WastType::I32 || *type == WastType::F32;
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() ||
      (narrow && bits > UINT32_MAX)) {
    r.fail(path + ".value", "bad " + typeName + " value \"" + s + "\"");
    return v;
  }
  v.bits = bits;
  return v;
}

std::vector<WastValue> parseValues(Reader& r, const json& obj, const std::string& path,
                                   const char* key) {
  std::vector<WastValue> out;
  const json* arr = r.member(obj, path, key);
  if (!arr)
    return out;
  std::string arrPath = path + "." + key;
  if (!arr->is_array()) {
    r.fail(arrPath, "expected an array");
    return out;
  }
  for (size_t i = 0; i < arr->size() && !r.failed(); ++i)
    out.push_back(parseValue(r, (*arr)[i], arrPath + "[" + std::to_string(i) + "]"));
  return out;
}

Action parseAction(Reader& r, const json& obj, const std::string& path) {
  Action a;
  const json* j = r.member(obj, path, "action");
  if (!j)
    return a;
  std::string p = path + ".action";
  std::string type = r.string(*j, p, "type");
  if (type == "invoke")
    a.type = Action::Type::Invoke;
  else if (type == "get")
    a.type = Action::Type::Get;
  else if (!r.failed())
    r.fail(p + ".type", "unknown action \"" + type + "\"");
  a.module = r.string(*j, p, "module", /*required=*/false);
  a.field = r.string(*j, p, "field");
  if (a.type == Action::Type::Invoke)
    a.args = parseValues(r, *j, p, "args");
  return a;
}

std::optional<CommandType> parseCommandType(const std::string& s) {
  static const std::pair<const char*, CommandType> kTypes[] = {
      {"module", CommandType::Module},
      {"register", CommandType::Register},
      {"action", CommandType::Action},
      {"assert_return", CommandType::AssertReturn},
      {"assert_trap", CommandType::AssertTrap},
      {"assert_exhaustion", CommandType::AssertExhaustion},
      {"assert_invalid", CommandType::AssertInvalid},
      {"assert_malformed", CommandType::AssertMalformed},
      {"assert_unlinkable", CommandType::AssertUnlinkable},
      {"assert_uninstantiable", CommandType::AssertUninstantiable},
  };
  for (const auto& [name, type] : kTypes)
    if (s == name)
      return type;
  return std::nullopt;
}

Command parseCommand(Reader& r, const json& j, const std::string& path) {
  Command c;
  std::string typeName = r.string(j, path, "type");
  if (r.failed())
    return c;
  std::optional<CommandType> type = parseCommandType(typeName);
  if (!type) {
    r.fail(path + ".type", "unknown command \"" + typeName + "\"");
    return c;
  }
  c.type = *type;
  c.line = r.uint(j, path, "line");
  switch (c.type) {
  case CommandType::Module:
    c.name = r.string(j, path, "name", /*required=*/false);
    c.filename = r.string(j, path, "filename");
    c.textModule = r.string(j, path, "module_type", /*required=*/false) == "text";
    break;
  case CommandType::Register:
    c.name = r.string(j, path, "name", /*required=*/false);
    c.as = r.string(j, path, "as");
    break;
  case CommandType::Action:
  case CommandType::AssertReturn:
    c.action = parseAction(r, j, path);
    if (j.contains("expected"))
      c.expected = parseValues(r, j, path, "expected");
    break;
  case CommandType::AssertTrap:
    // `(assert_trap (module ...) "msg")` carries a module instead of an action.
    if (j.contains("filename")) {
      c.filename = r.string(j, path, "filename");
      c.textModule = r.string(j, path, "module_type", /*required=*/false) == "text";
    } else {
      c.action = parseAction(r, j, path);
    }
    c.text = r.string(j, path, "text", /*required=*/false);
    break;
  case CommandType::AssertExhaustion:
    c.action = parseAction(r, j, path);
    c.text = r.string(j, path, "text", /*required=*/false);
    break;
  case CommandType::AssertInvalid:
  case CommandType::AssertMalformed:
  case CommandType::AssertUnlinkable:
  case CommandType::AssertUninstantiable:
    c.filename = r.string(j, path, "filename");
    c.textModule = r.string(j, path, "module_type", /*required=*/false) == "text";
    c.text = r.string(j, path, "text", /*required=*/false);
    break;
  }
  return c;
}

} // namespace

Outcome<WastScript> parseWastScript(const std::string& text,
                                    const std::filesystem::path& jsonPath) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded())
    return Outcome<WastScript>::failure(jsonPath.string() + ": not valid JSON");

  WastScript script;
  script.jsonPath = jsonPath;
  script.dir = jsonPath.parent_path();
  std::string error;
  Reader r(error);
  try {
    std::string source = r.string(root, "(root)", "source_filename", /*required=*/false);
    script.sourceName = source.empty()
                            ? jsonPath.stem().string() + ".wast"
                            : std::filesystem::path(source).filename().string();
    const json* commands = r.member(root, "(root)", "commands");
    if (commands && !commands->is_array())
      r.fail("(root).commands", "expected an array");
    if (commands && !r.failed()) {
      script.commands.reserve(commands->size());
      for (size_t i = 0; i < commands->size() && !r.failed(); ++i)
        script.commands.push_back(
            parseCommand(r, (*commands)[i], "commands[" + std::to_string(i) + "]"));
    }
  } catch (const json::exception& e) {
    // The reader checks types before reading, so this is a parser bug; still
    // a failure line, never a crash.
    r.fail("(root)", e.what());
  }
  if (r.failed())
    return Outcome<WastScript>::failure(jsonPath.string() + ": " + error);
  return script;
}

Outcome<WastScript> loadWastScript(const std::filesystem::path& jsonPath) {
  std::ifstream in(jsonPath, std::ios::binary);
  if (!in)
    return Outcome<WastScript>::failure(jsonPath.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    return Outcome<WastScript>::failure(jsonPath.string() + ": read error");
  return parseWastScript(ss.str(), jsonPath);
}

Outcome<std::vector<uint8_t>> readModuleFile(const WastScript& script,
                                             const std::string& filename) {
  std::filesystem::path path = script.dir / filename;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Outcome<std::vector<uint8_t>>::failure("cannot open " + path.string());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad())
    return Outcome<std::vector<uint8_t>>::failure("read error on " + path.string());
  return bytes;
}

} // namespace wasmscope::spec
