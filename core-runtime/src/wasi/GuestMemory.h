// The one way WASI functions touch guest memory: every access is checked
// against the memory's current size before it happens, and a failed check
// becomes EFAULT for the guest, never a host crash. Values are little-endian,
// as wasm memory is.
#pragma once

#include "WasiAbi.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::runtime {
struct MemoryInstance;
class HostMemoryWrites;
}

namespace wasmscope::runtime::wasi {

/// One guest (32-bit) address range, as an iovec or a buffer argument gives it.
struct GuestRange {
  uint32_t addr = 0;
  uint32_t len = 0;
};

class GuestMemory {
public:
  /// `memory` may be null (a caller without memory): then every non-empty
  /// access fails. `writes`, when given, is told of every write, so memory
  /// watches see what the host function wrote.
  explicit GuestMemory(MemoryInstance* memory, HostMemoryWrites* writes = nullptr);

  /// Whether [addr, addr + len) lies inside memory. 64-bit arithmetic, so
  /// `addr + len` cannot wrap.
  bool check(uint64_t addr, uint64_t len) const;
  /// Like check() for `count` elements of `elemSize` bytes.
  bool checkArray(uint64_t addr, uint64_t count, uint64_t elemSize) const;

  /// The bytes of [addr, addr + len), or an empty span with `ok` false.
  std::span<uint8_t> bytes(uint64_t addr, uint64_t len, bool& ok) const;

  [[nodiscard]] Errno readU8(uint64_t addr, uint8_t& out) const;
  [[nodiscard]] Errno readU16(uint64_t addr, uint16_t& out) const;
  [[nodiscard]] Errno readU32(uint64_t addr, uint32_t& out) const;
  [[nodiscard]] Errno readU64(uint64_t addr, uint64_t& out) const;
  [[nodiscard]] Errno writeU8(uint64_t addr, uint8_t value) const;
  [[nodiscard]] Errno writeU16(uint64_t addr, uint16_t value) const;
  [[nodiscard]] Errno writeU32(uint64_t addr, uint32_t value) const;
  [[nodiscard]] Errno writeU64(uint64_t addr, uint64_t value) const;
  /// Copies `data` to guest address `addr` (all or nothing).
  [[nodiscard]] Errno writeBytes(uint64_t addr, std::span<const uint8_t> data) const;
  [[nodiscard]] Errno writeBytes(uint64_t addr, std::string_view data) const;
  /// Fills [addr, addr + len) with zeros.
  [[nodiscard]] Errno zero(uint64_t addr, uint64_t len) const;

  /// Copies a (not NUL-terminated) guest string of `len` bytes into `out`.
  [[nodiscard]] Errno readString(uint64_t addr, uint64_t len, std::string& out) const;
  /// Reads `count` iovecs (8 bytes each) at `addr`, checking that each
  /// buffer they describe lies inside memory too.
  [[nodiscard]] Errno readIovecs(uint64_t addr, uint64_t count,
                                 std::vector<GuestRange>& out) const;

  /// Host pointer to guest address `addr`, valid for `len` bytes once
  /// check(addr, len) holds. Never null.
  uint8_t* pointer(uint64_t addr) const;

  /// Reports a write made through pointer() or bytes() (a read(2) into guest
  /// buffers) to the memory watches; the write methods above report their own.
  void wrote(uint64_t addr, uint64_t len) const;
  /// Reports `count` bytes written across `ranges`, in order (a readv).
  void wrote(const std::vector<GuestRange>& ranges, uint64_t count) const;

private:
  uint8_t* m_data = nullptr;
  uint64_t m_size = 0;
  HostMemoryWrites* m_writes = nullptr;
};

} // namespace wasmscope::runtime::wasi
