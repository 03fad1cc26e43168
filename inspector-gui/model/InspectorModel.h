// The inspector's data model: where the data comes from (a live run through
// a LiveRun, or a saved profile), the models each view reads, and what the
// user has selected across views. Views draw from here and tell it what was
// clicked; it has no GUI dependency, so every decision a view's click leads
// to is testable without a window. update() runs once per frame on the GUI
// thread: it takes the session's events and rebuilds what a new snapshot
// changed.
#pragma once

#include "AllocationsModel.h"
#include "CallTraceModel.h"
#include "Console.h"
#include "DebugState.h"
#include "FlameGraph.h"
#include "FunctionTable.h"
#include "HeapTimeline.h"
#include "MemoryMap.h"
#include "ModuleSummary.h"
#include "SourceModel.h"
#include "TypedMemory.h"

#include "wasmscope/profiler/MemoryLayout.h"
#include "wasmscope/profiler/Profile.h"
#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::debugger {
class ModuleSymbols;
class Session;
} // namespace wasmscope::debugger

namespace wasmscope::gui {

class LiveRun;

/// The views, in tab order; also the names `--view` takes.
enum class ViewId : uint8_t { Memory, Allocations, Timeline, CallTrace, Profile, Source, Debug, Module };
inline constexpr int kViewCount = 8;
/// "memory", "allocations", "timeline", "calltrace", "profile", "source",
/// "debug", "module".
const char* viewName(ViewId view);
std::optional<ViewId> parseViewName(std::string_view name);

/// What is selected, shared by the views.
struct Selection {
  profiler::FrameId function = profiler::kNone; ///< Profile table and flame graph.
  uint32_t flameNode = 0;                      ///< 0: none.
  uint32_t traceSpan = UINT32_MAX;             ///< Call trace; UINT32_MAX: none.
  std::optional<uint64_t> address;             ///< Memory map and hex view.
  /// Allocations table: the row (index into rows()) and block in it.
  std::optional<size_t> allocationRow;
  std::optional<size_t> allocationBlock;
};

/// Bytes of linear memory read for the hex view.
struct MemoryBytes {
  uint64_t address = 0;
  std::vector<uint8_t> data; ///< Fewer than asked past the end.
  /// Where they come from: "stopped guest", "memory at exit"; "" for none.
  std::string source;
};

class InspectorModel {
public:
  InspectorModel();
  ~InspectorModel();
  InspectorModel(const InspectorModel&) = delete;
  InspectorModel& operator=(const InspectorModel&) = delete;

  // --- Where the data comes from. ---

  /// Shows a live run (not owned; must outlive the model).
  void attachLive(LiveRun& run);
  /// Opens a saved JSON profile. The module it names is read too, when it
  /// is still there and unchanged (its SHA-256 matches), for the Module view
  /// and the source lines that have code.
  runtime::Result<void> openProfile(const std::string& path);
  /// Where data, bss and the stack lie, and linear memory's initial pages,
  /// for a profile shown with setProfile() (tests, benchmarks); a saved
  /// profile's module or the live one gives them otherwise.
  void setMemoryLayout(std::optional<profiler::MemoryLayout> layout, uint64_t initialPages) {
    m_layout = std::move(layout);
    m_initialPages = initialPages;
  }
  /// Shows a profile held in memory (tests, benchmarks).
  void setProfile(std::shared_ptr<const profiler::Profile> profile);

  bool isLive() const { return m_live != nullptr; }
  LiveRun* live() { return m_live; }
  /// The live session, or null for a saved profile.
  debugger::Session* session();
  /// A line for the title bar: "request_handler.O0.wasm - live", ...
  std::string title() const;

  /// Once per frame: takes events and new snapshots, refreshes the models.
  void update();
  /// Called for each session event update() takes (after the models saw it);
  /// the headless runner logs state changes from here.
  std::function<void(const debugger::Event&)> onEvent;
  /// Called when the session's breakpoints changed (here or in another
  /// front end), so that a DAP client sharing the session hears of it.
  std::function<void()> onBreakpointsChanged;

  // --- What the views read. ---

  const profiler::Profile* profile() const { return m_profile.get(); }
  std::shared_ptr<const profiler::Profile> profileShared() const { return m_profile; }
  /// Whether the profile is the whole run's (saved, or the run ended).
  bool profileFinal() const { return m_profileFinal; }
  /// Why there is no profile ("" when there is one or none is expected).
  const std::string& profileError() const { return m_profileError; }
  /// Moves whenever the profile is replaced.
  uint64_t profileVersion() const { return m_profileVersion; }

  const ModuleSummary* module() const { return m_module ? &*m_module : nullptr; }
  const debugger::ModuleSymbols* symbols() const;

  FunctionTable& functions() { return m_functions; }
  FlameGraph& flame() { return m_flame; }
  CallTraceModel& trace() { return m_trace; }
  SourceModel& source() { return m_source; }
  DebugState& debug() { return m_debug; }
  Console& console() { return m_console; }
  Selection& selection() { return m_selection; }
  MemoryMap& memoryMap() { return m_memoryMap; }
  AllocationsModel& allocations() { return m_allocations; }
  HeapTimeline& timeline() { return m_timeline; }
  /// Where data, bss and the stack lie, when the module is known.
  const std::optional<profiler::MemoryLayout>& memoryLayout() const { return m_layout; }
  /// Linear memory's contents at [address, address + count): from the
  /// stopped guest, or the copy kept at the end of a live run; empty
  /// `source` when there is neither (a saved profile keeps no contents).
  MemoryBytes readMemory(uint64_t address, uint64_t count) const;
  /// The typed value at the selected address, where the debug info knows
  /// it (live and stopped only; see TypedMemory.h). Looked up once per
  /// selection and stop.
  const std::optional<TypedValue>& selectedTypedValue();

  /// Source files that can be shown: those of the profile and the debug info.
  std::vector<std::string> sourceFiles() const;

  // --- What a click leads to. ---

  /// Opens `file` in the Source view, scrolled to `line` (0: keep).
  void showSource(const std::string& file, uint32_t line);
  /// The line the Source view should scroll to once (0: none); taken by it.
  uint32_t takeSourceScroll();
  /// The line to mark as the current position (the selected frame's), or 0.
  uint32_t currentLine() const;
  /// Selects a function (profile table, flame graph): its source shows too.
  void selectFunction(profiler::FrameId frame);
  /// Selects a call-trace span and shows its function's source.
  void selectTraceSpan(uint32_t span);
  /// Selects the byte at `address` in the memory views: the block holding
  /// it is selected in the allocations table too.
  void selectAddress(uint64_t address);
  /// Shows the memory views at instruction `time` (the live set replayed
  /// from the heap log), or at the end of the run again.
  void scrubTo(uint64_t time);
  void clearScrub();
  /// Selects an allocations row (and a block in it); the block's address
  /// becomes the memory views' selection.
  void selectAllocation(size_t row, std::optional<size_t> block);
  /// Selects a frame of the stopped guest and shows its source line.
  void selectStackFrame(size_t index);
  /// Sets or clears a breakpoint from the Source view's gutter.
  runtime::Result<bool> toggleBreakpoint(uint32_t line);
  /// The view to bring to the front once (a navigation), taken by the app.
  std::optional<ViewId> takeViewRequest();
  void requestView(ViewId view) { m_viewRequest = view; }

private:
  void rebuildFromProfile();
  void loadModuleForProfile();
  void followSession();
  void rebuildMemory();

  LiveRun* m_live = nullptr;
  uint64_t m_liveVersion = 0;
  std::shared_ptr<const profiler::Profile> m_profile;
  bool m_profileFinal = false;
  std::string m_profileError;
  uint64_t m_profileVersion = 0;
  std::string m_profilePath;

  // A saved profile's module, read from run.modulePath.
  std::unique_ptr<runtime::Module> m_savedModule;
  std::unique_ptr<debugger::ModuleSymbols> m_savedSymbols;
  std::optional<ModuleSummary> m_module;
  /// The live module m_module was built from (a restart loads a new one).
  const runtime::Module* m_liveModule = nullptr;
  uint64_t m_breakpointsVersion = UINT64_MAX;

  FunctionTable m_functions;
  FlameGraph m_flame;
  CallTraceModel m_trace;
  SourceModel m_source;
  DebugState m_debug;
  Console m_console;
  Selection m_selection;
  MemoryMap m_memoryMap;
  AllocationsModel m_allocations;
  HeapTimeline m_timeline;
  std::optional<profiler::MemoryLayout> m_layout;
  uint64_t m_initialPages = 0;
  std::shared_ptr<const std::vector<uint8_t>> m_memoryImage;
  std::optional<TypedValue> m_typed;
  std::optional<uint64_t> m_typedAddress;
  uint64_t m_typedVersion = UINT64_MAX;
  uint32_t m_sourceScroll = 0;
  std::optional<ViewId> m_viewRequest;
};

} // namespace wasmscope::gui
