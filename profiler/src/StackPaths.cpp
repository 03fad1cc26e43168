// Expanded call paths for the flat-stack writers (StackPaths.h).
#include "StackPaths.h"

#include <map>

namespace wasmscope::profiler {

std::vector<WeightedPath> weightedPaths(const Profile &p) {
  std::map<std::vector<FrameId>, uint64_t> sums;
  for (StackId id = 1; id < p.stacks.size(); ++id) {
    const StackNode &node = p.stacks[id];
    if (node.lines.empty())
      continue;
    std::vector<FrameId> base = p.stackFrames(id);
    for (const auto &[line, count] : node.lines) {
      std::vector<FrameId> path = base;
      const std::vector<SourceFrame> &chain = p.lines[line].chain;
      // chain.back() is the node's own function; the rest were inlined
      // into it, outermost last-but-one.
      for (size_t i = chain.size() - 1; i-- > 0;)
        path.push_back(chain[i].frame);
      sums[path] += count;
    }
  }
  std::vector<WeightedPath> out;
  for (auto &[path, count] : sums)
    if (count)
      out.push_back({path, count});
  return out;
}

std::string collapsedName(const std::string &name) {
  std::string out = name;
  // ';' separates frames and the last space the count: neither may appear
  // in a frame.
  for (char &c : out)
    if (c == ';')
      c = ':';
    else if (c == '\n' || c == '\r')
      c = ' ';
  return out;
}

} // namespace wasmscope::profiler
