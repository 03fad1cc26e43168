// A bounds-checked cursor over a module's bytes (spec 5.1 and 5.2: bytes,
// fixed-width and LEB128 integers, vectors, names). Every read is checked
// against an end offset and fails with the spec tests' wording: running past
// the end is "unexpected end", an over-long LEB128 is "integer
// representation too long" and unused bits that disagree are "integer too
// large". Offsets are absolute positions in the underlying buffer, so errors
// and recorded ranges need no translation.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>

namespace wasmscope::runtime {

/// The text of an end-of-input error inside a section or function body, as
/// the spec tests spell it (they also accept its prefix "unexpected end").
inline constexpr const char* kUnexpectedEndInSection = "unexpected end of section or function";

/// True if `bytes` is well-formed UTF-8 (spec 5.2.4): no overlong forms, no
/// surrogates, nothing above U+10FFFF.
bool isValidUtf8(const uint8_t* bytes, size_t size);

class BinaryReader {
public:
  /// Reads `data` from offset `pos` up to offset `end` (exclusive), which
  /// must lie within `data`.
  BinaryReader(std::span<const uint8_t> data, size_t pos, size_t end)
      : m_data(data.data()), m_pos(pos), m_end(end) {}
  explicit BinaryReader(std::span<const uint8_t> data) : BinaryReader(data, 0, data.size()) {}

  size_t pos() const { return m_pos; }
  size_t end() const { return m_end; }
  size_t remaining() const { return m_end - m_pos; }
  bool atEnd() const { return m_pos >= m_end; }
  /// Moves to `pos`, which must not be past the end.
  void seek(size_t pos) { m_pos = pos; }
  const uint8_t* data() const { return m_data; }

  /// The error for a read that would pass the end.
  Error endError() const { return Error(ErrorCode::UnexpectedEnd, kUnexpectedEndInSection, m_end); }

  std::optional<uint8_t> peek() const {
    if (m_pos >= m_end)
      return std::nullopt;
    return m_data[m_pos];
  }

  Result<uint8_t> u8() {
    if (m_pos >= m_end)
      return endError();
    return m_data[m_pos++];
  }

  /// Little-endian fixed-width integers (the magic, the version, float bits).
  Result<uint32_t> fixedU32() {
    if (remaining() < 4)
      return endError();
    uint32_t v;
    std::memcpy(&v, m_data + m_pos, 4);
    m_pos += 4;
    return fromLittleEndian(v);
  }
  Result<uint64_t> fixedU64() {
    if (remaining() < 8)
      return endError();
    uint64_t v;
    std::memcpy(&v, m_data + m_pos, 8);
    m_pos += 8;
    return fromLittleEndian(v);
  }

  /// LEB128 integers of the spec's widths (spec 5.2.2).
  Result<uint32_t> u32() {
    // Most indices and sizes fit one byte.
    if (m_pos < m_end && m_data[m_pos] < 0x80)
      return uint32_t(m_data[m_pos++]);
    TRY_ASSIGN(uint64_t v, readUnsigned(32));
    return uint32_t(v);
  }
  Result<uint64_t> u64() { return readUnsigned(64); }
  /// A one-bit unsigned LEB128, as limits flags are read.
  Result<uint32_t> u1() {
    TRY_ASSIGN(uint64_t v, readUnsigned(1));
    return uint32_t(v);
  }
  Result<int32_t> s32() {
    TRY_ASSIGN(int64_t v, readSigned(32));
    return int32_t(v);
  }
  /// Block types' type indices.
  Result<int64_t> s33() { return readSigned(33); }
  Result<int64_t> s64() { return readSigned(64); }

  /// A u32 length or count that must not exceed the bytes left, counted from
  /// the start of its own encoding as the reference interpreter does
  /// ("length out of bounds"). Bounds what a caller may allocate for it.
  Result<uint32_t> length() {
    size_t start = m_pos;
    TRY_ASSIGN(uint32_t n, u32());
    if (n > m_end - start)
      return Error(ErrorCode::LengthOutOfBounds, {}, start);
    return n;
  }

  /// Skips `n` bytes, returning the range they occupied.
  Result<ByteRange> take(size_t n) {
    if (n > remaining())
      return endError();
    ByteRange range{uint32_t(m_pos), uint32_t(m_pos + n)};
    m_pos += n;
    return range;
  }

  /// A length-prefixed byte vector (spec 5.2.3), as a range.
  Result<ByteRange> byteVector() {
    TRY_ASSIGN(uint32_t n, length());
    return take(n);
  }

  /// A name (spec 5.2.4): a byte vector that must be valid UTF-8.
  Result<std::string> name();

private:
  template <typename T> static T fromLittleEndian(T v) {
    if constexpr (std::endian::native == std::endian::big) {
      T out = 0;
      for (size_t i = 0; i < sizeof(T); ++i)
        out = (out << 8) | ((v >> (8 * i)) & 0xff);
      return out;
    }
    return v;
  }

  /// Unsigned LEB128 of at most `bits` bits: ceil(bits / 7) bytes, and the
  /// last byte's bits beyond `bits` must be zero.
  Result<uint64_t> readUnsigned(int bits) {
    uint64_t result = 0;
    unsigned shift = 0;
    for (int left = bits;; left -= 7) {
      if (left <= 0)
        return Error(ErrorCode::IntegerRepresentationTooLong, {}, m_pos);
      if (m_pos >= m_end)
        return endError();
      uint8_t b = m_data[m_pos];
      if (left < 7 && (b & 0x7f) >= (1u << left))
        return Error(ErrorCode::IntegerTooLarge, {}, m_pos);
      ++m_pos;
      result |= uint64_t(b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return result;
      shift += 7;
    }
  }

  /// Signed LEB128 of at most `bits` bits: the last byte's bits beyond
  /// `bits` must all equal the sign bit.
  Result<int64_t> readSigned(int bits) {
    uint64_t result = 0;
    unsigned shift = 0;
    for (int left = bits;; left -= 7) {
      if (left <= 0)
        return Error(ErrorCode::IntegerRepresentationTooLong, {}, m_pos);
      if (m_pos >= m_end)
        return endError();
      uint8_t b = m_data[m_pos];
      if (left < 7) {
        uint8_t mask = uint8_t((0xffu << (left - 1)) & 0x7fu);
        if ((b & mask) != 0 && (b & mask) != mask)
          return Error(ErrorCode::IntegerTooLarge, {}, m_pos);
      }
      ++m_pos;
      result |= uint64_t(b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift < 64 && (b & 0x40) != 0)
          result |= ~uint64_t(0) << shift;
        return int64_t(result);
      }
    }
  }

  const uint8_t* m_data;
  size_t m_pos;
  size_t m_end;
};

} // namespace wasmscope::runtime
