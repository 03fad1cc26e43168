// The state behind a Session, shared by the files that implement it: the
// guest thread and events (Session.cpp), breakpoints (Breakpoints.cpp),
// stepping (Stepping.cpp), asynchronous interruption (Interrupts.cpp), stop
// snapshots and frames (Frames.cpp), and variables (Variables.cpp).
//
// Ownership between threads. `mutex` guards everything here except what the
// guest thread owns while it runs: the Store (and so every probe), and the
// stepping state. The controlling threads touch the Store only while the
// guest is not executing wasm: before configurationDone, while it is parked
// in park(), or after it finished. Asynchronous requests (pause, terminate,
// breakpoint changes while running) go through `attention` and the store's
// interrupts (Store::interrupt), and the guest thread acts on them.
#pragma once

#include "BreakpointExpressions.h"
#include "CompiledExpression.h"
#include "Evaluator.h"
#include "TypeFactory.h"
#include "ValueFormatter.h"
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/runtime/Wasi.h"
#include "wasmscope/session/Session.h"
#include "wasmscope/symbols/SourcePaths.h"
#include "wasmscope/symbols/Symbols.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace wasmscope::debugger {

using runtime::FuncIndex;
using runtime::ProbeAction;
using runtime::ProbeContext;
using runtime::ProbeId;

/// A source or instruction location a probe sits at: (function, code offset).
using ProbeLocation = std::pair<FuncIndex, uint32_t>;

enum class ResumeKind : uint8_t { Continue, Next, StepIn, StepOut };

/// What parked the guest, so that resuming knows whether a breakpoint probe
/// at the same instruction is still to run in the same dispatch.
enum class StopSource : uint8_t {
  None,
  GlobalProbe,
  BreakpointProbe,
  OtherProbe,
  HostCall, ///< Inside a blocking host call: the call instruction has run.
  Trap,
  Watch ///< A memory watch's hook, after the access.
};

enum class BreakpointKind : uint8_t { Line, Function, Instruction, Data };

/// `N`, `==N`, `>N`, `>=N`, `<N`, `<=N`, `%N` on the hit count.
struct HitCondition {
  enum class Op : uint8_t { Always, Eq, Gt, Ge, Lt, Le, Mod };
  Op op = Op::Always;
  uint64_t n = 0;
  bool matches(uint64_t hits) const;
  static Result<HitCondition> parse(std::string_view text);
};

struct BreakpointRecord {
  BreakpointId id = 0;
  BreakpointKind kind = BreakpointKind::Line;
  std::string requestPath; ///< Line: the path as the front end sent it.
  uint32_t requestLine = 0;
  std::string functionName;        ///< Function.
  uint32_t instructionAddress = 0; ///< Instruction: address + offset.
  uint64_t dataAddress = 0;        ///< Data: the watched range and accesses.
  uint64_t dataSize = 0;
  DataAccessType dataAccess = DataAccessType::Write;
  std::string condition;
  std::string hitConditionText;
  std::string logMessage;
  /// `condition` and `logMessage` parsed when the breakpoint is resolved
  /// (typedef names need the symbols); a hit only evaluates them.
  ParsedExpression conditionTree;
  std::vector<LogPiece> logPieces;
  HitCondition hitCondition;
  std::optional<std::string> hitConditionError;
  Breakpoint resolved;
  std::vector<ProbeLocation> locations;
  /// Hits whose condition held. Shared with the probes' plans, which count
  /// without the session's lock.
  std::shared_ptr<std::atomic<uint64_t>> hits = std::make_shared<std::atomic<uint64_t>>(0);
  bool resolvedOnce = false;
};

/// A breakpoint as the probe at one location runs it, with its condition
/// and log message compiled for that location's code offset.
struct LocationBreakpoint {
  BreakpointId id = 0;
  BreakpointKind kind = BreakpointKind::Line;
  std::shared_ptr<std::atomic<uint64_t>> hits;
  HitCondition hitCondition;
  std::string conditionText;
  ParsedExpression conditionTree;              ///< Null: no condition.
  std::optional<CompiledExpression> condition; ///< Absent: evaluate the tree.
  bool isLog = false;
  std::vector<LogPiece> logPieces;
  std::vector<std::optional<CompiledExpression>> logCompiled; ///< One per piece.
  std::string sourcePath;
  uint32_t line = 0;
};

/// The one probe at a location, shared by the breakpoints there. Its plan
/// is rebuilt by applyBreakpoints (under `mutex`, while the guest runs no
/// wasm) and read by the probe without the lock.
struct LocationProbe {
  ProbeId probe = 0;
  std::vector<BreakpointId> breakpoints;
  std::vector<LocationBreakpoint> plan;
  /// The line-table row there, for "once per pass over a line".
  FileIndex file = kNoFile;
  uint32_t line = 0;
  /// Another probe in the same function is on the same line.
  bool sharesLine = false;
};

/// One wasm activation of a stop.
struct ConcreteFrame {
  runtime::FrameInfo info;
  runtime::Instance* instance = nullptr;
};

/// A frame as the user sees it: a concrete frame, or one inlined call in it.
struct SourceFrame {
  size_t concrete = 0;
  /// 0: innermost inlined call (or the function itself when none);
  /// inlineChainAt(pc).size(): the concrete function.
  uint32_t inlineDepth = 0;
  bool inlined = false;
  std::string name;
  FileIndex file = kNoFile;
  uint32_t line = 0;
  uint32_t column = 0;
};

/// A node of the variables tree, by reference.
struct Container {
  enum class Kind : uint8_t { Scope, Value } kind = Kind::Scope;
  size_t sourceFrame = 0;
  FrameScopeKind scope = FrameScopeKind::Locals;
  EvalValue value;
  std::string evaluateName;
};

/// Everything known about the guest while it is parked.
struct StopSnapshot {
  uint64_t epoch = 0;
  StoppedEvent event;
  StopSource source = StopSource::None;
  ProbeId sourceProbe = 0;
  std::vector<ConcreteFrame> frames;
  std::vector<runtime::Value> operandStack; ///< Innermost frame, probe stops only.
  bool hasOperandStack = false;
  std::optional<std::vector<SourceFrame>> sourceFrames; ///< Built on first use.
  std::vector<Container> containers;
  std::map<std::string, VariablesReference> containerKeys;
};

/// Stepping state, owned by the guest thread while it runs.
struct StepState {
  ResumeKind kind = ResumeKind::Continue; ///< Continue: not stepping.
  StepGranularity granularity = StepGranularity::Line;
  uint32_t startDepth = 0;
  FuncIndex startFunc = 0;
  uint32_t startOffset = 0;
  FileIndex startFile = kNoFile;
  uint32_t startLine = 0;
  bool startHasLine = false;
  size_t startInline = 0;
  /// The inlined calls the step started in, outermost first: the stepped
  /// frame is the last of them (or the concrete function when empty).
  /// Compared by identity, so that leaving one inlined call straight into
  /// the next one at the same depth is seen as leaving the frame.
  std::vector<const Scope*> startChain;
  /// Scratch for the chain at the current instruction.
  std::vector<const Scope*> chain;
  /// The step returned into the middle of a line with no line of its own
  /// (line 0, as clang puts after calls at -O2): stop at the next
  /// statement of any line in this frame.
  bool anyLine = false;
  bool globalOn = false;
  std::optional<ProbeId> returnProbe;
  uint32_t returnDepth = 0;
  /// Not a step: a continue from a breakpoint on a line with several
  /// locations, watching (as a step over would) until the line is left, so
  /// that its other locations do not stop the same pass again.
  bool lineGuard = false;
  // The line-table row last looked up, so most instructions need no search.
  bool rowValid = false;
  SourceLocation row;
  /// A statement row found under a fused instruction (stepRowAt), and
  /// whether the last decision used it.
  SourceLocation fusedRow;
  bool fusedRowUsed = false;
};

/// The breakpoint probe to let pass once after resuming, because it is at the
/// instruction the guest stopped at and would run in the same dispatch.
struct ResumeSkip {
  bool active = false;
  FuncIndex func = 0;
  uint32_t pc = 0;
  uint32_t depth = 0;
  /// The wasm offset the stop was reported at. A breakpoint at a later wasm
  /// instruction of the same pc (folded into it, so nothing of it has run)
  /// was not reported, and stops.
  uint32_t wasmOffset = 0;
  bool matches(FuncIndex f, uint32_t p, uint32_t d, uint32_t offset) const {
    return active && f == func && p == pc && d == depth && offset <= wasmOffset;
  }
};

enum class Attention : uint32_t { Pause = 1, Terminate = 2, ApplyBreakpoints = 4 };

class FrameEnv;

struct Session::Impl {
  Impl();
  ~Impl();

  // ---------------------------------------------------------------- state --
  mutable std::mutex mutex;
  std::condition_variable cv; ///< Guest waits for configurationDone / resume.
  std::condition_variable exitCv;
  std::thread guest;
  SessionState state = SessionState::Idle;
  bool launched = false;
  bool configured = false;
  bool resumeRequested = false;
  ResumeKind resumeKind = ResumeKind::Continue;
  StepGranularity resumeGranularity = StepGranularity::Line;
  std::atomic<bool> terminateRequested{false};
  bool guestFinished = true;
  bool guestStarted = false;
  bool restarting = false; ///< The run ending is restarted: no Exited/Terminated.
  /// A timed-out disconnect gave up on the guest thread: the Session's
  /// destructor leaks this state to it instead of joining.
  bool abandoned = false;
  std::optional<uint32_t> exitCode;

  // --------------------------------------------------------------- module --
  LaunchConfig config;
  std::string resolvedPath;
  /// The launched guest: module, WASI context and store (runtime::loadGuest).
  std::unique_ptr<runtime::Guest> program;
  /// Observers attached to `program` and not yet detached.
  std::vector<RunObserver*> attachedObservers;
  /// Short names for the parts of `program`; null when there is none.
  const runtime::CompiledModule* compiled = nullptr;
  runtime::Store* store = nullptr;
  runtime::WasiContext* wasi = nullptr;
  std::unique_ptr<ModuleSymbols> symbols;
  /// Finds source files by the paths the front end sends, and gives the
  /// local path of each (the source map, symlinks, differing build paths).
  std::unique_ptr<SourceResolver> sourcePaths;
  /// Files found on this machine (or not), asked once each.
  mutable std::map<FileIndex, bool> fileOnDisk;
  runtime::Instance* instance = nullptr;
  runtime::FunctionInstance* startFunction = nullptr;
  std::unique_ptr<TypeFactory> types;
  bool hasInlines = false;
  std::string moduleName;
  /// Enumerator name -> (enum type, value), built on first use.
  std::optional<std::map<std::string, std::pair<const Type*, int64_t>, std::less<>>> enumerators;

  // --------------------------------------------------------------- events --
  EventHandler handler;
  std::deque<Event> outbox;
  /// Output not yet in the outbox: writes of one category (and, for
  /// logpoints, one location) are joined into one event, so a guest making
  /// 400,000 small writes sends hundreds of events, not 400,000. It goes
  /// out before any other event (order is kept), when it reaches
  /// kOutputChunk bytes, or kOutputDelay after its first byte (the
  /// flusher thread sees to that).
  std::optional<OutputEvent> pendingOutput;
  std::chrono::steady_clock::time_point pendingSince;
  std::condition_variable flushCv;
  std::thread flusher;
  bool flusherStop = false;
  static constexpr size_t kOutputChunk = 64 * 1024;
  static constexpr std::chrono::milliseconds kOutputDelay{5};
  std::deque<Event> queue; ///< Delivered events when there is no handler.
  std::condition_variable queueCv;
  bool delivering = false;
  std::condition_variable deliveredCv; ///< Signalled when `delivering` clears.

  // ---------------------------------------------------------- breakpoints --
  std::map<BreakpointId, BreakpointRecord> breakpoints;
  BreakpointId nextBreakpointId = 1;
  std::map<ProbeLocation, LocationProbe> locationProbes;
  /// The runtime memory watch of each data breakpoint placed.
  std::map<BreakpointId, runtime::WatchId> dataWatches;
  /// Set (under `mutex`) when breakpoints changed; the probe reads it
  /// without the lock to know its plan is stale.
  std::atomic<bool> breakpointsDirty{false};
  uint64_t breakpointsVersion = 0; ///< See Session::breakpointsVersion.
  ExceptionFilters exceptionFilters;
  std::optional<ProbeId> entryProbe;

  // ----------------------------------------------------------- interrupts --
  /// The store interrupt requests go to, while it exists (guarded by armMutex).
  runtime::Store* interruptible = nullptr;
  std::mutex armMutex;
  std::atomic<uint32_t> attention{0};

  // ------------------------------------------------------------- stepping --
  StepState step;
  ResumeSkip skip;
  /// Set before parking at a line breakpoint whose line has several
  /// locations: resuming with continue guards the line (startLineGuard).
  std::optional<std::pair<FileIndex, uint32_t>> guardAfterStop;

  // ---------------------------------------------------------------- stats --
  /// SessionStats, counted on the guest thread (read from any).
  std::atomic<uint64_t> breakpointProbeHits{0};
  std::atomic<uint64_t> compiledConditionRuns{0};
  std::atomic<uint64_t> treeConditionRuns{0};
  std::atomic<uint64_t> stepProbeCalls{0};
  std::atomic<uint64_t> safepointHits{0};

  // ----------------------------------------------------------------- stop --
  std::optional<StopSnapshot> snapshot;
  uint64_t stopEpoch = 0;
  /// The innermost frame's wasm offset as the last stop reported it (kept
  /// past the snapshot, which a resume discards before the guest moves).
  uint32_t stopOffset = 0;

  // ============================================================ Session.cpp
  Result<void> launchLocked(const LaunchConfig& config);
  void guestMain();
  /// Runs `_start` and reports a trap; the exit status (guest thread).
  uint32_t runGuestToExit();
  /// Parks the guest (guest thread, inside a hook or after a trap) and
  /// reports the stop; returns when resumed or terminated.
  ProbeAction park(StoppedEvent stopped, const ProbeContext* ctx, StopSource source,
                   ProbeId sourceProbe = 0);
  /// The stop-on-entry probe's hook. Hooks that may remove their own probe
  /// are member functions: the closure that calls them is destroyed with the
  /// probe, and must not be read after.
  ProbeAction onEntryProbe(ProbeContext& ctx);
  Result<void> requestResume(ResumeKind kind, StepGranularity granularity);
  /// Queues an event after any pending output. Caller holds `mutex`.
  void emit(Event event);
  void deliver(); ///< Caller holds no lock.
  /// Adds output to the pending event, or starts a new one. Returns true
  /// when it was flushed to the outbox (call deliver()). Caller holds `mutex`.
  bool output(OutputCategory category, std::string_view text, std::string sourcePath = {},
              uint32_t line = 0);
  /// Moves pending output to the outbox. Caller holds `mutex`.
  void flushOutputLocked();
  /// The flusher thread: sends output that waited kOutputDelay.
  void flushLoop();
  void resetRun();
  /// Hands the guest back to the observers attached to it (mutex held).
  void detachObservers();
  /// Joins the guest thread once it has finished (takes `mutex` itself).
  void joinFinishedGuest();
  Result<void> requireStopped() const;

  // ======================================================== Breakpoints.cpp
  void resolveBreakpoint(BreakpointRecord& record);
  /// Installs and removes location probes to match the breakpoints. Only
  /// while the guest is not executing wasm (see the file comment).
  void applyBreakpoints();
  /// Schedules applyBreakpoints: now if the guest is not running, else at
  /// its next safepoint.
  void scheduleApplyBreakpoints();
  ProbeAction onBreakpointProbe(ProbeContext& ctx, ProbeLocation where, LocationProbe* location);
  /// The plan of one breakpoint at one location (conditions compiled there).
  LocationBreakpoint planAt(const BreakpointRecord& record, ProbeLocation location);
  /// Whether the guest, at `ctx`, is on `file`:`line` in the frame a step
  /// or a line guard (see startLineGuard) is passing over.
  bool onSteppedLine(const ProbeContext& ctx, FileIndex file, uint32_t line) const;
  /// Parses the record's condition and log message for its resolved
  /// locations; the parser's error otherwise.
  Result<void> parseBreakpointExpressions(BreakpointRecord& record);
  bool hasBreakpointProbeAt(FuncIndex func, uint32_t pc, ProbeId after) const;

  // ==================================================== DataBreakpoints.cpp
  /// Adds and removes memory watches to match the data breakpoints (called
  /// by applyBreakpoints, so only while the guest is not executing wasm).
  void applyDataBreakpoints();
  ProbeAction onDataBreakpoint(ProbeContext& ctx, const runtime::MemoryAccess& access,
                               BreakpointId id);

  // ========================================================= Interrupts.cpp
  /// Enables the store's interrupts and installs onInterrupt as their handler.
  void installSafepoints();
  void requestAttention(Attention what); ///< Any thread.
  /// The store's interrupt handler: acts on `attention` (guest thread).
  ProbeAction onInterrupt(ProbeContext& ctx);
  /// Store::addLocalProbe / removeLocalProbe on the launched instance.
  Result<ProbeId> addProbe(FuncIndex func, uint32_t wasmOffset, runtime::ProbeHook hook);
  void removeProbe(ProbeId id);

  // =========================================================== Stepping.cpp
  /// Starts a step from the parked location (guest thread).
  void startStep(ResumeKind kind, StepGranularity granularity, const ProbeContext& ctx);
  void cancelStep();
  ProbeAction onStepInstruction(ProbeContext& ctx);
  ProbeAction onStepReturn(ProbeContext& ctx);
  /// Continue: keep stepping; Stop: report the step; StepOverCall: run the
  /// callee just entered to its return; StepOut: run the current (line-less)
  /// function to its return.
  enum class StepDecision : uint8_t { Continue, Stop, StepOverCall, StepOut };
  StepDecision decide(const ProbeContext& ctx);
  const SourceLocation* rowAt(uint32_t offset);
  /// The row a step judges the instruction at `ctx` by: its own, or a
  /// statement row starting at another wasm instruction it stands for.
  const SourceLocation* stepRowAt(const ProbeContext& ctx);
  /// The inlined scopes containing `offset`, outermost first, into `out`.
  void inlineScopesAt(uint32_t offset, std::vector<const Scope*>& out) const;
  /// Carries the step on from `ctx` as a step to the next statement of any
  /// line in the frame there (it returned into a line-0 row).
  void finishLineFrom(const ProbeContext& ctx);
  /// Whether the function at `offset` has line info to step by.
  bool hasLineInfo(uint32_t offset) const;
  bool installReturnProbe(const runtime::FrameInfo& caller, uint32_t targetDepth);
  void setGlobalProbe(bool on);
  /// Starts guarding `file`:`line` in the frame at `ctx` (see StepState::lineGuard).
  void startLineGuard(const ProbeContext& ctx, FileIndex file, uint32_t line);

  // ============================================================= Frames.cpp
  void takeSnapshot(const ProbeContext* ctx, StopSource source, ProbeId sourceProbe,
                    const StoppedEvent& event);
  const std::vector<SourceFrame>& sourceFrames();
  Result<size_t> sourceFrameIndex(FrameId id) const;
  std::string functionName(FuncIndex func, uint32_t offset) const;
  /// DAP's sourceReference for a file: non-zero when its local path is not
  /// on this machine and the module carries its text.
  int64_t sourceReferenceOf(FileIndex file) const;
  StackFrame toStackFrame(const SourceFrame& frame, size_t index);
  /// The environment of a source frame of the snapshot.
  std::unique_ptr<FrameEnv> frameEnv(size_t sourceFrame);
  const std::map<std::string, std::pair<const Type*, int64_t>, std::less<>>& enumeratorMap();

  // ========================================================== Variables.cpp
  VariablesReference makeReference(Container container, const std::string& key);
  Result<const Container*> container(VariablesReference reference) const;
  VariableNode toNode(const std::string& name, const EvalValue& value, size_t sourceFrame,
                      const std::string& evaluateName, FrameEnv& env);
};

/// The frame state evaluation reads: a concrete frame (live in a hook or kept
/// from a stop) at one inline depth. Also the symbols library's FrameAccess,
/// for location expressions.
class FrameEnv final : public EvalEnvironment, public FrameAccess {
public:
  FrameEnv(Session::Impl& session, const ConcreteFrame& frame, uint32_t inlineDepth,
           const std::vector<runtime::Value>* operandStack, const ProbeContext* ctx);

  uint32_t pc() const { return m_frame.info.wasmOffset; }
  uint32_t inlineDepth() const { return m_inlineDepth; }
  /// A DWARF variable's value in this frame.
  EvalValue locate(const Variable& variable);

  // EvalEnvironment
  Result<EvalValue> variable(std::string_view name) override;
  Result<EvalValue> wasmName(std::string_view name) override;
  const Type* namedType(std::string_view name) override;
  bool readMemory(uint64_t address, std::span<uint8_t> out) override;
  bool writeMemory(uint64_t address, std::span<const uint8_t> bytes) override;
  std::optional<runtime::Value> readWasmLocal(uint32_t index) override;
  std::optional<runtime::Value> readWasmGlobal(uint32_t index) override;
  bool writeWasmLocal(uint32_t index, uint64_t bits) override;
  bool writeWasmGlobal(uint32_t index, uint64_t bits) override;

  // FrameAccess
  std::optional<uint64_t> local(uint32_t index) const override;
  std::optional<uint64_t> global(uint32_t index) const override;
  std::optional<uint64_t> operandStack(uint32_t index) const override;
  bool readMemory(uint64_t address, std::span<uint8_t> out) const override;

private:
  runtime::MemoryInstance* memory() const;
  /// Wasm local `index` and operand-stack entry `index` as typed values.
  std::optional<runtime::Value> wasmLocalValue(uint32_t index) const;
  std::optional<runtime::Value> operandStackValue(uint32_t index) const;

  Session::Impl& m_session;
  ConcreteFrame m_frame;
  uint32_t m_inlineDepth;
  const std::vector<runtime::Value>* m_operandStack;
  const ProbeContext* m_ctx;
  mutable std::optional<std::vector<runtime::Value>> m_liveStack;
};

/// Encodes (epoch, index) as a frame id or variables reference: stale ones
/// (from an earlier stop) are recognised instead of aliasing new ones.
inline int64_t makeHandle(uint64_t epoch, size_t index) {
  return int64_t(((epoch & 0x1fffffff) << 24) | (uint64_t(index + 1) & 0xffffff));
}
inline std::optional<size_t> handleIndex(int64_t handle, uint64_t epoch) {
  if (handle <= 0 || (uint64_t(handle) >> 24) != (epoch & 0x1fffffff) || !(handle & 0xffffff))
    return std::nullopt;
  return size_t(handle & 0xffffff) - 1;
}

} // namespace wasmscope::debugger
