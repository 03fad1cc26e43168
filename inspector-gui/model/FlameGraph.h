// The Profile view's flame graph: the call-path tree of a profile laid out
// on an instruction axis, each path as wide as its total instructions, its
// callees above it, widest first (left-heavy, so the costly paths line up
// at the left). Layout is computed once per profile; drawing asks for what
// is visible in a range at a pixel size, which prunes whole subtrees too
// narrow to see, so a profile with 100,000 paths still draws in a frame.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace wasmscope::gui {

struct FlameNode {
  profiler::StackId stack = profiler::kNone;
  profiler::FrameId frame = profiler::kNone;
  uint32_t depth = 0;  ///< 0: the root's children (the entry functions).
  uint64_t start = 0;  ///< Instructions before it on the axis.
  uint64_t width = 0;  ///< Its total instructions.
  uint32_t parent = 0; ///< Index into nodes(); the root is 0.
};

class FlameGraph {
public:
  void build(const profiler::Profile& profile);

  /// nodes()[0] is the root (the whole run); the rest in depth-first order.
  const std::vector<FlameNode>& nodes() const { return m_nodes; }
  uint64_t totalWidth() const { return m_nodes.empty() ? 0 : m_nodes[0].width; }
  uint32_t maxDepth() const { return m_maxDepth; }

  /// Nodes (not the root) that overlap [from, to) and are at least
  /// `minWidth` instructions wide, parents before children.
  std::vector<uint32_t> visible(uint64_t from, uint64_t to, double minWidth) const;
  /// The node at `position` on the axis and `depth`, or 0 (none).
  uint32_t hit(uint64_t position, uint32_t depth) const;
  /// The node's path from its entry function down to it (node indices).
  std::vector<uint32_t> pathTo(uint32_t node) const;
  /// The node of a call path, or 0.
  uint32_t nodeOfStack(profiler::StackId stack) const;

private:
  std::vector<FlameNode> m_nodes;
  /// The children of each node, widest first.
  std::vector<std::vector<uint32_t>> m_children;
  std::vector<uint32_t> m_nodeOfStack;
  uint32_t m_maxDepth = 0;
};

} // namespace wasmscope::gui
