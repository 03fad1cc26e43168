// The gdb-remote protocol's framing, both ways. Incoming bytes are fed to a
// PacketDecoder, which finds `$payload#cs` packets (checking the checksum,
// undoing `}` escapes and `*` run-length encoding), acknowledgements and the
// 0x03 interrupt byte; outgoing payloads are framed with encodePacket. The
// decoder holds at most one packet of at most kMaxPacketBytes: anything
// longer is discarded and reported, so a client cannot make the stub grow
// without bound.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::gdbstub {

/// The largest packet payload accepted, in bytes, after decoding. LLDB is
/// told a smaller PacketSize (kAdvertisedPacketSize), so only a broken or
/// hostile client comes near it.
inline constexpr size_t kMaxPacketBytes = 1 << 20;
inline constexpr size_t kAdvertisedPacketSize = 0x20000;

/// One thing found in the incoming byte stream.
struct Frame {
  enum class Kind : uint8_t {
    Packet,    ///< A complete packet with a good checksum: `payload` is decoded.
    BadPacket, ///< A complete packet that failed its checksum or decoding.
    Interrupt, ///< The 0x03 byte outside a packet (Ctrl-C).
    Ack,       ///< '+'.
    Nak,       ///< '-': the client asks for the last reply again.
    Oversized, ///< A packet longer than kMaxPacketBytes was discarded.
  };
  Kind kind = Kind::Packet;
  std::string payload;
  std::string error; ///< For BadPacket and Oversized: what was wrong.
};

/// Splits the incoming byte stream into frames. Bytes outside packets other
/// than '+', '-' and 0x03 are ignored, as gdb does.
class PacketDecoder {
public:
  /// Consumes `bytes` and appends every frame completed by them to `out`.
  void feed(std::span<const uint8_t> bytes, std::vector<Frame>& out);
  void feed(std::string_view bytes, std::vector<Frame>& out) {
    feed(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), out);
  }
  /// True while a packet has begun but not ended.
  bool inPacket() const { return m_state != State::Idle; }

private:
  enum class State : uint8_t { Idle, Payload, Checksum1, Checksum2, Skipping };
  State m_state = State::Idle;
  std::string m_raw; ///< Payload bytes as received (for the checksum).
  uint8_t m_sum = 0;
  uint8_t m_checksum = 0;
};

/// Undoes `}` escapes and `*` run-length encoding of a received payload.
/// False (with `error` set) on a dangling escape or a bad repeat.
bool decodePayload(std::string_view raw, std::string& out, std::string& error);

/// `$payload#cs`, escaping '$', '#', '}' and '*' in the payload.
std::string encodePacket(std::string_view payload);

/// The value of hex digit `c` (either case); -1 for any other byte.
int hexDigit(char c);

/// The protocol's checksum: the sum of the bytes modulo 256.
uint8_t checksum(std::string_view bytes);

} // namespace wasmscope::gdbstub
