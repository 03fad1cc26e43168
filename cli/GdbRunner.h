// `wasmscope run --gdb-port N` / `--gdb-socket PATH`: the guest runs under
// the gdb-remote stub (debugger/gdbstub) for LLDB, launched with the same
// run options as a plain run. See docs/LLDB.md.
#pragma once

#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/runtime/Launch.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::cli {

/// Where the stub listens: exactly one of the two.
struct GdbEndpoint {
  std::optional<uint16_t> port;
  std::optional<std::string> socketPath;
  /// Run the instruction profiler for the `profile` monitor command.
  bool profile = false;
  /// Run the heap profiler for leak_check, block_list and who_points_at.
  bool memory = false;
  /// With `memory`: the guest's own allocators (`--allocator NAME=KIND`).
  std::vector<profiler::AllocatorName> allocators;
};

/// Serves the guest described by `spec` to LLDB; returns the process exit
/// status (the guest's, as `run` gives it, or 2 when it cannot start).
int runUnderGdbStub(const runtime::LaunchSpec& spec, const GdbEndpoint& endpoint);

} // namespace wasmscope::cli
