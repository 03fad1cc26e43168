// Call paths expanded for the flat-stack formats (collapsed stacks and
// speedscope's sampled profile): each path's instructions split by line,
// with the frames inlined at that line appended below the path's function.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <string>
#include <vector>

namespace wasmscope::profiler {

struct WeightedPath {
  std::vector<FrameId> frames; ///< Outermost first.
  uint64_t weight = 0;         ///< Instructions.
};

/// Every distinct expanded path with its instructions, in path order.
std::vector<WeightedPath> weightedPaths(const Profile &profile);

/// A frame name safe for collapsed stacks (no ';', no line breaks).
std::string collapsedName(const std::string &name);

} // namespace wasmscope::profiler
