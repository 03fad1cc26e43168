// Allocation stacks as text (see AllocStack.h).
#include "AllocStack.h"

namespace wasmscope::gui {

namespace {

std::string baseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

std::string AllocFrame::text() const {
  if (file.empty() || !line)
    return function;
  return function + " (" + baseName(file) + ":" + std::to_string(line) + ")";
}

std::vector<AllocFrame> allocFrames(const profiler::Profile& p, profiler::AllocStackId stack) {
  std::vector<AllocFrame> out;
  if (!p.memory || stack >= p.memory->stacks.size())
    return out;
  const profiler::MemoryProfile& m = *p.memory;
  std::vector<profiler::AllocStackId> path = m.stackPath(stack);
  auto frameName = [&](uint32_t frame) {
    return frame < p.frames.size() ? p.frames[frame].name : std::string("?");
  };
  for (size_t i = path.size(); i-- > 0;) {
    const profiler::AllocStackNode& n = m.stacks[path[i]];
    // The allocator is one frame, as memcheck shows it: its own inlined
    // internals say nothing about the caller.
    if (i + 1 == path.size()) {
      out.push_back({frameName(n.frame), "", 0});
      continue;
    }
    if (n.line != UINT32_MAX && n.line < p.lines.size()) {
      for (const profiler::SourceFrame& sf : p.lines[n.line].chain)
        out.push_back({frameName(sf.frame), sf.file != profiler::kNone ? p.filePath(sf.file) : "",
                       sf.line});
    } else {
      out.push_back({frameName(n.frame), "", 0});
    }
  }
  return out;
}

std::string allocSiteLabel(const std::vector<AllocFrame>& frames) {
  // The caller of the allocator and its caller: one helper (copy_string)
  // called from two places is two sites.
  if (frames.size() >= 3)
    return frames[1].text() + " <- " + frames[2].text();
  if (frames.size() == 2)
    return frames[1].text() + " <- " + frames[0].function;
  return frames.empty() ? std::string("?") : frames[0].text();
}

} // namespace wasmscope::gui
