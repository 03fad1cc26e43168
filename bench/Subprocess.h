// Runs a program as a child process, captures its output and measures its
// wall-clock time: what the benchmarks need to compare runners that are
// separate programs (native binaries, wasmscope, node).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::bench {

struct ProcessResult {
  bool started = false;  ///< False if the program could not be spawned.
  bool timedOut = false; ///< Killed after the timeout.
  int exitStatus = -1;   ///< Exit status, or -1 when killed by a signal.
  int signal = 0;        ///< The terminating signal, if any.
  std::string out;       ///< Captured standard output.
  std::string err;       ///< Captured standard error.
  double seconds = 0;    ///< Wall time from spawn to exit.
  double cpuSeconds = 0; ///< The child's user plus system CPU time, all its threads.

  bool succeeded() const { return started && !timedOut && exitStatus == 0; }
  /// "exit status 3", "killed by signal 9", "timed out", "could not start".
  std::string describeStatus() const;
};

/// Runs `argv[0]` (looked up in PATH if it has no slash) with `argv`, stdin
/// from /dev/null. Kills the child if it runs longer than `timeout`.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         std::optional<std::chrono::milliseconds> timeout = std::nullopt);

} // namespace wasmscope::bench
