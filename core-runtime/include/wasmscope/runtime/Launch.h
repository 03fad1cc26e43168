// Launching a guest: the one path by which every front end (`run`,
// `profile`, `ci`, `inspect`, the DAP server, the gdb-remote stub) turns a
// module file and a launch specification into a running WASI instance. It
// reads the file safely, compiles, sets up WASI and the store's limits,
// links and instantiates, and gives each failure one clear message, so the
// front ends differ only in what they observe and how they report it.
#pragma once

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Result.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/runtime/Wasi.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmscope::runtime {

/// The largest module file wasmscope reads: far beyond real modules (the
/// largest seen are tens of MiB), far below what would exhaust the host.
inline constexpr uint64_t kMaxModuleFileBytes = uint64_t(1) << 30;

/// Reads a module file for any front end. Only a regular file is read: a
/// directory, FIFO, socket or device is refused before any read, so nothing
/// blocks and nothing unbounded is read. The file must be at most `maxBytes`
/// long and is read to exactly the size it had when opened. Errors
/// (ErrorCode::IoError) name the path and the reason.
Result<std::vector<uint8_t>> readModuleFile(const std::string& path,
                                            uint64_t maxBytes = kMaxModuleFileBytes);

/// Everything that decides how a guest runs, filled from command-line options
/// or DAP launch arguments.
struct LaunchSpec {
  /// The module file. Relative paths are taken from `cwd` when it is set.
  std::string modulePath;
  /// Directory relative module and preopen host paths are resolved against
  /// (empty: the process's). Not visible to the guest unless preopened.
  std::string cwd;
  /// argv[0]; empty means the module path as given.
  std::string programName;
  /// The guest's arguments after argv[0].
  std::vector<std::string> args;
  /// The guest's whole environment; nothing of the host's is passed on.
  std::vector<std::pair<std::string, std::string>> env;
  /// Directories the guest may use, preopened as fds 3, 4, ... in order.
  std::vector<WasiPreopen> preopens;
  /// Host fd the guest's stdin reads from (not closed); -1: an empty stdin.
  int stdinFd = 0;
  /// Receives the guest's stdout (fd 1) and stderr (fd 2); empty: the host's.
  std::function<void(int fd, std::string_view bytes)> output;
  /// Fixed clocks and seeded random bytes (WasiConfig::deterministic).
  bool deterministic = false;
  uint64_t seed = 0;
  /// Instruction budget; the guest traps "out of fuel" beyond it.
  std::optional<uint64_t> fuel;
  /// Compile per-block fuel metering even without a budget, for observers
  /// that count instructions (profilers). Implied by `fuel`.
  bool meterFuel = false;
  /// Compile per-block execution counters too (CompileOptions::countBlocks),
  /// for exact per-line instruction counts. Implies meterFuel.
  bool countBlocks = false;
  /// Cap on linear memory in bytes, rounded down to whole 64 KiB pages; at
  /// least one page. A grow beyond it fails as the spec allows a grow to.
  std::optional<uint64_t> memoryLimitBytes;
  /// Cap on nested wasm calls ("call stack exhausted" beyond); at least 1.
  std::optional<uint32_t> maxCallDepth;
  /// Wall-clock limit: once the guest has run this long (from instantiation,
  /// not counting time a debugger holds it stopped) it traps with "wall-clock
  /// limit exceeded", at its next function entry or loop back edge, or inside
  /// a blocking WASI call. Positive.
  std::optional<std::chrono::nanoseconds> timeout;
};

/// Parses a duration as front ends accept it: a decimal number and a unit,
/// ms, s, m or h ("500ms", "30s", "1.5m", "2h"). Empty when malformed, not
/// positive, or beyond 100 days.
std::optional<std::chrono::nanoseconds> parseDuration(std::string_view text);

class WallClockLimit;

/// A launched guest: its compiled module, WASI context and store. Observers
/// (debugger, profiler) attach to the store's probes, hooks and fuel between
/// loadGuest() and runStart(); nothing of the guest runs before
/// instantiate().
class Guest {
public:
  ~Guest();
  Guest(const Guest&) = delete;
  Guest& operator=(const Guest&) = delete;

  const LaunchSpec& spec() const { return m_spec; }
  /// The module file as opened (`cwd` applied).
  const std::string& path() const { return m_path; }
  /// The module's name: the name section's, else the file name's stem.
  const std::string& name() const { return m_name; }
  const std::shared_ptr<const CompiledModule>& module() const { return m_module; }
  Store& store() { return *m_store; }
  const Store& store() const { return *m_store; }
  WasiContext& wasi() { return *m_wasi; }
  const WasiContext& wasi() const { return *m_wasi; }
  /// The instance, once instantiate() succeeded; null before.
  Instance* instance() const { return m_instance; }

  /// Links WASI and instantiates, which runs the module's start function if
  /// it has one. Fails on an import WASI preview1 does not provide (named,
  /// with a hint), a preopen that is not a directory, or a trap in the start
  /// function (a Trap-phase error; a proc_exit there is not an error, see
  /// exitCode()). Only once.
  Result<Instance*> instantiate();
  /// Calls `_start` and returns the guest's exit status (proc_exit's, or 0
  /// when `_start` returns). Traps and limits are errors. Needs instantiate().
  Result<uint32_t> runStart();
  /// The status the guest passed to proc_exit, once it has called it.
  std::optional<uint32_t> exitCode() const { return m_wasi->exitCode(); }

  /// Starts the wall-clock limit, if the spec has one; instantiate() and
  /// runStart() do so themselves, so only embedders that invoke other
  /// exports first need it. Idempotent.
  void startClock();
  /// Stops the wall-clock limit's clock while the guest is held, say parked
  /// by a debugger, until releaseClock(); holds nest. No-op without a limit.
  void holdClock();
  void releaseClock();

private:
  friend Result<std::unique_ptr<Guest>> loadGuest(LaunchSpec spec);
  Guest() = default;

  LaunchSpec m_spec;
  std::string m_path;
  std::string m_name;
  std::shared_ptr<const CompiledModule> m_module;
  // Destroyed in reverse: the store's host functions refer to the WASI state.
  std::unique_ptr<WasiContext> m_wasi;
  std::unique_ptr<Store> m_store;
  /// Declared after the store: its watchdog interrupts the store, so it goes first.
  std::unique_ptr<WallClockLimit> m_clock;
  int m_clockHolds = 0; ///< Holds taken before the clock started.
  Instance* m_instance = nullptr;
};

/// Checks the specification, reads the module file and compiles it, and
/// creates its WASI context and store under the requested limits. Nothing of
/// the guest runs. Errors say what went wrong and where: "prog.wasm:
/// malformed module: unexpected end at offset 0x1a", "cannot open 'x.wasm':
/// No such file or directory".
Result<std::unique_ptr<Guest>> loadGuest(LaunchSpec spec);

/// loadGuest() then Guest::instantiate().
Result<std::unique_ptr<Guest>> launchGuest(LaunchSpec spec);

/// A load error as front ends print it: "not a WebAssembly module (magic
/// header not detected)", "malformed module: ...", "invalid module: ...".
std::string describeLoadError(const Error& error);

} // namespace wasmscope::runtime
