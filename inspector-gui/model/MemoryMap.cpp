// The memory map's model (see MemoryMap.h): a sweep over the boundaries of
// data, stack, freed and live ranges gives disjoint ranges of one kind
// each; the granule summary is counted from them once.
#include "MemoryMap.h"

#include <algorithm>

namespace wasmscope::gui {

MemoryKind memoryKindOf(profiler::LeakKind kind) {
  switch (kind) {
  case profiler::LeakKind::DefinitelyLost:
  case profiler::LeakKind::IndirectlyLost:
    return MemoryKind::Leaked;
  case profiler::LeakKind::PossiblyLost:
    return MemoryKind::Possible;
  case profiler::LeakKind::StillReachable:
    return MemoryKind::Live;
  }
  return MemoryKind::Live;
}

void MemoryMap::build(const profiler::Profile& profile,
                      const std::optional<profiler::MemoryLayout>& layout,
                      std::optional<uint64_t> time, uint64_t memoryBytes, uint64_t initialPages) {
  *this = {};
  if (!profile.memory)
    return;
  const profiler::MemoryProfile& m = *profile.memory;
  std::vector<MapBlock> blocks;
  bool leakChecked = false;
  if (!time && m.leakChecked) {
    leakChecked = true;
    blocks.reserve(m.checked.size());
    for (uint32_t i = 0; i < m.checked.size(); ++i)
      blocks.push_back({m.checked[i].block, memoryKindOf(m.checked[i].kind), i});
  } else {
    auto live = m.liveAt(time.value_or(m.endTime));
    if (live)
      for (const profiler::HeapBlock& b : *live)
        blocks.push_back({b, MemoryKind::Live, UINT32_MAX});
    if (time && m.leakChecked)
      // The same block (by serial) at the check: keep its index, so that a
      // selection shows who points at it.
      for (MapBlock& b : blocks)
        if (auto at = m.checkedBlockAt(b.block.address);
            at && m.checked[*at].block.serial == b.block.serial)
          b.checked = *at;
  }
  // Every range allocated (up to `time`) and not live now was freed.
  std::vector<std::pair<uint64_t, uint64_t>> freed;
  uint64_t until = time.value_or(UINT64_MAX);
  for (const profiler::HeapBlock& b : m.log.base)
    freed.emplace_back(b.address, uint64_t(b.address) + b.size);
  for (const profiler::HeapEvent& e : m.log.events) {
    if (e.time > until)
      break;
    if (e.kind == profiler::HeapEventKind::Alloc)
      freed.emplace_back(e.address, uint64_t(e.address) + e.size);
  }
  // Linear memory's size then: the initial pages and the grows before.
  uint64_t pages = initialPages;
  if (!m.grows.empty())
    pages = m.grows.front().oldPages;
  for (const profiler::GrowEvent& g : m.grows)
    if (!g.failed && g.time <= until)
      pages = std::max<uint64_t>(pages, uint64_t(g.oldPages) + g.deltaPages);
  uint64_t size = memoryBytes ? memoryBytes : pages * kPageBytes;
  for (const MapBlock& b : blocks)
    size = std::max<uint64_t>(size, uint64_t(b.block.address) + b.block.size);
  if (layout)
    size = std::max<uint64_t>(size, std::max(layout->staticEnd, layout->stackBase));
  size = (size + kPageBytes - 1) / kPageBytes * kPageBytes;
  // A wasm32 memory holds at most 65536 pages: a saved profile claiming
  // more is cut there rather than believed.
  size = std::min(size, kMaxMemoryBytes);
  build(std::move(blocks), std::move(freed), layout, size);
  m_time = time;
  m_leakChecked = leakChecked;
}

void MemoryMap::build(std::vector<MapBlock> blocks,
                      std::vector<std::pair<uint64_t, uint64_t>> freed,
                      const std::optional<profiler::MemoryLayout>& layout, uint64_t memoryBytes) {
  m_blocks = std::move(blocks);
  // By address (blockAt's binary search needs it; a profile's are already).
  if (!std::is_sorted(m_blocks.begin(), m_blocks.end(), [](const MapBlock& a, const MapBlock& b) {
        return a.block.address < b.block.address;
      }))
    std::stable_sort(m_blocks.begin(), m_blocks.end(), [](const MapBlock& a, const MapBlock& b) {
      return a.block.address < b.block.address;
    });
  m_size = std::min(memoryBytes, kMaxMemoryBytes);
  finish(layout, std::move(freed));
}

void MemoryMap::finish(const std::optional<profiler::MemoryLayout>& layout,
                       std::vector<std::pair<uint64_t, uint64_t>> freed) {
  m_ranges.clear();
  m_granules.assign((m_size + kGranuleBytes - 1) / kGranuleBytes, {});
  m_granuleKind.assign(m_granules.size(), MemoryKind::Unused);
  m_totals = {};
  if (!m_size)
    return;
  // Background kinds (lowest precedence first): freed, data, stack. Freed
  // ranges are merged so that each kind's count is 0 or 1 at any address.
  std::sort(freed.begin(), freed.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (const auto& [b, e] : freed) {
    if (e <= b)
      continue;
    if (!merged.empty() && b <= merged.back().second)
      merged.back().second = std::max(merged.back().second, e);
    else
      merged.emplace_back(b, e);
  }
  struct Edge {
    uint64_t at;
    MemoryKind kind;
    int delta;
  };
  std::vector<Edge> edges;
  edges.reserve(merged.size() * 2 + 4);
  auto add = [&](uint64_t b, uint64_t e, MemoryKind kind) {
    b = std::min(b, m_size);
    e = std::min(e, m_size);
    if (e > b) {
      edges.push_back({b, kind, +1});
      edges.push_back({e, kind, -1});
    }
  };
  for (const auto& [b, e] : merged)
    add(b, e, MemoryKind::Freed);
  if (layout) {
    add(layout->staticBegin, layout->staticEnd, MemoryKind::Data);
    if (layout->stackBase > layout->stackLimit)
      add(layout->stackLimit, layout->stackBase, MemoryKind::Stack);
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.at < b.at; });

  auto emit = [&](uint64_t b, uint64_t e, MemoryKind kind, uint32_t block) {
    if (e <= b)
      return;
    if (!m_ranges.empty() && m_ranges.back().end == b && m_ranges.back().kind == kind &&
        m_ranges.back().block == block)
      m_ranges.back().end = e;
    else
      m_ranges.push_back({b, e, kind, block});
  };
  // The background as ranges, then blocks laid over it.
  std::vector<MemoryRange> background;
  {
    int count[kMemoryKindCount] = {};
    uint64_t at = 0;
    auto current = [&] {
      for (int k = kMemoryKindCount - 1; k > 0; --k)
        if (count[k] > 0)
          return MemoryKind(k);
      return MemoryKind::Unused;
    };
    for (size_t i = 0; i <= edges.size(); ++i) {
      uint64_t next = i < edges.size() ? edges[i].at : m_size;
      if (next > at) {
        MemoryKind kind = current();
        if (!background.empty() && background.back().kind == kind)
          background.back().end = next;
        else
          background.push_back({at, next, kind, UINT32_MAX});
        at = next;
      }
      if (i < edges.size())
        count[int(edges[i].kind)] += edges[i].delta;
    }
  }
  size_t bg = 0;
  uint64_t at = 0;
  auto fillBackground = [&](uint64_t until) {
    while (at < until && bg < background.size()) {
      if (background[bg].end <= at) {
        ++bg;
        continue;
      }
      uint64_t e = std::min(until, background[bg].end);
      emit(at, e, background[bg].kind, UINT32_MAX);
      at = e;
    }
  };
  for (uint32_t i = 0; i < m_blocks.size(); ++i) {
    const profiler::HeapBlock& b = m_blocks[i].block;
    uint64_t begin = std::max<uint64_t>(b.address, at);
    uint64_t end = std::min<uint64_t>(uint64_t(b.address) + std::max<uint32_t>(b.size, 1), m_size);
    if (end <= begin)
      continue;
    fillBackground(begin);
    emit(begin, end, m_blocks[i].kind, i);
    at = end;
  }
  fillBackground(m_size);

  // The granule summary.
  for (const MemoryRange& r : m_ranges) {
    m_totals[int(r.kind)] += r.end - r.begin;
    for (uint64_t g = r.begin / kGranuleBytes; g * kGranuleBytes < r.end; ++g) {
      uint64_t b = std::max(r.begin, g * kGranuleBytes);
      uint64_t e = std::min(r.end, (g + 1) * kGranuleBytes);
      m_granules[g][int(r.kind)] += uint32_t(e - b);
      m_granuleKind[g] = std::max(m_granuleKind[g], r.kind);
    }
  }
}

MemoryKind MemoryMap::kindAt(uint64_t address) const {
  auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), address,
                             [](uint64_t a, const MemoryRange& r) { return a < r.end; });
  return it != m_ranges.end() && it->begin <= address ? it->kind : MemoryKind::Unused;
}

std::optional<uint32_t> MemoryMap::blockAt(uint64_t address) const {
  auto it = std::upper_bound(m_blocks.begin(), m_blocks.end(), address,
                             [](uint64_t a, const MapBlock& b) { return a < b.block.address; });
  if (it == m_blocks.begin())
    return std::nullopt;
  --it;
  uint64_t end = uint64_t(it->block.address) + std::max<uint32_t>(it->block.size, 1);
  if (address >= end)
    return std::nullopt;
  return uint32_t(it - m_blocks.begin());
}

std::optional<uint32_t> MemoryMap::blockIn(uint64_t begin, uint64_t end) const {
  if (auto exact = blockAt(begin); exact && end - begin <= 1)
    return exact;
  // Blocks are disjoint and by address: the first that may overlap is the
  // one containing `begin`, else the first starting after it.
  auto it = std::upper_bound(m_blocks.begin(), m_blocks.end(), begin,
                             [](uint64_t a, const MapBlock& b) { return a < b.block.address; });
  if (it != m_blocks.begin() &&
      uint64_t(std::prev(it)->block.address) + std::max<uint32_t>(std::prev(it)->block.size, 1) >
          begin)
    --it;
  std::optional<uint32_t> best;
  // Bounded: a cell of a zoomed-out map may hold thousands of blocks.
  for (int n = 0; it != m_blocks.end() && it->block.address < end && n < 4096; ++it, ++n)
    if (!best || it->kind > m_blocks[*best].kind)
      best = uint32_t(it - m_blocks.begin());
  return best;
}

void MemoryMap::cells(uint64_t begin, uint64_t bytesPerCell, std::span<MemoryKind> out) const {
  std::fill(out.begin(), out.end(), MemoryKind::Unused);
  if (!bytesPerCell || out.empty() || begin >= m_size)
    return;
  uint64_t end = std::min(m_size, begin + bytesPerCell * out.size());
  if (bytesPerCell % kGranuleBytes == 0 && begin % kGranuleBytes == 0) {
    uint64_t perCell = bytesPerCell / kGranuleBytes;
    for (size_t c = 0; c < out.size(); ++c) {
      uint64_t g0 = begin / kGranuleBytes + c * perCell;
      MemoryKind kind = MemoryKind::Unused;
      for (uint64_t g = g0; g < g0 + perCell && g < m_granuleKind.size(); ++g)
        kind = std::max(kind, m_granuleKind[g]);
      out[c] = kind;
    }
    return;
  }
  auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), begin,
                             [](uint64_t a, const MemoryRange& r) { return a < r.end; });
  for (; it != m_ranges.end() && it->begin < end; ++it) {
    if (it->kind == MemoryKind::Unused)
      continue;
    uint64_t b = std::max(it->begin, begin);
    uint64_t e = std::min(it->end, end);
    size_t c0 = size_t((b - begin) / bytesPerCell);
    size_t c1 = size_t((e - 1 - begin) / bytesPerCell);
    for (size_t c = c0; c <= c1 && c < out.size(); ++c)
      out[c] = std::max(out[c], it->kind);
  }
}

} // namespace wasmscope::gui
