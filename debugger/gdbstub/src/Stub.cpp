// GdbStub: request dispatch, error replies, and LLDB's wasm address space.
#include "Stub.h"

#include "MonitorCommands.h"

namespace wasmscope::gdbstub {

// --- Addresses ---------------------------------------------------------------------

AddressSpace::Decoded AddressSpace::decode(uint64_t address) {
  uint64_t space = address >> 62;
  uint64_t module = (address >> 32) & ((uint64_t(1) << 30) - 1);
  uint64_t offset = address & 0xffffffffu;
  // Only module 0 exists.
  if (module != 0)
    return {};
  if (space == 0)
    return {Kind::Memory, offset};
  if (space == 1)
    return {Kind::Module, offset};
  return {};
}

std::optional<uint32_t> AddressSpace::codeOffsetOf(uint64_t address) const {
  Decoded d = decode(address);
  if (d.kind != Kind::Module || d.offset < codeSectionOffset || d.offset >= codeSectionEnd)
    return std::nullopt;
  return uint32_t(d.offset - codeSectionOffset);
}

uint32_t AddressSpace::reportedOffset(uint32_t codeOffset) const {
  auto it = entryOfBody.find(codeOffset);
  return it == entryOfBody.end() ? codeOffset : it->second;
}

uint32_t AddressSpace::instructionOffset(uint32_t codeOffset) const {
  auto it = bodyOfEntry.find(codeOffset);
  return it == bodyOfEntry.end() ? codeOffset : it->second;
}

// --- The stub -----------------------------------------------------------------------

GdbStub::GdbStub(debugger::Session& session, std::string moduleName)
    : m_session(session), m_moduleName(std::move(moduleName)),
      m_monitor(std::make_unique<MonitorCommands>()) {
  if (const runtime::Module* module = session.module()) {
    m_space.codeSectionOffset = module->codeSectionOffset;
    m_space.moduleSize = module->bytes.size();
    m_space.codeSectionEnd = module->bytes.size();
    // The code section ends where the next section begins.
    for (const auto& section : module->sections)
      if (section.id == 10)
        m_space.codeSectionEnd = section.contents.end;
    // A body starts with its size (LEB128), then the local declarations,
    // where DWARF's low_pc points.
    for (const runtime::Code& code : module->codes) {
      uint32_t at = code.whole.begin;
      while (at < code.body.begin && at < module->bytes.size() && (module->bytes[at] & 0x80))
        ++at;
      uint32_t lowPc = at + 1 - module->codeSectionOffset;
      uint32_t first = code.body.begin - module->codeSectionOffset;
      if (lowPc < first) {
        m_space.entryOfBody[first] = lowPc;
        m_space.bodyOfEntry[lowPc] = first;
      }
    }
  }
}

GdbStub::~GdbStub() = default;

std::string GdbStub::errorReply(uint8_t code, const std::string& message) const {
  static const char* kHex = "0123456789abcdef";
  std::string out = "E";
  out += kHex[code >> 4];
  out += kHex[code & 15];
  // LLDB's QEnableErrorStrings: "Exx;" then the message in hex.
  if (m_errorStrings && !message.empty())
    out += ";" + toHex(message);
  return out;
}

Reply GdbStub::handle(const Request& r) {
  auto failed = [&](const Error& e) { return Reply{errorReply(0x01, e.message)}; };
  switch (r.kind) {
  case RequestKind::Unsupported:
    return {};
  case RequestKind::StopReason: {
    std::optional<debugger::StoppedEvent> stop = m_session.currentStop();
    if (stop)
      return {stopReply(*stop)};
    if (std::optional<uint32_t> code = m_session.exitCode())
      return {exitReply(*code)};
    return {errorReply(0x02, "the guest is running")};
  }
  case RequestKind::Supported:
    return supported(r);
  case RequestKind::StartNoAckMode:
    m_noAck = true;
    return {"OK"};
  case RequestKind::EnableErrorStrings:
    m_errorStrings = true;
    return {"OK"};
  case RequestKind::ThreadSuffixSupported:
  case RequestKind::ListThreadsInStopReply:
    return {"OK"};
  case RequestKind::HostInfo:
    return hostInfo();
  case RequestKind::ProcessInfo:
    return processInfo();
  case RequestKind::CurrentThread:
    return {"QC1"};
  case RequestKind::ThreadListFirst:
    return {"m1"};
  case RequestKind::ThreadListNext:
    return {"l"};
  case RequestKind::Attached:
    return {"1"}; // Detaching leaves the guest running; killing ends it.
  case RequestKind::GdbServerVersion:
    return {"name:wasmscope;version:" WASMSCOPE_GDBSTUB_VERSION ";"};
  case RequestKind::RegisterInfo:
    return registerInfo(r.reg);
  case RequestKind::ReadRegister:
    return readRegister(r.reg);
  case RequestKind::ReadRegisters:
    return readRegister(0);
  case RequestKind::WriteRegister:
  case RequestKind::WriteRegisters:
    return {errorReply(0x03, "the pc of a wasm guest cannot be written")};
  case RequestKind::ThreadStopInfo:
    return threadStopInfo();
  case RequestKind::MemoryRegionInfo:
    return memoryRegionInfo(r);
  case RequestKind::ReadLibraries:
    return libraries(r.address, r.length);
  case RequestKind::ReadMemory:
  case RequestKind::ReadMemoryBinary:
    return readMemory(r.address, r.length, r.kind == RequestKind::ReadMemoryBinary);
  case RequestKind::WriteMemory:
  case RequestKind::WriteMemoryBinary:
    return writeMemory(r.address, r.data);
  case RequestKind::InsertPoint:
    return insertPoint(r);
  case RequestKind::RemovePoint:
    return removePoint(r);
  case RequestKind::ContinueQuery:
    return {"vCont;c;C;s;S"};
  case RequestKind::Continue:
    return resume(false);
  case RequestKind::Step:
    return resume(true);
  case RequestKind::Kill:
    return kill();
  case RequestKind::Detach:
    return detach();
  case RequestKind::SetThread:
  case RequestKind::ThreadAlive:
    // One guest thread, id 1; "all" (-1) and "any" (0) name it too.
    if (r.thread && *r.thread != 1 && *r.thread != 0 && *r.thread != UINT64_MAX)
      return {errorReply(0x04, "no thread " + std::to_string(*r.thread) + ": the guest has one, 1")};
    return {"OK"};
  case RequestKind::WatchpointSupportInfo:
    return {"num:" + std::to_string(kMaxWatchpoints) + ";"};
  case RequestKind::WasmCallStack:
    return wasmCallStack();
  case RequestKind::WasmLocal:
  case RequestKind::WasmGlobal:
  case RequestKind::WasmStackValue:
    return wasmValue(r.kind, r.frame, r.index);
  case RequestKind::Monitor:
    return monitor(r.text);
  }
  return failed(Error(ErrorCode::InvalidArgument, "unhandled request"));
}

} // namespace wasmscope::gdbstub
