// The backend of the memory monitor commands (`leak_check`, `block_list`,
// `who_points_at`): the heap profiler (profiler/) watching the run the stub
// serves, attached through the session's RunObserver hook once the guest is
// instantiated, and memcheck-style text answers for the LLDB console. Every
// answer comes from a real scan of the guest's memory at the stop, with the
// live frames' locals as roots, and its stacks are resolved to source lines
// with the module's DWARF, as the end-of-run report resolves them. After the
// run the answers come from the leak check at exit.
#pragma once

#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/session/Session.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wasmscope::gdbstub {

/// leak_check's arguments, as Valgrind's gdbserver spells them.
struct LeakCheckRequest {
  /// `full`: the loss records with their stacks, then the summary;
  /// `summary`: the summary only.
  bool full = true;
  /// Kinds shown, by profiler::LeakKind (definite, indirect, possible,
  /// reachable). `possibleleak` (the default): definite and possible;
  /// `definiteleak`; `reachable`: all; `kinds definite,indirect,...|all|none`.
  bool kinds[4] = {true, false, true, false};
  /// Which records, against the previous leak_check: `any` (the default;
  /// Valgrind's is `increased`), `increased`, `changed`, `new`.
  enum class Delta : uint8_t { Any, Increased, Changed, New } delta = Delta::Any;
  /// `limited N`: at most N records; `unlimited` (the default).
  std::optional<uint64_t> limit;
};
/// Parses leak_check's arguments; errors name the one not understood.
runtime::Result<LeakCheckRequest> parseLeakCheckRequest(std::string_view args);

/// The live frames of the stop a command answers at; null after the run.
using LiveFrames = const std::span<const runtime::FrameInfo>*;

/// Owns a heap profiler for each run of the launch. Put it in
/// LaunchConfig::observers with LaunchConfig::countBlocks set. The commands
/// must be called while the guest is parked (Session::inspectStop, which
/// supplies the frames) or after the run (frames null).
class MemoryMonitor final : public debugger::RunObserver {
public:
  /// `allocators`: user-named allocator functions to intercept too.
  explicit MemoryMonitor(std::vector<profiler::AllocatorName> allocators = {});
  ~MemoryMonitor() override;
  MemoryMonitor(const MemoryMonitor&) = delete;
  MemoryMonitor& operator=(const MemoryMonitor&) = delete;

  runtime::Result<void> attach(runtime::Guest& guest) override;
  runtime::Result<void> instantiated(runtime::Guest& guest) override;
  void detach(runtime::Guest& guest) override;

  /// `leak_check ARGS`: loss records numbered 1..n, largest first, with
  /// "N bytes in M blocks are definitely lost in loss record i of n" and
  /// their allocation stacks, then the leak summary.
  runtime::Result<std::string> leakCheck(std::string_view args, LiveFrames frames);
  /// `block_list ARGS`: the blocks (address[size]) of loss records of the
  /// last leak_check (one is run first if there was none), chosen by
  /// number, range or allocation site (FILE:LINE or FUNCTION in the stack);
  /// a definitely lost block lists the indirectly lost blocks under it.
  runtime::Result<std::string> blockList(std::string_view args, LiveFrames frames);
  /// `who_points_at ADDR LEN`: every aligned word of static data, the
  /// shadow stack and live blocks, every i32 wasm global and every local of
  /// a live frame, that points into [address, address + length), each with
  /// where it is (a C variable when the DWARF names one, or the block it is
  /// in with that block's allocation stack). `symbols` names the variables.
  runtime::Result<std::string> whoPointsAt(uint32_t address, uint32_t length, LiveFrames frames,
                                           const debugger::ModuleSymbols* symbols);

private:
  /// A fresh snapshot (mid-run), or the final profile (after the run).
  runtime::Result<profiler::Profile> current(LiveFrames frames);

  mutable std::mutex m_mutex;
  runtime::Guest* m_guest = nullptr;
  const std::vector<profiler::AllocatorName> m_allocators;
  std::unique_ptr<profiler::HeapProfiler> m_heap;
  /// The code section's offset in the module file: LLDB's code addresses
  /// are 0x4000000000000000 + it + a code offset.
  uint64_t m_codeBase = 0;
  /// The profile with the leak check at exit, once the guest is gone.
  std::optional<profiler::Profile> m_final;
  std::string m_finalError;
  /// The last leak_check's profile: block_list numbers records as it did.
  std::optional<profiler::Profile> m_lastCheck;
  /// Per (kind, stack): total bytes and blocks at the last leak_check, and
  /// the summary then, for increased/changed/new.
  std::map<std::pair<uint8_t, uint32_t>, std::pair<uint64_t, uint64_t>> m_previous;
  std::optional<profiler::LeakSummary> m_previousSummary;
};

} // namespace wasmscope::gdbstub
