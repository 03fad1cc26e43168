// The shared launch path (Launch.h): module files of every kind a user or a
// DAP client may name, the launch specification's checks, and a guest run
// end to end through loadGuest/instantiate/runStart with captured output.
#include "WasiTestSupport.h"
#include "WatUtil.h"

#include "wasmscope/runtime/Launch.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace wasmscope::runtime {
namespace {

using wasitest::TempDir;
using wasitest::writeFile;

/// A WASI command writing "hi\n" to stdout and exiting with status 7.
const char* kHelloWat = R"((module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 7))))
)";

std::string writeModule(const TempDir& dir, const std::string& name, const std::string& wat) {
  std::vector<uint8_t> bytes = test::watToWasm(wat);
  std::string path = (dir.path() / name).string();
  writeFile(path, std::string(bytes.begin(), bytes.end()));
  return path;
}

TEST(ReadModuleFileTest, ReadsARegularFileExactly) {
  TempDir dir;
  writeFile(dir.path() / "m.wasm", std::string("\0asm\1\0\0\0", 8));
  auto bytes = readModuleFile((dir.path() / "m.wasm").string());
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(bytes->size(), 8u);
  EXPECT_EQ((*bytes)[1], 'a');
}

TEST(ReadModuleFileTest, RefusesWhatIsNotARegularFile) {
  TempDir dir;
  auto directory = readModuleFile(dir.path().string());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos);

  auto device = readModuleFile("/dev/zero"); // Would never end.
  ASSERT_FALSE(device.ok());
  EXPECT_NE(device.error().message.find("device"), std::string::npos);

  // A FIFO with no writer would block a plain open forever.
  std::string fifo = (dir.path() / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto pipe = readModuleFile(fifo);
  ASSERT_FALSE(pipe.ok());
  EXPECT_NE(pipe.error().message.find("FIFO"), std::string::npos);

  auto missing = readModuleFile((dir.path() / "none.wasm").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::IoError);
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);
}

TEST(ReadModuleFileTest, CapsTheSize) {
  TempDir dir;
  writeFile(dir.path() / "big.wasm", std::string(100, 'x'));
  auto r = readModuleFile((dir.path() / "big.wasm").string(), 99);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("99-byte limit"), std::string::npos);
  EXPECT_TRUE(readModuleFile((dir.path() / "big.wasm").string(), 100).ok());
}

TEST(LaunchTest, RunsAGuestWithCapturedOutput) {
  TempDir dir;
  LaunchSpec spec;
  spec.modulePath = "hello.wasm";
  spec.cwd = dir.path().string();
  writeModule(dir, "hello.wasm", kHelloWat);
  std::string out;
  spec.output = [&](int fd, std::string_view bytes) {
    if (fd == 1)
      out.append(bytes);
  };
  auto guest = launchGuest(std::move(spec));
  ASSERT_TRUE(guest.ok()) << guest.error().message;
  EXPECT_EQ((*guest)->path(), (dir.path() / "hello.wasm").string());
  EXPECT_EQ((*guest)->name(), "hello");
  auto status = (*guest)->runStart();
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(*status, 7u);
  EXPECT_EQ(out, "hi\n");
}

TEST(LaunchTest, NamesTheImportWasiLacks) {
  TempDir dir;
  LaunchSpec spec;
  spec.modulePath = writeModule(
      dir, "m.wasm", R"((module (import "wasi_snapshot_preview1" "no_such" (func))))");
  auto guest = loadGuest(spec);
  ASSERT_TRUE(guest.ok()) << guest.error().message;
  auto instance = (*guest)->instantiate();
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().code, ErrorCode::UnknownImport);
  EXPECT_NE(instance.error().message.find("'wasi_snapshot_preview1.no_such' (not a WASI preview1"),
            std::string::npos)
      << instance.error().message;
}

TEST(LaunchTest, DescribesLoadErrorsWithThePath) {
  TempDir dir;
  writeFile(dir.path() / "text.wasm", "not wasm at all");
  LaunchSpec spec;
  spec.modulePath = (dir.path() / "text.wasm").string();
  auto guest = loadGuest(spec);
  ASSERT_FALSE(guest.ok());
  EXPECT_EQ(guest.error().message,
            spec.modulePath + ": not a WebAssembly module (magic header not detected)");
}

TEST(LaunchTest, ChecksLimits) {
  TempDir dir;
  LaunchSpec spec;
  spec.modulePath = writeModule(dir, "hello.wasm", kHelloWat);
  spec.memoryLimitBytes = 1024;
  auto small = loadGuest(spec);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.error().message.find("below one 64 KiB page"), std::string::npos);

  spec.memoryLimitBytes = 3 * kPageSize + 5;
  spec.maxCallDepth = 0;
  ASSERT_FALSE(loadGuest(spec).ok());
  spec.maxCallDepth = 12;
  auto guest = loadGuest(spec);
  ASSERT_TRUE(guest.ok()) << guest.error().message;
  EXPECT_EQ((*guest)->store().limits().maxMemoryPages, 3u);
  EXPECT_EQ((*guest)->store().limits().maxCallDepth, 12u);
}

TEST(LaunchTest, FuelBudgetCompilesMetering) {
  TempDir dir;
  LaunchSpec spec;
  spec.modulePath = writeModule(dir, "hello.wasm", kHelloWat);
  auto plain = loadGuest(spec);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE((*plain)->module()->options().meterFuel);
  spec.fuel = 3; // Fewer than _start needs.
  auto guest = launchGuest(spec);
  ASSERT_TRUE(guest.ok()) << guest.error().message;
  EXPECT_TRUE((*guest)->module()->options().meterFuel);
  auto status = (*guest)->runStart();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::OutOfFuel);
}

} // namespace
} // namespace wasmscope::runtime
