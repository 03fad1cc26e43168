// Memory reports (MemoryReport.h). Loss records and summaries follow
// memcheck's wording, so that people who read Valgrind's output read these
// without a legend; stacks print innermost first, "at" then "by", with
// inlined functions as frames of their own.
#include "MemoryReport.h"

#include "ProfileReport.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace wasmscope::cli {

using namespace wasmscope::profiler;

namespace {

std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The frames of allocation stack `id`, innermost first, as "name (file:line)".
std::vector<std::string> stackLines(const Profile &p, AllocStackId id) {
  const MemoryProfile &m = *p.memory;
  std::vector<std::string> out;
  std::vector<AllocStackId> path = m.stackPath(id);
  for (size_t i = path.size(); i-- > 0;) {
    const AllocStackNode &n = m.stacks[path[i]];
    // The allocator itself is one frame, as memcheck shows it: its entry's
    // inlined internals (dlcalloc in calloc) say nothing about the caller.
    if (i + 1 == path.size() && n.frame < p.frames.size()) {
      out.push_back(p.frames[n.frame].name);
      continue;
    }
    if (n.line != UINT32_MAX && n.line < p.lines.size()) {
      for (const SourceFrame &sf : p.lines[n.line].chain) {
        std::string s = p.frames[sf.frame].name;
        if (sf.file != kNone && sf.line)
          s += " (" + baseName(p.filePath(sf.file)) + ":" + std::to_string(sf.line) + ")";
        out.push_back(std::move(s));
      }
    } else {
      out.push_back(p.frames[n.frame].name);
    }
  }
  return out;
}

/// Prints a stack down to main (the C start code below it is the same for
/// every allocation; the JSON profile keeps the whole stack).
void printStack(std::ostream &out, const Profile &p, AllocStackId id, const char *indent) {
  std::vector<std::string> lines = stackLines(p, id);
  for (size_t i = 0; i < lines.size(); ++i) {
    out << indent << (i == 0 ? "at " : "by ") << lines[i] << "\n";
    const std::string &l = lines[i];
    if (l.rfind("main ", 0) == 0 || l == "main" || l.rfind("__main_argc_argv", 0) == 0)
      break;
  }
}

/// The innermost frame below the allocator: where the program asked.
std::string siteLabel(const Profile &p, AllocStackId id) {
  std::vector<std::string> lines = stackLines(p, id);
  if (lines.size() >= 2)
    return lines[1] + " <- " + lines[0];
  return lines.empty() ? std::string("?") : lines[0];
}

std::string instructions(double n) {
  char buf[32];
  if (n >= 1e9)
    std::snprintf(buf, sizeof buf, "%.1fG", n / 1e9);
  else if (n >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else if (n >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string col(const std::string &s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

} // namespace

void printHeapSummary(std::ostream &out, const Profile &p) {
  if (!p.memory)
    return;
  const MemoryProfile &m = *p.memory;
  uint64_t liveBytes = 0, liveBlocks = 0;
  for (const AllocSite &s : m.sites) {
    liveBytes += s.liveAtEndBytes;
    liveBlocks += s.liveAtEndBlocks;
  }
  out << "HEAP SUMMARY:\n";
  out << "    in use at exit: " << groupDigits(liveBytes) << " bytes in " << groupDigits(liveBlocks)
      << " blocks\n";
  out << "  total heap usage: " << groupDigits(m.allocations) << " allocs, "
      << groupDigits(m.frees) << " frees, " << groupDigits(m.allocatedBytes)
      << " bytes allocated\n";
  out << "              peak: " << groupDigits(m.peak.bytes) << " bytes in "
      << groupDigits(m.peak.blocks) << " blocks at instruction " << groupDigits(m.peak.time)
      << "\n";
  if (!m.errors.empty())
    out << "            errors: " << m.errors.size()
        << " (double or invalid frees; wasmscope report --leaks shows them)\n";
}

void printLeakSummary(std::ostream &out, const Profile &p) {
  if (!p.memory || !p.memory->leakChecked)
    return;
  const LeakSummary &s = p.memory->summary;
  static const char *kLabels[] = {"   definitely lost: ", "   indirectly lost: ",
                                  "     possibly lost: ", "   still reachable: "};
  out << "LEAK SUMMARY:\n";
  for (size_t k = 0; k < 4; ++k) {
    out << kLabels[k] << groupDigits(s.bytes[k]) << " bytes in " << groupDigits(s.blocks[k])
        << " blocks\n";
    if (k != size_t(LeakKind::StillReachable))
      continue;
    // As memcheck: what the interior-pointer heuristics kept reachable.
    bool any = false;
    for (size_t h = 1; h < 5; ++h)
      any |= s.heuristicBlocks[h] > 0;
    if (!any)
      continue;
    out << "                      of which reachable via heuristic:\n";
    for (size_t h = 1; h < 5; ++h)
      if (s.heuristicBlocks[h] > 0) {
        std::string name = leakHeuristicName(LeakHeuristic(h));
        name.resize(std::max<size_t>(name.size(), 19), ' ');
        out << "                        " << name << ": " << groupDigits(s.heuristicBytes[h])
            << " bytes in " << groupDigits(s.heuristicBlocks[h]) << " blocks\n";
      }
  }
  out << "        suppressed: " << groupDigits(s.suppressedBytes) << " bytes in "
      << groupDigits(s.suppressedBlocks) << " blocks\n";
}

void printLossRecords(std::ostream &out, const Profile &p, size_t top, bool reachable) {
  if (!p.memory)
    return;
  const MemoryProfile &m = *p.memory;
  if (!m.leakChecked) {
    out << "no leak check in this profile\n";
    return;
  }
  std::vector<const LossRecord *> shown;
  for (const LossRecord &r : m.lossRecords)
    if (!r.suppressed() && (reachable || r.kind != LeakKind::StillReachable))
      shown.push_back(&r);
  if (shown.empty()) {
    out << "No leaks: every block live at exit is still reachable"
        << (reachable ? "" : " (--reachable lists them)") << ".\n";
    return;
  }
  size_t n = std::min(top, shown.size());
  for (size_t i = 0; i < n; ++i) {
    const LossRecord &r = *shown[i];
    if (r.kind == LeakKind::DefinitelyLost && r.indirectBytes)
      out << groupDigits(r.totalBytes()) << " (" << groupDigits(r.bytes) << " direct, "
          << groupDigits(r.indirectBytes) << " indirect) bytes";
    else
      out << groupDigits(r.bytes) << " bytes";
    out << " in " << groupDigits(r.blocks) << " blocks are " << leakKindName(r.kind)
        << " in loss record " << (i + 1) << " of " << shown.size() << "\n";
    printStack(out, p, r.stack, "   ");
    out << "\n";
  }
  if (n < shown.size())
    out << "(" << shown.size() - n << " more loss records; --top N shows more)\n\n";
}

void printPeak(std::ostream &out, const Profile &p, size_t top) {
  if (!p.memory)
    return;
  const MemoryProfile &m = *p.memory;
  out << "Peak: " << groupDigits(m.peak.bytes) << " bytes in " << groupDigits(m.peak.blocks)
      << " blocks live at instruction " << groupDigits(m.peak.time) << " (exact)\n";
  if (m.peak.live.empty() && m.peak.blocks) {
    out << "(the live set at the peak was not kept)\n";
    return;
  }
  std::map<AllocStackId, std::pair<uint64_t, uint64_t>> bySite;
  for (const HeapBlock &b : m.peak.live) {
    auto &[bytes, blocks] = bySite[b.stack];
    bytes += b.size;
    ++blocks;
  }
  std::vector<std::pair<AllocStackId, std::pair<uint64_t, uint64_t>>> rows(bySite.begin(),
                                                                          bySite.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto &a, const auto &b) { return a.second.first > b.second.first; });
  out << col("bytes", 14) << col("blocks", 10) << col("share", 8) << "  site\n";
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    const auto &[stack, v] = rows[i];
    char share[16];
    std::snprintf(share, sizeof share, "%.1f%%",
                  m.peak.bytes ? 100.0 * double(v.first) / double(m.peak.bytes) : 0.0);
    out << col(groupDigits(v.first), 14) << col(groupDigits(v.second), 10) << col(share, 8)
        << "  " << siteLabel(p, stack) << "\n";
  }
}

void printSites(std::ostream &out, const Profile &p, size_t top) {
  if (!p.memory)
    return;
  const MemoryProfile &m = *p.memory;
  out << "Allocation sites by bytes allocated (lifetimes in instructions; temporary: freed "
         "within "
      << groupDigits(m.temporaryWindow) << "):\n";
  out << col("allocs", 10) << col("bytes", 14) << col("live@end", 12) << col("mean life", 11)
      << col("temp", 8) << col("at exit", 9) << "  site\n";
  size_t shown = 0;
  for (const AllocSite *s : m.sitesByBytes()) {
    if (shown++ == top)
      break;
    out << col(groupDigits(s->allocations), 10) << col(groupDigits(s->bytes), 14)
        << col(groupDigits(s->liveAtEndBytes), 12) << col(instructions(s->meanLifetime()), 11)
        << col(groupDigits(s->temporary), 8) << col(groupDigits(s->freedAtExit), 9) << "  "
        << siteLabel(p, s->stack) << "\n";
  }
}

void printHeapErrors(std::ostream &out, const Profile &p, size_t top) {
  if (!p.memory || p.memory->errors.empty())
    return;
  const MemoryProfile &m = *p.memory;
  out << "Allocator misuse (" << m.errors.size() << "):\n";
  for (size_t i = 0; i < m.errors.size() && i < top; ++i) {
    const HeapError &e = m.errors[i];
    char addr[16];
    std::snprintf(addr, sizeof addr, "0x%x", e.address);
    out << heapErrorName(e.kind) << " of " << addr << " by " << allocFunctionName(e.function)
        << " at instruction " << groupDigits(e.time) << "\n";
    printStack(out, p, e.stack, "   ");
    if (e.allocStack != UINT32_MAX) {
      out << " Block was allocated\n";
      printStack(out, p, e.allocStack, "   ");
    }
    if (e.freeStack != UINT32_MAX) {
      out << " and freed\n";
      printStack(out, p, e.freeStack, "   ");
    }
    out << "\n";
  }
}

void printGrows(std::ostream &out, const Profile &p, size_t top) {
  if (!p.memory || p.memory->grows.empty())
    return;
  const MemoryProfile &m = *p.memory;
  out << "memory.grow (" << m.grows.size() << "):\n";
  for (size_t i = 0; i < m.grows.size() && i < top; ++i) {
    const GrowEvent &g = m.grows[i];
    out << "  at instruction " << groupDigits(g.time) << ": " << g.oldPages << " + "
        << g.deltaPages << " pages" << (g.failed ? " (failed)" : "") << ", "
        << siteLabel(p, g.stack) << "\n";
  }
}

} // namespace wasmscope::cli
