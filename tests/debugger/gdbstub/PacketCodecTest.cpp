// The gdb-remote framing: packets, checksums, escapes, run-length encoding,
// acknowledgements, the interrupt byte, and what happens to bad input.
#include "PacketCodec.h"

#include <gtest/gtest.h>

namespace wasmscope::gdbstub {
namespace {

std::vector<Frame> decode(std::string_view bytes) {
  PacketDecoder d;
  std::vector<Frame> out;
  d.feed(bytes, out);
  return out;
}

std::string hex2(uint8_t v) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

TEST(PacketCodec, EncodesWithChecksumAndEscapes) {
  EXPECT_EQ(encodePacket("OK"), "$OK#9a");
  EXPECT_EQ(encodePacket(""), "$#00");
  // '$', '#', '}' and '*' are escaped with '}' and xor 0x20; the checksum
  // covers the bytes as sent.
  std::string escaped = "a}\x04" "b}\x03" "c}]d}\x0a";
  EXPECT_EQ(encodePacket("a$b#c}d*"), "$" + escaped + "#" + hex2(checksum(escaped)));
}

TEST(PacketCodec, DecodesPacketsAcksAndInterrupts) {
  auto frames = decode("+$qC#b4-\x03$OK#9a");
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Ack);
  EXPECT_EQ(frames[1].kind, Frame::Kind::Packet);
  EXPECT_EQ(frames[1].payload, "qC");
  EXPECT_EQ(frames[2].kind, Frame::Kind::Nak);
  EXPECT_EQ(frames[3].kind, Frame::Kind::Interrupt);
  EXPECT_EQ(frames[4].payload, "OK");
}

TEST(PacketCodec, PacketsMaySpanManyFeeds) {
  PacketDecoder d;
  std::vector<Frame> out;
  for (char c : std::string("$qSupported:swbreak+#") + "00")
    d.feed(std::string_view(&c, 1), out);
  ASSERT_EQ(out.size(), 1u);
  // The checksum "00" is wrong for this payload.
  EXPECT_EQ(out[0].kind, Frame::Kind::BadPacket);
  out.clear();
  std::string good = encodePacket("qSupported:swbreak+");
  d.feed(good.substr(0, 5), out);
  EXPECT_TRUE(d.inPacket());
  d.feed(good.substr(5), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload, "qSupported:swbreak+");
  EXPECT_FALSE(d.inPacket());
}

TEST(PacketCodec, UndoesEscapesAndRunLengthEncoding) {
  // X packets carry binary data with '}' escapes.
  std::string payload = "X10,2:}\x03}]";
  auto frames = decode("$" + payload + "#" + hex2(checksum(payload)));
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_EQ(frames[0].kind, Frame::Kind::Packet) << frames[0].error;
  EXPECT_EQ(frames[0].payload, std::string("X10,2:#}"));

  std::string out, error;
  ASSERT_TRUE(decodePayload("0* ", out, error)); // '0' then 3 more
  EXPECT_EQ(out, "0000");
  ASSERT_TRUE(decodePayload("ab*!c", out, error)); // 'b' then 4 more
  EXPECT_EQ(out, "abbbbbc");
  EXPECT_FALSE(decodePayload("*!", out, error)) << "nothing to repeat";
  EXPECT_FALSE(decodePayload("a*", out, error)) << "no count";
  EXPECT_FALSE(decodePayload("a*\x01", out, error)) << "count out of range";
  EXPECT_FALSE(decodePayload("abc}", out, error)) << "dangling escape";
}

TEST(PacketCodec, BadInputIsReportedNotFatal) {
  auto frames = decode("$qC#zz$qC#4");
  ASSERT_GE(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::BadPacket);
  EXPECT_EQ(frames[0].error, "malformed checksum");
  // Noise outside packets is ignored, as gdb does.
  frames = decode("hello world $OK#9a");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].payload, "OK");
}

TEST(PacketCodec, OversizedPacketsAreDroppedWithoutGrowing) {
  PacketDecoder d;
  std::vector<Frame> out;
  std::string chunk(64 * 1024, 'a');
  d.feed("$", out);
  for (size_t sent = 0; sent < kMaxPacketBytes + 4 * chunk.size(); sent += chunk.size())
    d.feed(chunk, out);
  EXPECT_TRUE(out.empty());
  d.feed("#00$OK#9a", out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, Frame::Kind::Oversized);
  EXPECT_EQ(out[1].payload, "OK");
}

} // namespace
} // namespace wasmscope::gdbstub
