// WASI process-level calls run by real guests: argv and environ exactly as
// configured, clocks and random bytes (repeatable in deterministic mode),
// sleeping through poll_oneoff, proc_exit's status, and the import table
// wasi-libc expects.
#include "WasiTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

namespace wasmscope::runtime {
namespace {

using namespace wasitest;
using Lines = std::vector<std::string>;

TEST(WasiProcessTest, ArgsAndEnvAreExactlyTheConfiguredOnes) {
  SKIP_WITHOUT_GUEST("argsenv");
  ::setenv("WASMSCOPE_HOST_ONLY", "must not leak", 1);
  WasiConfig config;
  config.args = {"prog", "two words", "caf\xc3\xa9", ""};
  config.env = {{"GREETING", "hello"}, {"EMPTY", ""}, {"EQ", "a=b"}};
  WasiGuest guest("argsenv", std::move(config));
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  auto status = guest.run();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(lines(guest.out),
            (Lines{"argc=4", "argv[0]=prog", "argv[1]=two words", "argv[2]=caf\xc3\xa9",
                   "argv[3]=", "env GREETING=hello", "env EMPTY=", "env EQ=a=b"}));
  ::unsetenv("WASMSCOPE_HOST_ONLY");
}

TEST(WasiProcessTest, NoEnvironmentUnlessConfigured) {
  SKIP_WITHOUT_GUEST("argsenv");
  ::setenv("WASMSCOPE_HOST_ONLY", "must not leak", 1);
  WasiGuest guest("argsenv", {});
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  ASSERT_TRUE(guest.run().ok());
  EXPECT_EQ(lines(guest.out), (Lines{"argc=1", "argv[0]=argsenv"}));
  ::unsetenv("WASMSCOPE_HOST_ONLY");
}

/// Runs the clocks guest; its output and how long the run took.
std::pair<std::string, double> runClocks(bool deterministic, uint64_t seed) {
  WasiConfig config;
  config.deterministic = deterministic;
  config.seed = seed;
  WasiGuest guest("clocks", std::move(config));
  EXPECT_TRUE(guest.ok()) << guest.loadError;
  auto start = std::chrono::steady_clock::now();
  auto status = guest.run();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
  EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().describe());
  return {guest.out, ms};
}

std::string field(const std::string& out, const std::string& key) {
  for (const std::string& line : lines(out))
    if (line.rfind(key + "=", 0) == 0)
      return line.substr(key.size() + 1);
  return "<missing " + key + ">";
}

TEST(WasiProcessTest, DeterministicModeRepeatsClocksAndRandom) {
  SKIP_WITHOUT_GUEST("clocks");
  auto [first, ms1] = runClocks(true, 7);
  auto [second, ms2] = runClocks(true, 7);
  EXPECT_EQ(first, second);
  // The fake realtime clock starts at 2024-01-01T00:00:00Z and the 50 ms
  // sleep advances it without sleeping.
  EXPECT_EQ(field(first, "time"), "1704067200");
  EXPECT_EQ(field(first, "slept_ms"), "50");
  EXPECT_EQ(field(first, "badclock"), "28"); // EINVAL
  EXPECT_EQ(field(first, "res"), "0:1000");
  EXPECT_LT(std::min(ms1, ms2), 45.0) << "a deterministic sleep must not wait";
  // Another seed, other bytes; the clocks do not depend on the seed.
  auto [third, ms3] = runClocks(true, 8);
  EXPECT_NE(field(first, "random"), field(third, "random"));
  EXPECT_EQ(field(first, "monotonic"), field(third, "monotonic"));
}

TEST(WasiProcessTest, RealClocksAndRandom) {
  SKIP_WITHOUT_GUEST("clocks");
  auto [first, ms1] = runClocks(false, 0);
  auto [second, ms2] = runClocks(false, 0);
  EXPECT_NE(field(first, "random"), field(second, "random"));
  EXPECT_GE(std::stoull(field(first, "slept_ms")), 50u);
  EXPECT_GE(ms1, 50.0);
  long long now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  EXPECT_NEAR(double(std::stoll(field(first, "time"))), double(now), 5.0);
  EXPECT_EQ(field(first, "badclock"), "28");
}

TEST(WasiProcessTest, ProcExitStatusIsReported) {
  SKIP_WITHOUT_GUEST("exitcode");
  WasiConfig config;
  config.args = {"exitcode", "7"};
  WasiGuest guest("exitcode", std::move(config));
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  auto status = guest.run();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(*status, 7u);
  EXPECT_EQ(guest.context().exitCode(), 7u);
  EXPECT_EQ(guest.out, "exiting\n"); // exit() flushed stdio before proc_exit.
}

TEST(WasiProcessTest, ReturningFromMainIsStatusZero) {
  SKIP_WITHOUT_GUEST("exitcode");
  WasiGuest guest("exitcode", {});
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  auto status = guest.run();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(*status, 0u);
}

TEST(WasiProcessTest, ProcExitUnwindsWithProcExitError) {
  SKIP_WITHOUT_GUEST("rawcalls");
  WasiGuest guest("rawcalls", {});
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  auto r = guest.call("exit42"); // proc_exit(42) followed by `unreachable`
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::ProcExit);
  EXPECT_TRUE(isProcExit(r.error()));
  EXPECT_EQ(guest.context().exitCode(), 42u);
}

TEST(WasiProcessTest, EveryImportOfWasiLibcResolvesWithItsType) {
  SKIP_WITHOUT_GUEST("allimports");
  WasiGuest guest("allimports", {});
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  ASSERT_EQ(guest.instance->module()->module().imports.size(), 45u);
  auto status = guest.run();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(*status, 0u);
}

TEST(WasiProcessTest, TheHostModuleHasAllPreview1Functions) {
  Store store;
  WasiContext wasi({});
  auto instance = wasi.instantiate(store);
  ASSERT_TRUE(instance.ok()) << instance.error().describe();
  // 45 that wasi-libc imports, plus proc_raise.
  EXPECT_EQ((*instance)->exports().size(), 46u);
  EXPECT_TRUE((*instance)->findFunction("proc_raise"));
  EXPECT_FALSE(wasi.instantiate(store).ok()) << "a context builds its module once";
}

TEST(WasiProcessTest, AMissingPreopenIsAnError) {
  Store store;
  WasiConfig config;
  config.preopens = {{"/nonexistent/wasmscope-dir", "/data"}};
  WasiContext wasi(std::move(config));
  auto instance = wasi.instantiate(store);
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().code, ErrorCode::IoError);
  EXPECT_NE(instance.error().message.find("/nonexistent/wasmscope-dir"), std::string::npos);
}

TEST(WasiProcessTest, PollOneoffClocksAndFds) {
  SKIP_WITHOUT_GUEST("pollprobe");
  TempDir tmp;
  writeFile(tmp.path() / "data.txt", "twelve bytes");
  WasiConfig config;
  config.preopens = {{tmp.path().string(), "/data"}};
  WasiGuest guest("pollprobe", std::move(config));
  ASSERT_TRUE(guest.ok()) << guest.loadError;
  auto status = guest.run();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(lines(guest.out),
            (Lines{"open: 0", "clock: errno=0 n=1 [ud=7 type=0 err=0 nbytes=0]",
                   "waited_ms>=20: 1",
                   // A readable file is ready at once; the 5 s clock never fires.
                   "file: errno=0 n=1 [ud=2 type=1 err=0 nbytes=12]",
                   "stdout: errno=0 n=1 [ud=3 type=2 err=0 nbytes=0]",
                   "badfd: errno=0 n=1 [ud=4 type=1 err=8 nbytes=0]", "none: 28"}));
}

} // namespace
} // namespace wasmscope::runtime
