// Where a wasm-ld module keeps data, bss and the shadow stack in linear
// memory (see MemoryLayout.h), from its data segments and the initial
// values of __stack_pointer, __data_end and __heap_base.
#include "wasmscope/profiler/MemoryLayout.h"

#include <algorithm>

namespace wasmscope::profiler {

using namespace wasmscope::runtime;

namespace {

/// wasm-ld's default stack size (-z stack-size): the stack lies just below
/// the initial stack pointer, above data and bss.
constexpr uint32_t kDefaultStackSize = 64 * 1024;

} // namespace

MemoryLayout memoryLayout(const Module &m) {
  MemoryLayout l;
  std::optional<GlobalIndex> heapBase, dataEnd;
  for (const auto &[g, name] : m.names.globalNames) {
    if (name == "__stack_pointer")
      l.stackPointer = g;
    else if (name == "__heap_base")
      heapBase = g;
    else if (name == "__data_end")
      dataEnd = g;
  }
  auto initOf = [&](GlobalIndex g) -> std::optional<uint32_t> {
    if (g < m.numImportedGlobals || g - m.numImportedGlobals >= m.globals.size())
      return std::nullopt;
    const ConstExpr &init = m.globals[g - m.numImportedGlobals].init;
    if (init.kind != ConstExpr::Kind::I32)
      return std::nullopt;
    return uint32_t(init.bits);
  };
  uint32_t lo = UINT32_MAX, hi = 0;
  for (const DataSegment &d : m.datas) {
    if (d.mode != SegmentMode::Active || d.offset.kind != ConstExpr::Kind::I32)
      continue;
    lo = std::min(lo, uint32_t(d.offset.bits));
    hi = std::max<uint64_t>(hi, std::min<uint64_t>(uint64_t(uint32_t(d.offset.bits)) + d.bytes.size(),
                                                   UINT32_MAX));
  }
  if (lo == UINT32_MAX)
    lo = hi = 0;
  l.staticBegin = lo;
  l.staticEnd = hi;
  if (l.stackPointer)
    if (auto sp = initOf(*l.stackPointer))
      l.stackBase = *sp;
  if (dataEnd && initOf(*dataEnd)) {
    l.staticEnd = std::max(l.staticEnd, *initOf(*dataEnd));
  } else if (l.stackBase > hi) {
    // bss has no segment: it runs from the last data to the stack's low end.
    if (l.stackBase >= hi + kDefaultStackSize) {
      l.staticEnd = l.stackBase - kDefaultStackSize;
      l.notes.push_back("bss assumed to end " + std::to_string(kDefaultStackSize) +
                        " bytes below the initial stack pointer (wasm-ld's default stack size)");
    } else {
      l.notes.push_back("bss end unknown: static data scanned to the end of the data segments");
    }
  } else if (l.stackBase && l.stackBase <= lo) {
    // --stack-first: data follows the stack; bss up to __heap_base.
    if (heapBase && initOf(*heapBase))
      l.staticEnd = std::max(l.staticEnd, *initOf(*heapBase));
  }
  // The stack lies below its initial pointer, down to the end of bss when
  // bss precedes it, else wasm-ld's default size.
  if (l.stackBase) {
    uint32_t low = l.stackBase >= kDefaultStackSize ? l.stackBase - kDefaultStackSize : 0;
    if (l.staticEnd <= l.stackBase && l.staticEnd > low)
      low = l.staticEnd;
    l.stackLimit = low;
  }
  return l;
}


} // namespace wasmscope::profiler
