// The profile data model: what one profiled run measured, as plain data that
// the writers, `wasmscope report`, the CI report and the desktop inspector
// read. It depends on nothing but the standard library (no runtime, no
// DWARF, no GUI), so a saved profile can be loaded and queried anywhere.
//
// Call paths are interned once, as a tree of stack nodes (StackId); every
// per-path measurement (instructions now, allocation events later) refers to
// a node, so the memory profile will share the same stacks.
#pragma once

#include "wasmscope/profiler/MemoryProfile.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::profiler {

/// The JSON profile's `format` value and the version this code writes.
inline constexpr const char *kProfileFormatName = "wasmscope-profile";
inline constexpr uint32_t kProfileFormatVersion = 1;

using FileId = uint32_t;  ///< Index into Profile::files.
using FrameId = uint32_t; ///< Index into Profile::frames.
using StackId = uint32_t; ///< Index into Profile::stacks; 0 is the root.
using LineId = uint32_t;  ///< Index into Profile::lines.
inline constexpr uint32_t kNone = UINT32_MAX;
inline constexpr StackId kRootStack = 0;

/// What a frame stands for.
enum class FrameKind : uint8_t {
  Wasm,      ///< A wasm function of the module (a real activation).
  Inlined,   ///< A function the compiler inlined (DWARF inlined subroutine).
  Host,      ///< A host (WASI) function called from wasm: "wasi:fd_write".
  Truncated, ///< Call paths beyond ProfilerOptions::maxStacks meet here.
};

/// A function as profiles name it.
struct Frame {
  FrameKind kind = FrameKind::Wasm;
  std::string name;           ///< DWARF name, else the name section's, else "func[N]".
  uint32_t funcIndex = kNone; ///< Wasm function index (Wasm and Host frames).
  FileId file = kNone;        ///< Declaring file, when DWARF has it.
  uint32_t line = 0;          ///< Declaration line; 0 if unknown.
  uint32_t address = 0;       ///< Code offset of the function's entry (Wasm).
};

/// One frame of a source position, with the inlining that led there.
struct SourceFrame {
  FrameId frame = kNone;
  FileId file = kNone;
  uint32_t line = 0; ///< 0: no line (no DWARF, or compiler-generated code).
  bool operator==(const SourceFrame &) const = default;
  auto operator<=>(const SourceFrame &) const = default;
};

/// A source line and the instructions executed on it. `chain` is innermost
/// first: chain[0] is the function whose code it is (an inlined function's
/// own file:line), each following entry the caller it was inlined into, at
/// the call's file:line; the last entry is always the wasm function.
struct LineStats {
  std::vector<SourceFrame> chain;
  uint64_t instructions = 0;
  uint32_t address = 0; ///< Lowest code offset of an instruction counted here.

  FrameId function() const { return chain.empty() ? kNone : chain.front().frame; }
  FileId file() const { return chain.empty() ? kNone : chain.front().file; }
  uint32_t line() const { return chain.empty() ? 0 : chain.front().line; }
};

/// One call path: the path of its parent plus `frame`. Recursion is
/// collapsed: a function never appears twice on one path (a recursive call
/// stays on the node of the outermost activation), so the tree is bounded.
struct StackNode {
  StackId parent = kNone; ///< kNone for the root.
  FrameId frame = kNone;  ///< kNone for the root.
  uint64_t calls = 0;     ///< Activations that entered this path.
  uint64_t selfInstructions = 0;
  uint64_t totalInstructions = 0; ///< Self plus every descendant's.
  uint64_t hostNanos = 0;         ///< Wall time in a host frame (with wall time on).
  /// Self instructions by line, LineId ascending; sums to selfInstructions.
  std::vector<std::pair<LineId, uint64_t>> lines;
};

/// Per-function totals over every path.
struct FunctionStats {
  FrameId frame = kNone;
  uint64_t calls = 0; ///< 0 for inlined functions (their calls are not events).
  uint64_t selfInstructions = 0;
  uint64_t totalInstructions = 0; ///< Recursion counted once.
  uint64_t hostNanos = 0;
};

enum class TraceEventKind : uint8_t { Enter, Exit };

/// One call-trace event, stamped with the instruction count when it happened.
struct TraceEvent {
  TraceEventKind kind = TraceEventKind::Enter;
  FrameId frame = kNone;
  uint64_t instructions = 0;
  uint64_t nanos = 0; ///< Wall time since the run started; 0 without wall time.
  bool operator==(const TraceEvent &) const = default;
};

/// The call trace: the last `capacity` events of the run.
struct Trace {
  bool enabled = false;
  uint64_t capacity = 0;
  uint64_t recorded = 0; ///< Events the run produced.
  uint64_t dropped = 0;  ///< Oldest events overwritten (recorded - events.size()).
  /// Frames already open when events[0] happened, outermost first.
  std::vector<FrameId> openAtStart;
  std::vector<TraceEvent> events;
};

/// How the run went.
struct RunInfo {
  std::string module; ///< Module name (name section, else file stem).
  std::string modulePath;
  std::string moduleSha256; ///< Hex SHA-256 of the module file.
  std::vector<std::string> commandLine;
  std::string entry;             ///< "_start" or the --invoke export.
  std::optional<int> exitStatus; ///< The guest's exit status, when it exited.
  std::string trap;              ///< The trap message, when it trapped.
  bool wallTime = false;         ///< Whether nanos fields were measured.
  uint64_t wallNanos = 0;        ///< Whole run, with wall time on.
};

struct Totals {
  uint64_t instructions = 0; ///< Wasm instructions executed.
  uint64_t calls = 0;        ///< Wasm function activations.
  uint64_t hostCalls = 0;
  uint64_t hostNanos = 0;
};

/// A whole profile.
struct Profile {
  uint32_t version = kProfileFormatVersion;
  RunInfo run;
  Totals totals;
  std::vector<std::string> files; ///< Source file paths.
  std::vector<Frame> frames;
  std::vector<FunctionStats> functions; ///< One per frame, at the frame's index.
  std::vector<LineStats> lines;
  std::vector<StackNode> stacks; ///< stacks[0] is the root.
  Trace trace;
  /// The heap profile (`profile --memory`); its stacks name frames and
  /// lines of this profile.
  std::optional<MemoryProfile> memory;
  /// Top-level sections this version does not interpret (from newer
  /// versions), kept as JSON text so that a round trip preserves them.
  std::map<std::string, std::string> extensions;

  // --- Queries (used by `report`, the writers, CI and the inspector). ---

  /// The frames of a path, outermost first (empty for the root).
  std::vector<FrameId> stackFrames(StackId id) const;
  /// Children of every node, in StackId order.
  std::vector<std::vector<StackId>> childrenIndex() const;
  /// Function statistics for a frame, or null.
  const FunctionStats *functionFor(FrameId frame) const;
  /// "name (file:line)" or "name" for a frame.
  std::string describeFrame(FrameId frame) const;
  /// File path, or "" for kNone.
  const std::string &filePath(FileId file) const;
  /// Functions sorted by self instructions, descending (ties by name).
  std::vector<const FunctionStats *> functionsBySelf() const;
  /// Instructions per (file, line), innermost attribution, descending.
  struct FileLine {
    FileId file = kNone;
    uint32_t line = 0;
    FrameId function = kNone;
    uint64_t instructions = 0;
  };
  std::vector<FileLine> linesByInstructions() const;
  /// Checks the internal consistency a reader relies on (indices in range,
  /// parents before children, line sums equal self counts). Returns an
  /// empty string when consistent, else what is wrong.
  std::string validate() const;
};

} // namespace wasmscope::profiler
