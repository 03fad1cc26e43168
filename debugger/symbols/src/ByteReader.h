// A bounds-checked little-endian reader over one debug section, for the parts
// of DWARF this library decodes itself (expressions, location and range
// lists). Every read checks the end pointer; a failed read sets `failed` and
// returns zero, so callers check once after a group of reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wasmscope::debugger {

class ByteReader {
public:
  explicit ByteReader(std::span<const uint8_t> bytes, size_t offset = 0)
      : m_bytes(bytes), m_pos(offset), m_failed(offset > bytes.size()) {}

  size_t position() const { return m_pos; }
  /// The bytes being read (positions are offsets into them).
  const uint8_t *data() const { return m_bytes.data(); }
  size_t remaining() const { return m_failed ? 0 : m_bytes.size() - m_pos; }
  bool atEnd() const { return m_failed || m_pos >= m_bytes.size(); }
  bool failed() const { return m_failed; }
  void seek(size_t offset) {
    if (offset > m_bytes.size())
      m_failed = true;
    else
      m_pos = offset;
  }

  uint8_t u8() { return uint8_t(fixed(1)); }
  uint16_t u16() { return uint16_t(fixed(2)); }
  uint32_t u32() { return uint32_t(fixed(4)); }
  uint64_t u64() { return fixed(8); }
  /// An unsigned little-endian integer of 1 to 8 bytes.
  uint64_t fixed(unsigned size) {
    if (m_failed || size > 8 || m_bytes.size() - m_pos < size) {
      m_failed = true;
      return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i)
      v |= uint64_t(m_bytes[m_pos + i]) << (8 * i);
    m_pos += size;
    return v;
  }
  /// ULEB128 (DWARF 5 section 7.6); more than 64 significant bits fails.
  uint64_t uleb() {
    uint64_t v = 0;
    unsigned shift = 0;
    while (!m_failed) {
      if (m_pos >= m_bytes.size()) {
        m_failed = true;
        break;
      }
      uint8_t b = m_bytes[m_pos++];
      if (shift < 64)
        v |= uint64_t(b & 0x7f) << shift;
      else if ((b & 0x7f) != 0)
        m_failed = true;
      shift += 7;
      if (!(b & 0x80))
        return v;
      if (shift > 70)
        m_failed = true;
    }
    return 0;
  }
  int64_t sleb() {
    int64_t v = 0;
    unsigned shift = 0;
    while (!m_failed) {
      if (m_pos >= m_bytes.size()) {
        m_failed = true;
        break;
      }
      uint8_t b = m_bytes[m_pos++];
      if (shift < 64)
        v |= int64_t(uint64_t(b & 0x7f) << shift);
      shift += 7;
      if (!(b & 0x80)) {
        if (shift < 64 && (b & 0x40))
          v |= int64_t(~uint64_t(0) << shift); // sign-extend without signed overflow
        return v;
      }
      if (shift > 70)
        m_failed = true;
    }
    return 0;
  }
  /// The next `size` bytes, or an empty span (and failed) if fewer remain.
  std::span<const uint8_t> bytes(uint64_t size) {
    if (m_failed || m_bytes.size() - m_pos < size) {
      m_failed = true;
      return {};
    }
    auto s = m_bytes.subspan(m_pos, size_t(size));
    m_pos += size_t(size);
    return s;
  }

private:
  std::span<const uint8_t> m_bytes;
  size_t m_pos = 0;
  bool m_failed = false;
};

} // namespace wasmscope::debugger
