// Collapsed stacks ("root;...;leaf count"), the input of flamegraph.pl,
// inferno and speedscope. A path's instructions are split by line as in the
// pprof output, and a line inside inlined code extends the path with the
// inlined frames, so the stacks equal what `go tool pprof -traces` shows
// for the same run.
#include "wasmscope/profiler/Formats.h"

#include "StackPaths.h"

#include <map>

namespace wasmscope::profiler {

std::string writeCollapsed(const Profile &p) {
  std::vector<std::pair<std::string, uint64_t>> lines;
  std::map<std::string, uint64_t> merged;
  for (const WeightedPath &w : weightedPaths(p)) {
    std::string text;
    for (FrameId f : w.frames) {
      if (!text.empty())
        text += ';';
      text += collapsedName(p.frames[f].name);
    }
    merged[text] += w.weight;
  }
  std::string out;
  for (const auto &[text, count] : merged)
    out += text + " " + std::to_string(count) + "\n";
  return out;
}

} // namespace wasmscope::profiler
