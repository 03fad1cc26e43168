// The stub's answers to queries: features, host and process, the one
// register (the pc), the module list, and the wasm state LLDB's WebAssembly
// plug-in reads (qWasmCallStack, qWasmLocal, qWasmGlobal, qWasmStackValue).
#include "Stub.h"

namespace wasmscope::gdbstub {

namespace {

/// The architecture LLDB's wasm object file reader gives a module, so the
/// target created from the process and the module agree.
constexpr const char* kTriple = "wasm32-unknown-unknown-wasm";

std::string xmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default:
      // Control characters have no place in a file name LLDB shows.
      out += uint8_t(c) < 0x20 ? '?' : c;
    }
  }
  return out;
}

/// A wasm value as the little-endian bytes of its type's size.
std::string valueBytes(const runtime::Value& v) {
  switch (v.type) {
  case runtime::ValType::I64:
  case runtime::ValType::F64:
    return toHexLittleEndian(v.bits, 8);
  default:
    return toHexLittleEndian(v.bits, 4);
  }
}

} // namespace

Reply GdbStub::supported(const Request&) {
  return {"PacketSize=" + std::to_string(kAdvertisedPacketSize) +
          ";QStartNoAckMode+;qXfer:libraries:read+;QThreadSuffixSupported+;"
          "QListThreadsInStopReply+;QEnableErrorStrings+;vContSupported+"};
}

Reply GdbStub::hostInfo() const {
  return {std::string("triple:") + toHex(kTriple) +
          ";endian:little;ptrsize:4;watchpoint_exceptions_received:after;"
          "hostname:" +
          toHex("wasmscope") + ";"};
}

Reply GdbStub::processInfo() const {
  return {std::string("pid:1;parent-pid:1;real-uid:0;real-gid:0;effective-uid:0;effective-gid:0;"
                      "triple:") +
          toHex(kTriple) + ";endian:little;ptrsize:4;"};
}

Reply GdbStub::registerInfo(uint32_t reg) const {
  // Wasm has no registers; LLDB's plug-in wants one, the pc, 64 bits wide to
  // hold a module address. Locals and globals go through qWasm* instead.
  if (reg != 0)
    return {errorReply(0x45, "the only register is the pc")};
  return {"name:pc;alt-name:pc;bitsize:64;offset:0;encoding:uint;format:hex;"
          "set:General Purpose Registers;gcc:16;dwarf:16;generic:pc;"};
}

Reply GdbStub::readRegister(uint32_t reg) {
  if (reg != 0)
    return {errorReply(0x45, "the only register is the pc")};
  auto frames = m_session.wasmFrames();
  if (!frames.ok())
    return {errorReply(0x02, frames.error().message)};
  if (frames->empty())
    return {errorReply(0x02, "the guest has no wasm frame")};
  return {toHexLittleEndian(m_space.codeAddress(m_space.reportedOffset(frames->front().address)), 8)};
}

Reply GdbStub::libraries(uint64_t offset, uint64_t length) const {
  std::string xml = "<library-list>\n  <library name=\"" + xmlEscape(m_moduleName) +
                    "\"><section address=\"0x4000000000000000\"/></library>\n</library-list>\n";
  Reply r;
  r.binary = true;
  if (offset >= xml.size()) {
    r.payload = "l";
    return r;
  }
  std::string chunk = xml.substr(size_t(offset), size_t(std::min<uint64_t>(length, xml.size())));
  bool last = offset + chunk.size() >= xml.size();
  r.payload = (last ? "l" : "m") + chunk;
  return r;
}

Reply GdbStub::wasmCallStack() {
  auto frames = m_session.wasmFrames();
  if (!frames.ok())
    return {errorReply(0x02, frames.error().message)};
  std::string out;
  for (size_t i = 0; i < frames->size(); ++i) {
    const debugger::WasmFrame& f = (*frames)[i];
    // Callers as return addresses, as LLDB unwinds any other target: it
    // looks up pc - 1 for their line, and steps out to pc.
    uint32_t offset = i > 0 && f.returnAddress ? *f.returnAddress : m_space.reportedOffset(f.address);
    out += toHexLittleEndian(m_space.codeAddress(offset), 8);
  }
  if (out.empty())
    return {errorReply(0x02, "the guest has no wasm frame")};
  return {out};
}

Reply GdbStub::wasmValue(RequestKind kind, uint32_t frame, uint32_t index) {
  Result<runtime::Value> v = kind == RequestKind::WasmLocal    ? m_session.wasmLocal(frame, index)
                             : kind == RequestKind::WasmGlobal ? m_session.wasmGlobal(frame, index)
                                                               : m_session.wasmStackValue(frame, index);
  if (!v.ok())
    return {errorReply(0x03, v.error().message)};
  return {valueBytes(*v)};
}

Reply GdbStub::threadStopInfo() {
  if (std::optional<debugger::StoppedEvent> stop = m_session.currentStop())
    return {stopReply(*stop)};
  if (std::optional<uint32_t> code = m_session.exitCode())
    return {exitReply(*code)};
  return {errorReply(0x02, "the guest is running")};
}

} // namespace wasmscope::gdbstub
