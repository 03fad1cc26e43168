// Name decoding for BinaryReader: the UTF-8 check of spec 5.2.4, which every
// import, export and custom section name must pass.
#include "BinaryReader.h"

namespace wasmscope::runtime {

bool isValidUtf8(const uint8_t* s, size_t size) {
  size_t i = 0;
  while (i < size) {
    uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t extra;
    uint8_t lo = 0x80, hi = 0xbf; // Allowed range of the first continuation byte.
    if (b >= 0xc2 && b <= 0xdf) {
      extra = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      extra = 2;
      if (b == 0xe0)
        lo = 0xa0; // Overlong.
      else if (b == 0xed)
        hi = 0x9f; // Surrogates.
    } else if (b >= 0xf0 && b <= 0xf4) {
      extra = 3;
      if (b == 0xf0)
        lo = 0x90; // Overlong.
      else if (b == 0xf4)
        hi = 0x8f; // Above U+10FFFF.
    } else {
      return false; // Continuation byte, overlong 2-byte lead, or 0xf5..0xff.
    }
    if (size - i - 1 < extra)
      return false;
    if (s[i + 1] < lo || s[i + 1] > hi)
      return false;
    for (size_t k = 2; k <= extra; ++k) {
      if ((s[i + k] & 0xc0) != 0x80)
        return false;
    }
    i += extra + 1;
  }
  return true;
}

Result<std::string> BinaryReader::name() {
  size_t start = m_pos;
  TRY_ASSIGN(ByteRange range, byteVector());
  const uint8_t* p = m_data + range.begin;
  if (!isValidUtf8(p, range.size()))
    return Error(ErrorCode::MalformedUtf8, {}, start);
  return std::string(reinterpret_cast<const char*>(p), range.size());
}

} // namespace wasmscope::runtime
