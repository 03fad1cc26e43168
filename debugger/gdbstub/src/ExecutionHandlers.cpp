// Running and stopping: breakpoints (Z0/Z1) become the session's
// instruction breakpoints, watchpoints (Z2/Z3/Z4) its data breakpoints (the
// runtime's memory watches), continue and step its resume and one-
// instruction stepIn; and each stop becomes a stop reply whose keys tell
// LLDB why: a breakpoint, a finished step, a watchpoint with its address, a
// trap as a signal with the trap's message.
#include "Stub.h"

#include <iterator>

namespace wasmscope::gdbstub {

namespace {

// Signal numbers LLDB shows (the same on Linux and Darwin).
constexpr uint8_t kSigInt = 2, kSigIll = 4, kSigTrap = 5, kSigAbrt = 6, kSigFpe = 8,
                  kSigSegv = 11, kSigXcpu = 24;

uint8_t signalForTrap(std::optional<runtime::ErrorCode> code) {
  if (!code)
    return kSigAbrt;
  switch (*code) {
  case ErrorCode::OutOfBoundsMemoryAccess:
  case ErrorCode::OutOfBoundsTableAccess:
  case ErrorCode::CallStackExhausted:
  case ErrorCode::MemoryLimitExceeded:
    return kSigSegv;
  case ErrorCode::IntegerDivideByZero:
  case ErrorCode::IntegerOverflow:
  case ErrorCode::InvalidConversionToInteger:
    return kSigFpe;
  case ErrorCode::Unreachable:
  case ErrorCode::UndefinedElement:
  case ErrorCode::UninitializedElement:
  case ErrorCode::IndirectCallTypeMismatch:
    return kSigIll;
  case ErrorCode::OutOfFuel:
    return kSigXcpu;
  default:
    return kSigAbrt;
  }
}

debugger::DataAccessType accessOf(PointType t) {
  switch (t) {
  case PointType::ReadWatch:
    return debugger::DataAccessType::Read;
  case PointType::AccessWatch:
    return debugger::DataAccessType::ReadWrite;
  default:
    return debugger::DataAccessType::Write;
  }
}

bool isWatch(PointType t) {
  return t == PointType::WriteWatch || t == PointType::ReadWatch || t == PointType::AccessWatch;
}

} // namespace

uint64_t GdbStub::currentPc() {
  auto frames = m_session.wasmFrames();
  if (!frames.ok() || frames->empty())
    return 0;
  return m_space.codeAddress(m_space.reportedOffset(frames->front().address));
}

std::string GdbStub::stopReply(const debugger::StoppedEvent& stop) {
  using debugger::StopReason;
  uint8_t signal = kSigTrap;
  std::string keys;
  switch (stop.reason) {
  case StopReason::Entry:
    break;
  case StopReason::Breakpoint:
  case StopReason::FunctionBreakpoint:
  case StopReason::InstructionBreakpoint:
    keys = "reason:breakpoint;";
    break;
  case StopReason::Step:
    keys = "reason:trace;";
    break;
  case StopReason::Pause:
    signal = kSigInt;
    keys = "reason:signal;";
    break;
  case StopReason::Exception:
    signal = signalForTrap(stop.trap);
    keys = "reason:exception;description:" + toHex("trap: " + stop.text) + ";";
    break;
  case StopReason::DataBreakpoint: {
    // LLDB finds its watchpoint by the address it inserted.
    uint64_t address = stop.dataAccess ? stop.dataAccess->address : 0;
    std::string key = "watch";
    if (!stop.hitBreakpointIds.empty()) {
      auto it = m_watchAddressOf.find(stop.hitBreakpointIds.front());
      if (it != m_watchAddressOf.end())
        address = it->second;
    }
    for (const auto& [k, count] : m_watchpoints)
      if (std::get<0>(k) == address)
        key = std::get<2>(k) == PointType::ReadWatch     ? "rwatch"
              : std::get<2>(k) == PointType::AccessWatch ? "awatch"
                                                         : "watch";
    keys = key + ":" + hexNumber(address) + ";";
    break;
  }
  }
  static const char* kHex = "0123456789abcdef";
  std::string out = "T";
  out += kHex[signal >> 4];
  out += kHex[signal & 15];
  uint64_t pc = currentPc();
  out += "thread:1;name:main;threads:1;thread-pcs:" + hexNumber(pc) + ";";
  out += "00:" + toHexLittleEndian(pc, 8) + ";";
  out += keys;
  return out;
}

std::string GdbStub::exitReply(uint32_t exitCode) const {
  // W carries 8 bits, as a process's exit status does.
  static const char* kHex = "0123456789abcdef";
  uint8_t code = uint8_t(std::min<uint32_t>(exitCode, 255));
  std::string out = "W";
  out += kHex[code >> 4];
  out += kHex[code & 15];
  return out;
}

Result<std::vector<debugger::Breakpoint>> GdbStub::syncBreakpoints() {
  std::vector<debugger::InstructionBreakpoint> list;
  for (const auto& [offset, count] : m_breakpoints)
    list.push_back({offset, 0, {}, {}});
  return m_session.setInstructionBreakpoints(list);
}

Result<void> GdbStub::syncWatchpoints() {
  std::vector<debugger::DataBreakpoint> list;
  std::vector<uint64_t> addresses;
  for (const auto& [key, count] : m_watchpoints) {
    auto [address, length, type] = key;
    list.push_back({address, length, accessOf(type), {}, {}});
    addresses.push_back(address);
  }
  TRY_ASSIGN(auto placed, m_session.setDataBreakpoints(list));
  m_watchAddressOf.clear();
  for (size_t i = 0; i < placed.size() && i < addresses.size(); ++i)
    m_watchAddressOf[placed[i].id] = addresses[i];
  return {};
}

Reply GdbStub::insertPoint(const Request& r) {
  if (isWatch(r.pointType)) {
    AddressSpace::Decoded at = AddressSpace::decode(r.address);
    if (at.kind != AddressSpace::Kind::Memory)
      return {errorReply(0x0a, "watchpoints watch linear memory (addresses below 4 GiB)")};
    if (r.length == 0 || r.length > (uint64_t(1) << 32) - at.offset)
      return {errorReply(0x0a, "a watchpoint needs 1 to 4 GiB of linear memory")};
    auto key = std::tuple{at.offset, r.length, r.pointType};
    if (!m_watchpoints.count(key) && m_watchpoints.size() >= kMaxWatchpoints)
      return {errorReply(0x0b, "at most " + std::to_string(kMaxWatchpoints) + " watchpoints")};
    ++m_watchpoints[key];
    if (Result<void> ok = syncWatchpoints(); !ok.ok()) {
      if (--m_watchpoints[key] == 0)
        m_watchpoints.erase(key);
      return {errorReply(0x0a, ok.error().message)};
    }
    return {"OK"};
  }
  std::optional<uint32_t> offset = m_space.codeOffsetOf(r.address);
  if (!offset)
    return {errorReply(0x0c, "breakpoints go on code addresses (the module's code section)")};
  offset = m_space.instructionOffset(*offset);
  ++m_breakpoints[*offset];
  auto placed = syncBreakpoints();
  bool verified = false;
  std::string message = "cannot place a breakpoint at code offset 0x" + hexNumber(*offset);
  if (placed.ok()) {
    // One result per breakpoint, in the order of m_breakpoints.
    size_t i = size_t(std::distance(m_breakpoints.begin(), m_breakpoints.find(*offset)));
    if (i < placed->size()) {
      verified = (*placed)[i].verified;
      if (!(*placed)[i].message.empty())
        message = (*placed)[i].message;
    }
  } else {
    message = placed.error().message;
  }
  if (!verified) {
    if (--m_breakpoints[*offset] == 0)
      m_breakpoints.erase(*offset);
    (void)syncBreakpoints();
    return {errorReply(0x0c, message)};
  }
  return {"OK"};
}

Reply GdbStub::removePoint(const Request& r) {
  if (isWatch(r.pointType)) {
    AddressSpace::Decoded at = AddressSpace::decode(r.address);
    auto it = m_watchpoints.find(std::tuple{at.offset, r.length, r.pointType});
    if (at.kind != AddressSpace::Kind::Memory || it == m_watchpoints.end())
      return {"OK"};
    if (--it->second == 0)
      m_watchpoints.erase(it);
    if (Result<void> ok = syncWatchpoints(); !ok.ok())
      return {errorReply(0x0a, ok.error().message)};
    return {"OK"};
  }
  std::optional<uint32_t> offset = m_space.codeOffsetOf(r.address);
  if (offset)
    offset = m_space.instructionOffset(*offset);
  auto it = offset ? m_breakpoints.find(*offset) : m_breakpoints.end();
  if (it == m_breakpoints.end())
    return {"OK"};
  if (--it->second == 0)
    m_breakpoints.erase(it);
  if (auto ok = syncBreakpoints(); !ok.ok())
    return {errorReply(0x0c, ok.error().message)};
  return {"OK"};
}

void GdbStub::clearPoints() {
  m_breakpoints.clear();
  m_watchpoints.clear();
  (void)syncBreakpoints();
  (void)syncWatchpoints();
}

Reply GdbStub::resume(bool step) {
  Result<void> r = step ? m_session.stepIn(debugger::StepGranularity::Instruction)
                        : m_session.resume();
  if (!r.ok())
    return {errorReply(0x0d, r.error().message)};
  return {"", Followup::AwaitStop};
}

Reply GdbStub::kill() {
  if (m_session.state() != debugger::SessionState::Exited) {
    (void)m_session.terminate();
    m_session.waitForExit();
  }
  return {"X09", Followup::Close};
}

Reply GdbStub::detach() {
  clearPoints();
  // Nobody would resume the guest from a trap stop any more.
  (void)m_session.setExceptionBreakpoints({});
  if (m_session.currentStop())
    (void)m_session.resume();
  return {"OK", Followup::Close};
}

} // namespace wasmscope::gdbstub
