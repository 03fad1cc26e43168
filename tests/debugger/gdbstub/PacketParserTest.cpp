// Request parsing: every packet the stub answers, with its fields, and the
// malformed forms, which are errors with a message (never a crash, never a
// half-parsed request).
#include "Packet.h"

#include "PacketCodec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace wasmscope::gdbstub {
namespace {

Request parsed(std::string_view payload) {
  Result<Request> r = parseRequest(payload);
  EXPECT_TRUE(r.ok()) << payload << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Request{};
}

TEST(PacketParser, SimpleQueries) {
  struct Case {
    std::string_view payload;
    RequestKind kind;
  };
  const Case cases[] = {
      {"?", RequestKind::StopReason},
      {"qSupported:xmlRegisters=i386;swbreak+", RequestKind::Supported},
      {"qSupported", RequestKind::Supported},
      {"QStartNoAckMode", RequestKind::StartNoAckMode},
      {"QEnableErrorStrings", RequestKind::EnableErrorStrings},
      {"QThreadSuffixSupported", RequestKind::ThreadSuffixSupported},
      {"QListThreadsInStopReply", RequestKind::ListThreadsInStopReply},
      {"qHostInfo", RequestKind::HostInfo},
      {"qProcessInfo", RequestKind::ProcessInfo},
      {"qC", RequestKind::CurrentThread},
      {"qfThreadInfo", RequestKind::ThreadListFirst},
      {"qsThreadInfo", RequestKind::ThreadListNext},
      {"qAttached", RequestKind::Attached},
      {"qAttached:1", RequestKind::Attached},
      {"qWatchpointSupportInfo:", RequestKind::WatchpointSupportInfo},
      {"vCont?", RequestKind::ContinueQuery},
      {"k", RequestKind::Kill},
      {"vKill;1", RequestKind::Kill},
      {"D", RequestKind::Detach},
      {"D;1", RequestKind::Detach},
      {"g", RequestKind::ReadRegisters},
      {"g;thread:1;", RequestKind::ReadRegisters},
      {"qWasmCallStack", RequestKind::WasmCallStack},
      {"qGDBServerVersion", RequestKind::GdbServerVersion},
  };
  for (const Case& c : cases)
    EXPECT_EQ(parsed(c.payload).kind, c.kind) << c.payload;
  EXPECT_EQ(parsed("qSupported:swbreak+").text, "swbreak+");
}

TEST(PacketParser, NumbersAndFields) {
  Request r = parsed("m4000000000000190,400");
  EXPECT_EQ(r.kind, RequestKind::ReadMemory);
  EXPECT_EQ(r.address, 0x4000000000000190u);
  EXPECT_EQ(r.length, 0x400u);
  r = parsed("x11400,200");
  EXPECT_EQ(r.kind, RequestKind::ReadMemoryBinary);
  EXPECT_EQ(r.address, 0x11400u);
  r = parsed("M100,3:0a0B0c");
  EXPECT_EQ(r.kind, RequestKind::WriteMemory);
  EXPECT_EQ(r.data, (std::vector<uint8_t>{0x0a, 0x0b, 0x0c}));
  r = parsed(std::string_view("X100,3:a#\0", 10));
  EXPECT_EQ(r.kind, RequestKind::WriteMemoryBinary);
  EXPECT_EQ(r.data, (std::vector<uint8_t>{'a', '#', 0}));
  r = parsed("Z0,40000000000001ea,1");
  EXPECT_EQ(r.kind, RequestKind::InsertPoint);
  EXPECT_EQ(r.pointType, PointType::Software);
  EXPECT_EQ(r.address, 0x40000000000001eau);
  r = parsed("z4,fa8,8;X2,0a");
  EXPECT_EQ(r.kind, RequestKind::RemovePoint);
  EXPECT_EQ(r.pointType, PointType::AccessWatch);
  EXPECT_EQ(r.length, 8u);
  EXPECT_EQ(parsed("Z7,10,1").kind, RequestKind::Unsupported);
  r = parsed("p0;thread:0001;");
  EXPECT_EQ(r.kind, RequestKind::ReadRegister);
  EXPECT_EQ(r.reg, 0u);
  EXPECT_EQ(r.thread, 1u);
  r = parsed("P0=1122334455667788");
  EXPECT_EQ(r.kind, RequestKind::WriteRegister);
  EXPECT_EQ(r.data.size(), 8u);
  r = parsed("qRegisterInfo1a");
  EXPECT_EQ(r.reg, 0x1au);
  r = parsed("qThreadStopInfo1");
  EXPECT_EQ(r.thread, 1u);
  r = parsed("qMemoryRegionInfo:4000000000000000");
  EXPECT_EQ(r.kind, RequestKind::MemoryRegionInfo);
  EXPECT_EQ(r.address, 0x4000000000000000u);
  r = parsed("qXfer:libraries:read::0,1ffff");
  EXPECT_EQ(r.kind, RequestKind::ReadLibraries);
  EXPECT_EQ(r.length, 0x1ffffu);
  EXPECT_EQ(parsed("qXfer:features:read:target.xml:0,fff").kind, RequestKind::Unsupported);
  r = parsed("qWasmLocal:2;17");
  EXPECT_EQ(r.kind, RequestKind::WasmLocal);
  EXPECT_EQ(r.frame, 2u);
  EXPECT_EQ(r.index, 17u);
  r = parsed("qWasmGlobal:0;3");
  EXPECT_EQ(r.kind, RequestKind::WasmGlobal);
  r = parsed("qWasmStackValue:1;0");
  EXPECT_EQ(r.kind, RequestKind::WasmStackValue);
  EXPECT_EQ(r.frame, 1u);
  r = parsed("qWasmCallStack:1");
  EXPECT_EQ(r.thread, 1u);
  r = parsed("qRcmd,6c65616b5f636865636b");
  EXPECT_EQ(r.kind, RequestKind::Monitor);
  EXPECT_EQ(r.text, "leak_check");
  r = parsed("Hg1");
  EXPECT_EQ(r.kind, RequestKind::SetThread);
  EXPECT_EQ(r.thread, 1u);
  EXPECT_EQ(parsed("Hc-1").thread, UINT64_MAX);
  EXPECT_EQ(parsed("Hgp1.1").thread, 1u);
  EXPECT_EQ(parsed("T1").kind, RequestKind::ThreadAlive);
}

TEST(PacketParser, ResumeForms) {
  EXPECT_EQ(parsed("c").kind, RequestKind::Continue);
  EXPECT_EQ(parsed("s").kind, RequestKind::Step);
  Request r = parsed("C0b");
  EXPECT_EQ(r.kind, RequestKind::Continue);
  EXPECT_EQ(r.signal, 0x0b);
  EXPECT_EQ(parsed("vCont;s:1").kind, RequestKind::Step);
  EXPECT_EQ(parsed("vCont;c").kind, RequestKind::Continue);
  EXPECT_EQ(parsed("vCont;c:-1").kind, RequestKind::Continue);
  // The first action that applies wins.
  EXPECT_EQ(parsed("vCont;s:1;c").kind, RequestKind::Step);
  EXPECT_EQ(parsed("vCont;t:2;c").kind, RequestKind::Continue);
  r = parsed("vCont;S05:1");
  EXPECT_EQ(r.kind, RequestKind::Step);
  EXPECT_EQ(r.signal, 5);
}

TEST(PacketParser, UnknownPacketsAreUnsupported) {
  for (std::string_view p : {"", "qFoo", "QBar:1", "vFile:open:2f", "jThreadsInfo",
                             "jThreadExtendedInfo:", "_M4,rw", "!", "A", "qSymbol::",
                             "qShlibInfoAddr", "qStructuredDataPlugins", "bc", "i", "R00"})
    EXPECT_EQ(parsed(p).kind, RequestKind::Unsupported) << p;
}

TEST(PacketParser, MalformedPacketsAreErrors) {
  for (std::string_view p :
       {"m", "m10", "mzz,4", "m10,", "m,4", "m10,zz", "m11111111111111111,4", "m10,100001",
        "x10", "M10", "M10,2", "M10,2:zz", "M10,2:0a", "M10,1:0", "X10,2:a", "Z", "Z0",
        "Z0,10", "Z0,zz,1", "zq,1,1", "p", "pzz", "p100000000", "P0", "P0=zz", "Pzz=00",
        "qRegisterInfo", "qRegisterInfozz", "qThreadStopInfo", "qMemoryRegionInfo:",
        "qMemoryRegionInfo:q", "qXfer:libraries:read:", "qXfer:libraries:read::1",
        "qWasmLocal:", "qWasmLocal:1", "qWasmLocal:a;1", "qWasmLocal:1;b", "qWasmLocal:1;",
        "qWasmLocal:99999999999;1", "qWasmGlobal:-1;0", "qWasmStackValue:0;0;0",
        "qWasmCallStack:xyz", "qRcmd,6", "qRcmd,zz", "vCont;", "vCont;q",
        "vCont;c:zz", "vCont;t", "vCont;C", "vCont;Czz", "C", "C0", "c10", "s10", "Hq1",
        "H", "Hgzz", "T", "Tzz", "D;zz", "D1"}) {
    Result<Request> r = parseRequest(p);
    EXPECT_FALSE(r.ok()) << "'" << p << "' parsed as kind " << int(r.ok() ? r->kind : RequestKind{});
    if (!r.ok()) {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(PacketParser, HexHelpers) {
  EXPECT_EQ(toHex(std::string("\x01\xab", 2)), "01ab");
  EXPECT_EQ(toHexLittleEndian(0x4000000000000190ull, 8), "9001000000000040");
  EXPECT_EQ(toHexLittleEndian(0x2a, 4), "2a000000");
  EXPECT_EQ(hexNumber(0), "0");
  EXPECT_EQ(hexNumber(0x4000000000000000ull), "4000000000000000");
  EXPECT_EQ(fromHex("00ff10"), (std::vector<uint8_t>{0, 255, 16}));
  EXPECT_FALSE(fromHex("0"));
  EXPECT_FALSE(fromHex("0g"));
  EXPECT_EQ(parseHexNumber("ffffffffffffffff"), UINT64_MAX);
  EXPECT_FALSE(parseHexNumber("10000000000000000"));
  EXPECT_EQ(parseDecimal("4294967295"), UINT32_MAX);
  EXPECT_FALSE(parseDecimal("4294967296"));
  EXPECT_FALSE(parseDecimal("-1"));
}

TEST(PacketParser, RegressionAndCorpusInputs) {
  namespace fs = std::filesystem;
  size_t files = 0, packets = 0;
  for (const char* dir : {"tests/regression/gdb", "tests/fuzz/gdb-corpus"}) {
    fs::path path = fs::path(WASMSCOPE_SOURCE_DIR) / dir;
    if (!fs::exists(path))
      continue;
    for (const auto& e : fs::directory_iterator(path)) {
      if (!e.is_regular_file() || e.path().extension() != ".bin")
        continue;
      ++files;
      std::ifstream in(e.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), {});
      PacketDecoder d;
      std::vector<Frame> frames;
      d.feed(bytes, frames);
      for (const Frame& f : frames)
        if (f.kind == Frame::Kind::Packet) {
          ++packets;
          Result<Request> r = parseRequest(f.payload);
          EXPECT_TRUE(r.ok() || !r.error().message.empty()) << e.path();
        }
    }
  }
  EXPECT_GE(files, 5u) << "the seed corpus is missing";
  EXPECT_GT(packets, 40u);
}

} // namespace
} // namespace wasmscope::gdbstub
