// libFuzzer target: bytes from an untrusted gdb-remote client through the
// stub's framing (PacketDecoder: checksums, escapes, run-length encoding,
// oversize limits) and request parser, and each parsed request's fields
// back through the reply encoder. A crash, a sanitizer report, a hang or
// unbounded memory is a bug; errors are the expected outcome for most input.
#include "Packet.h"
#include "PacketCodec.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wasmscope::gdbstub;
  PacketDecoder decoder;
  std::vector<Frame> frames;
  // Fed in two pieces, so a packet split across reads is exercised too.
  size_t split = size ? data[0] % (size + 1) : 0;
  decoder.feed(std::span(data, split), frames);
  decoder.feed(std::span(data + split, size - split), frames);
  for (const Frame& f : frames) {
    if (f.kind != Frame::Kind::Packet)
      continue;
    Result<Request> r = parseRequest(f.payload);
    if (!r.ok()) {
      if (r.error().message.empty())
        std::abort(); // Every error says what is wrong.
      continue;
    }
    // What a handler would echo back must frame cleanly.
    std::string reply = encodePacket(toHex(r->text) + toHex(r->data) + hexNumber(r->address));
    PacketDecoder again;
    std::vector<Frame> back;
    again.feed(reply, back);
    if (back.size() != 1 || back[0].kind != Frame::Kind::Packet)
      std::abort();
  }
  return 0;
}
