// Replays every saved untrusted input (fuzzer crashes in tests/regression/,
// the fuzz seed corpus in tests/fuzz/corpus/) through the fuzzer's own
// harness in an ordinary build: none may crash, and the valid seeds must
// still decode, instantiate and run.
#include "UntrustedRun.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace wasmscope::runtime::test {
namespace {

std::vector<uint8_t> readFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

std::vector<fs::path> filesIn(const fs::path& dir) {
  std::vector<fs::path> out;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".wasm")
        out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RegressionTest, SavedCrashInputsRunCleanly) {
  for (const fs::path& p : filesIn(fs::path(WASMSCOPE_SOURCE_DIR) / "tests/regression")) {
    SCOPED_TRACE(p.string());
    fuzz::runUntrustedModule(readFile(p));
  }
}

TEST(RegressionTest, SeedCorpusStillInstantiatesAndRuns) {
  // The seeds mix valid modules with the spec suite's invalid ones; the
  // counts below are what the corpus held when it was committed.
  auto seeds = filesIn(fs::path(WASMSCOPE_SOURCE_DIR) / "tests/fuzz/corpus");
  ASSERT_GE(seeds.size(), 60u);
  size_t instantiated = 0, called = 0;
  for (const fs::path& p : seeds) {
    SCOPED_TRACE(p.string());
    auto summary = fuzz::runUntrustedModule(readFile(p));
    instantiated += summary.instantiated;
    called += summary.exportsCalled;
  }
  EXPECT_GE(instantiated, 40u);
  EXPECT_GE(called, 100u);
}

} // namespace
} // namespace wasmscope::runtime::test
