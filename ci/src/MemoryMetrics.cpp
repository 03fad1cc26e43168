// Memory metrics from a profile's heap part (Metrics.h): allocations and
// bytes per site, the peak and the sites live at it, leaked bytes and blocks
// per memcheck class in total and per site, and memory.grow. Sites are keyed
// by their call stack as "function file:line" frames, innermost first,
// without the allocator's own frame and cut to kSiteFrames, so the key
// survives a rebuild and names the lines a reviewer looks at.
#include "wasmscope/ci/Metrics.h"

#include "wasmscope/profiler/MemoryProfile.h"

#include <algorithm>

namespace wasmscope::ci {

using namespace wasmscope::profiler;

namespace {

/// Frames of a site key; deeper frames only appear in the displayed stack.
constexpr size_t kSiteFrames = 6;
constexpr size_t kStackFrames = 16;
/// Sites kept from the peak's live set, largest first.
constexpr size_t kPeakSiteCount = 10;

struct SiteName {
  std::string key;
  std::string file;
  uint32_t line = 0;
  std::vector<std::string> stack;
};

class SiteNamer {
public:
  SiteNamer(const Profile &profile, const MemoryProfile &memory, const MetricOptions &options)
      : m_profile(profile), m_memory(memory), m_options(options) {}

  const SiteName &name(AllocStackId id) {
    auto it = m_cache.find(id);
    if (it != m_cache.end())
      return it->second;
    SiteName site;
    // stackPath is outermost first; the last frame is the allocator itself.
    std::vector<AllocStackId> path = m_memory.stackPath(id);
    if (!path.empty())
      path.pop_back();
    std::reverse(path.begin(), path.end());
    for (size_t i = 0; i < path.size() && i < kStackFrames; ++i) {
      std::string file;
      uint32_t line = 0;
      std::string frame = describe(path[i], file, line);
      if (i == 0) {
        site.file = file;
        site.line = line;
      }
      if (i < kSiteFrames)
        site.key += (i ? " <- " : "") + frame;
      site.stack.push_back(frame);
    }
    if (site.key.empty())
      site.key = "[allocator called from outside wasm code]";
    return m_cache.emplace(id, std::move(site)).first->second;
  }

private:
  std::string describe(AllocStackId id, std::string &file, uint32_t &line) {
    const AllocStackNode &node = m_memory.stacks[id];
    std::string function = node.frame < m_profile.frames.size()
                               ? m_profile.frames[node.frame].name
                               : std::string("[unknown]");
    if (node.line < m_profile.lines.size() && !m_profile.lines[node.line].chain.empty()) {
      const LineStats &stats = m_profile.lines[node.line];
      // The innermost (possibly inlined) function and its own file:line.
      if (stats.function() < m_profile.frames.size())
        function = m_profile.frames[stats.function()].name;
      file = relativeToRoot(m_profile.filePath(stats.file()), m_options.sourceRoot);
      line = stats.line();
    } else if (node.frame < m_profile.frames.size()) {
      file = relativeToRoot(m_profile.filePath(m_profile.frames[node.frame].file),
                            m_options.sourceRoot);
    }
    if (file.empty())
      return function;
    return function + " " + file + (line ? ":" + std::to_string(line) : "");
  }

  const Profile &m_profile;
  const MemoryProfile &m_memory;
  const MetricOptions &m_options;
  std::map<AllocStackId, SiteName> m_cache;
};

ItemMetrics &itemFor(std::map<std::string, ItemMetrics> &group, const SiteName &site) {
  ItemMetrics &item = group[site.key];
  item.file = site.file;
  item.line = site.line;
  item.stack = site.stack;
  return item;
}

/// The value names of a leak class: "definitely_lost_bytes", ...
std::string leakValue(LeakKind kind, const char *what) {
  static const char *const kNames[] = {"definitely_lost", "indirectly_lost", "possibly_lost",
                                       "still_reachable"};
  return std::string(kNames[size_t(kind)]) + "_" + what;
}

} // namespace

void addMemoryMetrics(const Profile &profile, const MetricOptions &options,
                      ScenarioMetrics &metrics) {
  if (!profile.memory)
    return;
  const MemoryProfile &memory = *profile.memory;
  SiteNamer namer(profile, memory, options);

  metrics.totals[kAllocations] = memory.allocations;
  metrics.totals[kAllocatedBytes] = memory.allocatedBytes;
  metrics.totals[kPeakBytes] = memory.peak.bytes;
  uint64_t grows = 0;
  for (const GrowEvent &grow : memory.grows)
    grows += !grow.failed;
  metrics.totals[kMemoryGrows] = grows;

  auto &allocSites = metrics.groups[kAllocSites];
  auto &peakSites = metrics.groups[kPeakSites];
  std::vector<const AllocSite *> atPeak;
  for (const AllocSite &site : memory.sites) {
    if (site.allocations == 0)
      continue;
    ItemMetrics &item = itemFor(allocSites, namer.name(site.stack));
    item.values[kAllocations] += site.allocations;
    item.values["bytes"] += site.bytes;
    if (site.peakBytes)
      atPeak.push_back(&site);
  }
  // The sites holding the most at the peak (ties by key, for stable output).
  std::sort(atPeak.begin(), atPeak.end(), [&](const AllocSite *a, const AllocSite *b) {
    if (a->peakBytes != b->peakBytes)
      return a->peakBytes > b->peakBytes;
    return namer.name(a->stack).key < namer.name(b->stack).key;
  });
  for (size_t i = 0; i < atPeak.size() && i < kPeakSiteCount; ++i) {
    ItemMetrics &item = itemFor(peakSites, namer.name(atPeak[i]->stack));
    item.values["bytes"] += atPeak[i]->peakBytes;
    item.values["blocks"] += atPeak[i]->peakBlocks;
  }

  if (!memory.leakChecked)
    return;
  for (LeakKind kind : {LeakKind::DefinitelyLost, LeakKind::IndirectlyLost, LeakKind::PossiblyLost,
                        LeakKind::StillReachable}) {
    metrics.totals[leakValue(kind, "bytes")] = memory.summary.bytes[size_t(kind)];
    metrics.totals[leakValue(kind, "blocks")] = memory.summary.blocks[size_t(kind)];
  }
  auto &leakSites = metrics.groups[kLeakSites];
  for (const LossRecord &record : memory.lossRecords) {
    if (record.suppressed())
      continue;
    ItemMetrics &item = itemFor(leakSites, namer.name(record.stack));
    item.values[leakValue(record.kind, "bytes")] += record.bytes;
    item.values[leakValue(record.kind, "blocks")] += record.blocks;
  }
}

} // namespace wasmscope::ci
