// Memory as LLDB's WebAssembly plug-in sees it: linear memory at addresses
// below 4 GiB, and the module's own bytes at 0x4000000000000000 (LLDB reads
// the sections, DWARF included, from there and disassembles code from
// there). Reads past the end of either are short, as from a real process;
// the module's bytes cannot be written.
#include "Stub.h"

namespace wasmscope::gdbstub {

Reply GdbStub::readMemory(uint64_t address, uint64_t length, bool binary) {
  if (binary && length == 0)
    return {"OK"}; // LLDB's probe for x support.
  AddressSpace::Decoded at = AddressSpace::decode(address);
  std::string bytes;
  switch (at.kind) {
  case AddressSpace::Kind::Memory: {
    // Linear memory is 32-bit: a read stops at 4 GiB.
    uint64_t count = std::min(length, (uint64_t(1) << 32) - at.offset);
    auto read = m_session.readMemory(at.offset, count);
    if (!read.ok())
      return {errorReply(0x08, read.error().message)};
    bytes.assign(read->data.begin(), read->data.end());
    break;
  }
  case AddressSpace::Kind::Module: {
    const runtime::Module* module = m_session.module();
    if (module && at.offset < module->bytes.size()) {
      uint64_t count = std::min<uint64_t>(length, module->bytes.size() - at.offset);
      bytes.assign(module->bytes.begin() + long(at.offset),
                   module->bytes.begin() + long(at.offset + count));
    }
    break;
  }
  case AddressSpace::Kind::Invalid:
    return {errorReply(0x08, "address 0x" + hexNumber(address) + " is in no wasm address space")};
  }
  if (bytes.empty() && length > 0)
    return {errorReply(0x08, "nothing readable at the address")};
  Reply r;
  r.binary = binary;
  r.payload = binary ? bytes : toHex(bytes);
  return r;
}

Reply GdbStub::writeMemory(uint64_t address, const std::vector<uint8_t>& data) {
  AddressSpace::Decoded at = AddressSpace::decode(address);
  if (at.kind == AddressSpace::Kind::Module)
    return {errorReply(0x09, "the module's bytes cannot be written (breakpoints use Z0)")};
  if (at.kind != AddressSpace::Kind::Memory)
    return {errorReply(0x09, "the address is in no wasm address space")};
  if (data.empty())
    return {"OK"};
  auto written = m_session.writeMemory(at.offset, data);
  if (!written.ok())
    return {errorReply(0x09, written.error().message)};
  return {"OK"};
}

Reply GdbStub::memoryRegionInfo(const Request& r) const {
  if (r.text == "probe")
    return {errorReply(0x01, "qMemoryRegionInfo needs an address")};
  constexpr uint64_t k4G = uint64_t(1) << 32;
  auto hex = hexNumber;
  AddressSpace::Decoded at = AddressSpace::decode(r.address);
  switch (at.kind) {
  case AddressSpace::Kind::Memory: {
    auto size = m_session.memorySize();
    uint64_t memSize = size.ok() ? *size : 0;
    if (at.offset < memSize)
      return {"start:0;size:" + hex(memSize) + ";permissions:rw;name:" + toHex("linear memory") +
              ";"};
    return {"start:" + hex(memSize) + ";size:" + hex(k4G - memSize) + ";"};
  }
  case AddressSpace::Kind::Module:
    if (at.offset < m_space.moduleSize)
      return {"start:" + hex(AddressSpace::kModuleBase) + ";size:" + hex(m_space.moduleSize) +
              ";permissions:rx;name:" + toHex(m_moduleName) + ";"};
    return {"start:" + hex(AddressSpace::kModuleBase + m_space.moduleSize) +
            ";size:" + hex(k4G - m_space.moduleSize) + ";"};
  case AddressSpace::Kind::Invalid:
    break;
  }
  return {errorReply(0x01, "the address is in no wasm address space")};
}

} // namespace wasmscope::gdbstub
