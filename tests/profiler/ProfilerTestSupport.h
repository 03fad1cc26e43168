// Shared helpers of the profiler tests: the wasm modules they run (samples,
// benchmark kernels, the test programs), and one profiled run of a module
// through the library, with the guest's output captured.
#pragma once

#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/runtime/Launch.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::profiler::test {

/// A module and how to run it.
struct TestModule {
  std::string name;
  std::string path;
  std::optional<std::string> invoke; ///< Export to call; empty: _start.
  std::vector<std::string> args;     ///< The program's arguments.
};

/// Every sample (-O0, -O2), benchmark kernel (run_small), real-program
/// benchmark (at a small size) and test program that was built.
std::vector<TestModule> allModules();
/// A test program from tests/profiler/programs, built at `opt` ("O0", "O2").
std::string programPath(const std::string &name, const std::string &opt);

struct ProfiledRun {
  Result<Profile> profile = runtime::Error(runtime::ErrorCode::InvalidArgument, "not run");
  std::string stdoutText;
  std::string runError; ///< Empty when the entry returned or the guest exited.
};

/// Runs `module` under the profiler. `beforeRun` may add more instruments
/// to the guest's store (a global probe, say) once the profiler is on.
ProfiledRun profileModule(const TestModule &module, ProfilerOptions options = {},
                          std::function<void(runtime::Guest &)> beforeRun = {});

} // namespace wasmscope::profiler::test
