// MemoryProfile's names and queries (MemoryProfile.h): stack paths and
// their truncation to a leak resolution, the live set rebuilt at any
// instruction from the bounded log, the thinned timeline, who points at a
// block, and the consistency check readers rely on.
#include "wasmscope/profiler/MemoryProfile.h"

#include <algorithm>
#include <map>

namespace wasmscope::profiler {

const char *heapErrorName(HeapErrorKind kind) {
  switch (kind) {
  case HeapErrorKind::DoubleFree: return "double free";
  case HeapErrorKind::InvalidFree: return "invalid free";
  case HeapErrorKind::ReallocOfFreed: return "realloc of freed memory";
  }
  return "?";
}

const char *leakKindName(LeakKind kind) {
  switch (kind) {
  case LeakKind::DefinitelyLost: return "definitely lost";
  case LeakKind::IndirectlyLost: return "indirectly lost";
  case LeakKind::PossiblyLost: return "possibly lost";
  case LeakKind::StillReachable: return "still reachable";
  }
  return "?";
}

const char *leakKindToken(LeakKind kind) {
  switch (kind) {
  case LeakKind::DefinitelyLost: return "definite";
  case LeakKind::IndirectlyLost: return "indirect";
  case LeakKind::PossiblyLost: return "possible";
  case LeakKind::StillReachable: return "reachable";
  }
  return "?";
}

const char *leakHeuristicName(LeakHeuristic heuristic) {
  switch (heuristic) {
  case LeakHeuristic::None: return "none";
  case LeakHeuristic::StdString: return "stdstring";
  case LeakHeuristic::Length64: return "length64";
  case LeakHeuristic::NewArray: return "newarray";
  case LeakHeuristic::MultipleInheritance: return "multipleinheritance";
  }
  return "?";
}

const char *rootKindName(RootKind kind) {
  switch (kind) {
  case RootKind::Block: return "block";
  case RootKind::StaticData: return "static data";
  case RootKind::ShadowStack: return "shadow stack";
  case RootKind::Global: return "global";
  case RootKind::Local: return "local";
  case RootKind::OperandStack: return "operand stack";
  }
  return "?";
}

std::vector<AllocStackId> MemoryProfile::stackPath(AllocStackId id) const {
  std::vector<AllocStackId> path;
  // Bounded by the node count, so a corrupt parent cycle cannot hang.
  while (id != 0 && id < stacks.size() && path.size() <= stacks.size()) {
    path.push_back(id);
    id = stacks[id].parent;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::optional<std::vector<HeapBlock>> MemoryProfile::liveAt(uint64_t time) const {
  if (time < log.baseTime)
    return std::nullopt;
  std::map<uint32_t, HeapBlock> live;
  for (const HeapBlock &b : log.base)
    live[b.address] = b;
  uint64_t serial = log.base.size();
  for (const HeapEvent &e : log.events) {
    if (e.time > time)
      break;
    if (e.kind == HeapEventKind::Alloc)
      live[e.address] = HeapBlock{e.address, e.size, e.stack, e.time, serial++, e.origin};
    else
      live.erase(e.address);
  }
  std::vector<HeapBlock> out;
  out.reserve(live.size());
  for (auto &[address, block] : live)
    out.push_back(block);
  return out;
}

std::vector<MemoryProfile::TimelinePoint> MemoryProfile::timeline(size_t maxPoints) const {
  std::vector<TimelinePoint> all;
  uint64_t bytes = 0, blocks = log.base.size();
  for (const HeapBlock &b : log.base)
    bytes += b.size;
  all.push_back({log.baseTime, bytes, blocks});
  for (const HeapEvent &e : log.events) {
    if (e.kind == HeapEventKind::Alloc) {
      bytes += e.size;
      ++blocks;
    } else {
      bytes -= std::min<uint64_t>(bytes, e.size);
      blocks -= blocks ? 1 : 0;
    }
    all.push_back({e.time, bytes, blocks});
  }
  if (maxPoints == 0 || all.size() <= maxPoints)
    return all;
  // Keep each bucket's largest point, and always the last one.
  std::vector<TimelinePoint> thin;
  size_t bucket = (all.size() + maxPoints - 2) / (maxPoints - 1);
  for (size_t i = 0; i + 1 < all.size(); i += bucket) {
    size_t end = std::min(all.size() - 1, i + bucket);
    auto best = std::max_element(all.begin() + ptrdiff_t(i), all.begin() + ptrdiff_t(end),
                                 [](const TimelinePoint &a, const TimelinePoint &b) {
                                   return a.bytes < b.bytes;
                                 });
    thin.push_back(*best);
  }
  thin.push_back(all.back());
  return thin;
}

std::vector<const PointerRef *> MemoryProfile::pointersTo(uint32_t block) const {
  std::vector<const PointerRef *> out;
  auto lo = std::lower_bound(references.begin(), references.end(), block,
                             [](const PointerRef &r, uint32_t b) { return r.target < b; });
  for (auto it = lo; it != references.end() && it->target == block; ++it)
    out.push_back(&*it);
  return out;
}

std::optional<uint32_t> MemoryProfile::checkedBlockAt(uint32_t address) const {
  auto it = std::upper_bound(checked.begin(), checked.end(), address,
                             [](uint32_t a, const CheckedBlock &b) { return a < b.block.address; });
  if (it == checked.begin())
    return std::nullopt;
  --it;
  uint64_t end = uint64_t(it->block.address) + std::max<uint32_t>(it->block.size, 1);
  if (address >= end)
    return std::nullopt;
  return uint32_t(it - checked.begin());
}

std::vector<const AllocSite *> MemoryProfile::sitesByBytes() const {
  std::vector<const AllocSite *> out;
  for (const AllocSite &s : sites)
    out.push_back(&s);
  std::stable_sort(out.begin(), out.end(), [](const AllocSite *a, const AllocSite *b) {
    return a->bytes > b->bytes;
  });
  return out;
}

std::string MemoryProfile::validate(size_t frames, size_t lines) const {
  if (stacks.empty())
    return "memory.stacks: no root";
  for (size_t i = 1; i < stacks.size(); ++i) {
    const AllocStackNode &n = stacks[i];
    if (n.parent >= i)
      return "memory.stacks[" + std::to_string(i) + "]: parent not before the node";
    if (n.frame >= frames)
      return "memory.stacks[" + std::to_string(i) + "]: frame out of range";
    if (n.line != UINT32_MAX && n.line >= lines)
      return "memory.stacks[" + std::to_string(i) + "]: line out of range";
  }
  auto stackOk = [&](AllocStackId s) { return s < stacks.size(); };
  // A block's or event's origin: UINT32_MAX (none) or a stack.
  auto originOk = [&](AllocStackId s) { return s == UINT32_MAX || s < stacks.size(); };
  for (size_t i = 0; i < sites.size(); ++i)
    if (!stackOk(sites[i].stack))
      return "memory.sites[" + std::to_string(i) + "]: stack out of range";
  for (size_t i = 0; i < log.events.size(); ++i)
    if (!stackOk(log.events[i].stack) || !originOk(log.events[i].origin))
      return "memory.log.events[" + std::to_string(i) + "]: stack out of range";
  for (const HeapBlock &b : log.base)
    if (!stackOk(b.stack) || !originOk(b.origin))
      return "memory.log.base: stack out of range";
  for (const HeapBlock &b : peak.live)
    if (!stackOk(b.stack) || !originOk(b.origin))
      return "memory.peak.live: stack out of range";
  for (const GrowEvent &g : grows)
    if (!stackOk(g.stack))
      return "memory.grows: stack out of range";
  for (const HeapError &e : errors)
    if (!stackOk(e.stack) || (e.allocStack != UINT32_MAX && !stackOk(e.allocStack)) ||
        (e.freeStack != UINT32_MAX && !stackOk(e.freeStack)))
      return "memory.errors: stack out of range";
  for (size_t i = 0; i < checked.size(); ++i) {
    const CheckedBlock &c = checked[i];
    if (!stackOk(c.block.stack) || !originOk(c.block.origin))
      return "memory.checked[" + std::to_string(i) + "]: stack out of range";
    if (c.lossRecord != UINT32_MAX && c.lossRecord >= lossRecords.size())
      return "memory.checked[" + std::to_string(i) + "]: loss record out of range";
    if (c.clique != UINT32_MAX && c.clique >= checked.size())
      return "memory.checked[" + std::to_string(i) + "]: clique out of range";
    if (i > 0 && checked[i - 1].block.address >= c.block.address)
      return "memory.checked: not sorted by address";
  }
  for (const PointerRef &r : references)
    if (r.target >= checked.size() || (r.source == RootKind::Block && r.from >= checked.size()))
      return "memory.references: block index out of range";
  for (size_t i = 0; i < lossRecords.size(); ++i) {
    const LossRecord &l = lossRecords[i];
    if (!stackOk(l.stack))
      return "memory.lossRecords[" + std::to_string(i) + "]: stack out of range";
    uint64_t bytes = 0;
    for (uint32_t m : l.members) {
      if (m >= checked.size())
        return "memory.lossRecords[" + std::to_string(i) + "]: member out of range";
      bytes += checked[m].block.size;
    }
    if (!l.members.empty() && (bytes != l.bytes || l.members.size() != l.blocks))
      return "memory.lossRecords[" + std::to_string(i) + "]: members do not sum to its totals";
  }
  return "";
}

} // namespace wasmscope::profiler
