// Line breakpoints of a shared session (Adapter::syncBreakpoints and
// setSharedBreakpoints). Two front ends set breakpoints on one session: the
// client through setBreakpoints, which replaces a file's list, and the
// session's owner (the inspector) directly. The adapter remembers which
// breakpoints the client knows; a setBreakpoints replaces only those and
// keeps the owner's, and the owner's changes reach the client as
// `breakpoint` events (new, changed, removed), after which the client knows
// them too and may remove them.
#include "Adapter.h"

#include <algorithm>
#include <set>

namespace wasmscope::dap {

using namespace wasmscope::debugger;

namespace {

bool sameAsKnown(const Breakpoint& a, const Breakpoint& b) {
  return a.verified == b.verified && a.line == b.line && a.sourcePath == b.sourcePath &&
         a.message == b.message;
}

} // namespace

runtime::Result<std::vector<Breakpoint>>
Adapter::setSharedBreakpoints(const std::string& sourcePath,
                              const std::vector<SourceBreakpoint>& requested) {
  std::lock_guard lock(m_syncMutex);
  std::vector<SourceBreakpoint> merged = requested;
  std::set<uint32_t> requestedLines;
  for (const SourceBreakpoint& bp : requested)
    requestedLines.insert(bp.line);
  for (const LineBreakpointInfo& info : session().lineBreakpoints())
    if (info.requestPath == sourcePath && !m_known.count(info.placed.id) &&
        !requestedLines.count(info.request.line))
      merged.push_back(info.request); // The owner's: the client never saw it.
  auto placed = session().setBreakpoints(sourcePath, merged);
  if (!placed.ok())
    return std::move(placed).error();
  // What the client dropped from this file is gone; what it sent it knows.
  std::set<int64_t> stillThere;
  for (const Breakpoint& bp : *placed)
    stillThere.insert(bp.id);
  for (auto it = m_known.begin(); it != m_known.end();)
    it = stillThere.count(it->first) ? std::next(it) : m_known.erase(it);
  std::vector<Breakpoint> out(placed->begin(), placed->begin() + long(requested.size()));
  for (const Breakpoint& bp : out)
    m_known[bp.id] = bp;
  return out;
}

void Adapter::syncBreakpoints() {
  if (!shared())
    return;
  std::lock_guard lock(m_syncMutex);
  std::set<int64_t> present;
  auto send = [&](const char* reason, const Breakpoint& bp) {
    protocol::BreakpointEventBody body;
    body.reason = reason;
    body.breakpoint = toProtocol(bp, *this, false);
    m_writer.sendEvent("breakpoint", protocol::toJSON(body));
  };
  for (const LineBreakpointInfo& info : session().lineBreakpoints()) {
    present.insert(info.placed.id);
    auto known = m_known.find(info.placed.id);
    if (known == m_known.end()) {
      m_known[info.placed.id] = info.placed;
      send("new", info.placed);
    } else if (!sameAsKnown(known->second, info.placed)) {
      known->second = info.placed;
      send("changed", info.placed);
    }
  }
  for (auto it = m_known.begin(); it != m_known.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    Breakpoint removed = it->second;
    it = m_known.erase(it);
    send("removed", removed);
  }
}

} // namespace wasmscope::dap
