// Text pieces the memory monitor commands share (MemoryMonitor.cpp,
// WhoPointsAt.cpp): allocation stacks as memcheck prints them, innermost
// first with "at" then "by", each frame with LLDB's code address and its
// source line, and numbers with thousands separators.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wasmscope::gdbstub {

/// 1234567 -> "1,234,567".
std::string groupedNumber(uint64_t n);
/// "0x%08x": a linear-memory address.
std::string memoryAddress(uint32_t address);
/// The frames of allocation stack `id` of `p.memory`, one line each, with
/// `indent` before "at"/"by", down to main (the C start code below it is
/// the same for every block). `codeBase` is LLDB's address of code offset 0.
std::string allocationStack(const profiler::Profile& p, profiler::AllocStackId id,
                            uint64_t codeBase, const std::string& indent);
/// "a block of size 24 alloc'd (still reachable, loss record 3 of 5)" for
/// checked block `block` of `p.memory`; loss records are numbered among the
/// unsuppressed ones, as leak_check numbers them.
std::string blockDescription(const profiler::Profile& p, uint32_t block);
/// The number leak_check gives loss record `record` (1-based among the
/// unsuppressed records), or 0 for a suppressed one; `count` gets how many
/// are numbered.
uint32_t lossRecordNumber(const profiler::MemoryProfile& m, uint32_t record, uint32_t* count);
/// lossRecordNumber of every record at once, by index into m.lossRecords.
std::vector<uint32_t> lossRecordNumbers(const profiler::MemoryProfile& m);

} // namespace wasmscope::gdbstub
