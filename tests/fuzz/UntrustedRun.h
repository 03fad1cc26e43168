// Runs an untrusted module the way the fuzzer does: decode, validate,
// compile, instantiate with stub imports, call every export under fuel and
// small limits. Shared by the libFuzzer target and the regression replay
// test, so a saved crash input replays exactly what crashed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace wasmscope::runtime::fuzz {

/// What happened, for tests that assert more than "did not crash".
struct UntrustedRunSummary {
  bool decoded = false;
  bool instantiated = false;
  size_t exportsCalled = 0;
};

UntrustedRunSummary runUntrustedModule(std::span<const uint8_t> bytes);

} // namespace wasmscope::runtime::fuzz
