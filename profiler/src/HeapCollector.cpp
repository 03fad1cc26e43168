// The heap profiler while the guest runs (HeapCollector.h): the probes on
// the allocator's entries and returns, the outermost-call rule (calloc
// calling malloc counts once), the live set, per-site accumulators, the
// bounded event log and the exact peak.
#include "HeapCollector.h"

#include "wasmscope/runtime/Store.h"

#include <algorithm>
#include <cstring>

namespace wasmscope::profiler {

using namespace wasmscope::runtime;

// --- SiteMap -------------------------------------------------------------------

SiteMap::SiteMap() {
  m_keys.assign(1024, Key{});
  m_values.assign(1024, UINT32_MAX);
  m_mask = 1023;
  m_shift = 64 - 10;
}

void SiteMap::insert(uint32_t parent, uint32_t func, uint32_t offset, uint32_t node) {
  if ((m_size + 1) * 2 > m_keys.size())
    grow();
  Key k{parent, func, offset};
  size_t i = slot(k);
  while (m_values[i] != UINT32_MAX && !(m_keys[i] == k))
    i = (i + 1) & m_mask;
  if (m_values[i] == UINT32_MAX)
    ++m_size;
  m_keys[i] = k;
  m_values[i] = node;
}

void SiteMap::grow() {
  std::vector<Key> keys = std::move(m_keys);
  std::vector<uint32_t> values = std::move(m_values);
  m_keys.assign(keys.size() * 2, Key{});
  m_values.assign(keys.size() * 2, UINT32_MAX);
  m_mask = m_keys.size() - 1;
  --m_shift;
  m_size = 0;
  for (size_t i = 0; i < keys.size(); ++i)
    if (values[i] != UINT32_MAX)
      insert(keys[i].parent, keys[i].func, keys[i].offset, values[i]);
}

// --- State ------------------------------------------------------------------------

HeapProfiler::State::State(Guest &g, HeapProfilerOptions o) : guest(g), options(std::move(o)) {
  nodes.push_back(RawNode{UINT32_MAX, UINT32_MAX, 0});
  if (options.maxEvents < 2)
    options.maxEvents = 2;
}

uint32_t HeapProfiler::State::internStack(std::span<const FrameInfo> frames) {
  uint32_t node = 0;
  for (size_t i = frames.size(); i-- > 0;) {
    const FrameInfo &f = frames[i];
    if (f.function && f.function->instance != instance)
      continue; // Another module's frame: not ours to symbolicate.
    uint32_t offset = f.wasmOffset;
    if (i == 0) // The allocator itself: named by its entry.
      if (const CompiledFunction *cf = instance->module()->function(f.funcIndex))
        offset = cf->bodyOffset;
    uint32_t child = siteMap.find(node, f.funcIndex, offset);
    if (child == UINT32_MAX) {
      child = uint32_t(nodes.size());
      nodes.push_back(RawNode{node, f.funcIndex, offset});
      siteMap.insert(node, f.funcIndex, offset, child);
    }
    node = child;
  }
  return node;
}

void HeapProfiler::State::settleGrow() {
  if (!growPending || !memory)
    return;
  growPending = false;
  GrowEvent &g = grows.back();
  g.failed = memory->pages() != uint64_t(g.oldPages) + g.deltaPages;
}

void HeapProfiler::State::onEntry(ProbeContext &ctx, size_t fn) {
  settleGrow();
  const InterceptedFunction &f = intercepted[fn];
  if (!active.empty()) {
    const Active &top = active.back();
    if (ctx.callDepth > top.depth)
      return; // Called by an allocator (calloc calling malloc): counted at the outermost.
    if (ctx.callDepth == top.depth && top.fn == fn)
      return; // A loop back to the entry of the call in progress.
    // A call at the same or a shallower depth: the calls recorded there have
    // ended without a probed return (cannot happen with wasm's structured
    // returns, but a stale record must never silence the profiler).
    while (!active.empty() && active.back().depth >= ctx.callDepth)
      active.pop_back();
  }
  if (f.role == AllocFunction::Free || f.role == AllocFunction::Delete ||
      f.role == AllocFunction::DeleteArray || f.role == AllocFunction::RustDealloc) {
    // A free takes effect at its call: the block is gone from here on. It
    // is still tracked as active so that the frees it makes are not seen
    // as the program's own.
    uint32_t ptr = ctx.numLocals > 0 ? ctx.localSlot(0)->i32 : 0;
    uint64_t time = now() - entryCost[fn];
    uint32_t stack = UINT32_MAX;
    if (ptr) {
      framesScratch = guest.store().frames();
      stack = internStack(framesScratch);
      freed(ptr, stack, time, f.role, HeapErrorKind::InvalidFree);
    }
    active.push_back({ctx.callDepth, fn, stack, time, {ptr, 0, 0, 0}});
    return;
  }
  Active a{ctx.callDepth, fn, UINT32_MAX, now() - entryCost[fn], {0, 0, 0, 0}};
  for (uint32_t i = 0; i < 4 && i < ctx.numLocals; ++i)
    a.args[i] = ctx.localSlot(i)->i32;
  framesScratch = guest.store().frames();
  a.stack = internStack(framesScratch);
  active.push_back(a);
}

void HeapProfiler::State::onReturn(ProbeContext &ctx, size_t fn) {
  settleGrow();
  if (active.empty() || active.back().depth != ctx.callDepth || active.back().fn != fn)
    return; // A nested allocator call, or one that started before we attached.
  Active a = active.back();
  active.pop_back();
  const InterceptedFunction &f = intercepted[fn];
  uint32_t result = ctx.results ? ctx.results[0].i32 : 0;
  uint64_t time = now();
  auto readPointer = [&](uint32_t address) -> uint32_t {
    if (!memory || !memory->inBounds(address, 4))
      return 0;
    uint32_t v;
    std::memcpy(&v, memory->data + address, 4);
    return v;
  };
  switch (f.role) {
  case AllocFunction::Malloc:
  case AllocFunction::New:
  case AllocFunction::NewArray:
    if (result)
      allocated(result, a.args[0], a.stack, time);
    break;
  case AllocFunction::Calloc: {
    uint64_t size = uint64_t(a.args[0]) * a.args[1];
    if (result)
      allocated(result, uint32_t(std::min<uint64_t>(size, UINT32_MAX)), a.stack, time);
    break;
  }
  case AllocFunction::AlignedAlloc:
  case AllocFunction::Memalign:
  case AllocFunction::RustAlloc:
  case AllocFunction::RustAllocZeroed: {
    // aligned_alloc(align, size), memalign(align, size); __rust_alloc(size, align).
    bool rust = f.role == AllocFunction::RustAlloc || f.role == AllocFunction::RustAllocZeroed;
    if (result)
      allocated(result, rust ? a.args[0] : a.args[1], a.stack, time);
    break;
  }
  case AllocFunction::PosixMemalign:
    if (result == 0)
      if (uint32_t p = readPointer(a.args[0]))
        allocated(p, a.args[2], a.stack, time);
    break;
  case AllocFunction::Realloc:
  case AllocFunction::RustRealloc: {
    // realloc(ptr, size); __rust_realloc(ptr, old size, align, new size).
    uint32_t ptr = a.args[0];
    uint32_t size = f.role == AllocFunction::Realloc ? a.args[1] : a.args[3];
    if (ptr == 0) {
      if (result)
        allocated(result, size, a.stack, time);
      break;
    }
    ++reallocs;
    if (!live.count(ptr)) {
      // Of a freed (or never allocated) block: report, and keep what the
      // allocator handed back.
      freed(ptr, a.stack, a.entryTime, f.role, HeapErrorKind::ReallocOfFreed);
      if (result)
        allocated(result, size, a.stack, time);
      break;
    }
    // Like memcheck, a successful realloc is a new block allocated here,
    // even when it did not move. A failed one leaves the block alone,
    // except realloc(p, 0), which frees (wasi-libc's dlmalloc).
    if (result) {
      uint32_t origin = live.find(ptr)->second.originStack();
      freed(ptr, a.stack, time, f.role, HeapErrorKind::InvalidFree);
      allocated(result, size, a.stack, time, origin);
    } else if (size == 0) {
      freed(ptr, a.stack, time, f.role, HeapErrorKind::InvalidFree);
    }
    break;
  }
  case AllocFunction::Free:
  case AllocFunction::Delete:
  case AllocFunction::DeleteArray:
  case AllocFunction::RustDealloc:
    break; // Done at the entry.
  }
}

void HeapProfiler::State::onGrow(ProbeContext &ctx) {
  settleGrow();
  if (!memory)
    return;
  std::vector<Value> operands = ctx.operandStack();
  GrowEvent g;
  g.time = now();
  g.oldPages = uint32_t(memory->pages());
  g.deltaPages = operands.empty() ? 0 : operands.back().asI32();
  framesScratch = guest.store().frames();
  // The growing function is the innermost frame, at the memory.grow.
  g.stack = 0;
  {
    uint32_t node = 0;
    for (size_t i = framesScratch.size(); i-- > 0;) {
      const FrameInfo &f = framesScratch[i];
      if (f.function && f.function->instance != instance)
        continue;
      uint32_t child = siteMap.find(node, f.funcIndex, f.wasmOffset);
      if (child == UINT32_MAX) {
        child = uint32_t(nodes.size());
        nodes.push_back(RawNode{node, f.funcIndex, f.wasmOffset});
        siteMap.insert(node, f.funcIndex, f.wasmOffset, child);
      }
      node = child;
    }
    g.stack = node;
  }
  grows.push_back(g);
  growPending = true;
}

void HeapProfiler::State::onExitBegins() {
  if (!exitTime)
    exitTime = now();
}

void HeapProfiler::State::allocated(uint32_t address, uint32_t size, uint32_t stack,
                                    uint64_t time, uint32_t origin) {
  if (auto it = live.find(address); it != live.end()) {
    // The allocator handed out a block it had not seen freed: our view is
    // out of step (a free we could not see). The old block is gone.
    freed(address, it->second.stack, time, AllocFunction::Free, HeapErrorKind::InvalidFree);
  }
  freedBlocks.erase(address);
  if (origin == stack)
    origin = UINT32_MAX;
  live.emplace(address, Live{size, stack, time, serial++, origin});
  ++allocations;
  allocatedBytes += size;
  liveBytes += size;
  Site &s = sites[stack];
  ++s.allocations;
  s.bytes += size;
  s.liveBytes += size;
  ++s.liveBlocks;
  if (s.liveBytes > s.maxLiveBytes) {
    s.maxLiveBytes = s.liveBytes;
    s.maxLiveBlocks = s.liveBlocks;
  }
  Site &d = origin == UINT32_MAX ? s : sites[origin];
  ++d.dhatBlocks;
  d.dhatBytes += size;
  d.dhatLiveBytes += size;
  ++d.dhatLiveBlocks;
  if (d.dhatLiveBytes > d.dhatMaxBytes) {
    d.dhatMaxBytes = d.dhatLiveBytes;
    d.dhatMaxBlocks = d.dhatLiveBlocks;
  }
  logEvent({HeapEventKind::Alloc, time, address, size, stack, origin});
  if (liveBytes > peakBytes) {
    peakBytes = liveBytes;
    peakBlocks = live.size();
    peakTime = time;
    peakEvent = eventsRecorded - 1;
  }
  if (liveBytes == peakBytes) {
    lastPeakTime = time;
    lastPeakEvent = eventsRecorded - 1;
  }
}

void HeapProfiler::State::freed(uint32_t address, uint32_t stack, uint64_t time,
                                AllocFunction function, HeapErrorKind misuse) {
  auto it = live.find(address);
  if (it == live.end()) {
    HeapError e;
    e.time = time;
    e.address = address;
    e.function = function;
    e.stack = stack;
    if (auto f = freedBlocks.find(address); f != freedBlocks.end()) {
      e.kind = misuse == HeapErrorKind::ReallocOfFreed ? misuse : HeapErrorKind::DoubleFree;
      e.allocStack = f->second.allocStack;
      e.freeStack = f->second.freeStack;
    } else {
      e.kind = HeapErrorKind::InvalidFree; // Never allocated (or freed before we attached).
    }
    if (errors.size() < 10000)
      errors.push_back(e);
    return;
  }
  Live block = it->second;
  live.erase(it);
  freedBlocks[address] = {block.stack, stack};
  ++frees;
  liveBytes -= block.size;
  Site &s = sites[block.stack];
  ++s.frees;
  s.freedBytes += block.size;
  uint64_t lifetime = time - std::min(time, block.time);
  s.lifetime += lifetime;
  if (lifetime <= options.temporaryWindow)
    ++s.temporary;
  if (exitTime && time >= *exitTime)
    ++s.freedAtExit;
  s.liveBytes -= block.size;
  --s.liveBlocks;
  Site &d = block.origin == UINT32_MAX ? s : sites[block.origin];
  d.dhatLifetime += lifetime;
  d.dhatLiveBytes -= block.size;
  --d.dhatLiveBlocks;
  logEvent({HeapEventKind::Free, time, address, block.size, stack});
}

void HeapProfiler::State::logEvent(const HeapEvent &event) {
  if (events.size() >= options.maxEvents)
    foldOldestEvents();
  events.push_back(event);
  ++eventsRecorded;
}

void HeapProfiler::State::foldOldestEvents() {
  // Fold the oldest half into the base snapshot: the log keeps its newest
  // events and the live set before them, so memory stays bounded by the
  // capacity plus the live set (which the profiler holds anyway).
  size_t n = events.size() / 2;
  for (size_t i = 0; i < n; ++i) {
    const HeapEvent &e = events[i];
    if (e.kind == HeapEventKind::Alloc)
      base[e.address] = HeapBlock{e.address, e.size, e.stack, e.time, foldedSerial++, e.origin};
    else
      base.erase(e.address);
    uint64_t sequence = eventsFolded + i;
    auto snapshot = [&](std::vector<HeapBlock> &out) {
      out.clear();
      for (const auto &[addr, block] : base)
        out.push_back(block);
      std::sort(out.begin(), out.end(),
                [](const HeapBlock &a, const HeapBlock &b) { return a.address < b.address; });
    };
    if (sequence == peakEvent) {
      snapshot(peakSnapshot);
      peakSnapshotEvent = sequence;
    }
    if (sequence == lastPeakEvent) {
      snapshot(lastPeakSnapshot);
      lastPeakSnapshotEvent = sequence;
    }
    baseTime = e.time;
  }
  events.erase(events.begin(), events.begin() + ptrdiff_t(n));
  eventsFolded += n;
}

size_t HeapProfiler::State::hostBytes() const {
  // Containers' payloads; hash maps counted by their nodes and buckets.
  auto mapBytes = [](const auto &m, size_t node) {
    return m.size() * node + m.bucket_count() * sizeof(void *);
  };
  return nodes.capacity() * sizeof(RawNode) + siteMap.bytes() +
         mapBytes(live, sizeof(Live) + 24) + mapBytes(freedBlocks, sizeof(FreedBlock) + 20) +
         mapBytes(sites, sizeof(Site) + 20) + events.capacity() * sizeof(HeapEvent) +
         mapBytes(base, sizeof(HeapBlock) + 20) + (peakSnapshot.capacity() + lastPeakSnapshot.capacity()) * sizeof(HeapBlock) +
         grows.capacity() * sizeof(GrowEvent) + errors.capacity() * sizeof(HeapError);
}

void HeapProfiler::State::detach() {
  if (!attached)
    return;
  attached = false;
  for (ProbeId id : probes)
    guest.store().removeLocalProbe(id);
  probes.clear();
  settleGrow();
}

// --- HeapProfiler ----------------------------------------------------------------------

HeapProfiler::HeapProfiler(std::unique_ptr<State> state) : m_state(std::move(state)) {}

HeapProfiler::~HeapProfiler() {
  if (m_state)
    m_state->detach();
}

const std::vector<InterceptedFunction> &HeapProfiler::intercepted() const {
  return m_state->intercepted;
}
uint64_t HeapProfiler::liveBytes() const { return m_state->liveBytes; }
uint64_t HeapProfiler::leakCheckNanos() const { return m_state->scanNanos; }
uint64_t HeapProfiler::liveBlocks() const { return m_state->live.size(); }

Result<std::unique_ptr<HeapProfiler>> HeapProfiler::attach(Guest &guest,
                                                           HeapProfilerOptions options) {
  Instance *instance = guest.instance();
  if (!instance)
    return Error(ErrorCode::InvalidArgument,
                 "the heap profiler attaches to an instantiated guest (after Guest::instantiate)");
  const CompiledModule &module = *guest.module();
  if (!module.options().countBlocks)
    return Error(ErrorCode::InvalidArgument, "the heap profiler needs a module compiled with "
                                             "block counters (LaunchSpec::countBlocks)");
  auto state = std::make_unique<State>(guest, std::move(options));
  State *s = state.get();
  s->instance = instance;
  s->memory = instance->memory(0);
  std::vector<std::string> notFound;
  s->intercepted = findAllocators(module.module(), s->options.allocators, notFound);
  if (!notFound.empty()) {
    std::string names;
    for (const std::string &n : notFound)
      names += (names.empty() ? "" : ", ") + n;
    return Error(ErrorCode::InvalidArgument,
                 "--allocator: no function named " + names +
                     " with a fitting type in the module's name section or DWARF");
  }
  if (s->intercepted.empty())
    return Error(ErrorCode::InvalidArgument,
                 guest.path() + ": no allocator to intercept (no malloc, free, operator new or "
                                "__rust_alloc in the name section or DWARF; name one with "
                                "--allocator NAME=malloc|calloc|realloc|free)");
  Store &store = guest.store();
  for (size_t i = 0; i < s->intercepted.size(); ++i) {
    FuncIndex f = s->intercepted[i].funcIndex;
    const CompiledFunction *cf = module.function(f);
    if (!cf)
      continue;
    // The entry probe runs once the first block has been charged: its
    // instructions are not yet executed, so events are stamped before them.
    s->entryCost.push_back(cf->blocks.empty() ? 0 : cf->blocks.front().cost);
    TRY_ASSIGN(ProbeId entry,
               store.addLocalProbe(*instance, f, cf->bodyOffset, [s, i](ProbeContext &ctx) {
                 s->onEntry(ctx, i);
                 return ProbeAction::Continue;
               }));
    s->probes.push_back(entry);
    TRY_ASSIGN(std::vector<ProbeId> returns,
               store.addReturnProbes(*instance, f, [s, i](ProbeContext &ctx) {
                 s->onReturn(ctx, i);
                 return ProbeAction::Continue;
               }));
    s->probes.insert(s->probes.end(), returns.begin(), returns.end());
  }
  // The exit begins when main returns (or wasi-libc's wrapper of it) or
  // exit() is called: frees after that are "at exit".
  const Module &m = module.module();
  for (const auto &[f, name] : m.names.functionNames) {
    const CompiledFunction *cf = module.function(f);
    if (!cf)
      continue;
    auto exitHook = [s](ProbeContext &) {
      s->onExitBegins();
      return ProbeAction::Continue;
    };
    if (name == "exit") {
      TRY_ASSIGN(ProbeId id, store.addLocalProbe(*instance, f, cf->bodyOffset, exitHook));
      s->probes.push_back(id);
    } else if (name == "__main_argc_argv" || name == "__original_main" || name == "main") {
      TRY_ASSIGN(std::vector<ProbeId> ids, store.addReturnProbes(*instance, f, exitHook));
      s->probes.insert(s->probes.end(), ids.begin(), ids.end());
    }
  }
  // memory.grow (opcode 0x40), wherever it is: sbrk in the allocator, or
  // the program itself.
  for (const CompiledFunction &cf : module.functions()) {
    for (uint32_t offset : cf.instructionOffsets()) {
      uint64_t at = uint64_t(m.codeSectionOffset) + offset;
      if (at >= m.bytes.size() || m.bytes[at] != 0x40)
        continue;
      auto id = store.addLocalProbe(*instance, cf.index, offset, [s](ProbeContext &ctx) {
        s->onGrow(ctx);
        return ProbeAction::Continue;
      });
      if (id.ok())
        s->probes.push_back(*id);
    }
  }
  return std::unique_ptr<HeapProfiler>(new HeapProfiler(std::move(state)));
}

} // namespace wasmscope::profiler
