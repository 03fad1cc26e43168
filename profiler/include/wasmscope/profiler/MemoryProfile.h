// The memory part of a profile: what the heap profiler saw of the guest's
// allocator (every allocation and free, with its call stack and the
// instruction count when it happened), the live set at the exact peak, the
// leak check at exit classified as Valgrind's memcheck does, memory.grow
// events and allocator misuse. Plain data with queries, like Profile.h: the
// inspector replays the heap at any instruction from it, `wasmscope ci`
// compares sites, peak and leaks, and `report` prints it.
//
// Allocation stacks are call-site paths (each frame a function at one
// instruction, with its source line and inlining chain from Profile::lines),
// interned once as a tree, like Profile::stacks but with lines: two calls to
// malloc from different lines of one function are different sites.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::profiler {

using AllocStackId = uint32_t; ///< Index into MemoryProfile::stacks; 0 is the root.

/// One frame of an allocation stack.
struct AllocStackNode {
  AllocStackId parent = UINT32_MAX; ///< UINT32_MAX for the root.
  uint32_t frame = UINT32_MAX;      ///< Profile::frames index of the wasm function.
  /// Profile::lines index of the source line (with its inlining chain) at
  /// `address`; UINT32_MAX without DWARF.
  uint32_t line = UINT32_MAX;
  /// Code offset: the call instruction for a caller, the entry for the
  /// allocator itself (the innermost frame).
  uint32_t address = 0;
};

/// What an intercepted function does, by its C, C++ or Rust name.
enum class AllocFunction : uint8_t {
  Malloc,
  Calloc,
  Realloc,
  Free,
  AlignedAlloc,  ///< aligned_alloc(align, size)
  Memalign,      ///< memalign(align, size)
  PosixMemalign, ///< posix_memalign(&p, align, size)
  New,           ///< operator new, every variant
  NewArray,      ///< operator new[]
  Delete,        ///< operator delete, every variant
  DeleteArray,   ///< operator delete[]
  RustAlloc,     ///< __rust_alloc(size, align)
  RustAllocZeroed,
  RustRealloc, ///< __rust_realloc(ptr, old size, align, new size)
  RustDealloc, ///< __rust_dealloc(ptr, size, align)
};
const char *allocFunctionName(AllocFunction function);

/// A function the profiler intercepted.
struct InterceptedFunction {
  std::string name;     ///< As the module names it.
  uint32_t funcIndex = 0;
  AllocFunction role = AllocFunction::Malloc;
  bool userNamed = false; ///< Named with --allocator.
};

/// A heap block: allocated and not (yet) freed.
struct HeapBlock {
  uint32_t address = 0;
  uint32_t size = 0; ///< Bytes requested.
  AllocStackId stack = 0;
  uint64_t time = 0;   ///< Instructions executed when it was allocated.
  uint64_t serial = 0; ///< Allocation number, from 0, in program order.
  /// A block a realloc made: the stack of the allocation it continues (the
  /// site DHAT charges a resized block to); UINT32_MAX when it is `stack`.
  AllocStackId origin = UINT32_MAX;
  AllocStackId originStack() const { return origin == UINT32_MAX ? stack : origin; }
};

enum class HeapEventKind : uint8_t { Alloc, Free };

/// One change of the live set. A realloc that moves is a Free then an Alloc
/// at the same instruction.
struct HeapEvent {
  HeapEventKind kind = HeapEventKind::Alloc;
  uint64_t time = 0; ///< Instructions executed when it happened.
  uint32_t address = 0;
  uint32_t size = 0;      ///< Alloc: bytes requested. Free: the block's size.
  AllocStackId stack = 0; ///< Where it was called (the allocating or freeing call).
  /// Alloc by a realloc: HeapBlock::origin of the block it made.
  AllocStackId origin = UINT32_MAX;
  bool operator==(const HeapEvent &) const = default;
};

/// The allocation log, bounded: the newest `capacity` events are kept; older
/// ones are folded into `base`, the live set just before events[0], so the
/// live set can be rebuilt at any instruction from baseTime on.
struct HeapLog {
  uint64_t capacity = 0;
  uint64_t recorded = 0; ///< Events the run produced.
  uint64_t folded = 0;   ///< Oldest events folded into `base`.
  uint64_t baseTime = 0; ///< Instructions when `base` holds.
  std::vector<HeapBlock> base; ///< By address.
  std::vector<HeapEvent> events;
};

/// A site's figures as Valgrind's DHAT counts them: a realloc is charged to
/// the site of the block it resizes (one more block of the new size there),
/// not to the realloc's own stack as memcheck (and AllocSite's other fields)
/// count it. What `--format dhat` writes.
struct DhatFigures {
  uint64_t blocks = 0;   ///< tbk: allocations, and reallocs of blocks from here.
  uint64_t bytes = 0;    ///< tb
  uint64_t lifetime = 0; ///< tl: instructions, blocks alive at the end counted to it.
  uint64_t maxBytes = 0; ///< mb: this site's own maximum of live bytes ...
  uint64_t maxBlocks = 0; ///< mbk: ... and the blocks live then.
  uint64_t peakBytes = 0; ///< gb: live at the global peak's last time (HeapPeak::lastTime).
  uint64_t peakBlocks = 0;
  uint64_t endBytes = 0; ///< eb: live at the end.
  uint64_t endBlocks = 0;
  bool operator==(const DhatFigures &) const = default;
};

/// Per allocation stack (every full stack that allocated).
struct AllocSite {
  AllocStackId stack = 0;
  uint64_t allocations = 0;
  uint64_t bytes = 0; ///< Requested by every allocation.
  uint64_t frees = 0; ///< Blocks from here that were freed.
  uint64_t freedBytes = 0;
  /// Sum of the blocks' lifetimes in instructions; a block never freed lives
  /// until the end of the run (as DHAT counts it).
  uint64_t totalLifetime = 0;
  uint64_t temporary = 0;   ///< Freed within MemoryProfile::temporaryWindow instructions.
  uint64_t freedAtExit = 0; ///< Freed after the exit began (atexit handlers, destructors).
  uint64_t liveAtEndBlocks = 0; ///< Never freed.
  uint64_t liveAtEndBytes = 0;
  uint64_t maxLiveBytes = 0; ///< This site's own maximum of live bytes ...
  uint64_t maxLiveBlocks = 0; ///< ... and the blocks live then.
  uint64_t peakBytes = 0;     ///< Live at the global peak.
  uint64_t peakBlocks = 0;
  /// Bytes read and written in its blocks (MemoryProfile::accessesCounted).
  uint64_t readBytes = 0;
  uint64_t writtenBytes = 0;
  /// Accesses per byte offset when every block here had the same size of
  /// at most 1024 bytes (DHAT's access map); saturates at 65535.
  std::vector<uint16_t> accessCounts;
  DhatFigures dhat;

  double meanLifetime() const {
    return allocations ? double(totalLifetime) / double(allocations) : 0.0;
  }
};

/// The live set at the exact instruction where live heap bytes were largest
/// (the first such instruction).
struct HeapPeak {
  uint64_t time = 0;
  uint64_t bytes = 0;
  uint64_t blocks = 0;
  std::vector<HeapBlock> live; ///< By address.
  /// The last instruction where live bytes came up to `bytes` again (where
  /// DHAT puts its t-gmax); `time` when the peak was reached once.
  uint64_t lastTime = 0;
};

/// A memory.grow, with the stack that executed it.
struct GrowEvent {
  uint64_t time = 0;
  uint32_t oldPages = 0;
  uint32_t deltaPages = 0;
  bool failed = false; ///< memory.grow returned -1.
  AllocStackId stack = 0;
};

enum class HeapErrorKind : uint8_t {
  DoubleFree,     ///< free of a block already freed.
  InvalidFree,    ///< free of a pointer never allocated.
  ReallocOfFreed, ///< realloc of a block already freed (or never allocated).
};
const char *heapErrorName(HeapErrorKind kind);

/// Allocator misuse. The run goes on (the guest's allocator decides what
/// happens to it).
struct HeapError {
  HeapErrorKind kind = HeapErrorKind::InvalidFree;
  uint64_t time = 0;
  uint32_t address = 0;
  AllocFunction function = AllocFunction::Free;
  AllocStackId stack = 0; ///< The bad call.
  /// For a block freed before: where it was allocated and first freed;
  /// UINT32_MAX when unknown (never allocated, or forgotten).
  AllocStackId allocStack = UINT32_MAX;
  AllocStackId freeStack = UINT32_MAX;
};

/// memcheck's leak kinds (Valgrind manual, "Memory leak detection").
enum class LeakKind : uint8_t {
  DefinitelyLost, ///< No pointer to the block was found.
  IndirectlyLost, ///< Pointed to only from lost blocks.
  PossiblyLost,   ///< Reached only through a chain with an interior pointer.
  StillReachable, ///< A chain of start pointers from a root reaches it.
};
const char *leakKindName(LeakKind kind);   ///< "definitely lost", ...
const char *leakKindToken(LeakKind kind);  ///< "definite", "indirect", "possible", "reachable"

/// Why an interior pointer counted as a start pointer (memcheck's
/// --leak-check-heuristics, all on by default).
enum class LeakHeuristic : uint8_t { None, StdString, Length64, NewArray, MultipleInheritance };
const char *leakHeuristicName(LeakHeuristic heuristic);

/// A block live when the leak check ran, classified.
struct CheckedBlock {
  HeapBlock block;
  LeakKind kind = LeakKind::DefinitelyLost;
  LeakHeuristic heuristic = LeakHeuristic::None;
  /// IndirectlyLost: index (in MemoryProfile::checked) of the definitely
  /// lost block whose clique it belongs to; else UINT32_MAX.
  uint32_t clique = UINT32_MAX;
  /// DefinitelyLost: bytes of the blocks lost through this one.
  uint64_t indirectBytes = 0;
  uint32_t lossRecord = UINT32_MAX; ///< Index into MemoryProfile::lossRecords.
};

/// Where a pointer found by the scan was stored.
enum class RootKind : uint8_t {
  Block,        ///< In another heap block.
  StaticData,   ///< Data or bss (linear memory below the heap).
  ShadowStack,  ///< The C stack in linear memory, between __stack_pointer and its base.
  Global,       ///< A wasm global.
  Local,        ///< A wasm local of a live frame.
  OperandStack, ///< An operand-stack slot of a live frame.
};
const char *rootKindName(RootKind kind);

/// One pointer into a block: "which blocks point at this one".
struct PointerRef {
  uint32_t target = 0; ///< Index into MemoryProfile::checked.
  RootKind source = RootKind::Block;
  /// Block: index into `checked`; Global: global index; Local and
  /// OperandStack: frame number (0 innermost); else UINT32_MAX.
  uint32_t from = UINT32_MAX;
  /// Memory address of the word (Block, StaticData, ShadowStack), or the
  /// local or operand index.
  uint32_t location = 0;
  uint32_t value = 0; ///< The pointer: the block's start or inside it.
  bool operator==(const PointerRef &) const = default;
};

/// Blocks of one leak kind allocated at one stack (cut to the leak
/// resolution), as memcheck groups them.
struct LossRecord {
  LeakKind kind = LeakKind::DefinitelyLost;
  AllocStackId stack = 0;
  uint64_t blocks = 0;
  uint64_t bytes = 0;         ///< Direct bytes.
  uint64_t indirectBytes = 0; ///< DefinitelyLost: bytes lost through these blocks.
  std::string suppressedBy;   ///< The matching suppression's name; empty if shown.
  std::vector<uint32_t> members; ///< Indices into MemoryProfile::checked.

  uint64_t totalBytes() const { return bytes + indirectBytes; }
  bool suppressed() const { return !suppressedBy.empty(); }
};

/// memcheck's LEAK SUMMARY (suppressed records counted apart).
struct LeakSummary {
  uint64_t bytes[4] = {0, 0, 0, 0}; ///< By LeakKind.
  uint64_t blocks[4] = {0, 0, 0, 0};
  uint64_t suppressedBytes = 0;
  uint64_t suppressedBlocks = 0;
  /// Still-reachable blocks that needed a heuristic, by LeakHeuristic.
  uint64_t heuristicBytes[5] = {0, 0, 0, 0, 0};
  uint64_t heuristicBlocks[5] = {0, 0, 0, 0, 0};
};

/// How the leak check saw the guest.
struct RootSummary {
  uint64_t staticBytes = 0;      ///< Data and bss scanned.
  uint64_t shadowStackBytes = 0; ///< Between __stack_pointer and the stack's base.
  uint64_t globals = 0;
  uint64_t frames = 0;        ///< Live wasm frames whose locals and operands were scanned.
  uint64_t slots = 0;         ///< Locals and operand-stack values scanned.
  uint64_t excludedBytes = 0; ///< The allocator's own bookkeeping, left out.
  uint64_t blockBytes = 0;    ///< Heap blocks scanned.
  std::vector<std::string> notes; ///< What could not be determined, and what was assumed.
};

struct MemoryProfile {
  std::vector<InterceptedFunction> intercepted;
  uint32_t leakResolution = 0;  ///< Frames compared when grouping loss records; 0: all.
  uint64_t temporaryWindow = 0; ///< Instructions: shorter-lived blocks are temporary.
  bool accessesCounted = false; ///< Reads and writes were counted (--memory-accesses).

  // Totals.
  uint64_t allocations = 0;
  uint64_t frees = 0;
  uint64_t allocatedBytes = 0;
  uint64_t reallocs = 0;
  uint64_t endTime = 0;   ///< Instructions when the run ended.
  uint64_t exitTime = 0;  ///< When the exit began (main returned or exit() was called); endTime if never seen.
  uint64_t profilerBytes = 0; ///< Host memory the heap profiler itself held at the end.

  std::vector<AllocStackNode> stacks; ///< stacks[0] is the root.
  std::vector<AllocSite> sites;       ///< One per allocating stack, by total bytes.
  HeapLog log;
  HeapPeak peak;
  std::vector<GrowEvent> grows;
  std::vector<HeapError> errors;

  // The leak check.
  bool leakChecked = false;
  uint64_t checkTime = 0;
  std::vector<CheckedBlock> checked;   ///< Live blocks at the check, by address.
  std::vector<PointerRef> references;  ///< By target, then source.
  uint64_t referencesDropped = 0;      ///< Beyond the kept maximum.
  std::vector<LossRecord> lossRecords; ///< Largest first (total bytes), as `report` prints them.
  LeakSummary summary;
  RootSummary roots;
  std::vector<std::string> suppressionFiles;

  // --- Queries. ---

  /// The frames of an allocation stack, outermost first.
  std::vector<AllocStackId> stackPath(AllocStackId id) const;
  /// The live set at instruction `time` (every event at or before `time`
  /// applied), by address. Empty when `time` is before log.baseTime.
  std::optional<std::vector<HeapBlock>> liveAt(uint64_t time) const;
  struct TimelinePoint {
    uint64_t time = 0;
    uint64_t bytes = 0;
    uint64_t blocks = 0;
  };
  /// Live bytes and blocks after each event of the kept log (the first point
  /// is the base), thinned to at most `maxPoints` by keeping each bucket's
  /// largest value, so peaks survive.
  std::vector<TimelinePoint> timeline(size_t maxPoints) const;
  /// References to checked block `block`, from the leak check's scan.
  std::vector<const PointerRef *> pointersTo(uint32_t block) const;
  /// The checked block containing `address`, if any.
  std::optional<uint32_t> checkedBlockAt(uint32_t address) const;
  /// Sites sorted by bytes allocated, largest first.
  std::vector<const AllocSite *> sitesByBytes() const;
  /// Checks indices and sums; empty when consistent. `stacksLimit` is
  /// Profile::frames.size() and `linesLimit` Profile::lines.size().
  std::string validate(size_t frames, size_t lines) const;
};

} // namespace wasmscope::profiler
