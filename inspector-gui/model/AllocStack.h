// Allocation stacks as the memory views print them: one line per frame,
// innermost first, the allocator itself by name and each caller as
// "function (file:line)" with its inlining chain, as `wasmscope report
// --leaks` prints them. Shared by the allocations view, the memory map's
// hover and the heap timeline's live set.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wasmscope::gui {

/// One frame of an allocation stack.
struct AllocFrame {
  std::string function;
  std::string file; ///< Source path ("" without DWARF or for the allocator).
  uint32_t line = 0;
  /// "calloc", "response_new (request_handler.c:156)".
  std::string text() const;
};

/// The frames of allocation stack `stack`, innermost first (empty when the
/// profile has no memory part or the id is out of range).
std::vector<AllocFrame> allocFrames(const profiler::Profile& profile, profiler::AllocStackId stack);

/// Where the program asked: the innermost caller of the allocator and its
/// caller, as "copy_string (request_handler.c:101) <- parse_request
/// (request_handler.c:112)".
std::string allocSiteLabel(const std::vector<AllocFrame>& frames);

} // namespace wasmscope::gui
