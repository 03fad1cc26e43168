// fromJSON for every request's arguments (see Requests.h).
#include "Protocol/Requests.h"

#include "wasmscope/runtime/Launch.h"

#include <cctype>

namespace wasmscope::dap::protocol {

bool fromJSON(const json& value, EmptyArguments&, const Path& path) {
  if (!value.is_null() && !value.is_object()) {
    path.report("expected object");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, InitializeArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.mapOptional("clientID", out.clientID) &&
         o.mapOptional("clientName", out.clientName) && o.mapOptional("adapterID", out.adapterID) &&
         o.mapOptional("linesStartAt1", out.linesStartAt1) &&
         o.mapOptional("columnsStartAt1", out.columnsStartAt1) &&
         o.mapOptional("pathFormat", out.pathFormat) &&
         o.mapOptional("supportsVariableType", out.supportsVariableType) &&
         o.mapOptional("supportsMemoryReferences", out.supportsMemoryReferences) &&
         o.mapOptional("supportsInvalidatedEvent", out.supportsInvalidatedEvent);
}

bool fromJSON(const json& value, PreopenArgument& out, const Path& path) {
  if (value.is_string()) {
    std::string spec = value.get<std::string>();
    size_t sep = spec.find("::");
    out.host = spec.substr(0, sep);
    out.guest = sep == std::string::npos ? std::string() : spec.substr(sep + 2);
  } else {
    ObjectReader o(value, path);
    if (!(o && o.map("host", out.host) && o.mapOptional("guest", out.guest)))
      return false;
  }
  if (out.host.empty()) {
    path.report("expected a host directory");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, ByteSizeArgument& out, const Path& path) {
  if (!value.is_string())
    return fromJSON(value, out.bytes, path);
  std::string text = value.get<std::string>();
  size_t digits = 0;
  uint64_t number = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) &&
         number <= (UINT64_MAX - 9) / 10)
    number = number * 10 + uint64_t(text[digits++] - '0');
  std::string suffix;
  for (char c : text.substr(digits))
    if (c != ' ')
      suffix += char(std::tolower(static_cast<unsigned char>(c)));
  uint64_t scale = 0;
  if (suffix.empty() || suffix == "b")
    scale = 1;
  else if (suffix == "k" || suffix == "ki" || suffix == "kib" || suffix == "kb")
    scale = uint64_t(1) << 10;
  else if (suffix == "m" || suffix == "mi" || suffix == "mib" || suffix == "mb")
    scale = uint64_t(1) << 20;
  else if (suffix == "g" || suffix == "gi" || suffix == "gib" || suffix == "gb")
    scale = uint64_t(1) << 30;
  if (digits == 0 || scale == 0 || number > UINT64_MAX / scale) {
    path.report("expected a byte size such as 65536, \"64KiB\" or \"16MiB\"");
    return false;
  }
  out.bytes = number * scale;
  return true;
}

bool fromJSON(const json& value, DurationArgument& out, const Path& path) {
  std::optional<std::chrono::nanoseconds> parsed;
  if (value.is_string())
    parsed = runtime::parseDuration(value.get<std::string>());
  if (!parsed) {
    path.report("expected a duration such as \"500ms\", \"30s\" or \"5m\"");
    return false;
  }
  out.value = *parsed;
  return true;
}

bool fromJSON(const json& value, LaunchArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.map("program", out.program) && o.mapOptional("args", out.args) &&
        o.mapOptional("cwd", out.cwd) && o.mapOptional("dirs", out.dirs) &&
        o.mapOptional("stopOnEntry", out.stopOnEntry) && o.mapOptional("fuel", out.fuel) &&
        o.mapOptional("maxMemory", out.maxMemory) &&
        o.mapOptional("maxCallDepth", out.maxCallDepth) &&
        o.mapOptional("timeout", out.timeout) &&
        o.mapOptional("deterministic", out.deterministic) &&
        o.mapOptional("stdin", out.stdinPath) && o.mapOptional("noDebug", out.noDebug)))
    return false;
  if (out.program.empty()) {
    path.field("program").report("expected a non-empty path");
    return false;
  }
  if (o.has("sourceMap")) {
    const json& map = value["sourceMap"];
    Path mapPath = path.field("sourceMap");
    auto pair = [&](const json& build, const json& local, const Path& at) {
      std::string from, to;
      if (!fromJSON(build, from, at) || !fromJSON(local, to, at))
        return false;
      if (from.empty() || to.empty()) {
        at.report("expected a build path and a local path");
        return false;
      }
      out.sourceMap.emplace_back(std::move(from), std::move(to));
      return true;
    };
    if (map.is_object()) {
      for (auto it = map.begin(); it != map.end(); ++it)
        if (!pair(json(it.key()), *it, mapPath.field(it.key())))
          return false;
    } else if (map.is_array()) {
      for (size_t i = 0; i < map.size(); ++i) {
        const json& item = map[i];
        if (!item.is_array() || item.size() != 2) {
          mapPath.index(i).report("expected [build path, local path]");
          return false;
        }
        if (!pair(item[0], item[1], mapPath.index(i)))
          return false;
      }
    } else {
      mapPath.report("expected an array of [build path, local path] pairs, or an object");
      return false;
    }
  }
  if (o.has("env")) {
    const json& env = value["env"];
    Path envPath = path.field("env");
    if (!env.is_object()) {
      envPath.report("expected object");
      return false;
    }
    for (auto it = env.begin(); it != env.end(); ++it) {
      if (it->is_null())
        continue;
      std::string text;
      if (!fromJSON(*it, text, envPath.field(it.key())))
        return false;
      if (it.key().empty() || it.key().find('=') != std::string::npos) {
        envPath.field(it.key()).report("expected a variable name without '='");
        return false;
      }
      out.env.emplace_back(it.key(), std::move(text));
    }
  }
  return true;
}

bool fromJSON(const json& value, SourceArgument& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.mapOptional("name", out.name) && o.mapOptional("path", out.path) &&
         o.mapOptional("sourceReference", out.sourceReference);
}

bool fromJSON(const json& value, SourceBreakpointArgument& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("line", out.line) && o.mapOptional("column", out.column) &&
         o.mapOptional("condition", out.condition) &&
         o.mapOptional("hitCondition", out.hitCondition) &&
         o.mapOptional("logMessage", out.logMessage);
}

bool fromJSON(const json& value, SetBreakpointsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("source", out.source) && o.mapOptional("breakpoints", out.breakpoints) &&
         o.mapOptional("lines", out.lines) && o.mapOptional("sourceModified", out.sourceModified);
}

bool fromJSON(const json& value, FunctionBreakpointArgument& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("name", out.name) && o.mapOptional("condition", out.condition) &&
         o.mapOptional("hitCondition", out.hitCondition);
}

bool fromJSON(const json& value, SetFunctionBreakpointsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("breakpoints", out.breakpoints);
}

bool fromJSON(const json& value, InstructionBreakpointArgument& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("instructionReference", out.instructionReference) &&
         o.mapOptional("offset", out.offset) && o.mapOptional("condition", out.condition) &&
         o.mapOptional("hitCondition", out.hitCondition);
}

bool fromJSON(const json& value, SetInstructionBreakpointsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("breakpoints", out.breakpoints);
}

bool fromJSON(const json& value, DataBreakpointInfoArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("name", out.name) && o.mapOptional("variablesReference", out.variablesReference) &&
         o.mapOptional("frameId", out.frameId) && o.mapOptional("bytes", out.bytes) &&
         o.mapOptional("asAddress", out.asAddress) && o.mapOptional("mode", out.mode);
}

bool fromJSON(const json& value, DataBreakpointArgument& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("dataId", out.dataId) && o.mapOptional("accessType", out.accessType) &&
         o.mapOptional("condition", out.condition) &&
         o.mapOptional("hitCondition", out.hitCondition);
}

bool fromJSON(const json& value, SetDataBreakpointsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("breakpoints", out.breakpoints);
}

bool fromJSON(const json& value, ExceptionFilterOptionArgument& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("filterId", out.filterId) && o.mapOptional("condition", out.condition);
}

bool fromJSON(const json& value, SetExceptionBreakpointsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("filters", out.filters) && o.mapOptional("filterOptions", out.filterOptions);
}

bool fromJSON(const json& value, BreakpointLocationsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("source", out.source) && o.map("line", out.line) &&
         o.mapOptional("endLine", out.endLine);
}

bool fromJSON(const json& value, ThreadArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("threadId", out.threadId) && o.mapOptional("singleThread", out.singleThread);
}

bool fromJSON(const json& value, StepArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.map("threadId", out.threadId) && o.mapOptional("singleThread", out.singleThread) &&
        o.mapOptional("granularity", out.granularity)))
    return false;
  if (out.granularity != "statement" && out.granularity != "line" &&
      out.granularity != "instruction") {
    path.field("granularity").report("expected \"statement\", \"line\" or \"instruction\"");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, StackTraceArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.map("threadId", out.threadId) && o.mapOptional("startFrame", out.startFrame) &&
        o.mapOptional("levels", out.levels)))
    return false;
  if (out.startFrame < 0) {
    path.field("startFrame").report("expected non-negative integer");
    return false;
  }
  if (out.levels < 0) {
    path.field("levels").report("expected non-negative integer");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, ScopesArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("frameId", out.frameId);
}

bool fromJSON(const json& value, VariablesArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.map("variablesReference", out.variablesReference) &&
        o.mapOptional("filter", out.filter) && o.mapOptional("start", out.start) &&
        o.mapOptional("count", out.count)))
    return false;
  if (!out.filter.empty() && out.filter != "named" && out.filter != "indexed") {
    path.field("filter").report("expected \"named\" or \"indexed\"");
    return false;
  }
  if (out.start < 0 || out.count < 0) {
    path.field(out.start < 0 ? "start" : "count").report("expected non-negative integer");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, SetVariableArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("variablesReference", out.variablesReference) && o.map("name", out.name) &&
         o.map("value", out.value);
}

bool fromJSON(const json& value, EvaluateArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("expression", out.expression) && o.mapOptional("frameId", out.frameId) &&
         o.mapOptional("context", out.context);
}

bool fromJSON(const json& value, ReadMemoryArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.map("memoryReference", out.memoryReference) && o.mapOptional("offset", out.offset) &&
        o.map("count", out.count)))
    return false;
  if (out.count < 0) {
    path.field("count").report("expected non-negative integer");
    return false;
  }
  return true;
}

bool fromJSON(const json& value, WriteMemoryArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("memoryReference", out.memoryReference) &&
         o.mapOptional("offset", out.offset) && o.mapOptional("allowPartial", out.allowPartial) &&
         o.map("data", out.data);
}

bool fromJSON(const json& value, ExceptionInfoArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("threadId", out.threadId);
}

bool fromJSON(const json& value, TerminateArguments& out, const Path& path) {
  if (value.is_null())
    return true;
  ObjectReader o(value, path);
  return o && o.mapOptional("restart", out.restart);
}

bool fromJSON(const json& value, DisconnectArguments& out, const Path& path) {
  if (value.is_null())
    return true;
  ObjectReader o(value, path);
  return o && o.mapOptional("restart", out.restart) &&
         o.mapOptional("terminateDebuggee", out.terminateDebuggee) &&
         o.mapOptional("suspendDebuggee", out.suspendDebuggee);
}

bool fromJSON(const json& value, SetExpressionArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.map("expression", out.expression) && o.map("value", out.value) &&
         o.mapOptional("frameId", out.frameId);
}

bool fromJSON(const json& value, CompletionsArguments& out, const Path& path) {
  ObjectReader o(value, path);
  return o && o.mapOptional("frameId", out.frameId) && o.map("text", out.text) &&
         o.map("column", out.column) && o.mapOptional("line", out.line);
}

bool fromJSON(const json& value, SourceArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.mapOptional("source", out.source) &&
        o.mapOptional("sourceReference", out.sourceReference)))
    return false;
  if (out.source && out.source->sourceReference)
    out.sourceReference = out.source->sourceReference;
  return true;
}

bool fromJSON(const json& value, DisassembleArguments& out, const Path& path) {
  ObjectReader o(value, path);
  if (!(o && o.map("memoryReference", out.memoryReference) && o.mapOptional("offset", out.offset) &&
        o.mapOptional("instructionOffset", out.instructionOffset) &&
        o.map("instructionCount", out.instructionCount) &&
        o.mapOptional("resolveSymbols", out.resolveSymbols)))
    return false;
  if (out.instructionCount < 0) {
    path.field("instructionCount").report("expected non-negative integer");
    return false;
  }
  return true;
}

std::optional<uint64_t> parseMemoryReference(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 16)
    return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      return std::nullopt;
    if (value > (UINT64_MAX - uint64_t(digit)) / uint64_t(base))
      return std::nullopt;
    value = value * uint64_t(base) + uint64_t(digit);
  }
  return value;
}

std::string formatMemoryReference(uint64_t address) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%08llx", static_cast<unsigned long long>(address));
  return buffer;
}

namespace {
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string encodeBase64(const uint8_t* data, size_t size) {
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    uint32_t chunk = uint32_t(data[i]) << 16;
    if (i + 1 < size)
      chunk |= uint32_t(data[i + 1]) << 8;
    if (i + 2 < size)
      chunk |= data[i + 2];
    out += kBase64[(chunk >> 18) & 63];
    out += kBase64[(chunk >> 12) & 63];
    out += i + 1 < size ? kBase64[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kBase64[chunk & 63] : '=';
  }
  return out;
}

std::optional<std::vector<uint8_t>> decodeBase64(std::string_view text) {
  auto digit = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '+')
      return 62;
    if (c == '/')
      return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=')
    text.remove_suffix(1);
  std::vector<uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int d = digit(c);
    if (d < 0)
      return std::nullopt;
    bits = (bits << 6) | uint32_t(d);
    if (++count == 4) {
      out.push_back(uint8_t(bits >> 16));
      out.push_back(uint8_t(bits >> 8));
      out.push_back(uint8_t(bits));
      bits = 0;
      count = 0;
    }
  }
  if (count == 1)
    return std::nullopt;
  if (count == 2)
    out.push_back(uint8_t(bits >> 4));
  else if (count == 3) {
    out.push_back(uint8_t(bits >> 10));
    out.push_back(uint8_t(bits >> 2));
  }
  return out;
}

} // namespace wasmscope::dap::protocol
