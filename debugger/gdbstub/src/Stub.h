// The gdb-remote stub's answers: one GdbStub per client connection turns
// parsed requests into debugger::Session calls and reply payloads. It owns
// what the protocol keeps per connection (no-ack mode, error strings, the
// breakpoints and watchpoints the client inserted) and knows how LLDB's
// WebAssembly plug-in addresses things (AddressSpace). The handlers are
// split by area: queries (QueryHandlers.cpp), memory (MemoryHandlers.cpp),
// execution, breakpoints and stop replies (ExecutionHandlers.cpp), and
// monitor commands (MonitorCommands.cpp). Nothing here touches sockets.
#pragma once

#include "Packet.h"
#include "PacketCodec.h"
#include "wasmscope/session/Session.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace wasmscope::gdbstub {

/// LLDB's 64-bit encoding of wasm addresses (ProcessWasm's wasm_addr_t):
/// bits 62-63 the space (0 linear memory, 1 a module's bytes), bits 32-61
/// the module id, bits 0-31 the offset. The one module has id 0, so its
/// bytes start at 0x4000000000000000 and a code offset X of the debug info
/// is at 0x4000000000000000 + codeSectionOffset + X.
struct AddressSpace {
  static constexpr uint64_t kModuleBase = uint64_t(1) << 62;
  enum class Kind : uint8_t { Memory, Module, Invalid };
  struct Decoded {
    Kind kind = Kind::Invalid;
    uint64_t offset = 0;
  };
  static Decoded decode(uint64_t address);
  /// The LLDB address of code offset `codeOffset`.
  uint64_t codeAddress(uint32_t codeOffset) const { return kModuleBase + codeSectionOffset + codeOffset; }
  /// The code offset of an LLDB module address, if it is in the code section.
  std::optional<uint32_t> codeOffsetOf(uint64_t address) const;

  /// A function's DWARF entry (DW_AT_low_pc: its local declarations) for
  /// an address at its first instruction, where the guest is when it has
  /// just been entered: LLDB recognises a function entry (and skips the
  /// prologue when stepping in) only at its low_pc.
  uint32_t reportedOffset(uint32_t codeOffset) const;
  /// The inverse for breakpoints: LLDB's low_pc is not an instruction.
  uint32_t instructionOffset(uint32_t codeOffset) const;

  uint64_t codeSectionOffset = 0;
  uint64_t codeSectionEnd = 0; ///< Exclusive, module-relative.
  uint64_t moduleSize = 0;
  /// First instruction -> low_pc, and back, for every defined function.
  std::map<uint32_t, uint32_t> entryOfBody;
  std::map<uint32_t, uint32_t> bodyOfEntry;
};

/// How many watchpoints a client may have at once (qWatchpointSupportInfo).
/// The runtime has no hardware limit; this keeps a client's set small.
inline constexpr uint32_t kMaxWatchpoints = 64;

/// What a handler asks of the connection besides sending its reply.
enum class Followup : uint8_t {
  None,
  AwaitStop, ///< The guest was resumed: the reply is the next stop reply.
  Close,     ///< Send the reply, then end the connection (detach, kill).
};

struct Reply {
  Reply() = default;
  Reply(std::string text, Followup then = Followup::None)
      : payload(std::move(text)), followup(then) {}
  Reply(const char* text) : payload(text) {}

  std::string payload;
  Followup followup = Followup::None;
  /// Console output to send before the reply (`O` packets, for monitor
  /// commands), already hex-encoded per packet.
  std::vector<std::string> output;
  /// Whether `payload` holds binary bytes (x and qXfer): it is sent as is,
  /// escaped by the framing.
  bool binary = false;
};

class MonitorCommands;
struct MonitorBackends;

class GdbStub {
public:
  /// `moduleName` is what LLDB is told the module is called (qXfer:libraries).
  GdbStub(debugger::Session& session, std::string moduleName);
  ~GdbStub();

  /// Answers one request.
  Reply handle(const Request& request);
  /// The reply for a malformed packet or a failed request.
  std::string errorReply(uint8_t code, const std::string& message) const;

  /// The stop reply for the session's current stop, or for an exit.
  std::string stopReply(const debugger::StoppedEvent& stop);
  std::string exitReply(uint32_t exitCode) const;

  /// What answers the monitor commands (the profilers, when present).
  void setMonitorBackends(MonitorBackends backends);

  bool noAckMode() const { return m_noAck; }
  /// Removes every breakpoint and watchpoint the client inserted (detach,
  /// or a client that went away).
  void clearPoints();

private:
  friend class MonitorCommands;

  // QueryHandlers.cpp
  Reply supported(const Request& r);
  Reply hostInfo() const;
  Reply processInfo() const;
  Reply registerInfo(uint32_t reg) const;
  Reply readRegister(uint32_t reg);
  Reply libraries(uint64_t offset, uint64_t length) const;
  Reply wasmCallStack();
  Reply wasmValue(RequestKind kind, uint32_t frame, uint32_t index);
  Reply threadStopInfo();

  // MemoryHandlers.cpp
  Reply readMemory(uint64_t address, uint64_t length, bool binary);
  Reply writeMemory(uint64_t address, const std::vector<uint8_t>& data);
  Reply memoryRegionInfo(const Request& r) const;

  // ExecutionHandlers.cpp
  Reply insertPoint(const Request& r);
  Reply removePoint(const Request& r);
  Reply resume(bool step);
  Reply kill();
  Reply detach();
  /// The pc of the innermost frame as LLDB addresses it (0 when unknown).
  uint64_t currentPc();
  Result<std::vector<debugger::Breakpoint>> syncBreakpoints();
  Result<void> syncWatchpoints();

  // MonitorCommands.cpp
  Reply monitor(const std::string& command);

  debugger::Session& m_session;
  std::string m_moduleName;
  AddressSpace m_space;
  bool m_noAck = false;
  bool m_errorStrings = false;
  /// Code offsets with a client breakpoint (Z0/Z1).
  std::map<uint32_t, uint32_t> m_breakpoints; ///< code offset -> insert count
  /// Client watchpoints (Z2/Z3/Z4) by (address, length, type).
  std::map<std::tuple<uint64_t, uint64_t, PointType>, uint32_t> m_watchpoints;
  /// The data breakpoint ids the session gave the watchpoints, in order.
  std::map<debugger::BreakpointId, uint64_t> m_watchAddressOf;
  std::unique_ptr<MonitorCommands> m_monitor;
};

} // namespace wasmscope::gdbstub
