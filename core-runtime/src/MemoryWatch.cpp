// Memory watches (MemoryWatch.h): the watched-range set, the interpreter's
// out-of-line handling of a watched load, store or bulk instruction, and the
// reporting of host writes. Kept out of Interpreter.cpp so that the dispatch
// loop only gains the table entries and the inline range test.
#include "wasmscope/runtime/MemoryWatch.h"

#include "Interpreter.h"
#include "wasmscope/runtime/Store.h"

#include <algorithm>
#include <cstring>

namespace wasmscope::runtime {

const char* watchAccessName(WatchAccess access) {
  switch (access) {
  case WatchAccess::Read:
    return "read";
  case WatchAccess::Write:
    return "write";
  case WatchAccess::ReadWrite:
    return "readWrite";
  }
  return "write";
}

namespace {

bool includes(WatchAccess mask, WatchAccess kind) { return (uint8_t(mask) & uint8_t(kind)) != 0; }

/// A watch's hook and what it needs, copied so that hooks may change the set.
struct Hit {
  WatchId id;
  uint64_t begin;
  uint64_t end;
  std::shared_ptr<WatchHook> hook;
};

std::vector<Hit> hitsOf(const MemoryWatchSet& set, const MemoryInstance* memory, uint64_t address,
                        uint64_t size, WatchAccess kind) {
  std::vector<Hit> hits;
  for (const MemoryWatchSet::Watch* w : set.matching(memory, address, size, kind))
    hits.push_back({w->id, w->begin, w->end, w->hook});
  return hits;
}

} // namespace

// --- The set ---------------------------------------------------------------------

std::vector<const MemoryWatchSet::Watch*> MemoryWatchSet::matching(const MemoryInstance* memory,
                                                                   uint64_t address, uint64_t size,
                                                                   WatchAccess kind) const {
  std::vector<const Watch*> out;
  if (size == 0 || !mayTouch(address, size))
    return out;
  for (const Watch& w : m_watches)
    if (w.memory == memory && includes(w.access, kind) && address < w.end &&
        address + size > w.begin)
      out.push_back(&w);
  return out;
}

bool MemoryWatchSet::watchesWrites(const MemoryInstance* memory) const {
  for (const Watch& w : m_watches)
    if (w.memory == memory && includes(w.access, WatchAccess::Write))
      return true;
  return false;
}

WatchId MemoryWatchSet::add(const MemoryInstance* memory, uint64_t begin, uint64_t end,
                            WatchAccess access, WatchHook hook) {
  WatchId id = m_nextId++;
  m_watches.push_back({id, memory, begin, end, access, std::make_shared<WatchHook>(std::move(hook))});
  ++m_generation;
  updateBounds();
  return id;
}

bool MemoryWatchSet::remove(WatchId id) {
  auto it = std::find_if(m_watches.begin(), m_watches.end(),
                         [&](const Watch& w) { return w.id == id; });
  if (it == m_watches.end())
    return false;
  m_watches.erase(it);
  ++m_generation;
  updateBounds();
  return true;
}

void MemoryWatchSet::updateBounds() {
  m_lo = UINT64_MAX;
  m_hi = 0;
  for (const Watch& w : m_watches) {
    m_lo = std::min(m_lo, w.begin);
    m_hi = std::max(m_hi, w.end);
  }
}

// --- The store's API ---------------------------------------------------------------

Result<WatchId> Store::addMemoryWatch(const MemoryInstance& memory, uint64_t address,
                                      uint64_t size, WatchAccess access, WatchHook hook) {
  // Wasm32 addresses: an access never reaches past 4 GiB.
  constexpr uint64_t kSpace = uint64_t(1) << 32;
  if (size == 0)
    return Error(ErrorCode::InvalidArgument, "a memory watch needs at least one byte");
  if (address >= kSpace || size > kSpace - address)
    return Error(ErrorCode::InvalidArgument,
                 "memory watch [" + std::to_string(address) + ", +" + std::to_string(size) +
                     ") lies outside the 4 GiB address space of a wasm32 memory");
  if (!hook)
    return Error(ErrorCode::InvalidArgument, "a memory watch needs a hook");
  if (uint8_t(access) == 0 || uint8_t(access) > uint8_t(WatchAccess::ReadWrite))
    return Error(ErrorCode::InvalidArgument, "unknown memory watch access kind");
  return m_watches.add(&memory, address, address + size, access, std::move(hook));
}

void Store::removeMemoryWatch(WatchId id) { m_watches.remove(id); }

// --- Watched instructions -------------------------------------------------------------

Interpreter::WatchStep Interpreter::runWatchHooks(std::vector<WatchReport>& reports) {
  for (WatchReport& r : reports) {
    ProbeContext ctx = makeContext(m_current, m_current.func->wasmOffsetAt(
                                                  uint32_t(m_current.ip - m_current.func->code.data())));
    r.access.oldBytes = r.oldBytes;
    r.access.newBytes = r.newBytes;
    if ((*r.hook)(ctx, r.access) == ProbeAction::Stop)
      return WatchStep::Stop;
  }
  return WatchStep::Done;
}

Interpreter::WatchStep Interpreter::watchedAccess(Op op, const uint32_t* ip, Slot* fp,
                                                  MemoryInstance* mem, Instance* inst) {
  if (!mem)
    return WatchStep::Plain;
  const MemoryWatchSet& set = m_store.m_watches;
  const uint64_t size = mem->size;
  auto report = [&](const Hit& h, WatchAccess kind, AccessSource source, uint64_t address,
                    uint64_t length, const uint8_t* before, const uint8_t* after) {
    WatchReport r;
    r.hook = h.hook;
    uint64_t b = std::max(address, h.begin), e = std::min(address + length, h.end);
    r.access.watch = h.id;
    r.access.kind = kind;
    r.access.source = source;
    r.access.address = b;
    r.access.size = e - b;
    r.access.accessAddress = address;
    r.access.accessSize = length;
    r.oldBytes.assign(before + (b - address), before + (e - address));
    r.newBytes.assign(after + (b - address), after + (e - address));
    return r;
  };

  switch (op) {
#define LOAD(name, text, code_, type, bytes, ctype)                                               \
  case Op::name: {                                                                                \
    uint64_t ea = uint64_t(fp[ip[2]].i32) + ip[3];                                                \
    if (ea + bytes > size)                                                                        \
      return WatchStep::Plain; /* the plain handler traps */                                      \
    std::vector<Hit> hits = hitsOf(set, mem, ea, bytes, WatchAccess::Read);                       \
    if (hits.empty())                                                                             \
      return WatchStep::Plain;                                                                    \
    std::vector<WatchReport> reports;                                                             \
    for (const Hit& h : hits)                                                                     \
      reports.push_back(report(h, WatchAccess::Read, AccessSource::Instruction, ea, bytes,        \
                               mem->data + ea, mem->data + ea));                                  \
    /* A read reports before it happens; the plain handler then loads. */                         \
    return runWatchHooks(reports) == WatchStep::Stop ? WatchStep::Stop : WatchStep::Plain;        \
  }
    WASM_LOAD(LOAD)
#undef LOAD

#define STORE(name, text, code_, type, bytes, ctype)                                              \
  case Op::name: {                                                                                \
    uint64_t ea = uint64_t(fp[ip[1]].i32) + ip[3];                                                \
    if (ea + bytes > size)                                                                        \
      return WatchStep::Plain;                                                                    \
    std::vector<Hit> hits = hitsOf(set, mem, ea, bytes, WatchAccess::Write);                      \
    if (hits.empty())                                                                             \
      return WatchStep::Plain;                                                                    \
    uint8_t before[bytes];                                                                        \
    std::memcpy(before, mem->data + ea, bytes);                                                   \
    ctype v = ctype(fp[ip[2]].i64);                                                               \
    std::memcpy(mem->data + ea, &v, bytes);                                                       \
    std::vector<WatchReport> reports;                                                             \
    for (const Hit& h : hits)                                                                     \
      reports.push_back(report(h, WatchAccess::Write, AccessSource::Instruction, ea, bytes,       \
                               before, mem->data + ea));                                          \
    return runWatchHooks(reports);                                                                \
  }
    WASM_STORE(STORE)
#undef STORE

  case Op::MemoryCopy: {
    uint64_t d = fp[ip[1]].i32, s = fp[ip[2]].i32, n = fp[ip[3]].i32;
    if (d + n > size || s + n > size || n == 0)
      return WatchStep::Plain;
    std::vector<Hit> reads = hitsOf(set, mem, s, n, WatchAccess::Read);
    std::vector<Hit> writes = hitsOf(set, mem, d, n, WatchAccess::Write);
    if (reads.empty() && writes.empty())
      return WatchStep::Plain;
    std::vector<WatchReport> reports;
    for (const Hit& h : reads)
      reports.push_back(report(h, WatchAccess::Read, AccessSource::Bulk, s, n, mem->data + s,
                               mem->data + s));
    if (runWatchHooks(reports) == WatchStep::Stop)
      return WatchStep::Stop;
    // The hooks may have written memory: the copy reads it as it is now.
    reports.clear();
    std::vector<std::vector<uint8_t>> before;
    for (const Hit& h : writes) {
      uint64_t b = std::max(d, h.begin), e = std::min(d + n, h.end);
      before.emplace_back(mem->data + b, mem->data + e);
    }
    std::memmove(mem->data + d, mem->data + s, n);
    for (size_t i = 0; i < writes.size(); ++i) {
      WatchReport r = report(writes[i], WatchAccess::Write, AccessSource::Bulk, d, n,
                             mem->data + d, mem->data + d);
      r.oldBytes = before[i];
      reports.push_back(std::move(r));
    }
    return runWatchHooks(reports);
  }
  case Op::MemoryFill:
  case Op::MemoryInit: {
    uint64_t d, n;
    const uint8_t* source = nullptr;
    uint8_t fill = 0;
    if (op == Op::MemoryFill) {
      d = fp[ip[1]].i32;
      fill = uint8_t(fp[ip[2]].i32);
      n = fp[ip[3]].i32;
    } else {
      std::span<const uint8_t> seg = inst->m_datas[ip[1]];
      d = fp[ip[2]].i32;
      uint64_t s = fp[ip[3]].i32;
      n = fp[ip[4]].i32;
      if (s + n > seg.size())
        return WatchStep::Plain;
      source = seg.data() + s;
    }
    if (d + n > size || n == 0)
      return WatchStep::Plain;
    std::vector<Hit> writes = hitsOf(set, mem, d, n, WatchAccess::Write);
    if (writes.empty())
      return WatchStep::Plain;
    std::vector<std::vector<uint8_t>> before;
    for (const Hit& h : writes) {
      uint64_t b = std::max(d, h.begin), e = std::min(d + n, h.end);
      before.emplace_back(mem->data + b, mem->data + e);
    }
    if (source)
      std::memcpy(mem->data + d, source, n);
    else
      std::memset(mem->data + d, fill, n);
    std::vector<WatchReport> reports;
    for (size_t i = 0; i < writes.size(); ++i) {
      WatchReport r = report(writes[i], WatchAccess::Write, AccessSource::Bulk, d, n,
                             mem->data + d, mem->data + d);
      r.oldBytes = before[i];
      reports.push_back(std::move(r));
    }
    return runWatchHooks(reports);
  }
  default:
    return WatchStep::Plain;
  }
}

// --- Host writes ---------------------------------------------------------------------------

HostMemoryWrites::HostMemoryWrites(Store& store, MemoryInstance* memory)
    : m_store(store), m_memory(memory) {
  const MemoryWatchSet& set = store.m_watches;
  if (set.empty() || !memory || !memory->data || !set.watchesWrites(memory))
    return;
  m_active = true;
  for (const MemoryWatchSet::Watch& w : set.watches()) {
    if (w.memory != memory || !includes(w.access, WatchAccess::Write) || w.begin >= memory->size)
      continue;
    uint64_t end = std::min(w.end, memory->size);
    m_snapshots.push_back({w.id, w.begin, {memory->data + w.begin, memory->data + end}});
  }
}

void HostMemoryWrites::record(uint64_t address, uint64_t size) {
  if (!m_active || size == 0)
    return;
  m_writes.push_back({address, size});
}

Result<void> HostMemoryWrites::finish() {
  if (!m_active || m_writes.empty())
    return success();
  m_active = false;
  // One report per watch the call wrote into: the span of the bytes it
  // touched, as they were before the call and as they are now.
  struct Report {
    WatchId id;
    std::shared_ptr<WatchHook> hook;
    MemoryAccess access;
    std::vector<uint8_t> oldBytes, newBytes;
  };
  std::vector<Report> reports;
  for (const Snapshot& snap : m_snapshots) {
    uint64_t snapEnd = snap.begin + snap.bytes.size();
    uint64_t lo = UINT64_MAX, hi = 0;
    const Write* first = nullptr;
    for (const Write& w : m_writes) {
      uint64_t b = std::max(w.address, snap.begin), e = std::min(w.address + w.size, snapEnd);
      if (b >= e)
        continue;
      lo = std::min(lo, b);
      hi = std::max(hi, e);
      if (!first)
        first = &w;
    }
    if (!first)
      continue;
    const MemoryWatchSet::Watch* watch = nullptr;
    for (const MemoryWatchSet::Watch& w : m_store.m_watches.watches())
      if (w.id == snap.id)
        watch = &w;
    if (!watch || hi > m_memory->size)
      continue;
    Report r;
    r.id = snap.id;
    r.hook = watch->hook;
    r.access.watch = snap.id;
    r.access.kind = WatchAccess::Write;
    r.access.source = AccessSource::Host;
    r.access.address = lo;
    r.access.size = hi - lo;
    r.access.accessAddress = first->address;
    r.access.accessSize = first->size;
    r.oldBytes.assign(snap.bytes.begin() + (lo - snap.begin), snap.bytes.begin() + (hi - snap.begin));
    r.newBytes.assign(m_memory->data + lo, m_memory->data + hi);
    reports.push_back(std::move(r));
  }
  std::optional<ProbeContext> ctx = m_store.m_interpreter->hostCallContext();
  for (Report& r : reports) {
    r.access.oldBytes = r.oldBytes;
    r.access.newBytes = r.newBytes;
    // A host function called straight from the host (no wasm frame) still
    // reports, with an empty context.
    ProbeContext fallback{m_store, nullptr, nullptr, 0, 0, nullptr, 0, 0};
    ProbeContext& c = ctx ? *ctx : fallback;
    if ((*r.hook)(c, r.access) == ProbeAction::Stop)
      return Error(ErrorCode::Interrupted, "stopped by a memory watch");
  }
  return success();
}

} // namespace wasmscope::runtime
