// A debug session: one guest run of a WASI module on an execution thread of
// its own, driven by commands (breakpoints, continue, step, pause, terminate)
// and reporting events (stopped, output, exited). It is built only on the
// runtime's probes: breakpoints are local probes (zero cost until hit),
// stepping switches the global probe on for as long as it lasts, and pause
// arms dormant local probes at every loop header and function entry.
// The front ends (DAP server, inspector GUI) use this API and nothing below
// it; its requests map one to one onto Debug Adapter Protocol requests.
//
// Threads. The guest runs on the session's own thread. Every public method is
// thread-safe and may be called from any thread, including from inside the
// event handler. Inspection (stackTrace, scopes, variables, evaluate,
// readMemory, ...) needs the guest to be stopped: the guest thread is then
// parked inside a probe hook (or, after a trap, just after the run unwound)
// and the caller reads guest state directly. Inspection while the guest runs
// fails with "the guest is running". Nothing here throws.
//
// References. Frame ids and variables references are valid until the guest
// next resumes (as in DAP); a stale one gives an error, never a crash.
#pragma once

#include "wasmscope/runtime/Probes.h"
#include "wasmscope/runtime/Result.h"
#include "wasmscope/runtime/Value.h"
#include "wasmscope/symbols/Symbols.h"
#include "wasmscope/session/Disassembly.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace wasmscope::runtime {
class Guest;
}

namespace wasmscope::debugger {

// Result<T> is runtime::Result<T> (declared in Symbols.h for this namespace).
using runtime::Error;
using runtime::ErrorCode;

/// A breakpoint's id, unique within a session, never reused.
using BreakpointId = int64_t;
/// A stack frame's id (DAP frameId); valid while the guest stays stopped.
using FrameId = int64_t;
/// A handle to a variables container (DAP variablesReference). 0 means "no
/// children"; others are valid while the guest stays stopped.
using VariablesReference = int64_t;

/// The guest has one thread; this is its id in events and threads().
inline constexpr int64_t kGuestThreadId = 1;

// ------------------------------------------------------------- launching --

/// A host directory handed to the guest. `guestPath` is the name the guest
/// sees it under (defaults to the host path as given).
struct PreopenDir {
  std::string hostPath;
  std::string guestPath;
  /// Parses "host" or "host::guest" (the `--dir` syntax of `wasmscope run`).
  static PreopenDir parse(std::string_view spec);
};

struct Event;
/// Receives events; see LaunchConfig::onEvent.
using EventHandler = std::function<void(const Event&)>;

/// Something that watches each run from below the session, through the
/// runtime's instruments (a profiler): the session launches the guest and
/// hands it over before anything of it runs, and again when it is done, so
/// that a front end can debug and profile one run.
class RunObserver {
public:
  virtual ~RunObserver() = default;
  /// The run's guest is loaded and not yet instantiated (its start function
  /// is observed too): attach to its store's hooks, probes and fuel. Called
  /// on the launching thread with the session's lock held, so it must not
  /// call the Session. An error fails the launch with its message.
  virtual Result<void> attach(runtime::Guest& guest) = 0;
  /// The guest is instantiated and nothing of its entry has run: an
  /// observer that needs the instance (the heap profiler probes the
  /// allocator's functions in it) attaches here. Same rules as attach().
  virtual Result<void> instantiated(runtime::Guest& guest) {
    (void)guest;
    return runtime::success();
  }
  /// The guest will run no more: its run ended (returned, exited, trapped,
  /// was terminated or restarted), or the launch failed after attach().
  /// Detach and collect here; the guest is destroyed after this returns.
  /// Called once per attach(), on the guest's thread before Exited is
  /// reported (or on the launching thread for a failed launch), with the
  /// session's lock held: it must not call the Session.
  virtual void detach(runtime::Guest& guest) = 0;
};

struct LaunchConfig {
  /// The module to run. Relative paths are taken from `cwd` when it is set.
  std::string modulePath;
  /// Guest arguments after argv[0] (argv[0] is `programName`, or the module
  /// path as given when that is empty).
  std::vector<std::string> args;
  std::string programName;
  /// The guest's whole environment; nothing of the host's is passed on.
  std::vector<std::pair<std::string, std::string>> env;
  /// Host directory that relative `modulePath` and preopen host paths are
  /// resolved against. It is not visible to the guest unless preopened.
  std::string cwd;
  /// Directories the guest may use (WASI preopens, fds 3, 4, ...).
  std::vector<PreopenDir> preopens;
  /// Park the guest before the first instruction of `_start` and report
  /// Stopped{Entry}.
  bool stopOnEntry = false;
  /// Instruction budget (fuel); the guest stops with "out of fuel" beyond it.
  /// Metering costs a little speed, so it is compiled in only when set.
  std::optional<uint64_t> fuel;
  /// Cap on linear memory in bytes (rounded down to 64 KiB pages).
  std::optional<uint64_t> memoryLimitBytes;
  /// Cap on the wasm call depth ("call stack exhausted" beyond).
  std::optional<uint32_t> maxCallDepth;
  /// Wall-clock limit on the guest's running time: beyond it the guest traps
  /// with "wall-clock limit exceeded" (a blocking WASI call included). Time
  /// the guest spends stopped (before configurationDone, at breakpoints,
  /// paused) does not count.
  std::optional<std::chrono::nanoseconds> timeout;
  /// Fixed clocks and random seed (WasiConfig::deterministic).
  bool deterministic = false;
  /// The seed of the deterministic random bytes.
  uint64_t seed = 0;
  /// Host fd the guest's stdin reads from; -1 (the default) is an empty stdin.
  int stdinFd = -1;
  /// Observers attached to every run of this launch (restarts included), in
  /// order. Not owned: they must outlive the session or its next launch.
  std::vector<RunObserver*> observers;
  /// Compile per-block execution counters (runtime::LaunchSpec::countBlocks),
  /// which an instruction profiler among the observers needs.
  bool countBlocks = false;
  /// (build path prefix, local path prefix) pairs, as lldb-dap's
  /// `sourceMap`: source paths the module was built with are shown (stack
  /// frames, breakpoints, loaded sources) and found under the local ones.
  std::vector<std::pair<std::string, std::string>> sourceMap;
  /// Where events go. Called on the thread that caused the event (usually
  /// the guest thread) with no session lock held, one event at a time, in
  /// order; the handler may call any Session method, including inspection
  /// from inside a Stopped event and resuming. When empty, events are queued
  /// and read with Session::nextEvent / waitEvent.
  EventHandler onEvent;
};

// ---------------------------------------------------------------- events --

enum class StopReason : uint8_t {
  Entry,                 ///< stopOnEntry: before `_start`'s first instruction.
  Breakpoint,            ///< A source line breakpoint.
  FunctionBreakpoint,    ///< A function breakpoint.
  InstructionBreakpoint, ///< An instruction (code offset) breakpoint.
  Step,                  ///< A next/stepIn/stepOut/stepi completed.
  Pause,                 ///< pause() took effect.
  Exception,             ///< The guest trapped (exception filter "trap" on).
  DataBreakpoint,        ///< A data breakpoint (watchpoint) saw an access.
};
/// DAP's spelling: "entry", "breakpoint", "function breakpoint",
/// "instruction breakpoint", "step", "pause", "exception", "data breakpoint".
const char* stopReasonName(StopReason reason);

/// Which accesses a data breakpoint stops on (DAP DataBreakpointAccessType).
enum class DataAccessType : uint8_t { Read, Write, ReadWrite };
/// "read", "write", "readWrite".
const char* dataAccessTypeName(DataAccessType type);

/// The access a data breakpoint stopped on. The guest is parked just after
/// a write (memory holds `newBytes`) or just before a read.
struct DataAccess {
  BreakpointId breakpoint = 0;
  /// Read or Write: what the access did (a ReadWrite breakpoint sees both).
  DataAccessType access = DataAccessType::Write;
  /// The watched bytes the access touched, and the whole access.
  uint64_t address = 0;
  uint64_t size = 0;
  uint64_t accessAddress = 0;
  uint64_t accessSize = 0;
  /// The touched bytes before and after (equal for a read).
  std::vector<uint8_t> oldBytes;
  std::vector<uint8_t> newBytes;
  /// "instruction", "bulk memory" or "host call" (a WASI function wrote).
  std::string source;
};

struct StoppedEvent {
  StopReason reason = StopReason::Pause;
  /// For a breakpoint stop: the breakpoints at this location that chose to
  /// stop (their conditions held).
  std::vector<BreakpointId> hitBreakpointIds;
  /// One line for the UI: "Paused on breakpoint", "trap: out of bounds memory
  /// access".
  std::string description;
  /// For Exception: the trap message ("out of bounds memory access").
  std::string text;
  int64_t threadId = kGuestThreadId;
  /// For DataBreakpoint: the access, with the bytes before and after.
  std::optional<DataAccess> dataAccess;
  /// For Exception: the trap's kind (out of bounds, divide by zero, ...).
  std::optional<runtime::ErrorCode> trap;
};

enum class OutputCategory : uint8_t {
  Stdout,  ///< The guest wrote to fd 1.
  Stderr,  ///< The guest wrote to fd 2.
  Console, ///< From the debugger: logpoints, trap reports, warnings.
};
/// DAP's spelling: "stdout", "stderr", "console".
const char* outputCategoryName(OutputCategory category);

struct OutputEvent {
  OutputCategory category = OutputCategory::Console;
  /// Exactly the bytes written, in order. Consecutive writes of one
  /// category (logpoint messages: of one location) are joined into one
  /// event, sent a few milliseconds after its first byte, at 64 KiB, or
  /// before any other event, whichever comes first; logpoint messages end
  /// with '\n'.
  std::string text;
  /// For logpoints: where the message came from (empty otherwise).
  std::string sourcePath;
  uint32_t line = 0;
};

/// The guest finished: returned from `_start`, called proc_exit, trapped or
/// was terminated. Always followed by TerminatedEvent.
struct ExitedEvent {
  /// proc_exit's status, 0 when `_start` returned, kTrapExitCode after a
  /// trap or limit, kTerminatedExitCode after terminate().
  uint32_t exitCode = 0;
};
inline constexpr uint32_t kTrapExitCode = 134;       ///< As SIGABRT in a shell.
inline constexpr uint32_t kTerminatedExitCode = 137; ///< As SIGKILL in a shell.

/// The session is over; no further events follow.
struct TerminatedEvent {};

/// The guest resumed after a stop (DAP "continued"). Sent for every resume,
/// including those the front end asked for; front ends may ignore it.
struct ContinuedEvent {
  int64_t threadId = kGuestThreadId;
};

// ----------------------------------------------------------- breakpoints --

/// A line breakpoint as requested (DAP SourceBreakpoint).
struct SourceBreakpoint {
  uint32_t line = 0;
  uint32_t column = 0; ///< Ignored (breakpoints are per line); kept for DAP.
  /// C expression; the breakpoint stops only when it is non-zero. It is
  /// parsed once, when the breakpoint is placed: one that does not parse
  /// leaves the breakpoint unverified with the parser's message. One that
  /// parses but fails to evaluate at a hit stops, with an Output event
  /// saying why.
  std::string condition;
  /// "3" or "==3": the 3rd hit; ">=3", ">3", "<3", "<=3"; "%2": every 2nd hit.
  /// Counts hits whose condition held. Malformed: the breakpoint is not
  /// verified and says why in `message`.
  std::string hitCondition;
  /// When set, the breakpoint logs instead of stopping: `{expr}` is replaced
  /// by the expression's value ("{{" and "}}" are literal braces), and the
  /// text goes out as an Output event (category Console) with a '\n'. Its
  /// expressions are parsed when the breakpoint is placed, as `condition` is.
  std::string logMessage;
};

/// A function breakpoint as requested (DAP FunctionBreakpoint): stops after
/// the prologue of every function whose name, short name or linkage name is
/// `name` (DWARF), or at the entry of a function so named in the name section.
struct FunctionBreakpoint {
  std::string name;
  std::string condition;
  std::string hitCondition;
};

/// An instruction breakpoint (DAP InstructionBreakpoint): `address` is a code
/// offset (code-section-relative, as in stack frames' `address`) plus `offset`.
struct InstructionBreakpoint {
  uint32_t address = 0;
  int32_t offset = 0;
  std::string condition;
  std::string hitCondition;
};

/// A data breakpoint (DAP DataBreakpoint, a watchpoint): stops when the
/// guest accesses any byte of [address, address + size) of its linear memory
/// as `accessType` says, through load and store instructions, memory.copy,
/// memory.fill, memory.init, or a WASI function writing guest memory (such as
/// fd_read). Conditions and hit conditions work as for line breakpoints; the
/// condition is evaluated in the frame doing the access.
struct DataBreakpoint {
  uint64_t address = 0;
  uint64_t size = 4; ///< 1 to 4 GiB.
  DataAccessType accessType = DataAccessType::Write;
  std::string condition;
  std::string hitCondition;
};

/// A breakpoint as placed (DAP Breakpoint).
struct Breakpoint {
  BreakpointId id = 0;
  /// True once it is installed at one or more instructions.
  bool verified = false;
  /// Why it is not verified ("no code at or after line 40 in list.c"), or a
  /// note ("moved from line 12").
  std::string message;
  std::string sourcePath; ///< Full path from the debug info, or as requested.
  uint32_t line = 0;      ///< The line it really stops on (0 if unknown).
  uint32_t column = 0;
  /// Code offsets it is installed at (one per function or inlined copy).
  std::vector<uint32_t> addresses;
};

/// A line breakpoint as it is set, whichever front end set it: the request
/// and where it was placed. Front ends that share a session (the inspector
/// and a DAP client) show each other's breakpoints from this.
struct LineBreakpointInfo {
  /// The path setBreakpoints was given (a front end replaces the
  /// breakpoints of a file by this path).
  std::string requestPath;
  SourceBreakpoint request;
  Breakpoint placed;
};

/// A breakpoint's placement changed after it was set: a breakpoint set
/// before launch was resolved (verified, moved to the line it stops on) or
/// could not be placed.
struct BreakpointChangedEvent {
  Breakpoint breakpoint;
};

/// Exception breakpoint filters (DAP setExceptionBreakpoints).
struct ExceptionFilters {
  /// Stop when the guest traps (including fuel, memory and call-depth
  /// limits): Stopped{Exception} with the trap message. The runtime has
  /// unwound by then, but the frames it kept (Store::lastTrapFrames) are
  /// shown, and their locals, globals and memory read as they were at the
  /// trap, since the guest runs nothing more. Any resume ends the run
  /// (Exited{kTrapExitCode}).
  bool traps = false;
};
/// The filter id front ends advertise for `traps` ("trap").
inline constexpr std::string_view kTrapFilterId = "trap";

// ----------------------------------------------------------- stepping ----
//
// Line stepping follows gdb and lldb: a step stops at the first is_stmt row
// of a different line; functions without line info are stepped over (stepIn
// too); returning from a function stops at once in the caller, mid-line;
// entering a function stops after its prologue; inlined calls are frames.

enum class StepGranularity : uint8_t {
  Line,        ///< Source lines (is_stmt rows); the default.
  Statement,   ///< Same as Line (DWARF has no finer unit here).
  Instruction, ///< One wasm instruction (stepi).
};

// --------------------------------------------------------- inspection ----

enum class SessionState : uint8_t {
  Idle,        ///< Not launched yet.
  Configuring, ///< Launched; waiting for configurationDone().
  Running,
  Stopped,
  Exited, ///< The guest finished; inspection is over.
};

struct Thread {
  int64_t id = kGuestThreadId;
  std::string name;
};

/// A stack frame (DAP StackFrame). Inlined calls are frames of their own at
/// the same address, marked `inlined`.
struct StackFrame {
  FrameId id = 0;
  /// DWARF name (demangled), else the name section's, else "func[N]".
  std::string name;
  std::string sourcePath; ///< Full path; empty when there is no line info.
  std::string sourceName; ///< Last path component.
  uint32_t line = 0;      ///< 1-based; 0 when there is no line info.
  uint32_t column = 0;    ///< 1-based; 0 when unknown.
  uint32_t funcIndex = 0; ///< Wasm function index.
  /// Code offset of the current instruction (the call, for caller frames).
  uint32_t address = 0;
  std::string moduleName;
  bool inlined = false;
  /// True when the frame has DWARF line info; false frames are "subtle" in DAP.
  bool hasSource = false;
  /// Non-zero when `sourcePath` is not on this machine but the module
  /// carries the file's text (sourceText gives it): DAP's sourceReference.
  int64_t sourceReference = 0;
};

/// One wasm activation (no inlined frames).
struct WasmFrame {
  uint32_t funcIndex = 0;
  /// Code offset of the instruction about to run (innermost frame), or of
  /// the call instruction (callers).
  uint32_t address = 0;
  /// Callers: the code offset of the wasm instruction the call returns to.
  std::optional<uint32_t> returnAddress;
};

struct StackTrace {
  std::vector<StackFrame> frames; ///< Innermost first, from `startFrame`.
  uint32_t totalFrames = 0;
};

enum class FrameScopeKind : uint8_t {
  Locals,       ///< C variables and parameters visible at the pc (DWARF).
  WasmLocals,   ///< The wasm function's params and locals, raw.
  Globals,      ///< C globals and statics (DWARF).
  WasmGlobals,  ///< The module instance's wasm globals, raw.
  OperandStack, ///< The wasm operand stack (innermost frame of a probe stop only).
};

/// A group of variables in a frame (DAP Scope). Named FrameScope because
/// symbols::Scope (a DWARF lexical scope) shares this namespace.
struct FrameScope {
  std::string name; ///< "Locals", "Wasm Locals", "Globals", "Wasm Globals", "Operand Stack".
  FrameScopeKind kind = FrameScopeKind::Locals;
  VariablesReference variablesReference = 0;
  uint32_t namedVariables = 0;
  bool expensive = false;
};

/// One node of the variables tree (DAP Variable). Named VariableNode because
/// the DWARF Variable (Symbols.h) shares this namespace.
struct VariableNode {
  std::string name;
  /// Formatted value: "42", "3.5", "true", "RED", "0x00011a20",
  /// "0x00011a20 \"hello\"", "{...}" for aggregates, "<optimized out>".
  std::string value;
  std::string type; ///< C spelling ("struct node *"), or a wasm type ("i32").
  /// Non-zero when it has children (struct members, array elements, pointee).
  VariablesReference variablesReference = 0;
  uint32_t namedVariables = 0;
  uint32_t indexedVariables = 0; ///< Array elements (paged with start/count).
  /// For memory views: the address a pointer holds, or the address of any
  /// other value that lives in linear memory.
  std::optional<uint64_t> memoryReference;
  /// An expression that evaluates to this variable (for watches).
  std::string evaluateName;
};

enum class VariablesFilter : uint8_t { All, Named, Indexed };

/// A read of guest memory: `data` holds what was readable from `address`; the
/// `unreadableBytes` after it are past the end of memory.
struct MemoryRead {
  uint64_t address = 0;
  std::vector<uint8_t> data;
  uint64_t unreadableBytes = 0;
};

enum class EvaluateContext : uint8_t { Watch, Repl, Hover, Clipboard };

/// A source file named by the debug info (DAP loadedSources).
struct SourceInfo {
  std::string path;
  std::string name;
  /// As StackFrame::sourceReference.
  int64_t sourceReference = 0;
};

/// A completion for the debug console (DAP CompletionItem).
struct CompletionItem {
  std::string label;
  /// DAP's CompletionItemType: "variable", "field", "function", "enum".
  std::string kind;
  std::string detail; ///< The C type.
};

/// A location where a breakpoint can be placed (DAP breakpointLocations).
struct BreakpointLocation {
  uint32_t line = 0;
  uint32_t column = 0;
};

/// What the debugger's instrumentation did in the current run. The counts
/// are deterministic (the same run gives the same numbers), so tests assert
/// on them where a timing would be noise.
struct SessionStats {
  uint64_t breakpointProbeHits = 0;   ///< Breakpoint probes reached, whatever their conditions.
  uint64_t compiledConditionRuns = 0; ///< Conditions and log expressions run compiled.
  uint64_t treeConditionRuns = 0;     ///< ... and run as syntax trees (not compiled).
  uint64_t stepProbeCalls = 0;        ///< Instructions the global probe saw (steps, line guards).
  uint64_t safepointHits = 0;         ///< Armed safepoints reached (pause, breakpoint changes).
};

// ---------------------------------------------------------------- events --

struct Event {
  std::variant<StoppedEvent, ContinuedEvent, OutputEvent, ExitedEvent, TerminatedEvent,
               BreakpointChangedEvent>
      data;
  template <typename T> const T* as() const { return std::get_if<T>(&data); }
  template <typename T> bool is() const { return std::holds_alternative<T>(data); }
};

// ------------------------------------------------------------- session ----

class Session {
public:
  Session();
  /// Terminates the guest if it still runs and joins its thread.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // --- Lifecycle. ---

  /// Reads and compiles the module, loads its symbols (DWARF and name
  /// section; warnings become Console output), sets up WASI with the guest's
  /// stdout and stderr going out as Output events (joined: see OutputEvent),
  /// instantiates, applies breakpoints set so far, and starts the guest
  /// thread, which waits for configurationDone() before running `_start`.
  /// Errors: the file cannot be read, decode/validate/link errors (with
  /// their offsets), a preopen that is not a directory, no `_start` export,
  /// or already launched.
  Result<void> launch(const LaunchConfig& config);
  /// Lets the guest run (DAP configurationDone). With stopOnEntry it stops at
  /// once with Stopped{Entry}.
  Result<void> configurationDone();
  /// Ends the guest: a running guest stops at its next probe, call or
  /// branch-back point, a stopped one at once. Exited{kTerminatedExitCode}
  /// then Terminated follow (unless it had already exited). Returns at once;
  /// waitForExit() joins.
  Result<void> terminate();
  /// terminate() and wait for the guest thread to finish. A guest blocked in
  /// a host call (a long sleep, a read from a pipe) stops only when the call
  /// returns, so the wait is bounded by `timeout`: past it this detaches the
  /// event handler (no event is delivered once it returns), leaves the guest
  /// thread to end on its own, and fails with "the guest did not stop within
  /// N ms". The Session may still be destroyed then: it abandons the
  /// thread's state (a leak, for a process about to exit) instead of
  /// waiting for it.
  Result<void> disconnect(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());
  /// Terminates the current run and launches again with the same config and
  /// breakpoints (still needs configurationDone()). The old run ends without
  /// Exited/Terminated events; its output events are still delivered. Waits
  /// at most `timeout` for the old run to end (see disconnect); past it the
  /// restart fails and the old run ends as a terminate() would.
  Result<void> restart(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());

  SessionState state() const;
  /// The guest's exit status once it has exited.
  std::optional<uint32_t> exitCode() const;
  /// Blocks until the guest thread has finished or the timeout passes;
  /// true if it finished.
  bool waitForExit(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());

  // --- Events (when LaunchConfig::onEvent is empty). ---

  /// The next queued event, without waiting.
  std::optional<Event> nextEvent();
  /// The next queued event, waiting up to `timeout` for one.
  std::optional<Event> waitEvent(std::chrono::milliseconds timeout);

  // --- Breakpoints (any time; set before launch they are resolved then). ---

  /// Replaces every line breakpoint in `sourcePath` (a full path or a suffix
  /// such as "list.c"). Each is placed with the debug info's line table: on
  /// the requested line or the next line with code, in every function and
  /// inlined copy containing it. One result per request, in order. Existing
  /// breakpoints on the same line keep their id and hit count.
  Result<std::vector<Breakpoint>> setBreakpoints(std::string_view sourcePath,
                                                 std::span<const SourceBreakpoint> breakpoints);
  /// Replaces every function breakpoint.
  Result<std::vector<Breakpoint>>
  setFunctionBreakpoints(std::span<const FunctionBreakpoint> breakpoints);
  /// Replaces every instruction breakpoint.
  Result<std::vector<Breakpoint>>
  setInstructionBreakpoints(std::span<const InstructionBreakpoint> breakpoints);
  /// Replaces every data breakpoint. Each stops with Stopped{DataBreakpoint}
  /// carrying the access (DataAccess). While none is set, loads and stores
  /// run at full speed; with one, each load and store costs two compares more.
  Result<std::vector<Breakpoint>> setDataBreakpoints(std::span<const DataBreakpoint> breakpoints);
  Result<void> setExceptionBreakpoints(const ExceptionFilters& filters);
  /// Every line breakpoint, by id.
  std::vector<LineBreakpointInfo> lineBreakpoints() const;
  /// Moves whenever breakpoints change (a set*Breakpoints call, placement at
  /// launch): a front end that shows them re-reads them when it moves.
  uint64_t breakpointsVersion() const;
  /// Where a breakpoint on the lines [line, endLine] of `sourcePath` would
  /// stop (endLine 0: just `line`): one entry per line and column, so a line
  /// with several locations (a macro, a loop header, inlined copies) lists
  /// each. Needs launch (symbols).
  Result<std::vector<BreakpointLocation>>
  breakpointLocations(std::string_view sourcePath, uint32_t line, uint32_t endLine = 0) const;

  // --- Execution control (need the guest stopped, except pause). ---

  /// Resume until a breakpoint, a trap (with the filter on), pause or exit.
  Result<void> resume();
  /// Step over: run to the next line in this frame or a caller (calls run
  /// without stopping, unless they hit a breakpoint). Instruction
  /// granularity: one wasm instruction, stepping over calls.
  Result<void> next(StepGranularity granularity = StepGranularity::Line);
  /// Step into: stop at the first new line, in a callee with line info if
  /// the line calls one, else like next. Instruction granularity: exactly one
  /// wasm instruction, into calls.
  Result<void> stepIn(StepGranularity granularity = StepGranularity::Line);
  /// Step out: run until the current function returns, stopping in the caller
  /// at the instruction after the call (an inlined frame: at the first line
  /// outside the inlined call).
  Result<void> stepOut(StepGranularity granularity = StepGranularity::Line);
  /// Asks a running guest to stop; Stopped{Pause} follows at its next
  /// function entry or loop iteration (a guest blocked in a host call, such
  /// as a read from stdin, stops when the call returns). Idempotent; fine if
  /// already stopped. Costs nothing until asked (see Interrupts.cpp).
  Result<void> pause();

  // --- Inspection (need the guest stopped). ---

  std::vector<Thread> threads() const;
  /// The instrumentation's counters for the current (or last) run.
  SessionStats stats() const;
  /// The Stopped event of the current stop (for DAP exceptionInfo: the trap
  /// message is its `text`); nullopt unless stopped.
  std::optional<StoppedEvent> currentStop() const;
  /// Frames innermost first, inlined frames included. levels 0: all.
  Result<StackTrace> stackTrace(uint32_t startFrame = 0, uint32_t levels = 0) const;
  Result<std::vector<FrameScope>> scopes(FrameId frame) const;
  /// Children of a scope or variable. `count` 0: all (from `start`).
  Result<std::vector<VariableNode>> variables(VariablesReference reference,
                                              VariablesFilter filter = VariablesFilter::All,
                                              uint32_t start = 0, uint32_t count = 0) const;
  /// Assigns `value` (a C expression) to child `name` of `container`. Works
  /// for scalars, enums and pointers in memory or wasm locals/globals.
  /// Returns the variable as it now reads.
  Result<VariableNode> setVariable(VariablesReference container, std::string_view name,
                                   std::string_view value);
  /// Evaluates a C expression in a frame (innermost when `frame` is empty):
  /// variable names (locals, then globals, then enumerators), a.b, p->q,
  /// a[i], *p, &x, integer, floating and pointer arithmetic with C's
  /// conversions at wasm32 sizes, comparisons, && || ! ~, ?:, casts to base
  /// types, typedefs and pointers ("(struct node *)p"), sizeof, and raw wasm
  /// items `$local3`, `$global0` or a name-section local name `$name`.
  /// `a = b` only in the Repl context. Errors carry a clear message ("no
  /// variable named 'x' in this frame", "cannot dereference a value of type
  /// 'int'", "expected ')' at column 7, found end of input").
  /// The result's `name` and `evaluateName` are the expression.
  Result<VariableNode> evaluate(std::string_view expression, std::optional<FrameId> frame = {},
                                EvaluateContext context = EvaluateContext::Repl);
  /// Assigns `value` (a C expression) to `expression` (an lvalue: a
  /// variable, `p->x`, `a[3]`, `*p`), as the debug console's `x = v` does,
  /// and returns the expression as it now reads (DAP setExpression). Scalars,
  /// enums and pointers only.
  Result<VariableNode> setExpression(std::string_view expression, std::string_view value,
                                     std::optional<FrameId> frame = {});
  /// Completions for `text` with the cursor before byte `cursor` (0-based):
  /// after `.` or `->`, the members of the expression before it; otherwise
  /// the locals of the frame, the globals, functions and enumerators, whose
  /// names start with the word at the cursor.
  Result<std::vector<CompletionItem>> completions(std::string_view text, size_t cursor,
                                                  std::optional<FrameId> frame = {});
  /// Reads guest linear memory (bounds-checked; past the end is reported as
  /// unreadable, not an error). Works whenever the guest is stopped.
  Result<MemoryRead> readMemory(uint64_t address, uint64_t count) const;
  /// Writes guest linear memory; fails without writing if any byte is out of
  /// bounds. Returns the number of bytes written.
  Result<uint64_t> writeMemory(uint64_t address, std::span<const uint8_t> bytes);

  // --- Wasm-level state (need the guest stopped), for the gdb-remote stub. ---

  /// The wasm activations of the stop, innermost first, without inlined
  /// frames: what LLDB's qWasmCallStack lists.
  Result<std::vector<WasmFrame>> wasmFrames() const;
  /// Local `index` (params first) of wasm activation `frame` (0: innermost).
  Result<runtime::Value> wasmLocal(uint32_t frame, uint32_t index) const;
  /// Global `index` of the module instance running activation `frame`.
  Result<runtime::Value> wasmGlobal(uint32_t frame, uint32_t index) const;
  /// Operand-stack entry `index` (0: bottom) of activation `frame`. For a
  /// caller, only the entries below the pending call's arguments exist.
  Result<runtime::Value> wasmStackValue(uint32_t frame, uint32_t index) const;
  /// The size of linear memory in bytes (0 without a memory). Needs the
  /// guest not running.
  Result<uint64_t> memorySize() const;
  /// Calls `inspect` with the stop's wasm frames (innermost first, their
  /// locals readable; after a trap, the frames the trap left) while the
  /// guest stays parked: for an observer's own look at the guest, such as a
  /// heap profiler's leak check with the live frames as roots. It runs on
  /// this thread with the session's lock held, so it must not call the
  /// Session. Needs the guest stopped.
  Result<void>
  inspectStop(const std::function<void(std::span<const runtime::FrameInfo> frames)>& inspect) const;

  // --- The module (after launch). ---

  /// Source files of the debug info (DAP loadedSources).
  std::vector<SourceInfo> sources() const;
  /// The text of a source file for a front end that cannot read it from
  /// disk: by `sourceReference` (from a frame or sources()) or, when that is
  /// 0, by path. From the module's embedded source (DWARF 5
  /// DW_LNCT_LLVM_source, clang -gembed-source); otherwise an error that
  /// says why and what to do.
  Result<std::string> sourceText(int64_t sourceReference, std::string_view path = {}) const;
  /// `count` instructions (at most kMaxDisassembly) starting
  /// `instructionOffset` instructions from the one at code offset `address`
  /// (DAP disassemble), across functions, each with its wasm text, bytes,
  /// the function it starts and its source line; positions outside the code
  /// are invalid padding (see disassembleAround). Works whenever launched,
  /// running or stopped (the code does not change).
  Result<std::vector<DisassembledInstruction>> disassemble(uint64_t address,
                                                           int64_t instructionOffset,
                                                           uint32_t count) const;
  /// The decoded module and its symbols, for disassembly and module views.
  /// Null before launch. Immutable, valid until the next launch/restart.
  const runtime::Module* module() const;
  const ModuleSymbols* symbols() const;
  /// The module's path as launched.
  std::string modulePath() const;

  struct Impl;

private:
  std::unique_ptr<Impl> m_impl;
};

} // namespace wasmscope::debugger
