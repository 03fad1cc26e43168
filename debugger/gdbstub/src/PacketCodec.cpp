// gdb-remote framing (GDB manual, "Overview" and "Binary Data" of the remote
// protocol appendix): `$` payload `#` two hex digits of checksum; '}'
// escapes the next byte (xor 0x20); '*' repeats the previous byte.
#include "PacketCodec.h"

namespace wasmscope::gdbstub {

namespace {

constexpr uint8_t kInterrupt = 0x03;

} // namespace

int hexDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

uint8_t checksum(std::string_view bytes) {
  uint8_t sum = 0;
  for (char c : bytes)
    sum = uint8_t(sum + uint8_t(c));
  return sum;
}

bool decodePayload(std::string_view raw, std::string& out, std::string& error) {
  out.clear();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    uint8_t c = uint8_t(raw[i]);
    if (c == '}') {
      if (i + 1 >= raw.size()) {
        error = "escape character '}' at the end of the packet";
        return false;
      }
      out += char(uint8_t(raw[++i]) ^ 0x20);
    } else if (c == '*') {
      // Run-length encoding: the next byte is the repeat count plus 29.
      if (out.empty() || i + 1 >= raw.size()) {
        error = "run-length marker '*' without a byte to repeat or a count";
        return false;
      }
      uint8_t n = uint8_t(raw[++i]);
      if (n < 32 || n > 126) {
        error = "run-length count out of range";
        return false;
      }
      if (out.size() + (n - 29) > kMaxPacketBytes) {
        error = "packet longer than " + std::to_string(kMaxPacketBytes) + " bytes";
        return false;
      }
      out.append(size_t(n - 29), out.back());
    } else {
      out += char(c);
    }
  }
  return true;
}

void PacketDecoder::feed(std::span<const uint8_t> bytes, std::vector<Frame>& out) {
  for (uint8_t c : bytes) {
    switch (m_state) {
    case State::Idle:
      if (c == '$') {
        m_state = State::Payload;
        m_raw.clear();
        m_sum = 0;
      } else if (c == kInterrupt) {
        out.push_back({Frame::Kind::Interrupt, {}, {}});
      } else if (c == '+') {
        out.push_back({Frame::Kind::Ack, {}, {}});
      } else if (c == '-') {
        out.push_back({Frame::Kind::Nak, {}, {}});
      }
      break;
    case State::Payload:
      if (c == '#') {
        m_state = State::Checksum1;
      } else if (m_raw.size() >= kMaxPacketBytes) {
        // Drop the rest of this packet, up to its '#' and checksum.
        m_state = State::Skipping;
        m_raw.clear();
        m_raw.shrink_to_fit();
      } else {
        m_raw += char(c);
        m_sum = uint8_t(m_sum + c);
      }
      break;
    case State::Skipping:
      if (c == '#') {
        m_state = State::Idle;
        out.push_back({Frame::Kind::Oversized, {},
                       "packet longer than " + std::to_string(kMaxPacketBytes) + " bytes"});
      }
      break;
    case State::Checksum1: {
      int d = hexDigit(c);
      if (d < 0) {
        m_state = State::Idle;
        out.push_back({Frame::Kind::BadPacket, {}, "malformed checksum"});
        break;
      }
      m_checksum = uint8_t(d << 4);
      m_state = State::Checksum2;
      break;
    }
    case State::Checksum2: {
      m_state = State::Idle;
      int d = hexDigit(c);
      if (d < 0) {
        out.push_back({Frame::Kind::BadPacket, {}, "malformed checksum"});
        break;
      }
      m_checksum = uint8_t(m_checksum | d);
      if (m_checksum != m_sum) {
        out.push_back({Frame::Kind::BadPacket, {}, "checksum mismatch"});
        break;
      }
      Frame f;
      std::string error;
      if (decodePayload(m_raw, f.payload, error)) {
        f.kind = Frame::Kind::Packet;
      } else {
        f.kind = Frame::Kind::BadPacket;
        f.payload.clear();
        f.error = error;
      }
      out.push_back(std::move(f));
      m_raw.clear();
      break;
    }
    }
  }
}

std::string encodePacket(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 4);
  out += '$';
  uint8_t sum = 0;
  auto put = [&](uint8_t c) {
    out += char(c);
    sum = uint8_t(sum + c);
  };
  for (char ch : payload) {
    uint8_t c = uint8_t(ch);
    if (c == '$' || c == '#' || c == '}' || c == '*') {
      put('}');
      put(c ^ 0x20);
    } else {
      put(c);
    }
  }
  static const char* kHex = "0123456789abcdef";
  out += '#';
  out += kHex[sum >> 4];
  out += kHex[sum & 15];
  return out;
}

} // namespace wasmscope::gdbstub
