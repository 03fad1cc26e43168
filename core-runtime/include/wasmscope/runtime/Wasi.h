// WASI preview1 (`wasi_snapshot_preview1`) as a host module: args, environ,
// clocks, random, the fd and path families over preopened directories,
// poll_oneoff and proc_exit. The guest reaches the host file system only
// beneath its preopens; `..`, absolute paths and symlinks cannot lead out.
#pragma once

#include "wasmscope/runtime/Result.h"
#include "wasmscope/runtime/Store.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmscope::runtime {

/// The name guests import WASI preview1 from.
inline constexpr std::string_view kWasiModuleName = "wasi_snapshot_preview1";

/// A host directory the guest may use, and the name it sees it under.
struct WasiPreopen {
  std::string hostPath;
  std::string guestPath; ///< What fd_prestat_dir_name reports, e.g. "." or "/data".
};

/// Everything the guest can see of the host. Nothing else reaches it: no
/// host environment variable, no directory outside `preopens`.
struct WasiConfig {
  std::vector<std::string> args; ///< argv; args[0] is the program name.
  std::vector<std::pair<std::string, std::string>> env;
  /// Become fds 3, 4, ... in this order (fds 0, 1 and 2 are stdio).
  std::vector<WasiPreopen> preopens;
  /// Fixed clocks (advancing only by a fixed step per read and through
  /// poll_oneoff sleeps, which return at once) and random bytes from `seed`,
  /// so two runs with the same input see the same values.
  bool deterministic = false;
  uint64_t seed = 0;
  /// Receives what the guest writes to stdout (fd 1) and stderr (fd 2). When
  /// empty, the bytes go to the host's fds 1 and 2.
  std::function<void(int fd, std::string_view bytes)> output;
  /// Host fd the guest's stdin reads from; -1 gives an empty stdin. Not closed.
  int stdinFd = 0;
};

/// One guest's WASI state: its configuration, fd table and exit status. The
/// host functions it creates refer to it, so it must outlive every call into
/// the instances that import them.
class WasiContext {
public:
  explicit WasiContext(WasiConfig config);
  ~WasiContext();
  WasiContext(WasiContext&&) noexcept;
  WasiContext& operator=(WasiContext&&) noexcept;
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  const WasiConfig& config() const;

  /// Opens the preopened directories and builds the host module
  /// "wasi_snapshot_preview1" in `store`. Fails (ErrorCode::IoError) when a
  /// preopen cannot be opened as a directory. Only once per context.
  Result<Instance*> instantiate(Store& store);
  /// Instantiates (if not done yet) and makes every WASI function importable
  /// through `linker`.
  Result<void> define(Store& store, Linker& linker);

  /// Calls the instance's `_start` and returns the guest's exit status: the
  /// value passed to proc_exit, or 0 when `_start` returns. Traps and other
  /// failures are returned as errors.
  Result<uint32_t> runStart(Store& store, const Instance& instance);

  /// The status the guest passed to proc_exit, once it has called it.
  std::optional<uint32_t> exitCode() const;

  /// The state behind the host functions (internal).
  struct State;

private:
  std::unique_ptr<State> m_state;
};

/// True when `error` is the unwinding of a proc_exit call rather than a failure.
inline bool isProcExit(const Error& error) { return error.code == ErrorCode::ProcExit; }

} // namespace wasmscope::runtime
