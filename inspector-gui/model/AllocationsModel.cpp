// The allocations view's model (see AllocationsModel.h).
#include "AllocationsModel.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace wasmscope::gui {

namespace {

AllocClass classOf(profiler::LeakKind kind) {
  switch (kind) {
  case profiler::LeakKind::DefinitelyLost:
    return AllocClass::Definite;
  case profiler::LeakKind::IndirectlyLost:
    return AllocClass::Indirect;
  case profiler::LeakKind::PossiblyLost:
    return AllocClass::Possible;
  case profiler::LeakKind::StillReachable:
    return AllocClass::Reachable;
  }
  return AllocClass::Live;
}

std::string lower(std::string s) {
  for (char& c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

} // namespace

const char* allocClassName(AllocClass cls) {
  switch (cls) {
  case AllocClass::Definite:
    return "definitely lost";
  case AllocClass::Indirect:
    return "indirectly lost";
  case AllocClass::Possible:
    return "possibly lost";
  case AllocClass::Reachable:
    return "still reachable";
  case AllocClass::Live:
    return "live";
  }
  return "?";
}

void AllocationsModel::build(const profiler::Profile& profile, std::optional<uint64_t> time) {
  m_profile = &profile;
  m_rows.clear();
  m_leakChecked = false;
  m_time = time;
  m_suppressed = 0;
  if (!profile.memory)
    return;
  const profiler::MemoryProfile& m = *profile.memory;
  // Stack text once per stack: a million blocks share a few hundred.
  std::unordered_map<profiler::AllocStackId, std::pair<std::string, std::string>> texts;
  auto describe = [&](AllocationRow& row) {
    auto [it, fresh] = texts.try_emplace(row.stack);
    if (fresh) {
      std::vector<AllocFrame> frames = allocFrames(profile, row.stack);
      it->second.first = allocSiteLabel(frames);
      for (const AllocFrame& f : frames)
        it->second.second += lower(f.text()) + "\n";
    }
    row.site = it->second.first;
    row.search = it->second.second;
  };
  if (!time && m.leakChecked) {
    m_leakChecked = true;
    for (uint32_t r = 0; r < m.lossRecords.size(); ++r) {
      const profiler::LossRecord& record = m.lossRecords[r];
      if (record.suppressed())
        m_suppressed += record.blocks;
      AllocationRow row;
      row.suppressedBy = record.suppressedBy;
      row.cls = classOf(record.kind);
      row.stack = record.stack;
      row.blocks = record.blocks;
      row.bytes = record.bytes;
      row.indirectBytes = record.indirectBytes;
      row.lossRecord = r;
      for (uint32_t member : record.members)
        if (member < m.checked.size())
          row.members.push_back({m.checked[member].block, member});
      std::sort(row.members.begin(), row.members.end(), [](const auto& a, const auto& b) {
        return a.block.address < b.block.address;
      });
      describe(row);
      m_rows.push_back(std::move(row));
    }
    return;
  }
  auto live = m.liveAt(time.value_or(m.endTime));
  if (!live)
    return;
  std::unordered_map<profiler::AllocStackId, size_t> bySite;
  for (const profiler::HeapBlock& b : *live) {
    auto [it, fresh] = bySite.try_emplace(b.stack, m_rows.size());
    if (fresh) {
      AllocationRow row;
      row.stack = b.stack;
      m_rows.push_back(std::move(row));
    }
    AllocationRow& row = m_rows[it->second];
    ++row.blocks;
    row.bytes += b.size;
    uint32_t checked = UINT32_MAX;
    if (m.leakChecked)
      if (auto at = m.checkedBlockAt(b.address); at && m.checked[*at].block.serial == b.serial)
        checked = *at;
    row.members.push_back({b, checked});
  }
  for (AllocationRow& row : m_rows)
    describe(row);
}

std::vector<size_t> AllocationsModel::order(AllocColumn column, bool descending,
                                            const std::string& filter) const {
  std::string needle = lower(filter);
  std::vector<size_t> out;
  out.reserve(m_rows.size());
  for (size_t i = 0; i < m_rows.size(); ++i)
    if (needle.empty() || m_rows[i].search.find(needle) != std::string::npos)
      out.push_back(i);
  auto key = [&](const AllocationRow& r) -> std::pair<uint64_t, uint64_t> {
    switch (column) {
    case AllocColumn::Class:
      return {uint64_t(r.cls), r.bytes + r.indirectBytes};
    case AllocColumn::Bytes:
      return {r.bytes + r.indirectBytes, r.bytes};
    case AllocColumn::Blocks:
      return {r.blocks, r.bytes};
    case AllocColumn::Site:
      return {0, 0};
    }
    return {0, 0};
  };
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) {
    const AllocationRow& ra = m_rows[a];
    const AllocationRow& rb = m_rows[b];
    if (column == AllocColumn::Site) {
      if (ra.site != rb.site)
        return descending ? ra.site > rb.site : ra.site < rb.site;
      return ra.bytes > rb.bytes;
    }
    auto ka = key(ra), kb = key(rb);
    if (ka != kb)
      return descending ? ka > kb : ka < kb;
    return ra.site < rb.site;
  });
  return out;
}

std::optional<std::pair<size_t, size_t>> AllocationsModel::find(uint64_t address) const {
  for (size_t r = 0; r < m_rows.size(); ++r) {
    const auto& members = m_rows[r].members;
    auto it = std::upper_bound(members.begin(), members.end(), address,
                               [](uint64_t a, const AllocBlockRef& b) { return a < b.block.address; });
    if (it == members.begin())
      continue;
    --it;
    if (address < uint64_t(it->block.address) + std::max<uint32_t>(it->block.size, 1))
      return std::make_pair(r, size_t(it - members.begin()));
  }
  return std::nullopt;
}

std::vector<AllocFrame> AllocationsModel::stack(size_t row) const {
  if (!m_profile || row >= m_rows.size())
    return {};
  return allocFrames(*m_profile, m_rows[row].stack);
}

std::vector<PointerLine> AllocationsModel::pointersTo(uint32_t checked) const {
  std::vector<PointerLine> out;
  if (!m_profile || !m_profile->memory || checked >= m_profile->memory->checked.size())
    return out;
  const profiler::MemoryProfile& m = *m_profile->memory;
  uint32_t start = m.checked[checked].block.address;
  for (const profiler::PointerRef* ref : m.pointersTo(checked)) {
    PointerLine line;
    line.location = ref->location;
    line.value = ref->value;
    line.interior = ref->value != start;
    switch (ref->source) {
    case profiler::RootKind::Block:
      if (ref->from < m.checked.size()) {
        const profiler::CheckedBlock& from = m.checked[ref->from];
        line.fromBlock = ref->from;
        line.from = "block " + hex(from.block.address) + " (" +
                    leakKindName(from.kind) + ", " +
                    allocSiteLabel(allocFrames(*m_profile, from.block.stack)) + ")";
      } else {
        line.from = "a heap block";
      }
      break;
    case profiler::RootKind::StaticData:
      line.from = "static data at " + hex(ref->location);
      break;
    case profiler::RootKind::ShadowStack:
      line.from = "the stack at " + hex(ref->location);
      break;
    case profiler::RootKind::Global:
      line.from = "wasm global " + std::to_string(ref->from);
      break;
    case profiler::RootKind::Local:
      line.from = "local " + std::to_string(ref->location) + " of frame " + std::to_string(ref->from);
      break;
    case profiler::RootKind::OperandStack:
      line.from = "operand " + std::to_string(ref->location) + " of frame " +
                  std::to_string(ref->from);
      break;
    }
    out.push_back(std::move(line));
  }
  return out;
}

} // namespace wasmscope::gui
