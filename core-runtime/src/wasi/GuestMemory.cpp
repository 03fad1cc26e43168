// Bounds-checked access to guest linear memory for the WASI host functions.
#include "GuestMemory.h"

#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/MemoryWatch.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace wasmscope::runtime::wasi {

namespace {

/// Wasm memory is little-endian; convert on a big-endian host.
template <typename T> T toLittle(T v) {
  if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1) {
    T r = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      r = T((r << 8) | ((v >> (8 * i)) & 0xff));
    return r;
  }
  return v;
}

uint8_t gEmpty = 0; // What pointer() returns for an empty memory.

} // namespace

GuestMemory::GuestMemory(MemoryInstance* memory, HostMemoryWrites* writes) : m_writes(writes) {
  if (memory && memory->data) {
    m_data = memory->data;
    m_size = memory->size;
  }
}

bool GuestMemory::check(uint64_t addr, uint64_t len) const {
  return addr <= m_size && len <= m_size - addr;
}

bool GuestMemory::checkArray(uint64_t addr, uint64_t count, uint64_t elemSize) const {
  // count and elemSize come from 32-bit arguments, so the product fits.
  if (elemSize != 0 && count > UINT64_MAX / elemSize)
    return false;
  return check(addr, count * elemSize);
}

uint8_t* GuestMemory::pointer(uint64_t addr) const { return m_data ? m_data + addr : &gEmpty; }

void GuestMemory::wrote(uint64_t addr, uint64_t len) const {
  if (m_writes && len)
    m_writes->record(addr, len);
}

void GuestMemory::wrote(const std::vector<GuestRange>& ranges, uint64_t count) const {
  for (const GuestRange& r : ranges) {
    if (count == 0)
      break;
    uint64_t n = std::min<uint64_t>(r.len, count);
    wrote(r.addr, n);
    count -= n;
  }
}

std::span<uint8_t> GuestMemory::bytes(uint64_t addr, uint64_t len, bool& ok) const {
  ok = check(addr, len);
  if (!ok)
    return {};
  return {pointer(addr), size_t(len)};
}

#define WASI_GUEST_READ(T, name)                                               \
  Errno GuestMemory::name(uint64_t addr, T& out) const {                       \
    if (!check(addr, sizeof(T)))                                               \
      return Errno::Fault;                                                     \
    T v;                                                                       \
    std::memcpy(&v, m_data + addr, sizeof(T));                                 \
    out = toLittle(v);                                                         \
    return Errno::Success;                                                     \
  }
#define WASI_GUEST_WRITE(T, name)                                              \
  Errno GuestMemory::name(uint64_t addr, T value) const {                      \
    if (!check(addr, sizeof(T)))                                               \
      return Errno::Fault;                                                     \
    T v = toLittle(value);                                                     \
    std::memcpy(m_data + addr, &v, sizeof(T));                                 \
    wrote(addr, sizeof(T));                                                    \
    return Errno::Success;                                                     \
  }

WASI_GUEST_READ(uint8_t, readU8)
WASI_GUEST_READ(uint16_t, readU16)
WASI_GUEST_READ(uint32_t, readU32)
WASI_GUEST_READ(uint64_t, readU64)
WASI_GUEST_WRITE(uint8_t, writeU8)
WASI_GUEST_WRITE(uint16_t, writeU16)
WASI_GUEST_WRITE(uint32_t, writeU32)
WASI_GUEST_WRITE(uint64_t, writeU64)

#undef WASI_GUEST_READ
#undef WASI_GUEST_WRITE

Errno GuestMemory::writeBytes(uint64_t addr, std::span<const uint8_t> data) const {
  if (!check(addr, data.size()))
    return Errno::Fault;
  if (!data.empty())
    std::memmove(pointer(addr), data.data(), data.size());
  wrote(addr, data.size());
  return Errno::Success;
}

Errno GuestMemory::writeBytes(uint64_t addr, std::string_view data) const {
  return writeBytes(addr, std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

Errno GuestMemory::zero(uint64_t addr, uint64_t len) const {
  if (!check(addr, len))
    return Errno::Fault;
  if (len)
    std::memset(pointer(addr), 0, len);
  wrote(addr, len);
  return Errno::Success;
}

Errno GuestMemory::readString(uint64_t addr, uint64_t len, std::string& out) const {
  if (!check(addr, len))
    return Errno::Fault;
  out.assign(reinterpret_cast<const char*>(pointer(addr)), size_t(len));
  return Errno::Success;
}

Errno GuestMemory::readIovecs(uint64_t addr, uint64_t count, std::vector<GuestRange>& out) const {
  out.clear();
  if (!checkArray(addr, count, layout::kIovecSize))
    return Errno::Fault;
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    GuestRange r;
    WASI_TRY(readU32(addr + i * layout::kIovecSize, r.addr));
    WASI_TRY(readU32(addr + i * layout::kIovecSize + 4, r.len));
    if (!check(r.addr, r.len))
      return Errno::Fault;
    out.push_back(r);
  }
  return Errno::Success;
}

} // namespace wasmscope::runtime::wasi
