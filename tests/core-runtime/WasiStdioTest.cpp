// What stdio looks like to the guest (wasi/blocking.wat's filetype and
// isatty exports, isatty as wasi-libc has it): the file type the host's fd
// has, and a terminal only when the host's fd is one, in deterministic runs
// too. Output a front end captures is shown as a terminal.
#include "WasiTestSupport.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

namespace wasmscope::runtime {
namespace {

using namespace wasitest;

constexpr uint32_t kUnknown = 0, kCharacterDevice = 2, kRegularFile = 4;

struct Seen {
  uint32_t type;
  uint32_t tty;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "{type " << s.type << ", tty " << s.tty << "}";
}

/// Type and isatty() of guest fd `fd` with `config`.
Seen seen(WasiConfig config, uint32_t fd) {
  config.args = {"blocking"};
  WasiContext context(config);
  Store store;
  Linker linker;
  std::ifstream in(guestPath("blocking"), std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto module = loadModule(bytes);
  EXPECT_TRUE(module.ok());
  EXPECT_TRUE(context.define(store, linker).ok());
  auto inst = store.instantiate(*module, linker);
  EXPECT_TRUE(inst.ok());
  if (!module.ok() || !inst.ok())
    return {99, 99};
  Value arg = Value::i32(fd);
  auto type = store.invoke(*(*inst)->findFunction("filetype"), std::span(&arg, 1));
  auto tty = store.invoke(*(*inst)->findFunction("isatty"), std::span(&arg, 1));
  return {(*type)[0].asI32(), (*tty)[0].asI32()};
}

/// Runs `body` with the process's fd `target` temporarily replaced by `fd`.
template <typename F> void withFd(int target, int fd, F body) {
  int saved = ::dup(target);
  ::dup2(fd, target);
  body();
  ::dup2(saved, target);
  ::close(saved);
}

class WasiStdioTest : public ::testing::TestWithParam<bool> {
protected:
  void SetUp() override { SKIP_WITHOUT_GUEST("blocking"); }
  WasiConfig config(int stdinFd) const {
    WasiConfig c;
    c.stdinFd = stdinFd;
    c.deterministic = GetParam(); // Changes nothing here.
    return c;
  }
};

TEST_P(WasiStdioTest, StdinIsWhatTheHostFdIs) {
  int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(devNull, 0);
  EXPECT_EQ(seen(config(devNull), 0), (Seen{kCharacterDevice, 0}));
  ::close(devNull);

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_EQ(seen(config(fds[0]), 0), (Seen{kUnknown, 0}));
  ::close(fds[0]);
  ::close(fds[1]);

  TempDir dir;
  writeFile(dir.path() / "in.txt", "text");
  int file = ::open((dir.path() / "in.txt").c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(seen(config(file), 0), (Seen{kRegularFile, 0}));
  ::close(file);

  // No stdin at all reads like /dev/null.
  EXPECT_EQ(seen(config(-1), 0), (Seen{kCharacterDevice, 0}));
}

TEST_P(WasiStdioTest, ATerminalIsOneOnlyWhenTheHostFdIs) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
    GTEST_SKIP() << "no pseudo-terminals here";
  int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(slave, 0);
  EXPECT_EQ(seen(config(slave), 0), (Seen{kCharacterDevice, 1}));
  ::close(slave);
  ::close(master);
}

TEST_P(WasiStdioTest, StdoutAndStderrAreTheHostsUnlessCaptured) {
  int devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(devNull, 0);
  withFd(1, devNull, [&] {
    EXPECT_EQ(seen(config(-1), 1), (Seen{kCharacterDevice, 0}));
  });
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  withFd(2, fds[1], [&] {
    EXPECT_EQ(seen(config(-1), 2), (Seen{kUnknown, 0}));
  });
  ::close(fds[0]);
  ::close(fds[1]);
  ::close(devNull);
  // Captured by a front end (a debugger's console): shown as a terminal.
  WasiConfig captured = config(-1);
  captured.output = [](int, std::string_view) {};
  EXPECT_EQ(seen(captured, 1), (Seen{kCharacterDevice, 1}));
}

INSTANTIATE_TEST_SUITE_P(Mode, WasiStdioTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Deterministic" : "Plain";
                         });

} // namespace
} // namespace wasmscope::runtime
