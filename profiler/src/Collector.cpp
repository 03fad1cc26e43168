// The profiler while the guest runs (Collector.h): attaching to the store,
// and the hooks that keep the call-path tree, the per-path block counters,
// the trace ring and the fuel budget up to date.
#include "Collector.h"

#include "wasmscope/runtime/Store.h"

#include <algorithm>

namespace wasmscope::profiler {

using namespace wasmscope::runtime;

// --- EdgeMap -------------------------------------------------------------------

EdgeMap::EdgeMap() {
  m_keys.assign(1024, kEmpty);
  m_values.assign(1024, kNone);
  m_mask = 1023;
  m_shift = 64 - 10;
}

void EdgeMap::insert(uint32_t parent, NodeKey key, uint32_t node) {
  if ((m_size + 1) * 2 > m_keys.size())
    grow();
  uint64_t k = pack(parent, key);
  size_t i = slot(k);
  while (m_keys[i] != kEmpty && m_keys[i] != k)
    i = (i + 1) & m_mask;
  if (m_keys[i] == kEmpty)
    ++m_size;
  m_keys[i] = k;
  m_values[i] = node;
}

void EdgeMap::grow() {
  std::vector<uint64_t> keys = std::move(m_keys);
  std::vector<uint32_t> values = std::move(m_values);
  m_keys.assign(keys.size() * 2, kEmpty);
  m_values.assign(keys.size() * 2, kNone);
  m_mask = m_keys.size() - 1;
  --m_shift;
  m_size = 0;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] != kEmpty)
      insert(uint32_t(keys[i] >> 32), NodeKey(keys[i]), values[i]);
}

// --- State -------------------------------------------------------------------------

Profiler::State::State(Guest &g, ProfilerOptions o)
    : guest(g), options(std::move(o)), module(*g.module()),
      start(std::chrono::steady_clock::now()) {
  nodes.push_back(Node{kNone, kNone});
  if (options.traceEvents)
    ring.resize(size_t(options.traceEvents));
  if (options.progressInterval == 0)
    options.progressInterval = uint64_t(1) << 26;
}

uint64_t Profiler::State::nowNanos() const {
  return uint64_t(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
}

uint32_t Profiler::State::newNode(uint32_t parent, NodeKey key) {
  Node node{parent, key};
  if (key < kHostKeyBase)
    if (const CompiledFunction *f = module.function(key); f && !f->blocks.empty()) {
      node.counts.assign(f->blocks.size(), 0);
      // Only this function's blocks (ids firstBlock ...) run until the next
      // call or return, so the node's array stands in for the module's.
      auto shifted = reinterpret_cast<uintptr_t>(node.counts.data()) -
                     uintptr_t(f->firstBlock) * sizeof(uint64_t);
      node.base = reinterpret_cast<uint64_t *>(shifted);
    }
  nodes.push_back(std::move(node));
  return uint32_t(nodes.size() - 1);
}

uint32_t Profiler::State::childOf(uint32_t parent, NodeKey key) {
  uint32_t found = edges.find(parent, key);
  if (found != kNone)
    return found;
  // First time on this edge. A function already on the path is recursion:
  // the call stays on that ancestor's node, so the tree stays finite.
  uint32_t target = kNone;
  for (uint32_t n = parent; n != 0; n = nodes[n].parent)
    if (nodes[n].key == key) {
      target = n;
      break;
    }
  if (target == kNone && nodes.size() >= options.maxStacks) {
    // Past the limit, new paths continue under one "[more call paths]" node,
    // one node per function below it: bounded by the number of functions.
    if (truncatedNode == kNone) {
      truncatedNode = newNode(0, kTruncatedKey);
      edges.insert(0, kTruncatedKey, truncatedNode);
    }
    if (parent != truncatedNode && nodes[parent].parent != truncatedNode) {
      target = edges.find(truncatedNode, key);
      if (target == kNone) {
        target = newNode(truncatedNode, key);
        edges.insert(truncatedNode, key, target);
      }
    }
  }
  if (target == kNone)
    target = newNode(parent, key);
  edges.insert(parent, key, target);
  return target;
}

void Profiler::State::recordEvent(TraceEventKind kind, NodeKey key) {
  ring[ringNext] =
      RawEvent{kind, key, guest.store().fuelConsumed(), options.wallTime ? nowNanos() : 0};
  if (++ringNext == ring.size())
    ringNext = 0;
  ++recorded;
}

void Profiler::State::enter(Instance &inst, FuncIndex func) {
  if (!instance && inst.module() == &module)
    instance = &inst;
  if (&inst != instance) {
    stack.push_back({current, 0, true});
    return;
  }
  Node &from = nodes[current];
  uint32_t node = from.lastKey == func ? from.lastChild : childOf(current, func);
  nodes[current].lastKey = func; // childOf may have moved the nodes.
  nodes[current].lastChild = node;
  ++nodes[node].calls;
  stack.push_back({node, 0, false});
  current = node;
  redirectTo(node);
  record(TraceEventKind::Enter, func);
}

void Profiler::State::exit() {
  if (stack.empty())
    return;
  Activation a = stack.back();
  stack.pop_back();
  if (a.foreign)
    return;
  current = stack.empty() ? 0 : stack.back().node;
  redirectTo(current);
  record(TraceEventKind::Exit, nodes[a.node].key);
}

void Profiler::State::unwind(std::span<const FrameInfo> frames) {
  if (frames.empty() || stack.empty())
    return;
  // The entry hook of a call runs before the call's stack check: a callee
  // that never started ("call stack exhausted") was entered but is not
  // among the frames.
  if (!stack.back().foreign && nodes[stack.back().node].key != frames[0].funcIndex &&
      stack.size() >= 2 && !stack[stack.size() - 2].foreign &&
      nodes[stack[stack.size() - 2].node].key == frames[0].funcIndex) {
    --nodes[stack.back().node].calls;
    record(TraceEventKind::Exit, nodes[stack.back().node].key);
    stack.pop_back();
  }
  for (size_t i = 0; i < frames.size() && !stack.empty(); ++i) {
    Activation a = stack.back();
    stack.pop_back();
    if (a.foreign)
      continue;
    // The innermost block ran only up to the trapping instruction.
    if (i == 0)
      cuts.push_back({a.node, frames[0].funcIndex, frames[0].wasmOffset});
    record(TraceEventKind::Exit, nodes[a.node].key);
  }
  current = stack.empty() ? 0 : stack.back().node;
  redirectTo(current);
}

void Profiler::State::hostEnter(const FunctionInstance &f) {
  auto [it, inserted] = hostKeys.try_emplace(&f, kHostKeyBase + uint32_t(hostFunctions.size()));
  if (inserted)
    hostFunctions.push_back(&f);
  uint32_t node = childOf(current, it->second);
  ++nodes[node].calls;
  stack.push_back({node, options.wallTime ? nowNanos() : 0, false});
  current = node;
  record(TraceEventKind::Enter, it->second);
}

void Profiler::State::hostExit(const FunctionInstance &) {
  if (stack.empty())
    return;
  Activation a = stack.back();
  stack.pop_back();
  if (options.wallTime)
    nodes[a.node].hostNanos += nowNanos() - a.startNanos;
  current = stack.empty() ? 0 : stack.back().node;
  record(TraceEventKind::Exit, nodes[a.node].key);
}

FuelDecision Profiler::State::refuel(Store &store) {
  if (options.onProgress)
    options.onProgress(store.fuelConsumed());
  uint64_t amount = options.progressInterval;
  if (budget) {
    uint64_t left = *budget - std::min(*budget, granted);
    amount = std::min(amount, left);
  }
  if (amount == 0) {
    fuelDenied = true;
    return {};
  }
  granted += amount;
  return {true, amount};
}

// --- Profiler -------------------------------------------------------------------------

Profiler::Profiler(std::unique_ptr<State> state) : m_state(std::move(state)) {}

Profiler::~Profiler() {
  if (m_state)
    m_state->detach();
}

void Profiler::State::detach() {
  if (!attached)
    return;
  attached = false;
  guest.store().setCallHooks({});
  guest.store().setFuelHandler({});
  if (instance)
    instance->redirectBlockCounts(nullptr);
}

Result<std::unique_ptr<Profiler>> Profiler::attach(Guest &guest, ProfilerOptions options) {
  if (!guest.module()->options().countBlocks)
    return Error(
        ErrorCode::InvalidArgument,
        "the profiler needs a module compiled with block counters (LaunchSpec::countBlocks)");
  if (options.traceEvents > kMaxTraceEvents)
    return Error(ErrorCode::InvalidArgument,
                 "the call trace holds at most " + std::to_string(kMaxTraceEvents) + " events");
  if (guest.instance())
    return Error(ErrorCode::InvalidArgument,
                 "the profiler attaches before the guest is instantiated");
  auto state = std::make_unique<State>(guest, std::move(options));
  State *s = state.get();
  Store &store = guest.store();
  // A budget set at launch (--fuel) stays the budget; refills come in steps
  // so that progress can be reported.
  if (guest.spec().fuel)
    s->budget = *guest.spec().fuel;
  uint64_t first = s->options.progressInterval;
  if (s->budget)
    first = std::min(first, *s->budget);
  s->granted = first;
  store.setFuel(first);
  store.setFuelHandler([s](Store &st) { return s->refuel(st); });
  CallHooks hooks;
  hooks.onCall = [s](Instance &inst, FuncIndex func) { s->enter(inst, func); };
  hooks.onReturn = [s] { s->exit(); };
  hooks.onUnwind = [s](std::span<const FrameInfo> frames) { s->unwind(frames); };
  hooks.onHostCall = [s](const FunctionInstance &f) { s->hostEnter(f); };
  hooks.onHostReturn = [s](const FunctionInstance &f, bool) { s->hostExit(f); };
  store.setCallHooks(std::move(hooks));
  return std::unique_ptr<Profiler>(new Profiler(std::move(state)));
}

uint64_t Profiler::instructions() const {
  return m_state->guest.store().fuelConsumed();
}

} // namespace wasmscope::profiler
