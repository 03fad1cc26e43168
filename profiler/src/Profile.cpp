// Queries over the profile model (Profile.h): paths, children, sorted
// functions and lines, and the consistency check every reader runs.
#include "wasmscope/profiler/Profile.h"

#include <algorithm>

namespace wasmscope::profiler {

std::vector<FrameId> Profile::stackFrames(StackId id) const {
  std::vector<FrameId> out;
  // Bounded by the node count, so a corrupt parent cycle cannot loop forever.
  for (size_t steps = 0; id != kRootStack && id < stacks.size() && steps <= stacks.size();
       ++steps) {
    out.push_back(stacks[id].frame);
    id = stacks[id].parent;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::vector<StackId>> Profile::childrenIndex() const {
  std::vector<std::vector<StackId>> children(stacks.size());
  for (StackId id = 1; id < stacks.size(); ++id)
    if (stacks[id].parent < stacks.size())
      children[stacks[id].parent].push_back(id);
  return children;
}

const FunctionStats *Profile::functionFor(FrameId frame) const {
  return frame < functions.size() ? &functions[frame] : nullptr;
}

const std::string &Profile::filePath(FileId file) const {
  static const std::string kEmpty;
  return file < files.size() ? files[file] : kEmpty;
}

std::string Profile::describeFrame(FrameId id) const {
  if (id >= frames.size())
    return "?";
  const Frame &f = frames[id];
  if (f.file == kNone)
    return f.name;
  return f.name + " (" + filePath(f.file) + (f.line ? ":" + std::to_string(f.line) : "") + ")";
}

std::vector<const FunctionStats *> Profile::functionsBySelf() const {
  std::vector<const FunctionStats *> out;
  for (const FunctionStats &f : functions)
    if (f.calls || f.selfInstructions || f.totalInstructions)
      out.push_back(&f);
  std::stable_sort(out.begin(), out.end(), [&](const FunctionStats *a, const FunctionStats *b) {
    if (a->selfInstructions != b->selfInstructions)
      return a->selfInstructions > b->selfInstructions;
    if (a->totalInstructions != b->totalInstructions)
      return a->totalInstructions > b->totalInstructions;
    return frames[a->frame].name < frames[b->frame].name;
  });
  return out;
}

std::vector<Profile::FileLine> Profile::linesByInstructions() const {
  std::map<std::tuple<FileId, uint32_t, FrameId>, uint64_t> sums;
  for (const LineStats &l : lines)
    sums[{l.file(), l.line(), l.function()}] += l.instructions;
  std::vector<FileLine> out;
  for (const auto &[key, n] : sums)
    out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
  std::stable_sort(out.begin(), out.end(), [](const FileLine &a, const FileLine &b) {
    return a.instructions > b.instructions;
  });
  return out;
}

std::string Profile::validate() const {
  auto fail = [](std::string what) { return what; };
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].file != kNone && frames[i].file >= files.size())
      return fail("frame " + std::to_string(i) + ": file index out of range");
  if (functions.size() != frames.size())
    return fail("functions: expected one entry per frame");
  for (size_t i = 0; i < functions.size(); ++i)
    if (functions[i].frame != i)
      return fail("functions[" + std::to_string(i) + "]: frame is not its index");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].chain.empty())
      return fail("lines[" + std::to_string(i) + "]: empty chain");
    for (const SourceFrame &s : lines[i].chain)
      if (s.frame >= frames.size() || (s.file != kNone && s.file >= files.size()))
        return fail("lines[" + std::to_string(i) + "]: index out of range");
  }
  if (stacks.empty() || stacks[0].parent != kNone || stacks[0].frame != kNone)
    return fail("stacks: node 0 must be the root");
  for (size_t i = 1; i < stacks.size(); ++i) {
    const StackNode &n = stacks[i];
    if (n.parent >= i)
      return fail("stacks[" + std::to_string(i) + "]: parent must come first");
    if (n.frame >= frames.size())
      return fail("stacks[" + std::to_string(i) + "]: frame out of range");
    uint64_t sum = 0;
    for (const auto &[line, count] : n.lines) {
      if (line >= lines.size())
        return fail("stacks[" + std::to_string(i) + "]: line out of range");
      sum += count;
    }
    if (sum != n.selfInstructions)
      return fail("stacks[" + std::to_string(i) + "]: line counts do not add up to self");
  }
  for (FrameId f : trace.openAtStart)
    if (f >= frames.size())
      return fail("trace: open frame out of range");
  for (const TraceEvent &e : trace.events)
    if (e.frame >= frames.size())
      return fail("trace: event frame out of range");
  if (memory)
    return memory->validate(frames.size(), lines.size());
  return {};
}

} // namespace wasmscope::profiler
