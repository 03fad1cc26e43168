// Flame-graph layout and queries (see FlameGraph.h).
#include "FlameGraph.h"

#include <algorithm>

namespace wasmscope::gui {

void FlameGraph::build(const profiler::Profile& profile) {
  m_nodes.clear();
  m_children.clear();
  m_nodeOfStack.assign(profile.stacks.size(), 0);
  m_maxDepth = 0;
  if (profile.stacks.empty())
    return;
  std::vector<std::vector<profiler::StackId>> children = profile.childrenIndex();
  for (auto& list : children)
    std::stable_sort(list.begin(), list.end(), [&](profiler::StackId a, profiler::StackId b) {
      return profile.stacks[a].totalInstructions > profile.stacks[b].totalInstructions;
    });

  FlameNode root;
  root.stack = profiler::kRootStack;
  uint64_t rootWidth = 0;
  for (profiler::StackId child : children[profiler::kRootStack])
    rootWidth += profile.stacks[child].totalInstructions;
  root.width = std::max(rootWidth, profile.stacks[0].totalInstructions);
  m_nodes.push_back(root);
  m_children.emplace_back();

  // Depth-first with an explicit stack: call paths can be thousands deep.
  struct Pending {
    profiler::StackId stack;
    uint32_t parent;
    uint64_t start;
    uint32_t depth;
  };
  std::vector<Pending> pending;
  auto pushChildren = [&](profiler::StackId stack, uint32_t node, uint64_t start, uint32_t depth) {
    // Pushed in reverse so that the widest is laid out (and listed) first.
    uint64_t offset = start;
    std::vector<Pending> batch;
    for (profiler::StackId child : children[stack]) {
      batch.push_back({child, node, offset, depth});
      offset += profile.stacks[child].totalInstructions;
    }
    for (auto it = batch.rbegin(); it != batch.rend(); ++it)
      pending.push_back(*it);
  };
  pushChildren(profiler::kRootStack, 0, 0, 0);
  while (!pending.empty()) {
    Pending p = pending.back();
    pending.pop_back();
    const profiler::StackNode& stackNode = profile.stacks[p.stack];
    FlameNode node;
    node.stack = p.stack;
    node.frame = stackNode.frame;
    node.depth = p.depth;
    node.start = p.start;
    node.width = stackNode.totalInstructions;
    node.parent = p.parent;
    uint32_t index = uint32_t(m_nodes.size());
    m_nodes.push_back(node);
    m_children.emplace_back();
    m_children[p.parent].push_back(index);
    m_nodeOfStack[p.stack] = index;
    m_maxDepth = std::max(m_maxDepth, p.depth + 1);
    pushChildren(p.stack, index, p.start, p.depth + 1);
  }
}

std::vector<uint32_t> FlameGraph::visible(uint64_t from, uint64_t to, double minWidth) const {
  std::vector<uint32_t> out;
  if (m_nodes.empty())
    return out;
  std::vector<uint32_t> stack(m_children[0].rbegin(), m_children[0].rend());
  while (!stack.empty()) {
    uint32_t index = stack.back();
    stack.pop_back();
    const FlameNode& node = m_nodes[index];
    if (double(node.width) < minWidth || node.start >= to || node.start + node.width <= from)
      continue; // Its callees are narrower still, and inside it.
    out.push_back(index);
    const auto& kids = m_children[index];
    for (auto it = kids.rbegin(); it != kids.rend(); ++it)
      stack.push_back(*it);
  }
  return out;
}

uint32_t FlameGraph::hit(uint64_t position, uint32_t depth) const {
  if (m_nodes.empty())
    return 0;
  uint32_t current = 0;
  for (uint32_t level = 0; level <= depth; ++level) {
    uint32_t next = 0;
    for (uint32_t child : m_children[current]) {
      const FlameNode& node = m_nodes[child];
      if (position >= node.start && position < node.start + node.width) {
        next = child;
        break;
      }
    }
    if (next == 0)
      return 0;
    current = next;
  }
  return current;
}

std::vector<uint32_t> FlameGraph::pathTo(uint32_t node) const {
  std::vector<uint32_t> path;
  while (node != 0 && node < m_nodes.size()) {
    path.push_back(node);
    node = m_nodes[node].parent;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

uint32_t FlameGraph::nodeOfStack(profiler::StackId stack) const {
  return stack < m_nodeOfStack.size() ? m_nodeOfStack[stack] : 0;
}

} // namespace wasmscope::gui
