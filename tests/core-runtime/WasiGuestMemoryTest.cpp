// Bad guest pointers: every WASI import given a pointer (or a length) that
// leaves linear memory returns EFAULT (21) and changes nothing, neither in
// the host (no output, no file created) nor by crashing. Driven by the WAT
// guest wasi/rawcalls.wat; GuestMemory's own checks are tested directly.
#include "WasiTestSupport.h"

#include "wasi/GuestMemory.h"
#include "wasmscope/runtime/Instance.h"

#include <gtest/gtest.h>

namespace wasmscope::runtime {
namespace {

using namespace wasitest;
using wasi::Errno;

class WasiBadPointerTest : public ::testing::Test {
protected:
  void SetUp() override {
    SKIP_WITHOUT_GUEST("rawcalls");
    WasiConfig config;
    config.args = {"rawcalls", "an argument"};
    config.env = {{"KEY", "value"}};
    config.preopens = {{tmp.path().string(), "/sandbox"}};
    guest = std::make_unique<WasiGuest>("rawcalls", std::move(config));
    ASSERT_TRUE(guest->ok()) << guest->loadError;
  }

  uint32_t call(const std::string& name) {
    auto r = guest->call(name);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().describe());
    return r.ok() ? *r : 0xdead;
  }

  TempDir tmp;
  std::unique_ptr<WasiGuest> guest;
};

TEST_F(WasiBadPointerTest, EveryOutOfBoundsPointerIsEfault) {
  for (const char* name :
       {"write_bad_iovec_array", "write_bad_buffer", "write_bad_result", "read_bad_buffer",
        "args_get_bad", "args_sizes_bad", "environ_get_bad", "clock_bad", "random_bad",
        "random_wrap", "open_bad_path", "open_bad_result", "filestat_bad_result", "poll_bad",
        "readdir_bad", "prestat_bad", "fdstat_bad"})
    EXPECT_EQ(call(name), 21u) << name;
  // Nothing reached stdout, and the file whose fd could not be returned was
  // never created.
  EXPECT_EQ(guest->out, "");
  EXPECT_FALSE(fs::exists(tmp.path() / "x.txt"));
  // The guest is intact: a good call still works.
  EXPECT_EQ(call("write_ok"), 0u);
  EXPECT_EQ(guest->out, "hello");
}

TEST_F(WasiBadPointerTest, OtherHostileArguments) {
  EXPECT_EQ(call("open_nul_path"), 28u);  // EINVAL: a NUL byte in the path
  EXPECT_EQ(call("open_absolute"), 76u);  // ENOTCAPABLE
  EXPECT_EQ(call("open_on_stdout"), 54u); // ENOTDIR: stdout is no directory
  EXPECT_EQ(call("close_unknown"), 8u);   // EBADF
  EXPECT_EQ(call("close_negative"), 8u);  // EBADF
  EXPECT_EQ(call("raise"), 52u);          // ENOSYS: no signals
  EXPECT_EQ(call("accept_unknown"), 8u);  // EBADF
  EXPECT_EQ(call("recv_stdin"), 58u);     // ENOTSUP: no sockets
}

TEST(WasiGuestMemory, BoundsChecksNeverWrap) {
  Result<std::unique_ptr<MemoryInstance>> mem = MemoryInstance::create(MemoryType{Limits{1, 1}});
  ASSERT_TRUE(mem.ok());
  wasi::GuestMemory g(mem->get());
  EXPECT_TRUE(g.check(0, 65536));
  EXPECT_TRUE(g.check(65536, 0));
  EXPECT_FALSE(g.check(65536, 1));
  EXPECT_FALSE(g.check(1, 65536));
  EXPECT_FALSE(g.check(0xffffffffu, 2));
  EXPECT_FALSE(g.check(UINT64_MAX, 2));
  EXPECT_FALSE(g.checkArray(0, 0x20000000u, 8));
  EXPECT_FALSE(g.checkArray(0, UINT64_MAX, 8));

  uint32_t v = 0;
  EXPECT_EQ(g.writeU32(65532, 0x11223344), Errno::Success);
  EXPECT_EQ(g.readU32(65532, v), Errno::Success);
  EXPECT_EQ(v, 0x11223344u);
  EXPECT_EQ((*mem)->data[65532], 0x44) << "guest memory is little-endian";
  EXPECT_EQ(g.writeU32(65533, 1), Errno::Fault);
  uint64_t wide = 0;
  EXPECT_EQ(g.readU64(65530, wide), Errno::Fault);
  EXPECT_EQ(g.writeBytes(65535, std::string_view("ab")), Errno::Fault);
  EXPECT_EQ((*mem)->data[65535], 0x11) << "a failed write writes nothing";

  std::vector<wasi::GuestRange> iovs;
  // iovec {buf = 65530, len = 10} runs past the end.
  EXPECT_EQ(g.writeU32(0, 65530), Errno::Success);
  EXPECT_EQ(g.writeU32(4, 10), Errno::Success);
  EXPECT_EQ(g.readIovecs(0, 1, iovs), Errno::Fault);
  EXPECT_EQ(g.writeU32(4, 6), Errno::Success);
  EXPECT_EQ(g.readIovecs(0, 1, iovs), Errno::Success);
}

TEST(WasiGuestMemory, NoMemoryMeansEveryAccessFails) {
  wasi::GuestMemory g(nullptr);
  EXPECT_TRUE(g.check(0, 0));
  EXPECT_FALSE(g.check(0, 1));
  uint8_t b;
  EXPECT_EQ(g.readU8(0, b), Errno::Fault);
  EXPECT_EQ(g.writeBytes(0, std::string_view("")), Errno::Success);
}

} // namespace
} // namespace wasmscope::runtime
