// DHAT's JSON format (dhatFileVersion 2, mode "heap"): what Valgrind's
// `--tool=dhat` writes as dhat.out.PID and its dh_view.html (and the Firefox
// Profiler) open. One program point ("pp") per allocation site with its
// totals, its own maximum, its share of the global peak and of the end, and
// a frame table of strings ("0xADDR: function (file:line)"), "[root]" first.
// Time is instructions ("tu": "instrs"). Sites are counted as DHAT counts
// them (MemoryProfile.h, DhatFigures): a realloc adds a block of the new size
// to the site of the block it resizes.
#include "wasmscope/profiler/Formats.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace wasmscope::profiler {

using nlohmann::ordered_json;
using runtime::Error;
using runtime::ErrorCode;

namespace {

/// Interns frame strings: ftbl[0] is "[root]", as dh_view expects.
class FrameTable {
public:
  FrameTable() { index("[root]"); }
  uint32_t index(const std::string &text) {
    auto [it, added] = m_index.emplace(text, uint32_t(m_strings.size()));
    if (added)
      m_strings.push_back(text);
    return it->second;
  }
  const std::vector<std::string> &strings() const { return m_strings; }

private:
  std::map<std::string, uint32_t> m_index;
  std::vector<std::string> m_strings;
};

std::string frameText(uint32_t address, const std::string &function, const std::string &where) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%X", address);
  return std::string(hex) + ": " + function + " (" + where + ")";
}

/// The frames of `stack`, innermost first (the allocator, then its callers;
/// inlined functions as frames of their own at their call's line).
std::vector<uint32_t> framesOf(const Profile &p, const MemoryProfile &m, AllocStackId stack,
                               FrameTable &table) {
  std::vector<uint32_t> out;
  std::vector<AllocStackId> path = m.stackPath(stack);
  std::string module = p.run.modulePath.empty() ? p.run.module : p.run.modulePath;
  for (size_t i = path.size(); i-- > 0;) {
    const AllocStackNode &n = m.stacks[path[i]];
    if (n.line != UINT32_MAX && n.line < p.lines.size() && !p.lines[n.line].chain.empty()) {
      for (const SourceFrame &sf : p.lines[n.line].chain) {
        std::string name = sf.frame < p.frames.size() ? p.frames[sf.frame].name : "???";
        std::string where = sf.file == kNone || sf.line == 0
                                ? "in " + module
                                : p.filePath(sf.file) + ":" + std::to_string(sf.line);
        out.push_back(table.index(frameText(n.address, name, where)));
      }
    } else {
      std::string name = n.frame < p.frames.size() ? p.frames[n.frame].name : "???";
      out.push_back(table.index(frameText(n.address, name, "in " + module)));
    }
  }
  return out;
}

/// DHAT's run-length encoding of an access map: a run of N > 1 equal
/// counts is written -N, count.
ordered_json encodeAccesses(const std::vector<uint16_t> &counts) {
  ordered_json out = ordered_json::array();
  for (size_t i = 0; i < counts.size();) {
    size_t j = i + 1;
    while (j < counts.size() && counts[j] == counts[i])
      ++j;
    if (j - i > 1)
      out.push_back(-int64_t(j - i));
    out.push_back(counts[i]);
    i = j;
  }
  return out;
}

} // namespace

Result<std::string> writeDhat(const Profile &profile) {
  if (!profile.memory)
    return Error(ErrorCode::InvalidArgument,
                 "the DHAT format is a heap profile: profile with --memory (or --memory-only)");
  const MemoryProfile &m = *profile.memory;
  FrameTable table;

  std::string cmd;
  for (const std::string &arg : profile.run.commandLine)
    cmd += (cmd.empty() ? "" : " ") + arg;
  if (cmd.empty())
    cmd = profile.run.modulePath;

  ordered_json head;
  head["dhatFileVersion"] = 2;
  head["mode"] = "heap";
  head["verb"] = "Allocated";
  head["bklt"] = true;
  head["bkacc"] = m.accessesCounted;
  head["tu"] = "instrs";
  head["Mtu"] = "Minstr";
  head["tuth"] = m.temporaryWindow;
  head["cmd"] = cmd;
  head["pid"] = 0; // A guest has no process of its own.
  head["te"] = m.endTime;
  head["tg"] = m.peak.lastTime; // DHAT's t-gmax: the last time the peak was reached.

  // Program points in the order of the sites (largest first); a site that
  // only resized other sites' blocks has nothing of its own in DHAT's count.
  std::string pps;
  for (const AllocSite &site : m.sites) {
    const DhatFigures &d = site.dhat;
    if (d.blocks == 0)
      continue;
    ordered_json pp;
    pp["tb"] = d.bytes;
    pp["tbk"] = d.blocks;
    pp["tl"] = d.lifetime;
    pp["mb"] = d.maxBytes;
    pp["mbk"] = d.maxBlocks;
    pp["gb"] = d.peakBytes;
    pp["gbk"] = d.peakBlocks;
    pp["eb"] = d.endBytes;
    pp["ebk"] = d.endBlocks;
    if (m.accessesCounted) {
      pp["rb"] = site.readBytes;
      pp["wb"] = site.writtenBytes;
      // The access map holds for this site's own blocks; with resized
      // blocks charged here it would describe only some of them.
      if (!site.accessCounts.empty() && d.blocks == site.allocations && d.bytes == site.bytes)
        pp["acc"] = encodeAccesses(site.accessCounts);
    }
    pp["fs"] = framesOf(profile, m, site.stack, table);
    pps += (pps.empty() ? "\n  " : ",\n  ") + pp.dump();
  }

  std::string out = head.dump();
  out.pop_back(); // Reopen the object for the program points and the frame table.
  out += ",\"pps\":[" + pps + "\n ],\"ftbl\":[";
  for (size_t i = 0; i < table.strings().size(); ++i)
    out += (i ? ",\n  " : "\n  ") + ordered_json(table.strings()[i]).dump();
  out += "\n ]}\n";
  return out;
}

} // namespace wasmscope::profiler
