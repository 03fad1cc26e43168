// Where a module compiled by wasm-ld keeps its static data (data segments
// and bss) and its shadow stack in linear memory. The leak check scans
// them as roots; the inspector's memory map colours them.
#pragma once

#include "wasmscope/runtime/Module.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::profiler {

struct MemoryLayout {
  uint32_t staticBegin = 0; ///< Data and bss: [staticBegin, staticEnd).
  uint32_t staticEnd = 0;
  uint32_t stackBase = 0;  ///< The stack pointer's initial value (0: unknown).
  uint32_t stackLimit = 0; ///< The stack's low end (it grows down to here).
  std::optional<runtime::GlobalIndex> stackPointer; ///< __stack_pointer.
  std::vector<std::string> notes; ///< What was assumed.
};

/// The layout of `module`'s linear memory, from its data segments and the
/// initial values of the globals wasm-ld names.
MemoryLayout memoryLayout(const runtime::Module &module);

} // namespace wasmscope::profiler
