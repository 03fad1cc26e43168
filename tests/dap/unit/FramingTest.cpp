// Content-Length framing (dap-server/src/Transport.cpp): messages split
// across reads or merged into one, malformed and oversized headers reported
// once and recovered from, and the buffer bounded.
#include "wasmscope/dap/Transport.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace wasmscope::dap;

namespace {

std::vector<Frame> drain(MessageFramer& framer) {
  std::vector<Frame> frames;
  while (auto frame = framer.next())
    frames.push_back(std::move(*frame));
  return frames;
}

bool isMessage(const Frame& frame, const std::string& text) {
  return frame.kind == Frame::Kind::Message && frame.text == text;
}

} // namespace

TEST(Framing, OneMessage) {
  MessageFramer framer;
  framer.feed("Content-Length: 2\r\n\r\n{}");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "{}"));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(Framing, SplitOneByteAtATime) {
  std::string wire = frameMessage(R"({"seq":1,"type":"request","command":"threads"})");
  MessageFramer framer;
  std::vector<Frame> frames;
  for (char c : wire) {
    framer.feed(std::string(1, c));
    for (auto& frame : drain(framer))
      frames.push_back(std::move(frame));
  }
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], R"({"seq":1,"type":"request","command":"threads"})"));
}

TEST(Framing, SplitInsideTheHeaderTerminator) {
  MessageFramer framer;
  framer.feed("Content-Length: 3\r\n\r");
  EXPECT_TRUE(drain(framer).empty());
  framer.feed("\nabc");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "abc"));
}

TEST(Framing, MergedMessagesInOneRead) {
  MessageFramer framer;
  framer.feed(frameMessage("[1]") + frameMessage("[22]") + frameMessage("[333]"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(isMessage(frames[0], "[1]"));
  EXPECT_TRUE(isMessage(frames[1], "[22]"));
  EXPECT_TRUE(isMessage(frames[2], "[333]"));
}

TEST(Framing, OtherHeadersAndCaseAreAccepted) {
  MessageFramer framer;
  framer.feed(
      "content-length:4\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nnull");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "null"));
}

TEST(Framing, BareLineFeedsAreAccepted) {
  MessageFramer framer;
  framer.feed("Content-Length: 2\n\n{}");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "{}"));
}

TEST(Framing, BodyMayContainHeaderLikeText) {
  std::string body = "Content-Length: 99\r\n\r\n";
  MessageFramer framer;
  framer.feed(frameMessage(body) + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(isMessage(frames[0], body));
  EXPECT_TRUE(isMessage(frames[1], "{}"));
}

TEST(Framing, EmptyBodyIsAMessage) {
  MessageFramer framer;
  framer.feed("Content-Length: 0\r\n\r\n");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], ""));
}

TEST(Framing, MissingContentLengthIsReportedAndSkipped) {
  MessageFramer framer;
  framer.feed("Content-Type: text/plain\r\n\r\n" + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_NE(frames[0].text.find("without Content-Length"), std::string::npos) << frames[0].text;
  EXPECT_TRUE(isMessage(frames[1], "{}"));
}

TEST(Framing, NonNumericContentLength) {
  MessageFramer framer;
  framer.feed("Content-Length: twelve\r\n\r\n" + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_NE(frames[0].text.find("invalid Content-Length 'twelve'"), std::string::npos)
      << frames[0].text;
  EXPECT_TRUE(isMessage(frames[1], "{}"));
}

TEST(Framing, NegativeContentLength) {
  MessageFramer framer;
  framer.feed("Content-Length: -5\r\n\r\n" + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_TRUE(isMessage(frames[1], "{}"));
}

TEST(Framing, HugeContentLengthIsRejectedWithoutAllocating) {
  MessageFramer framer;
  framer.feed("Content-Length: 99999999999999999999999\r\n\r\n");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_NE(frames[0].text.find("exceeds the limit"), std::string::npos) << frames[0].text;
  // The next real message is still found.
  framer.feed(frameMessage("{}"));
  frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "{}"));
}

TEST(Framing, JustOverTheLimitIsRejected) {
  MessageFramer framer;
  framer.feed("Content-Length: " + std::to_string(kMaxContentLength + 1) + "\r\n\r\n");
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
}

TEST(Framing, OversizedBodyBytesAreSkippedQuietly) {
  // A client that really sends the oversized body: one report, then the
  // body's bytes are dropped until the next header.
  MessageFramer framer;
  framer.feed("Content-Length: " + std::to_string(kMaxContentLength + 1) + "\r\n\r\n");
  std::string chunk(64 * 1024, 'x');
  size_t reports = 0;
  for (int i = 0; i < 300; ++i) {
    framer.feed(chunk);
    for (auto& frame : drain(framer))
      reports += frame.kind == Frame::Kind::Malformed;
    EXPECT_LE(framer.buffered(), kMaxHeaderBytes + 64);
  }
  framer.feed(frameMessage("{}"));
  auto frames = drain(framer);
  EXPECT_EQ(reports, 1u);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "{}"));
}

TEST(Framing, HeaderWithoutEndIsBounded) {
  MessageFramer framer;
  std::string junk(kMaxHeaderBytes + 100, 'a');
  framer.feed(junk);
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_NE(frames[0].text.find("header longer than"), std::string::npos);
  EXPECT_LE(framer.buffered(), 64u);
  framer.feed(std::string(100000, 'b'));
  EXPECT_TRUE(drain(framer).empty()); // Reported once, not per read.
  EXPECT_LE(framer.buffered(), 64u);
  framer.feed(frameMessage("{}"));
  frames = drain(framer);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(isMessage(frames[0], "{}"));
}

TEST(Framing, GarbageBeforeAHeaderIsReportedOnce) {
  MessageFramer framer;
  framer.feed("hello there\r\n" + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_NE(frames[0].text.find("malformed header line 'hello there'"), std::string::npos)
      << frames[0].text;
  EXPECT_TRUE(isMessage(frames[1], "{}"));
}

TEST(Framing, ConflictingContentLengths) {
  MessageFramer framer;
  framer.feed("Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc" + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_TRUE(isMessage(frames.back(), "{}"));
}

TEST(Framing, BlankLinesBetweenMessagesAreHarmless) {
  MessageFramer framer;
  framer.feed(frameMessage("1") + "\r\n\r\n" + frameMessage("2"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(isMessage(frames[0], "1"));
  EXPECT_TRUE(isMessage(frames[1], "2"));
}

TEST(Framing, NonAsciiInAHeaderIsEscapedInTheReport) {
  MessageFramer framer;
  framer.feed(std::string("\xff\xfe\x01junk\r\n\r\n") + frameMessage("{}"));
  auto frames = drain(framer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].kind, Frame::Kind::Malformed);
  EXPECT_NE(frames[0].text.find("\\xff\\xfe\\x01junk"), std::string::npos) << frames[0].text;
}

TEST(MemoryTransport, ReadsFramesAndEndsWhenInputCloses) {
  MemoryTransport transport;
  transport.pushInput(frameMessage("{\"a\":1}") + "Content-Length: x\r\n\r\n");
  transport.closeInput();
  auto first = transport.read();
  ASSERT_TRUE(first);
  EXPECT_TRUE(isMessage(*first, "{\"a\":1}"));
  auto second = transport.read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->kind, Frame::Kind::Malformed);
  EXPECT_FALSE(transport.read());
}
