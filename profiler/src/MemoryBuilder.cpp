// The end of a profiled run: finishProfile() symbolicates what the
// instruction profiler and the heap profiler collected into one Profile,
// and the heap profiler's part becomes a MemoryProfile here: interned
// stacks resolved to frames and lines, per-site figures, the log, the exact
// peak's live set, and the leak check (roots from the guest's final state,
// the scan of LeakCheck.cpp, loss records grouped by site and suppressed
// by the suppression files). A debugger asks for the same mid-run
// (HeapProfiler::snapshot, with the stopped frames as roots, the profiler
// staying attached) and for the pointers into a range (pointersInto).
#include "Collector.h"
#include "HeapCollector.h"
#include "LeakCheck.h"
#include "Symbolizer.h"

#include "wasmscope/profiler/MemoryLayout.h"
#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <ctime>
#include <map>

namespace wasmscope::profiler {

using namespace wasmscope::runtime;

// --- The leak check ---------------------------------------------------------------

Result<MemoryProfile> HeapProfiler::checkNow(std::span<const FrameInfo> frames) {
  State &s = *m_state;
  s.settleGrow();
  MemoryProfile out;
  s.leakCheck(out, frames);
  return out;
}

std::vector<HeapBlock> HeapProfiler::State::liveBlocks() const {
  std::vector<HeapBlock> blocks;
  blocks.reserve(live.size());
  for (const auto &[address, b] : live)
    blocks.push_back({address, b.size, b.stack, b.time, b.serial, b.origin});
  std::sort(blocks.begin(), blocks.end(),
            [](const HeapBlock &a, const HeapBlock &b) { return a.address < b.address; });
  return blocks;
}

ScanRoots HeapProfiler::State::roots(RootSummary &rs, std::span<const FrameInfo> frames) const {
  const Module &m = instance->module()->module();
  MemoryLayout layout = memoryLayout(m);
  ScanRoots roots;
  rs.notes = layout.notes;
  if (layout.staticEnd > layout.staticBegin) {
    roots.memory.push_back({layout.staticBegin, layout.staticEnd, RootKind::StaticData});
    rs.staticBytes = layout.staticEnd - layout.staticBegin;
  }
  if (layout.stackPointer) {
    uint32_t sp = uint32_t(instance->global(*layout.stackPointer)->value);
    if (sp < layout.stackBase) {
      roots.memory.push_back({sp, layout.stackBase, RootKind::ShadowStack});
      rs.shadowStackBytes = layout.stackBase - sp;
    }
  } else {
    rs.notes.push_back("no __stack_pointer global: the shadow stack was not scanned");
  }
  for (GlobalIndex g = 0; g < instance->numGlobals(); ++g) {
    const GlobalInstance *gi = instance->global(g);
    if (!gi || gi->type.type != ValType::I32 || (layout.stackPointer && g == *layout.stackPointer))
      continue;
    roots.values.push_back({uint32_t(gi->value), RootKind::Global, g, g});
    ++rs.globals;
  }
  for (size_t f = 0; f < frames.size(); ++f) {
    if (frames[f].function && frames[f].function->instance != instance)
      continue;
    ++rs.frames;
    for (uint32_t i = 0; i < frames[f].numLocals; ++i) {
      roots.values.push_back({frames[f].local(i)->i32, RootKind::Local, uint32_t(f), i});
      ++rs.slots;
    }
    // The operand stack: what a caller holds across its call (a pointer
    // just returned by malloc and not yet stored anywhere, for one), and
    // the innermost frame's own. A caller's top entries are the call's
    // arguments, which are the callee's parameters and scanned there. The
    // low 32 bits of every value, as for locals: a wasm32 pointer is an
    // i32, but may travel in an i64.
    std::vector<Value> operands = frames[f].operandStack();
    if (f > 0 && frames[f - 1].function && !frames[f - 1].function->isHost())
      operands.resize(operands.size() -
                      std::min(operands.size(), frames[f - 1].function->type.params.size()));
    for (uint32_t i = 0; i < operands.size(); ++i) {
      if (operands[i].type != ValType::I32 && operands[i].type != ValType::I64)
        continue;
      roots.values.push_back({uint32_t(operands[i].bits), RootKind::OperandStack, uint32_t(f), i});
      ++rs.slots;
    }
  }

  // Where vtables can be, for the multipleinheritance heuristic: the data
  // segments (wasm has no read-only memory; .rodata is among them), and the
  // function table their entries index.
  if (layout.staticEnd > layout.staticBegin)
    roots.readOnly.push_back({layout.staticBegin, layout.staticEnd, RootKind::StaticData});
  if (m.numTables() > 0)
    roots.functionTable = instance->table(0);
  return roots;
}

void HeapProfiler::State::leakCheck(MemoryProfile &out, std::span<const FrameInfo> frames) {
  // CPU time of this thread: what the scan costs, undisturbed by other
  // processes on a shared machine.
  auto cpuNanos = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
  };
  uint64_t started = cpuNanos();
  std::vector<HeapBlock> blocks = liveBlocks();
  ScanRoots scanRoots = roots(out.roots, frames);
  std::span<const uint8_t> bytes;
  if (memory)
    bytes = {memory->data, size_t(memory->size)};
  ScanOptions scan;
  scan.maxReferences = options.maxReferences;
  ScanOutcome outcome = scanHeap(bytes, blocks, scanRoots, scan);
  out.roots.blockBytes = outcome.blockBytesScanned;
  out.leakChecked = true;
  out.checkTime = now();
  out.checked = std::move(outcome.blocks);
  out.references = std::move(outcome.references);
  out.referencesDropped = outcome.referencesDropped;
  scanNanos = cpuNanos() - started;
}

Result<HeapProfiler::PointerSearch> HeapProfiler::pointersInto(uint32_t begin, uint64_t end,
                                                               std::span<const FrameInfo> frames) {
  State &s = *m_state;
  s.settleGrow();
  PointerSearch out;
  out.live = s.liveBlocks();
  RootSummary unused;
  ScanRoots scanRoots = s.roots(unused, frames);
  std::span<const uint8_t> bytes;
  if (s.memory)
    bytes = {s.memory->data, size_t(s.memory->size)};
  ScanOptions scan;
  scan.maxReferences = s.options.maxReferences;
  out.pointers = findPointers(bytes, out.live, scanRoots, begin, end, scan, out.dropped);
  return out;
}

// --- Symbolication ------------------------------------------------------------------

namespace {

/// The frames suppressions match against for stack `id`, innermost first,
/// inlined functions as frames of their own.
std::vector<SuppressionFrame> suppressionFrames(const Profile &p, const MemoryProfile &mp,
                                                AllocStackId id) {
  std::vector<SuppressionFrame> out;
  std::vector<AllocStackId> path = mp.stackPath(id);
  for (size_t i = path.size(); i-- > 0;) {
    const AllocStackNode &n = mp.stacks[path[i]];
    if (n.line != UINT32_MAX && n.line < p.lines.size()) {
      for (const SourceFrame &sf : p.lines[n.line].chain) {
        SuppressionFrame f;
        f.function = p.frames[sf.frame].name;
        f.file = p.filePath(sf.file);
        f.line = sf.line;
        f.object = p.run.modulePath;
        out.push_back(std::move(f));
      }
    } else {
      SuppressionFrame f;
      f.function = p.frames[n.frame].name;
      f.object = p.run.modulePath;
      out.push_back(std::move(f));
    }
  }
  return out;
}

} // namespace

Result<void> HeapProfiler::State::build(Profile &profile, Symbolizer &sym,
                                        std::span<const FrameInfo> const *liveFrames) {
  settleGrow();
  MemoryProfile mp;
  if (liveFrames) {
    leakCheck(mp, *liveFrames);
  } else {
    if (options.leakCheck)
      leakCheck(mp, guest.store().frames());
    detach();
  }
  uint64_t end = now();

  mp.intercepted = intercepted;
  mp.leakResolution = options.leakResolution;
  mp.temporaryWindow = options.temporaryWindow;
  mp.allocations = allocations;
  mp.frees = frees;
  mp.allocatedBytes = allocatedBytes;
  mp.reallocs = reallocs;
  mp.endTime = end;
  mp.exitTime = exitTime.value_or(end);

  // Stacks: each raw node becomes a frame and, with DWARF, a line.
  mp.stacks.resize(nodes.size());
  for (size_t i = 1; i < nodes.size(); ++i) {
    const RawNode &r = nodes[i];
    AllocStackNode &n = mp.stacks[i];
    n.parent = r.parent;
    n.frame = sym.wasmFrame(r.func);
    n.address = r.offset;
    if (sym.symbols())
      n.line = sym.line(r.func, r.offset);
  }

  // The peak's live set: the snapshot taken when its event was folded, or
  // the base replayed up to it; the same for the last time the peak was
  // reached (DHAT's t-gmax).
  auto liveAtEvent = [&](uint64_t event, uint64_t snapshotEvent,
                         const std::vector<HeapBlock> &snapshot) {
    std::vector<HeapBlock> out;
    if (event == UINT64_MAX)
      return out;
    if (event == snapshotEvent)
      return snapshot;
    if (event < eventsFolded)
      return out;
    std::map<uint32_t, HeapBlock> set;
    for (const auto &[a, b] : base)
      set[a] = b;
    uint64_t serialNow = foldedSerial;
    for (uint64_t i = 0; i <= event - eventsFolded && i < events.size(); ++i) {
      const HeapEvent &e = events[i];
      if (e.kind == HeapEventKind::Alloc)
        set[e.address] = HeapBlock{e.address, e.size, e.stack, e.time, serialNow++, e.origin};
      else
        set.erase(e.address);
    }
    for (auto &[a, b] : set)
      out.push_back(b);
    return out;
  };
  HeapPeak &peak = mp.peak;
  peak.bytes = peakBytes;
  peak.blocks = peakBlocks;
  peak.time = peakTime;
  peak.lastTime = lastPeakTime;
  peak.live = liveAtEvent(peakEvent, peakSnapshotEvent, peakSnapshot);
  std::vector<HeapBlock> lastPeakLive =
      lastPeakEvent == peakEvent ? peak.live
                                 : liveAtEvent(lastPeakEvent, lastPeakSnapshotEvent, lastPeakSnapshot);

  // Sites.
  std::map<uint32_t, size_t> siteIndex;
  for (const auto &[stack, s] : sites) {
    AllocSite site;
    site.stack = stack;
    site.allocations = s.allocations;
    site.bytes = s.bytes;
    site.frees = s.frees;
    site.freedBytes = s.freedBytes;
    site.totalLifetime = s.lifetime;
    site.temporary = s.temporary;
    site.freedAtExit = s.freedAtExit;
    site.liveAtEndBlocks = s.liveBlocks;
    site.liveAtEndBytes = s.liveBytes;
    site.maxLiveBytes = s.maxLiveBytes;
    site.maxLiveBlocks = s.maxLiveBlocks;
    site.dhat.blocks = s.dhatBlocks;
    site.dhat.bytes = s.dhatBytes;
    site.dhat.lifetime = s.dhatLifetime;
    site.dhat.maxBytes = s.dhatMaxBytes;
    site.dhat.maxBlocks = s.dhatMaxBlocks;
    site.dhat.endBytes = s.dhatLiveBytes;
    site.dhat.endBlocks = s.dhatLiveBlocks;
    mp.sites.push_back(std::move(site));
  }
  std::sort(mp.sites.begin(), mp.sites.end(), [](const AllocSite &a, const AllocSite &b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.stack < b.stack;
  });
  for (size_t i = 0; i < mp.sites.size(); ++i)
    siteIndex[mp.sites[i].stack] = i;
  for (const auto &[address, b] : live) { // A block never freed lives until the end.
    if (auto it = siteIndex.find(b.stack); it != siteIndex.end())
      mp.sites[it->second].totalLifetime += end - std::min(end, b.time);
    if (auto it = siteIndex.find(b.originStack()); it != siteIndex.end())
      mp.sites[it->second].dhat.lifetime += end - std::min(end, b.time);
  }
  for (const HeapBlock &b : peak.live)
    if (auto it = siteIndex.find(b.stack); it != siteIndex.end()) {
      mp.sites[it->second].peakBytes += b.size;
      ++mp.sites[it->second].peakBlocks;
    }
  for (const HeapBlock &b : lastPeakLive)
    if (auto it = siteIndex.find(b.originStack()); it != siteIndex.end()) {
      mp.sites[it->second].dhat.peakBytes += b.size;
      ++mp.sites[it->second].dhat.peakBlocks;
    }

  // The log.
  mp.log.capacity = options.maxEvents;
  mp.log.recorded = eventsRecorded;
  mp.log.folded = eventsFolded;
  mp.log.baseTime = baseTime;
  for (const auto &[a, b] : base)
    mp.log.base.push_back(b);
  std::sort(mp.log.base.begin(), mp.log.base.end(),
            [](const HeapBlock &a, const HeapBlock &b) { return a.address < b.address; });
  mp.log.events = events;
  mp.grows = grows;
  mp.errors = errors;
  for (HeapError &e : mp.errors)
    if (e.stack == UINT32_MAX)
      e.stack = 0;

  // Loss records: blocks of one kind whose stacks agree on the innermost
  // `leakResolution` frames (all frames with 0), as memcheck groups them.
  if (mp.leakChecked) {
    auto key = [&](AllocStackId id) {
      std::vector<std::pair<uint32_t, uint32_t>> k;
      std::vector<AllocStackId> path = mp.stackPath(id);
      for (size_t i = path.size(); i-- > 0;) {
        if (options.leakResolution && k.size() == options.leakResolution)
          break;
        k.push_back({nodes[path[i]].func, nodes[path[i]].offset});
      }
      return k;
    };
    std::map<std::pair<LeakKind, std::vector<std::pair<uint32_t, uint32_t>>>, uint32_t> groups;
    for (uint32_t i = 0; i < mp.checked.size(); ++i) {
      CheckedBlock &c = mp.checked[i];
      auto [it, inserted] =
          groups.try_emplace({c.kind, key(c.block.stack)}, uint32_t(mp.lossRecords.size()));
      if (inserted) {
        LossRecord r;
        r.kind = c.kind;
        r.stack = c.block.stack;
        mp.lossRecords.push_back(std::move(r));
      }
      LossRecord &r = mp.lossRecords[it->second];
      ++r.blocks;
      r.bytes += c.block.size;
      r.indirectBytes += c.indirectBytes;
      r.members.push_back(i);
    }
    SuppressionSet suppressions = options.suppressions;
    if (options.defaultSuppressions)
      (void)suppressions.add(kDefaultSuppressions, "default suppressions");
    for (LossRecord &r : mp.lossRecords) {
      std::vector<SuppressionFrame> frames = suppressionFrames(profile, mp, r.stack);
      if (const Suppression *s = suppressions.match(frames, r.kind))
        r.suppressedBy = s->name.empty() ? s->origin : s->name;
    }
    // Largest first; ties in a stable order (kind, then stack).
    std::vector<uint32_t> order(mp.lossRecords.size());
    for (uint32_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const LossRecord &x = mp.lossRecords[a], &y = mp.lossRecords[b];
      if (x.totalBytes() != y.totalBytes())
        return x.totalBytes() > y.totalBytes();
      if (x.kind != y.kind)
        return x.kind < y.kind;
      return x.stack < y.stack;
    });
    std::vector<LossRecord> sorted;
    for (uint32_t i : order)
      sorted.push_back(std::move(mp.lossRecords[i]));
    mp.lossRecords = std::move(sorted);
    LeakSummary &sum = mp.summary;
    for (uint32_t r = 0; r < mp.lossRecords.size(); ++r) {
      const LossRecord &l = mp.lossRecords[r];
      for (uint32_t m : l.members)
        mp.checked[m].lossRecord = r;
      if (l.suppressed()) {
        sum.suppressedBytes += l.bytes;
        sum.suppressedBlocks += l.blocks;
      } else {
        sum.bytes[size_t(l.kind)] += l.bytes;
        sum.blocks[size_t(l.kind)] += l.blocks;
        for (uint32_t m : l.members)
          if (LeakHeuristic h = mp.checked[m].heuristic; h != LeakHeuristic::None) {
            sum.heuristicBytes[size_t(h)] += mp.checked[m].block.size;
            ++sum.heuristicBlocks[size_t(h)];
          }
      }
    }
  }
  mp.profilerBytes = hostBytes();
  profile.memory = std::move(mp);
  return success();
}

// --- finishProfile --------------------------------------------------------------

namespace {

/// The profile from the collectors as they stand (either may be null).
Result<Profile> buildProfile(Guest &guest, RunInfo run, Profiler::State *instructions,
                             HeapProfiler::State *heap,
                             std::span<const FrameInfo> const *liveFrames = nullptr) {
  const CompiledModule &module = *guest.module();
  const Module &m = module.module();
  Profile profile;
  run.module = guest.name();
  run.modulePath = guest.path();
  run.moduleSha256 = sha256Hex(m.bytes);
  if (instructions) {
    Profiler::State &s = *instructions;
    run.wallTime = s.options.wallTime;
    if (s.options.wallTime)
      run.wallNanos = s.nowNanos();
  }
  profile.run = std::move(run);

  std::vector<debugger::SymbolWarning> warnings;
  auto loaded = debugger::ModuleSymbols::load(m, &warnings);
  std::unique_ptr<debugger::ModuleSymbols> symbols =
      loaded.ok() ? std::move(loaded).value() : nullptr;
  Symbolizer sym(module, symbols.get(), profile);

  if (instructions) {
    TRY(instructions->build(profile, sym));
  } else {
    profile.totals.instructions = guest.store().fuelConsumed();
    profile.stacks.push_back(StackNode{});
  }
  if (heap)
    TRY(heap->build(profile, sym, liveFrames));
  // Every frame has its function entry, frames the heap profile added too.
  while (profile.functions.size() < profile.frames.size())
    profile.functions.push_back({FrameId(profile.functions.size())});
  return profile;
}

} // namespace

Result<Profile> finishProfile(Guest &guest, RunInfo run, Profiler *instructions,
                              HeapProfiler *heap) {
  if (instructions)
    instructions->m_state->detach();
  return buildProfile(guest, std::move(run), instructions ? instructions->m_state.get() : nullptr,
                      heap ? heap->m_state.get() : nullptr);
}

Result<Profile> snapshotProfile(RunInfo run, const Profiler *instructions,
                                const HeapProfiler *heap) {
  if (!instructions && !heap)
    return Error(ErrorCode::InvalidArgument, "a profile snapshot needs a collector");
  Guest &guest = instructions ? instructions->m_state->guest : heap->m_state->guest;
  // The heap part with a leak check whose roots include the stopped
  // guest's live frames (called inside its stop, on its thread).
  std::vector<FrameInfo> frames;
  if (heap)
    frames = guest.store().frames();
  std::span<const FrameInfo> live(frames);
  return buildProfile(guest, std::move(run), instructions ? instructions->m_state.get() : nullptr,
                      heap ? heap->m_state.get() : nullptr, heap ? &live : nullptr);
}

Result<Profile> Profiler::finish(RunInfo run) {
  return finishProfile(m_state->guest, std::move(run), this, nullptr);
}

Result<Profile> Profiler::snapshot(RunInfo run) const {
  return buildProfile(m_state->guest, std::move(run), m_state.get(), nullptr);
}

Result<Profile> HeapProfiler::snapshot(RunInfo run, std::span<const FrameInfo> frames) {
  return buildProfile(m_state->guest, std::move(run), nullptr, m_state.get(), &frames);
}

} // namespace wasmscope::profiler
