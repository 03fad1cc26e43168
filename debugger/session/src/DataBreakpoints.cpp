// Data breakpoints (watchpoints): each one is a runtime memory watch
// (MemoryWatch.h) on the instance's linear memory, so loads and stores pay
// for them only while one exists. The watch's hook runs on the guest thread
// during the access (after a write, before a read); it evaluates the
// condition and hit condition in the accessing frame and parks the guest
// with the access, its bytes before and after, in the Stopped event.
#include "SessionImpl.h"

namespace wasmscope::debugger {

namespace {

runtime::WatchAccess toWatchAccess(DataAccessType type) {
  switch (type) {
  case DataAccessType::Read:
    return runtime::WatchAccess::Read;
  case DataAccessType::Write:
    return runtime::WatchAccess::Write;
  case DataAccessType::ReadWrite:
    return runtime::WatchAccess::ReadWrite;
  }
  return runtime::WatchAccess::Write;
}

const char* sourceName(runtime::AccessSource source) {
  switch (source) {
  case runtime::AccessSource::Instruction:
    return "instruction";
  case runtime::AccessSource::Bulk:
    return "bulk memory";
  case runtime::AccessSource::Host:
    return "host call";
  }
  return "instruction";
}

/// "0x0000002a" for 1, 2, 4 and 8 bytes (little-endian, as wasm memory is),
/// else the bytes in hex.
std::string formatBytes(const std::vector<uint8_t>& bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  if (bytes.size() == 1 || bytes.size() == 2 || bytes.size() == 4 || bytes.size() == 8) {
    out = "0x";
    for (size_t i = bytes.size(); i-- > 0;) {
      out += kHex[bytes[i] >> 4];
      out += kHex[bytes[i] & 15];
    }
    return out;
  }
  for (size_t i = 0; i < bytes.size() && i < 64; ++i) {
    if (i)
      out += ' ';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  if (bytes.size() > 64)
    out += " ...";
  return out;
}

} // namespace

void Session::Impl::applyDataBreakpoints() {
  runtime::MemoryInstance* memory = instance ? instance->memory(0) : nullptr;
  std::map<BreakpointId, const BreakpointRecord*> desired;
  for (const auto& [id, record] : breakpoints)
    if (record.kind == BreakpointKind::Data && record.resolved.verified && memory)
      desired[id] = &record;
  for (auto it = dataWatches.begin(); it != dataWatches.end();) {
    if (!desired.count(it->first)) {
      store->removeMemoryWatch(it->second);
      it = dataWatches.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [id, record] : desired) {
    if (dataWatches.count(id))
      continue;
    BreakpointId bp = id;
    auto watch = store->addMemoryWatch(
        *memory, record->dataAddress, record->dataSize, toWatchAccess(record->dataAccess),
        [this, bp](ProbeContext& ctx, const runtime::MemoryAccess& access) {
          return onDataBreakpoint(ctx, access, bp);
        });
    if (watch.ok())
      dataWatches[id] = *watch;
  }
}

ProbeAction Session::Impl::onDataBreakpoint(ProbeContext& ctx, const runtime::MemoryAccess& access,
                                            BreakpointId id) {
  if (terminateRequested)
    return ProbeAction::Stop;
  std::unique_lock lock(mutex);
  auto rec = breakpoints.find(id);
  if (rec == breakpoints.end() || !ctx.function)
    return ProbeAction::Continue;
  BreakpointRecord& r = rec->second;
  if (r.conditionTree) {
    ConcreteFrame c;
    c.info.function = ctx.function;
    c.info.funcIndex = ctx.funcIndex;
    c.info.wasmOffset = ctx.wasmOffset;
    c.info.locals = ctx.locals;
    c.info.numLocals = ctx.numLocals;
    c.instance = ctx.instance;
    FrameEnv env(*this, c, 0, nullptr, &ctx);
    Result<bool> holds = conditionHolds(*r.conditionTree, env, *types);
    if (holds.ok() && !*holds)
      return ProbeAction::Continue;
    if (!holds.ok())
      output(OutputCategory::Console, "data breakpoint " + std::to_string(id) + ": condition '" +
                                          r.condition + "' cannot be evaluated (" +
                                          holds.error().message + "); stopping\n");
  }
  uint64_t hits = r.hits->fetch_add(1, std::memory_order_relaxed) + 1;
  if (!r.hitCondition.matches(hits))
    return ProbeAction::Continue;

  DataAccess data;
  data.breakpoint = id;
  data.access = access.kind == runtime::WatchAccess::Read ? DataAccessType::Read
                                                          : DataAccessType::Write;
  data.address = access.address;
  data.size = access.size;
  data.accessAddress = access.accessAddress;
  data.accessSize = access.accessSize;
  data.oldBytes.assign(access.oldBytes.begin(), access.oldBytes.end());
  data.newBytes.assign(access.newBytes.begin(), access.newBytes.end());
  data.source = sourceName(access.source);

  StoppedEvent stopped;
  stopped.reason = StopReason::DataBreakpoint;
  stopped.hitBreakpointIds.push_back(id);
  if (data.access == DataAccessType::Read)
    stopped.description = "Paused on data breakpoint: read of " + hexAddress(data.address) +
                          " (" + formatBytes(data.newBytes) + ")";
  else
    stopped.description = "Paused on data breakpoint: write to " + hexAddress(data.address) +
                          ", " + formatBytes(data.oldBytes) + " -> " +
                          formatBytes(data.newBytes);
  if (access.source == runtime::AccessSource::Host)
    stopped.description += " by a WASI call";
  stopped.dataAccess = std::move(data);
  lock.unlock();
  deliver();
  return park(std::move(stopped), &ctx, StopSource::Watch);
}

} // namespace wasmscope::debugger
