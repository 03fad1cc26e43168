// Launching, observing and publishing a live run (see LiveRun.h).
#include "LiveRun.h"

#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/Launch.h"

namespace wasmscope::gui {

using namespace wasmscope::debugger;

LiveRun::LiveRun() : m_session(std::make_unique<Session>()) {}

LiveRun::~LiveRun() {
  // A guest blocked in a host call may not stop; the session then leaves it.
  (void)m_session->disconnect(std::chrono::seconds(3));
  m_session.reset();
}

runtime::Result<void> LiveRun::launch(LiveOptions options) {
  m_options = std::move(options);
  LaunchConfig config = m_options.config;
  config.onEvent = [this](const Event& event) { onEvent(event); };
  config.observers = {this};
  config.countBlocks = m_options.profile;
  return m_session->launch(config);
}

runtime::Result<void> LiveRun::start() {
  return m_session->configurationDone();
}

runtime::Result<void> LiveRun::restart() {
  TRY(m_session->restart(std::chrono::seconds(3)));
  return m_session->configurationDone();
}

void LiveRun::setForwarder(EventHandler forward) {
  std::lock_guard lock(m_mutex);
  m_forward = std::move(forward);
}

std::vector<Event> LiveRun::takeEvents() {
  std::lock_guard lock(m_mutex);
  std::vector<Event> out(std::make_move_iterator(m_events.begin()),
                         std::make_move_iterator(m_events.end()));
  m_events.clear();
  return out;
}

RunSnapshot LiveRun::latest() const {
  std::lock_guard lock(m_mutex);
  return m_latest;
}

profiler::RunInfo LiveRun::runInfo() const {
  profiler::RunInfo run;
  run.commandLine = m_options.commandLine;
  run.entry = "_start";
  return run;
}

void LiveRun::publish(runtime::Result<profiler::Profile> profile, bool final,
                      std::shared_ptr<const std::vector<uint8_t>> memoryImage) {
  // Caller holds m_mutex.
  RunSnapshot next;
  next.final = final;
  next.memoryImage = std::move(memoryImage);
  next.version = m_latest.version + 1;
  if (profile.ok())
    next.profile = std::make_shared<const profiler::Profile>(std::move(*profile));
  else
    next.error = profile.error().message;
  m_latest = std::move(next);
}

runtime::Result<void> LiveRun::attach(runtime::Guest& guest) {
  std::lock_guard lock(m_mutex);
  m_profiler.reset();
  m_heap.reset();
  if (!m_options.profile)
    return {};
  profiler::ProfilerOptions options;
  options.traceEvents = m_options.traceEvents;
  TRY_ASSIGN(m_profiler, profiler::Profiler::attach(guest, std::move(options)));
  RunSnapshot fresh;
  fresh.version = m_latest.version + 1;
  m_latest = std::move(fresh);
  return {};
}

runtime::Result<void> LiveRun::instantiated(runtime::Guest& guest) {
  std::lock_guard lock(m_mutex);
  if (!m_options.profile || !m_options.memory)
    return {};
  TRY_ASSIGN(m_heap, profiler::HeapProfiler::attach(guest, m_options.heap));
  return {};
}

void LiveRun::detach(runtime::Guest& guest) {
  std::lock_guard lock(m_mutex);
  if (!m_profiler)
    return;
  profiler::RunInfo run = runInfo();
  if (guest.exitCode())
    run.exitStatus = int(*guest.exitCode());
  // The guest is destroyed after this: keep its memory for the hex view.
  std::shared_ptr<const std::vector<uint8_t>> image;
  if (runtime::Instance* instance = guest.instance())
    if (const runtime::MemoryInstance* memory = instance->memory(0);
        memory && memory->size <= kMaxMemoryImage)
      image = std::make_shared<const std::vector<uint8_t>>(memory->data,
                                                           memory->data + memory->size);
  publish(profiler::finishProfile(guest, std::move(run), m_profiler.get(), m_heap.get()), true,
          std::move(image));
  m_profiler.reset();
  m_heap.reset();
}

void LiveRun::onEvent(const Event& event) {
  EventHandler forward;
  {
    std::lock_guard lock(m_mutex);
    // The guest is parked until some front end resumes it, and none can
    // before this handler passes the stop on: read the profiler now.
    if (event.is<StoppedEvent>() && m_profiler)
      publish(profiler::snapshotProfile(runInfo(), m_profiler.get(), m_heap.get()), false);
    forward = m_forward;
  }
  if (forward)
    forward(event);
  std::lock_guard lock(m_mutex);
  m_events.push_back(event);
}

} // namespace wasmscope::gui
