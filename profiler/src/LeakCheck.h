// The leak check's scan: memcheck's algorithm (Valgrind manual, "Memory leak
// detection", and its nine pointer-chain cases) over wasm32 linear memory.
// Roots are memory ranges (data, bss, the shadow stack) and values (wasm
// globals, locals and operand-stack slots of live frames); every aligned
// 4-byte word is a candidate pointer, to a block's start or into it.
//  1. Mark from the roots: a start pointer from a definite node makes a block still
//     reachable, anything else possibly lost; reached blocks are scanned in
//     turn, a possibly lost one passing on only "possibly".
//  2. Every block still unreached, in address order, leads a clique: the
//     unreached blocks it reaches become indirectly lost through it, and
//     their bytes count as its indirect bytes; it is definitely lost.
// A last pass records every pointer into a block ("who points at");
// findPointers answers the same question for any address range, at a stop.
#pragma once

#include "wasmscope/profiler/MemoryProfile.h"

#include <cstdint>
#include <span>
#include <vector>

namespace wasmscope::runtime {
struct TableInstance;
}

namespace wasmscope::profiler {

struct ScanRoots {
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
    RootKind kind = RootKind::StaticData;
  };
  struct Value {
    uint32_t value = 0;
    RootKind kind = RootKind::Global;
    uint32_t from = UINT32_MAX;
    uint32_t location = 0;
  };
  std::vector<Range> memory;
  std::vector<Value> values;
  /// Where vtables can be (read-only data), and the function table their
  /// entries index: the multipleinheritance heuristic's test.
  std::vector<Range> readOnly;
  const runtime::TableInstance *functionTable = nullptr;
};

struct ScanOptions {
  uint64_t maxReferences = 100000;
};

struct ScanOutcome {
  std::vector<CheckedBlock> blocks; ///< In the order given (by address).
  std::vector<PointerRef> references;
  uint64_t referencesDropped = 0;
  uint64_t blockBytesScanned = 0;
  uint64_t rootBytesScanned = 0;
};

/// Classifies `blocks` (sorted by address, not overlapping) by the pointers
/// in `memory` reachable from `roots`.
ScanOutcome scanHeap(std::span<const uint8_t> memory, const std::vector<HeapBlock> &blocks,
                     const ScanRoots &roots, const ScanOptions &options);

/// Every aligned word of the roots and of `blocks` whose value lies in
/// [begin, end), and every root value that does: "who points at". `target`
/// is the block containing the value (UINT32_MAX for none); a Block source's
/// `from` is the index of the block holding the word. At most
/// `options.maxReferences` are kept; the rest are counted in `dropped`.
std::vector<PointerRef> findPointers(std::span<const uint8_t> memory,
                                     const std::vector<HeapBlock> &blocks, const ScanRoots &roots,
                                     uint32_t begin, uint64_t end, const ScanOptions &options,
                                     uint64_t &dropped);

} // namespace wasmscope::profiler
