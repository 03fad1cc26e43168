// The "memory" section of the JSON profile (docs/Profiler.md, "The memory
// profile"): MemoryProfile to and from JSON with nlohmann-json. Records that
// occur by the thousand (stack nodes, events, blocks, references) are
// arrays of numbers in a fixed order; the rest are objects. The reader takes
// a file from anywhere: every type is checked (nlohmann's exceptions are
// caught here and become one error naming the memory field), and indices
// are checked by MemoryProfile::validate against the profile's frames and
// lines.
#include "MemoryJson.h"

#include <stdexcept>

namespace wasmscope::profiler {

using nlohmann::json;
using runtime::Error;
using runtime::ErrorCode;

namespace {

json idx(uint32_t v) { return v == UINT32_MAX ? json(nullptr) : json(v); }

json blockJson(const HeapBlock &b) {
  json a = {b.address, b.size, b.stack, b.time, b.serial};
  if (b.origin != UINT32_MAX) // A realloc's block: the site it continues.
    a.push_back(b.origin);
  return a;
}

AllocFunction roleFromName(const std::string &name) {
  for (int r = 0; r <= int(AllocFunction::RustDealloc); ++r)
    if (name == allocFunctionName(AllocFunction(r)))
      return AllocFunction(r);
  throw std::invalid_argument("unknown allocator role '" + name + "'");
}

template <typename E> E enumFrom(uint64_t v, E last, const char *what) {
  if (v > uint64_t(last))
    throw std::invalid_argument(std::string("unknown ") + what + " " + std::to_string(v));
  return E(v);
}

uint32_t u32(const json &v) {
  uint64_t n = v.get<uint64_t>();
  if (n > UINT32_MAX)
    throw std::out_of_range("value out of range");
  return uint32_t(n);
}
uint32_t idxFrom(const json &v) { return v.is_null() ? UINT32_MAX : u32(v); }

HeapBlock blockFrom(const json &a) {
  if (!a.is_array() || (a.size() != 5 && a.size() != 6))
    throw std::invalid_argument("expected a block [address, size, stack, time, serial(, origin)]");
  return {u32(a[0]), u32(a[1]), u32(a[2]), a[3].get<uint64_t>(), a[4].get<uint64_t>(),
          a.size() == 6 ? u32(a[5]) : UINT32_MAX};
}

} // namespace

json memoryToJson(const MemoryProfile &m) {
  json out;
  json intercepted = json::array();
  for (const InterceptedFunction &f : m.intercepted)
    intercepted.push_back({{"name", f.name},
                           {"funcIndex", f.funcIndex},
                           {"role", allocFunctionName(f.role)},
                           {"userNamed", f.userNamed}});
  out["intercepted"] = std::move(intercepted);
  out["leakResolution"] = m.leakResolution;
  out["temporaryWindow"] = m.temporaryWindow;
  out["accessesCounted"] = m.accessesCounted;
  out["totals"] = {{"allocations", m.allocations}, {"frees", m.frees},
                   {"allocatedBytes", m.allocatedBytes}, {"reallocs", m.reallocs},
                   {"endTime", m.endTime}, {"exitTime", m.exitTime},
                   {"profilerBytes", m.profilerBytes}};
  json stacks = json::array();
  for (const AllocStackNode &n : m.stacks)
    stacks.push_back({idx(n.parent), idx(n.frame), idx(n.line), n.address});
  out["stacks"] = std::move(stacks);
  json sites = json::array();
  for (const AllocSite &s : m.sites)
    sites.push_back({{"stack", s.stack},
                     {"allocations", s.allocations},
                     {"bytes", s.bytes},
                     {"frees", s.frees},
                     {"freedBytes", s.freedBytes},
                     {"totalLifetime", s.totalLifetime},
                     {"temporary", s.temporary},
                     {"freedAtExit", s.freedAtExit},
                     {"liveAtEndBlocks", s.liveAtEndBlocks},
                     {"liveAtEndBytes", s.liveAtEndBytes},
                     {"maxLiveBytes", s.maxLiveBytes},
                     {"maxLiveBlocks", s.maxLiveBlocks},
                     {"peakBytes", s.peakBytes},
                     {"peakBlocks", s.peakBlocks},
                     {"readBytes", s.readBytes},
                     {"writtenBytes", s.writtenBytes},
                     {"accessCounts", s.accessCounts},
                     {"dhat",
                      {s.dhat.blocks, s.dhat.bytes, s.dhat.lifetime, s.dhat.maxBytes,
                       s.dhat.maxBlocks, s.dhat.peakBytes, s.dhat.peakBlocks, s.dhat.endBytes,
                       s.dhat.endBlocks}}});
  out["sites"] = std::move(sites);
  json base = json::array(), events = json::array();
  for (const HeapBlock &b : m.log.base)
    base.push_back(blockJson(b));
  for (const HeapEvent &e : m.log.events) {
    json event = {e.kind == HeapEventKind::Alloc ? "A" : "F", e.time, e.address, e.size, e.stack};
    if (e.origin != UINT32_MAX)
      event.push_back(e.origin);
    events.push_back(std::move(event));
  }
  out["log"] = {{"capacity", m.log.capacity}, {"recorded", m.log.recorded},
                {"folded", m.log.folded},     {"baseTime", m.log.baseTime},
                {"base", std::move(base)},    {"events", std::move(events)}};
  json peakLive = json::array();
  for (const HeapBlock &b : m.peak.live)
    peakLive.push_back(blockJson(b));
  out["peak"] = {{"time", m.peak.time},
                 {"bytes", m.peak.bytes},
                 {"blocks", m.peak.blocks},
                 {"lastTime", m.peak.lastTime},
                 {"live", std::move(peakLive)}};
  json grows = json::array();
  for (const GrowEvent &g : m.grows)
    grows.push_back({g.time, g.oldPages, g.deltaPages, g.failed, g.stack});
  out["grows"] = std::move(grows);
  json errors = json::array();
  for (const HeapError &e : m.errors)
    errors.push_back({{"kind", int(e.kind)},
                      {"time", e.time},
                      {"address", e.address},
                      {"function", allocFunctionName(e.function)},
                      {"stack", e.stack},
                      {"allocStack", idx(e.allocStack)},
                      {"freeStack", idx(e.freeStack)}});
  out["errors"] = std::move(errors);

  json leak;
  leak["checked"] = m.leakChecked;
  leak["time"] = m.checkTime;
  json checked = json::array();
  for (const CheckedBlock &c : m.checked)
    checked.push_back({blockJson(c.block), int(c.kind), int(c.heuristic), idx(c.clique),
                       c.indirectBytes, idx(c.lossRecord)});
  leak["blocks"] = std::move(checked);
  json refs = json::array();
  for (const PointerRef &r : m.references)
    refs.push_back({r.target, int(r.source), idx(r.from), r.location, r.value});
  leak["references"] = std::move(refs);
  leak["referencesDropped"] = m.referencesDropped;
  json records = json::array();
  for (const LossRecord &r : m.lossRecords)
    records.push_back({{"kind", leakKindToken(r.kind)},
                       {"stack", r.stack},
                       {"blocks", r.blocks},
                       {"bytes", r.bytes},
                       {"indirectBytes", r.indirectBytes},
                       {"suppressedBy", r.suppressedBy},
                       {"members", r.members}});
  leak["lossRecords"] = std::move(records);
  const LeakSummary &s = m.summary;
  leak["summary"] = {
      {"bytes", std::vector<uint64_t>(std::begin(s.bytes), std::end(s.bytes))},
      {"blocks", std::vector<uint64_t>(std::begin(s.blocks), std::end(s.blocks))},
      {"suppressedBytes", s.suppressedBytes},
      {"suppressedBlocks", s.suppressedBlocks},
      {"heuristicBytes",
       std::vector<uint64_t>(std::begin(s.heuristicBytes), std::end(s.heuristicBytes))},
      {"heuristicBlocks",
       std::vector<uint64_t>(std::begin(s.heuristicBlocks), std::end(s.heuristicBlocks))}};
  const RootSummary &r = m.roots;
  leak["roots"] = {{"staticBytes", r.staticBytes},   {"shadowStackBytes", r.shadowStackBytes},
                   {"globals", r.globals},           {"frames", r.frames},
                   {"slots", r.slots},               {"excludedBytes", r.excludedBytes},
                   {"blockBytes", r.blockBytes},     {"notes", r.notes}};
  leak["suppressionFiles"] = m.suppressionFiles;
  out["leakCheck"] = std::move(leak);
  return out;
}

runtime::Result<MemoryProfile> memoryFromJson(const json &in, size_t frames, size_t lines) {
  MemoryProfile m;
  try {
    for (const json &f : in.at("intercepted"))
      m.intercepted.push_back({f.at("name").get<std::string>(), u32(f.at("funcIndex")),
                               roleFromName(f.at("role").get<std::string>()),
                               f.at("userNamed").get<bool>()});
    m.leakResolution = u32(in.at("leakResolution"));
    m.temporaryWindow = in.at("temporaryWindow").get<uint64_t>();
    m.accessesCounted = in.at("accessesCounted").get<bool>();
    const json &t = in.at("totals");
    m.allocations = t.at("allocations").get<uint64_t>();
    m.frees = t.at("frees").get<uint64_t>();
    m.allocatedBytes = t.at("allocatedBytes").get<uint64_t>();
    m.reallocs = t.at("reallocs").get<uint64_t>();
    m.endTime = t.at("endTime").get<uint64_t>();
    m.exitTime = t.at("exitTime").get<uint64_t>();
    m.profilerBytes = t.at("profilerBytes").get<uint64_t>();
    for (const json &n : in.at("stacks")) {
      if (!n.is_array() || n.size() != 4)
        throw std::invalid_argument("stacks: expected [parent, frame, line, address]");
      m.stacks.push_back({idxFrom(n[0]), idxFrom(n[1]), idxFrom(n[2]), u32(n[3])});
    }
    for (const json &s : in.at("sites")) {
      AllocSite site;
      site.stack = u32(s.at("stack"));
      site.allocations = s.at("allocations").get<uint64_t>();
      site.bytes = s.at("bytes").get<uint64_t>();
      site.frees = s.at("frees").get<uint64_t>();
      site.freedBytes = s.at("freedBytes").get<uint64_t>();
      site.totalLifetime = s.at("totalLifetime").get<uint64_t>();
      site.temporary = s.at("temporary").get<uint64_t>();
      site.freedAtExit = s.at("freedAtExit").get<uint64_t>();
      site.liveAtEndBlocks = s.at("liveAtEndBlocks").get<uint64_t>();
      site.liveAtEndBytes = s.at("liveAtEndBytes").get<uint64_t>();
      site.maxLiveBytes = s.at("maxLiveBytes").get<uint64_t>();
      site.maxLiveBlocks = s.at("maxLiveBlocks").get<uint64_t>();
      site.peakBytes = s.at("peakBytes").get<uint64_t>();
      site.peakBlocks = s.at("peakBlocks").get<uint64_t>();
      site.readBytes = s.at("readBytes").get<uint64_t>();
      site.writtenBytes = s.at("writtenBytes").get<uint64_t>();
      site.accessCounts = s.at("accessCounts").get<std::vector<uint16_t>>();
      if (s.contains("dhat")) { // Written since DHAT output (absent in older files).
        const json &d = s.at("dhat");
        if (!d.is_array() || d.size() != 9)
          throw std::invalid_argument("sites[].dhat: expected [blocks, bytes, lifetime, maxBytes, "
                                      "maxBlocks, peakBytes, peakBlocks, endBytes, endBlocks]");
        uint64_t *fields[] = {&site.dhat.blocks,    &site.dhat.bytes,      &site.dhat.lifetime,
                              &site.dhat.maxBytes,  &site.dhat.maxBlocks,  &site.dhat.peakBytes,
                              &site.dhat.peakBlocks, &site.dhat.endBytes,  &site.dhat.endBlocks};
        for (size_t i = 0; i < 9; ++i)
          *fields[i] = d[i].get<uint64_t>();
      }
      m.sites.push_back(std::move(site));
    }
    const json &log = in.at("log");
    m.log.capacity = log.at("capacity").get<uint64_t>();
    m.log.recorded = log.at("recorded").get<uint64_t>();
    m.log.folded = log.at("folded").get<uint64_t>();
    m.log.baseTime = log.at("baseTime").get<uint64_t>();
    for (const json &b : log.at("base"))
      m.log.base.push_back(blockFrom(b));
    for (const json &e : log.at("events")) {
      if (!e.is_array() || (e.size() != 5 && e.size() != 6) || !e[0].is_string())
        throw std::invalid_argument(
            "log.events: expected [\"A\" or \"F\", time, address, size, stack(, origin)]");
      std::string kind = e[0].get<std::string>();
      if (kind != "A" && kind != "F")
        throw std::invalid_argument("log.events: kind must be \"A\" or \"F\"");
      m.log.events.push_back({kind == "A" ? HeapEventKind::Alloc : HeapEventKind::Free,
                              e[1].get<uint64_t>(), u32(e[2]), u32(e[3]), u32(e[4]),
                              e.size() == 6 ? u32(e[5]) : UINT32_MAX});
    }
    const json &peak = in.at("peak");
    m.peak.time = peak.at("time").get<uint64_t>();
    m.peak.bytes = peak.at("bytes").get<uint64_t>();
    m.peak.blocks = peak.at("blocks").get<uint64_t>();
    m.peak.lastTime = peak.contains("lastTime") ? peak.at("lastTime").get<uint64_t>() : m.peak.time;
    for (const json &b : peak.at("live"))
      m.peak.live.push_back(blockFrom(b));
    for (const json &g : in.at("grows")) {
      if (!g.is_array() || g.size() != 5)
        throw std::invalid_argument("grows: expected [time, oldPages, deltaPages, failed, stack]");
      m.grows.push_back({g[0].get<uint64_t>(), u32(g[1]), u32(g[2]), g[3].get<bool>(), u32(g[4])});
    }
    for (const json &e : in.at("errors")) {
      HeapError err;
      err.kind = enumFrom(e.at("kind").get<uint64_t>(), HeapErrorKind::ReallocOfFreed, "error kind");
      err.time = e.at("time").get<uint64_t>();
      err.address = u32(e.at("address"));
      err.function = roleFromName(e.at("function").get<std::string>());
      err.stack = u32(e.at("stack"));
      err.allocStack = idxFrom(e.at("allocStack"));
      err.freeStack = idxFrom(e.at("freeStack"));
      m.errors.push_back(err);
    }
    const json &leak = in.at("leakCheck");
    m.leakChecked = leak.at("checked").get<bool>();
    m.checkTime = leak.at("time").get<uint64_t>();
    for (const json &c : leak.at("blocks")) {
      if (!c.is_array() || c.size() != 6)
        throw std::invalid_argument(
            "leakCheck.blocks: expected [block, kind, heuristic, clique, indirectBytes, record]");
      CheckedBlock cb;
      cb.block = blockFrom(c[0]);
      cb.kind = enumFrom(c[1].get<uint64_t>(), LeakKind::StillReachable, "leak kind");
      cb.heuristic =
          enumFrom(c[2].get<uint64_t>(), LeakHeuristic::MultipleInheritance, "heuristic");
      cb.clique = idxFrom(c[3]);
      cb.indirectBytes = c[4].get<uint64_t>();
      cb.lossRecord = idxFrom(c[5]);
      m.checked.push_back(cb);
    }
    for (const json &r : leak.at("references")) {
      if (!r.is_array() || r.size() != 5)
        throw std::invalid_argument(
            "leakCheck.references: expected [target, source, from, location, value]");
      m.references.push_back({u32(r[0]), enumFrom(r[1].get<uint64_t>(), RootKind::OperandStack,
                                                   "root kind"),
                              idxFrom(r[2]), u32(r[3]), u32(r[4])});
    }
    m.referencesDropped = leak.at("referencesDropped").get<uint64_t>();
    for (const json &r : leak.at("lossRecords")) {
      LossRecord rec;
      std::string kind = r.at("kind").get<std::string>();
      bool known = false;
      for (int k = 0; k <= int(LeakKind::StillReachable); ++k)
        if (kind == leakKindToken(LeakKind(k))) {
          rec.kind = LeakKind(k);
          known = true;
        }
      if (!known)
        throw std::invalid_argument("leakCheck.lossRecords: unknown kind '" + kind + "'");
      rec.stack = u32(r.at("stack"));
      rec.blocks = r.at("blocks").get<uint64_t>();
      rec.bytes = r.at("bytes").get<uint64_t>();
      rec.indirectBytes = r.at("indirectBytes").get<uint64_t>();
      rec.suppressedBy = r.at("suppressedBy").get<std::string>();
      rec.members = r.at("members").get<std::vector<uint32_t>>();
      m.lossRecords.push_back(std::move(rec));
    }
    const json &s = leak.at("summary");
    auto four = [](const json &a, uint64_t *out, size_t n) {
      std::vector<uint64_t> v = a.get<std::vector<uint64_t>>();
      if (v.size() != n)
        throw std::invalid_argument("leakCheck.summary: wrong array length");
      std::copy(v.begin(), v.end(), out);
    };
    four(s.at("bytes"), m.summary.bytes, 4);
    four(s.at("blocks"), m.summary.blocks, 4);
    four(s.at("heuristicBytes"), m.summary.heuristicBytes, 5);
    four(s.at("heuristicBlocks"), m.summary.heuristicBlocks, 5);
    m.summary.suppressedBytes = s.at("suppressedBytes").get<uint64_t>();
    m.summary.suppressedBlocks = s.at("suppressedBlocks").get<uint64_t>();
    const json &r = leak.at("roots");
    m.roots.staticBytes = r.at("staticBytes").get<uint64_t>();
    m.roots.shadowStackBytes = r.at("shadowStackBytes").get<uint64_t>();
    m.roots.globals = r.at("globals").get<uint64_t>();
    m.roots.frames = r.at("frames").get<uint64_t>();
    m.roots.slots = r.at("slots").get<uint64_t>();
    m.roots.excludedBytes = r.at("excludedBytes").get<uint64_t>();
    m.roots.blockBytes = r.at("blockBytes").get<uint64_t>();
    m.roots.notes = r.at("notes").get<std::vector<std::string>>();
    m.suppressionFiles = leak.at("suppressionFiles").get<std::vector<std::string>>();
  } catch (const std::exception &e) {
    return Error(ErrorCode::InvalidArgument, std::string("invalid profile: memory: ") + e.what());
  }
  std::string problem = m.validate(frames, lines);
  if (!problem.empty())
    return Error(ErrorCode::InvalidArgument, "invalid profile: " + problem);
  return m;
}

} // namespace wasmscope::profiler
