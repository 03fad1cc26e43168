// Parsing of gdb-remote requests (GDB manual, "Packets" and "General Query
// Packets"; LLDB's docs/lldb-gdb-remote.txt for qHostInfo, qProcessInfo,
// qRegisterInfo, qMemoryRegionInfo, x, jThreadsInfo and the Q* switches;
// LLDB's ProcessWasm for qWasmCallStack, qWasmLocal, qWasmGlobal and
// qWasmStackValue). Numbers in packets are hex except the qWasm* frame and
// index, which LLDB sends in decimal.
#include "Packet.h"

#include "PacketCodec.h"

#include <algorithm>

namespace wasmscope::gdbstub {

namespace {

Error malformed(std::string_view what, std::string_view why) {
  return Error(ErrorCode::InvalidArgument, std::string(what) + ": " + std::string(why));
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

/// Splits "a,b" at the first `sep`; nullopt without one.
std::optional<std::pair<std::string_view, std::string_view>> splitAt(std::string_view s, char sep) {
  size_t at = s.find(sep);
  if (at == std::string_view::npos)
    return std::nullopt;
  return std::pair{s.substr(0, at), s.substr(at + 1)};
}

/// Drops an LLDB thread suffix ";thread:<tid>;" from a register packet.
std::string_view withoutThreadSuffix(std::string_view s, std::optional<uint64_t>& thread) {
  size_t at = s.find(";thread:");
  if (at == std::string_view::npos)
    return s;
  std::string_view tid = s.substr(at + 8);
  if (!tid.empty() && tid.back() == ';')
    tid.remove_suffix(1);
  thread = parseHexNumber(tid);
  return s.substr(0, at);
}

/// "<addr>,<len>" with both in hex.
Result<std::pair<uint64_t, uint64_t>> addressAndLength(std::string_view what, std::string_view s) {
  auto parts = splitAt(s, ',');
  if (!parts)
    return malformed(what, "expected <address>,<length>");
  auto address = parseHexNumber(parts->first);
  auto length = parseHexNumber(parts->second);
  if (!address)
    return malformed(what, "bad address '" + std::string(parts->first.substr(0, 32)) + "'");
  if (!length)
    return malformed(what, "bad length '" + std::string(parts->second.substr(0, 32)) + "'");
  return std::pair{*address, *length};
}

/// A thread id as gdb writes it: hex, "-1" (all) or "0" (any); "pP.T" with
/// the multiprocess extension.
std::optional<uint64_t> parseThreadId(std::string_view s) {
  if (s == "-1")
    return UINT64_MAX;
  if (startsWith(s, "p")) {
    auto dot = s.find('.');
    if (dot == std::string_view::npos)
      return std::nullopt;
    s = s.substr(dot + 1);
    if (s == "-1")
      return UINT64_MAX;
  }
  return parseHexNumber(s);
}

Result<Request> parseWasmQuery(RequestKind kind, std::string_view what, std::string_view args) {
  // "<frame>;<index>", decimal.
  auto parts = splitAt(args, ';');
  if (!parts)
    return malformed(what, "expected <frame>;<index>");
  auto frame = parseDecimal(parts->first);
  auto index = parseDecimal(parts->second);
  if (!frame || !index)
    return malformed(what, "frame and index must be decimal numbers");
  Request r;
  r.kind = kind;
  r.frame = *frame;
  r.index = *index;
  return r;
}

Result<Request> parseResume(std::string_view what, char action, std::string_view rest) {
  Request r;
  r.kind = (action == 'c' || action == 'C') ? RequestKind::Continue : RequestKind::Step;
  if (action == 'C' || action == 'S') {
    if (rest.size() < 2)
      return malformed(what, "expected a two-digit signal number");
    auto sig = parseHexNumber(rest.substr(0, 2));
    if (!sig)
      return malformed(what, "bad signal number");
    r.signal = uint8_t(*sig);
    rest.remove_prefix(2);
    if (!rest.empty() && rest.front() == ';')
      rest.remove_prefix(1);
  }
  if (!rest.empty())
    return malformed(what, "resuming at another address is not supported");
  return r;
}

Result<Request> parseVCont(std::string_view args) {
  // vCont;action[:thread];action...: the first action naming our thread or
  // no thread applies (gdb applies the leftmost that matches).
  Request chosen;
  bool found = false;
  while (!args.empty()) {
    if (args.front() != ';')
      return malformed("vCont", "expected ';' before an action");
    args.remove_prefix(1);
    size_t end = args.find(';');
    std::string_view item = args.substr(0, end);
    args = end == std::string_view::npos ? std::string_view() : args.substr(end);
    std::string_view action = item, thread;
    if (auto parts = splitAt(item, ':')) {
      action = parts->first;
      thread = parts->second;
      if (!parseThreadId(thread))
        return malformed("vCont", "bad thread id");
    }
    if (action.empty())
      return malformed("vCont", "empty action");
    char a = action.front();
    if (a == 't' || a == 'r')
      continue; // Stop and range-step: not used for wasm.
    if (a != 'c' && a != 'C' && a != 's' && a != 'S')
      return malformed("vCont", "unknown action '" + std::string(1, a) + "'");
    auto r = parseResume("vCont", a, action.substr(1));
    if (!r.ok())
      return r;
    if (!found) {
      chosen = std::move(*r);
      found = true;
    }
  }
  if (!found)
    return malformed("vCont", "no continue or step action");
  return chosen;
}

Result<Request> parsePoint(bool insert, std::string_view args) {
  std::string_view what = insert ? "Z" : "z";
  // <type>,<addr>,<kind>[;cond_list...]
  size_t semi = args.find(';');
  if (semi != std::string_view::npos)
    args = args.substr(0, semi);
  auto typeAndRest = splitAt(args, ',');
  if (!typeAndRest)
    return malformed(what, "expected <type>,<address>,<kind>");
  auto type = parseHexNumber(typeAndRest->first);
  if (!type)
    return malformed(what, "bad type");
  Request r;
  if (*type > 4)
    return r; // Unsupported: the empty reply.
  TRY_ASSIGN(auto al, addressAndLength(what, typeAndRest->second));
  r.kind = insert ? RequestKind::InsertPoint : RequestKind::RemovePoint;
  r.pointType = PointType(*type);
  r.address = al.first;
  r.length = al.second;
  return r;
}

} // namespace

// --- Hex -----------------------------------------------------------------------

std::string toHex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    uint8_t c = uint8_t(ch);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string toHex(const std::vector<uint8_t>& bytes) {
  return toHex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string hexNumber(uint64_t value) {
  static const char* kHex = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), kHex[value & 15]);
    value >>= 4;
  } while (value);
  return s;
}

std::string toHexLittleEndian(uint64_t value, size_t bytes) {
  std::string raw;
  for (size_t i = 0; i < bytes; ++i)
    raw += char(uint8_t(value >> (8 * i)));
  return toHex(raw);
}

std::optional<std::vector<uint8_t>> fromHex(std::string_view hex) {
  if (hex.size() % 2)
    return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hexDigit(hex[i]), lo = hexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out.push_back(uint8_t(hi << 4 | lo));
  }
  return out;
}

std::optional<uint64_t> parseHexNumber(std::string_view text) {
  if (text.empty() || text.size() > 16)
    return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    int d = hexDigit(c);
    if (d < 0)
      return std::nullopt;
    v = v << 4 | uint64_t(d);
  }
  return v;
}

std::optional<uint32_t> parseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 10)
    return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v > UINT32_MAX)
    return std::nullopt;
  return uint32_t(v);
}

// --- Requests ---------------------------------------------------------------------

Result<Request> parseRequest(std::string_view p) {
  Request r;
  if (p.empty())
    return r;

  // Exact names first.
  struct Exact {
    std::string_view name;
    RequestKind kind;
  };
  static constexpr Exact kExact[] = {
      {"?", RequestKind::StopReason},
      {"QStartNoAckMode", RequestKind::StartNoAckMode},
      {"QEnableErrorStrings", RequestKind::EnableErrorStrings},
      {"QThreadSuffixSupported", RequestKind::ThreadSuffixSupported},
      {"QListThreadsInStopReply", RequestKind::ListThreadsInStopReply},
      {"qHostInfo", RequestKind::HostInfo},
      {"qProcessInfo", RequestKind::ProcessInfo},
      {"qC", RequestKind::CurrentThread},
      {"qfThreadInfo", RequestKind::ThreadListFirst},
      {"qsThreadInfo", RequestKind::ThreadListNext},
      {"qGDBServerVersion", RequestKind::GdbServerVersion},
      {"qWatchpointSupportInfo", RequestKind::WatchpointSupportInfo},
      {"qWatchpointSupportInfo:", RequestKind::WatchpointSupportInfo},
      {"vCont?", RequestKind::ContinueQuery},
      {"k", RequestKind::Kill},
      {"D", RequestKind::Detach},
      {"qWasmCallStack", RequestKind::WasmCallStack},
      {"qMemoryRegionInfo", RequestKind::MemoryRegionInfo},
  };
  for (const Exact& e : kExact)
    if (p == e.name) {
      r.kind = e.kind;
      if (e.kind == RequestKind::MemoryRegionInfo)
        r.text = "probe";
      return r;
    }

  if (p == "qAttached" || startsWith(p, "qAttached:")) {
    r.kind = RequestKind::Attached;
    return r;
  }
  if (p == "qSupported" || startsWith(p, "qSupported:")) {
    r.kind = RequestKind::Supported;
    r.text = std::string(p.size() > 11 ? p.substr(11) : std::string_view());
    return r;
  }
  if (startsWith(p, "qRegisterInfo")) {
    auto n = parseHexNumber(p.substr(13));
    if (!n || *n > UINT32_MAX)
      return malformed("qRegisterInfo", "bad register number");
    r.kind = RequestKind::RegisterInfo;
    r.reg = uint32_t(*n);
    return r;
  }
  if (startsWith(p, "qThreadStopInfo")) {
    auto tid = parseHexNumber(p.substr(15));
    if (!tid)
      return malformed("qThreadStopInfo", "bad thread id");
    r.kind = RequestKind::ThreadStopInfo;
    r.thread = *tid;
    return r;
  }
  if (startsWith(p, "qMemoryRegionInfo:")) {
    auto a = parseHexNumber(p.substr(18));
    if (!a)
      return malformed("qMemoryRegionInfo", "bad address");
    r.kind = RequestKind::MemoryRegionInfo;
    r.address = *a;
    return r;
  }
  if (startsWith(p, "qXfer:")) {
    // qXfer:object:read:annex:offset,length
    std::string_view rest = p.substr(6);
    if (!startsWith(rest, "libraries:read:"))
      return r; // Other objects: not supported.
    rest.remove_prefix(15);
    auto annexAndRange = splitAt(rest, ':');
    if (!annexAndRange)
      return malformed("qXfer:libraries:read", "expected <annex>:<offset>,<length>");
    TRY_ASSIGN(auto range, addressAndLength("qXfer:libraries:read", annexAndRange->second));
    r.kind = RequestKind::ReadLibraries;
    r.address = range.first;
    r.length = range.second;
    return r;
  }
  if (p == "qWasmCallStack" || startsWith(p, "qWasmCallStack:")) {
    r.kind = RequestKind::WasmCallStack;
    if (p.size() > 15) {
      auto tid = parseHexNumber(p.substr(15));
      if (!tid)
        return malformed("qWasmCallStack", "bad thread id");
      r.thread = *tid;
    }
    return r;
  }
  if (startsWith(p, "qWasmLocal:"))
    return parseWasmQuery(RequestKind::WasmLocal, "qWasmLocal", p.substr(11));
  if (startsWith(p, "qWasmGlobal:"))
    return parseWasmQuery(RequestKind::WasmGlobal, "qWasmGlobal", p.substr(12));
  if (startsWith(p, "qWasmStackValue:"))
    return parseWasmQuery(RequestKind::WasmStackValue, "qWasmStackValue", p.substr(16));
  if (startsWith(p, "qRcmd,")) {
    auto bytes = fromHex(p.substr(6));
    if (!bytes)
      return malformed("qRcmd", "the command must be hex-encoded");
    r.kind = RequestKind::Monitor;
    r.text.assign(bytes->begin(), bytes->end());
    return r;
  }
  if (p == "vCont?") {
    r.kind = RequestKind::ContinueQuery;
    return r;
  }
  if (startsWith(p, "vCont;"))
    return parseVCont(p.substr(5));
  if (p == "vKill" || startsWith(p, "vKill;")) {
    r.kind = RequestKind::Kill;
    return r;
  }
  if (p[0] == 'q' || p[0] == 'Q' || p[0] == 'v' || p[0] == 'j' || p[0] == '_')
    return r; // Unknown queries and extensions: not supported.

  char c = p[0];
  std::string_view args = p.substr(1);
  switch (c) {
  case 'm':
  case 'x': {
    TRY_ASSIGN(auto al, addressAndLength(std::string(1, c), args));
    if (al.second > kMaxMemoryRead)
      return malformed(std::string(1, c), "reads are limited to " +
                                              std::to_string(kMaxMemoryRead) + " bytes");
    r.kind = c == 'm' ? RequestKind::ReadMemory : RequestKind::ReadMemoryBinary;
    r.address = al.first;
    r.length = al.second;
    return r;
  }
  case 'M':
  case 'X': {
    auto parts = splitAt(args, ':');
    if (!parts)
      return malformed(std::string(1, c), "expected <address>,<length>:<data>");
    TRY_ASSIGN(auto al, addressAndLength(std::string(1, c), parts->first));
    if (c == 'M') {
      auto bytes = fromHex(parts->second);
      if (!bytes)
        return malformed("M", "the data must be hex digits");
      r.data = std::move(*bytes);
    } else {
      r.data.assign(parts->second.begin(), parts->second.end());
    }
    if (r.data.size() != al.second)
      return malformed(std::string(1, c), "the data holds " + std::to_string(r.data.size()) +
                                              " bytes, the length says " +
                                              std::to_string(al.second));
    r.kind = c == 'M' ? RequestKind::WriteMemory : RequestKind::WriteMemoryBinary;
    r.address = al.first;
    r.length = al.second;
    return r;
  }
  case 'p': {
    std::string_view n = withoutThreadSuffix(args, r.thread);
    auto reg = parseHexNumber(n);
    if (!reg || *reg > UINT32_MAX)
      return malformed("p", "bad register number");
    r.kind = RequestKind::ReadRegister;
    r.reg = uint32_t(*reg);
    return r;
  }
  case 'P': {
    std::string_view body = withoutThreadSuffix(args, r.thread);
    auto parts = splitAt(body, '=');
    if (!parts)
      return malformed("P", "expected <register>=<value>");
    auto reg = parseHexNumber(parts->first);
    auto value = fromHex(parts->second);
    if (!reg || *reg > UINT32_MAX || !value)
      return malformed("P", "bad register number or value");
    r.kind = RequestKind::WriteRegister;
    r.reg = uint32_t(*reg);
    r.data = std::move(*value);
    return r;
  }
  case 'g':
    withoutThreadSuffix(args, r.thread);
    r.kind = RequestKind::ReadRegisters;
    return r;
  case 'G':
    r.kind = RequestKind::WriteRegisters;
    return r;
  case 'Z':
  case 'z':
    return parsePoint(c == 'Z', args);
  case 'c':
  case 's':
  case 'C':
  case 'S':
    return parseResume(std::string(1, c), c, args);
  case 'D': {
    // "D" or "D;<pid>".
    if (!args.empty() && (args[0] != ';' || !parseHexNumber(args.substr(1))))
      return malformed("D", "expected D or D;<pid>");
    r.kind = RequestKind::Detach;
    return r;
  }
  case 'H': {
    if (args.size() < 2 || (args[0] != 'g' && args[0] != 'c'))
      return malformed("H", "expected Hg<thread> or Hc<thread>");
    auto tid = parseThreadId(args.substr(1));
    if (!tid)
      return malformed("H", "bad thread id");
    r.kind = RequestKind::SetThread;
    r.thread = *tid;
    return r;
  }
  case 'T': {
    auto tid = parseThreadId(args);
    if (!tid)
      return malformed("T", "bad thread id");
    r.kind = RequestKind::ThreadAlive;
    r.thread = *tid;
    return r;
  }
  default:
    return r; // Unsupported.
  }
}

} // namespace wasmscope::gdbstub
