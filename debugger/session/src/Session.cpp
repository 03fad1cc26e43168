// The Session's core: launching (module, symbols, WASI, instance), the guest
// thread, parking and resuming it, and event delivery. Breakpoints,
// stepping, interruption, frames and variables live in files of their own.
#include "SessionImpl.h"

#include <filesystem>

namespace wasmscope::debugger {

namespace fs = std::filesystem;

namespace {

/// Runs `body`, turning any exception into an error: nothing escapes the API.
template <typename F> auto guarded(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::InvalidArgument, "out of host memory");
  } catch (const std::exception& e) {
    return Error(ErrorCode::InvalidArgument, std::string("internal error: ") + e.what());
  } catch (...) {
    return Error(ErrorCode::InvalidArgument, "internal error");
  }
}

Error notLaunched() {
  return Error(ErrorCode::InvalidArgument, "no program is launched");
}

} // namespace

const char* stopReasonName(StopReason reason) {
  switch (reason) {
  case StopReason::Entry:
    return "entry";
  case StopReason::Breakpoint:
    return "breakpoint";
  case StopReason::FunctionBreakpoint:
    return "function breakpoint";
  case StopReason::InstructionBreakpoint:
    return "instruction breakpoint";
  case StopReason::Step:
    return "step";
  case StopReason::Pause:
    return "pause";
  case StopReason::Exception:
    return "exception";
  case StopReason::DataBreakpoint:
    return "data breakpoint";
  }
  return "unknown";
}

const char* dataAccessTypeName(DataAccessType type) {
  switch (type) {
  case DataAccessType::Read:
    return "read";
  case DataAccessType::Write:
    return "write";
  case DataAccessType::ReadWrite:
    return "readWrite";
  }
  return "write";
}

const char* outputCategoryName(OutputCategory category) {
  switch (category) {
  case OutputCategory::Stdout:
    return "stdout";
  case OutputCategory::Stderr:
    return "stderr";
  case OutputCategory::Console:
    return "console";
  }
  return "console";
}

PreopenDir PreopenDir::parse(std::string_view spec) {
  PreopenDir dir;
  size_t sep = spec.find("::");
  if (sep == std::string_view::npos) {
    dir.hostPath = std::string(spec);
    dir.guestPath = std::string(spec);
  } else {
    dir.hostPath = std::string(spec.substr(0, sep));
    dir.guestPath = std::string(spec.substr(sep + 2));
  }
  return dir;
}

// ------------------------------------------------------------------ Impl ----

Session::Impl::Impl() = default;

Session::Impl::~Impl() {
  {
    std::lock_guard lock(mutex);
    flusherStop = true;
  }
  flushCv.notify_all();
  if (flusher.joinable())
    flusher.join();
}

void Session::Impl::emit(Event event) {
  flushOutputLocked();
  outbox.push_back(std::move(event));
}

void Session::Impl::flushOutputLocked() {
  if (!pendingOutput)
    return;
  outbox.push_back(Event{std::move(*pendingOutput)});
  pendingOutput.reset();
}

bool Session::Impl::output(OutputCategory category, std::string_view text, std::string sourcePath,
                           uint32_t line) {
  bool flushed = false;
  if (pendingOutput && (pendingOutput->category != category ||
                        pendingOutput->sourcePath != sourcePath || pendingOutput->line != line)) {
    flushOutputLocked();
    flushed = true;
  }
  if (!pendingOutput) {
    pendingOutput.emplace();
    pendingOutput->category = category;
    pendingOutput->sourcePath = std::move(sourcePath);
    pendingOutput->line = line;
    pendingSince = std::chrono::steady_clock::now();
    flushCv.notify_all();
  }
  pendingOutput->text.append(text);
  if (pendingOutput->text.size() >= kOutputChunk) {
    flushOutputLocked();
    flushed = true;
  }
  return flushed;
}

void Session::Impl::flushLoop() {
  std::unique_lock lock(mutex);
  while (!flusherStop) {
    if (!pendingOutput) {
      flushCv.wait(lock);
      continue;
    }
    auto deadline = pendingSince + kOutputDelay;
    if (std::chrono::steady_clock::now() < deadline) {
      flushCv.wait_until(lock, deadline);
      continue;
    }
    flushOutputLocked();
    lock.unlock();
    deliver();
    lock.lock();
  }
}

void Session::Impl::deliver() {
  std::unique_lock lock(mutex);
  if (delivering)
    return; // Whoever is delivering drains what was just added, in order.
  delivering = true;
  while (!outbox.empty()) {
    Event e = std::move(outbox.front());
    outbox.pop_front();
    if (handler) {
      EventHandler h = handler;
      lock.unlock();
      try {
        h(e);
      } catch (...) {
        // A front end's failure to send an event must not kill the guest.
      }
      lock.lock();
    } else {
      queue.push_back(std::move(e));
      queueCv.notify_all();
    }
  }
  delivering = false;
  deliveredCv.notify_all();
}

Result<void> Session::Impl::requireStopped() const {
  switch (state) {
  case SessionState::Stopped:
    return {};
  case SessionState::Running:
    return Error(ErrorCode::InvalidArgument, "the guest is running");
  case SessionState::Idle:
    return notLaunched();
  case SessionState::Configuring:
    return Error(ErrorCode::InvalidArgument, "the guest has not started (configurationDone)");
  case SessionState::Exited:
    return Error(ErrorCode::InvalidArgument, "the guest has exited");
  }
  return Error(ErrorCode::InvalidArgument, "the guest is not stopped");
}

void Session::Impl::detachObservers() {
  std::vector<RunObserver*> observers = std::move(attachedObservers);
  attachedObservers.clear();
  for (RunObserver* observer : observers) {
    try {
      observer->detach(*program);
    } catch (...) {
      // An observer's failure must not keep the guest from ending.
    }
  }
}

void Session::Impl::resetRun() {
  snapshot.reset();
  step = {};
  skip = {};
  guardAfterStop.reset();
  for (auto* counter : {&breakpointProbeHits, &compiledConditionRuns, &treeConditionRuns,
                        &stepProbeCalls, &safepointHits})
    counter->store(0);
  {
    // A late pause() or terminate() from another thread must not arm the
    // words of a module about to be freed.
    std::lock_guard lock(armMutex);
    interruptible = nullptr;
    attention = 0;
  }
  locationProbes.clear();
  dataWatches.clear();
  entryProbe.reset();
  instance = nullptr;
  startFunction = nullptr;
  enumerators.reset();
  detachObservers();
  // Symbols refer to the module, and the store's hooks to the session.
  sourcePaths.reset();
  fileOnDisk.clear();
  symbols.reset();
  store = nullptr;
  wasi = nullptr;
  compiled = nullptr;
  program.reset();
  types.reset();
  for (auto& [id, record] : breakpoints) {
    record.locations.clear();
    record.resolvedOnce = false;
  }
  exitCode.reset();
  resumeRequested = false;
  configured = false;
  guestStarted = false;
  terminateRequested = false;
}

Result<void> Session::Impl::launchLocked(const LaunchConfig& cfg) {
  if (launched && state != SessionState::Exited)
    return Error(ErrorCode::InvalidArgument, "a program is already launched");
  if (guest.joinable())
    return Error(ErrorCode::InvalidArgument, "the previous run is still finishing");
  resetRun();
  config = cfg;
  handler = cfg.onEvent;
  if (!flusher.joinable())
    flusher = std::thread([this] { flushLoop(); });

  runtime::LaunchSpec spec;
  spec.modulePath = cfg.modulePath;
  spec.cwd = cfg.cwd;
  spec.programName = cfg.programName;
  spec.args = cfg.args;
  spec.env = cfg.env;
  for (const PreopenDir& p : cfg.preopens)
    spec.preopens.push_back({p.hostPath, p.guestPath});
  spec.stdinFd = cfg.stdinFd;
  spec.deterministic = cfg.deterministic;
  spec.seed = cfg.seed;
  spec.fuel = cfg.fuel;
  spec.memoryLimitBytes = cfg.memoryLimitBytes;
  spec.maxCallDepth = cfg.maxCallDepth;
  spec.timeout = cfg.timeout;
  spec.countBlocks = cfg.countBlocks;
  spec.output = [this](int fd, std::string_view text) {
    bool flushed;
    {
      std::lock_guard lock(mutex);
      flushed = output(fd == 2 ? OutputCategory::Stderr : OutputCategory::Stdout, text);
    }
    if (flushed)
      deliver();
  };
  TRY_ASSIGN(program, runtime::loadGuest(std::move(spec)));
  for (RunObserver* observer : cfg.observers) {
    if (!observer)
      continue;
    TRY(observer->attach(*program));
    attachedObservers.push_back(observer);
  }
  compiled = program->module().get();
  store = &program->store();
  wasi = &program->wasi();
  moduleName = program->name();
  resolvedPath = program->path();

  std::vector<SymbolWarning> warnings;
  TRY_ASSIGN(symbols, ModuleSymbols::load(compiled->module(), &warnings));
  SourceMap map;
  for (const auto& [build, local] : cfg.sourceMap)
    map.add(build, local);
  sourcePaths = std::make_unique<SourceResolver>(*symbols, std::move(map));
  for (size_t i = 0; i < warnings.size() && i < 20; ++i)
    output(OutputCategory::Console, "warning: debug info: " + warnings[i].describe() + "\n");
  if (warnings.size() > 20)
    output(OutputCategory::Console,
           "warning: debug info: " + std::to_string(warnings.size() - 20) + " more warnings\n");
  if (!symbols->hasDwarf())
    output(OutputCategory::Console,
           "note: " + fs::path(resolvedPath).filename().string() +
               " has no DWARF debug info: stepping is by instruction and variables are raw "
               "wasm locals\n");
  hasInlines = false;
  std::function<bool(const Scope&)> anyInlined = [&](const Scope& s) {
    if (s.kind == ScopeKind::Inlined)
      return true;
    for (const Scope& c : s.children)
      if (anyInlined(c))
        return true;
    return false;
  };
  for (const auto& f : symbols->functions())
    if (anyInlined(f->scope)) {
      hasInlines = true;
      break;
    }

  TRY_ASSIGN(instance, program->instantiate());
  for (RunObserver* observer : attachedObservers)
    TRY(observer->instantiated(*program));
  // The wall-clock limit counts the guest's running time only: held until
  // configurationDone, and whenever the guest is parked.
  program->holdClock();
  startFunction = instance->findFunction("_start");
  if (!startFunction || startFunction->isHost())
    return Error(ErrorCode::InvalidArgument,
                 resolvedPath + " exports no _start function (not a WASI command module)");
  types = std::make_unique<TypeFactory>();

  installSafepoints();
  // The entry probe goes in before the breakpoints, so that it runs first at
  // a shared instruction and a breakpoint there reports once after it.
  if (cfg.stopOnEntry) {
    auto probe = addProbe(startFunction->code->index, startFunction->code->bodyOffset,
                          [this](ProbeContext& ctx) { return onEntryProbe(ctx); });
    if (probe.ok())
      entryProbe = *probe;
  }
  for (auto& [id, record] : breakpoints) {
    resolveBreakpoint(record);
    record.resolvedOnce = true;
    emit(Event{BreakpointChangedEvent{record.resolved}});
  }
  applyBreakpoints();

  launched = true;
  state = SessionState::Configuring;
  guestFinished = false;
  guest = std::thread([this] { guestMain(); });
  return {};
}

void Session::Impl::guestMain() {
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return configured || terminateRequested.load(); });
    guestStarted = !terminateRequested;
    if (guestStarted)
      state = SessionState::Running;
  }
  if (guestStarted)
    program->releaseClock();
  uint32_t code = kTerminatedExitCode;
  if (guestStarted) {
    // The guest thread's out-of-host-memory boundary: whatever throws while
    // the guest runs or its trap is reported ends the run with a message
    // and an exit, never std::terminate.
    std::string failure;
    try {
      code = runGuestToExit();
    } catch (const std::bad_alloc&) {
      failure = "out of host memory while running the guest";
    } catch (const std::exception& e) {
      failure = std::string("internal error while running the guest: ") + e.what();
    }
    if (!failure.empty()) {
      code = terminateRequested ? kTerminatedExitCode : kTrapExitCode;
      try {
        {
          std::lock_guard lock(mutex);
          output(OutputCategory::Console, "error: " + failure + "\n");
        }
        deliver();
      } catch (...) {
        // Nothing more can be said; the exit below still happens.
      }
    }
  }
  {
    std::lock_guard lock(mutex);
    store->setGlobalProbe({});
    // Observers collect what they saw before anyone hears of the exit.
    detachObservers();
    snapshot.reset();
    state = SessionState::Exited;
    exitCode = code;
    guestFinished = true;
    if (!restarting) {
      try {
        emit(Event{ExitedEvent{code}});
        emit(Event{TerminatedEvent{}});
      } catch (...) {
        outbox.clear(); // waitForExit() still returns: guestFinished is set.
      }
    }
  }
  exitCv.notify_all();
  try {
    deliver();
  } catch (...) {
  }
}

uint32_t Session::Impl::runGuestToExit() {
  Result<uint32_t> r = program->runStart();
  if (r.ok())
    return *r;
  if (terminateRequested)
    return kTerminatedExitCode;
  const Error& error = r.error();
  uint32_t code = kTrapExitCode;
  std::string report = "trap: " + error.message + "\n";
  try {
    report += formatBacktrace(store->lastTrapFrames(), compiled->module(), symbols.get(),
                              &sourcePaths->sourceMap());
  } catch (...) {
  }
  if (!report.empty() && report.back() != '\n')
    report += '\n';
  bool stop;
  {
    std::lock_guard lock(mutex);
    output(OutputCategory::Console, report);
    stop = exceptionFilters.traps && error.phase() == runtime::ErrorPhase::Trap &&
           !store->lastTrapFrames().empty();
  }
  deliver();
  if (stop) {
    StoppedEvent e;
    e.reason = StopReason::Exception;
    e.text = error.message;
    e.trap = error.code;
    e.description = "Paused on trap: " + error.message;
    park(std::move(e), nullptr, StopSource::Trap);
    if (terminateRequested)
      code = kTerminatedExitCode;
  }
  return code;
}

ProbeAction Session::Impl::onEntryProbe(ProbeContext& ctx) {
  // Removing the probe destroys the hook's closure: nothing below may touch
  // it (`this` here is this function's own parameter, not the capture).
  ProbeId id = entryProbe.value_or(0);
  if (entryProbe) {
    entryProbe.reset();
    removeProbe(id);
  }
  StoppedEvent e;
  e.reason = StopReason::Entry;
  e.description = "Paused on entry";
  return park(std::move(e), &ctx, StopSource::OtherProbe, id);
}

ProbeAction Session::Impl::park(StoppedEvent stopped, const ProbeContext* ctx, StopSource source,
                                ProbeId sourceProbe) {
  std::unique_lock lock(mutex);
  if (terminateRequested)
    return ProbeAction::Stop;
  if (breakpointsDirty)
    applyBreakpoints();
  cancelStep();
  takeSnapshot(ctx, source, sourceProbe, stopped);
  state = SessionState::Stopped;
  resumeRequested = false;
  emit(Event{std::move(stopped)});
  lock.unlock();
  deliver();
  lock.lock();
  program->holdClock(); // Time stopped is not the guest's running time.
  cv.wait(lock, [&] { return resumeRequested || terminateRequested.load(); });
  program->releaseClock();
  if (terminateRequested)
    return ProbeAction::Stop;
  if (breakpointsDirty)
    applyBreakpoints();
  // The breakpoint probe at this very instruction (if any) runs after this
  // hook in the same dispatch; it must not report the stop a second time.
  skip = {};
  uint32_t reportedOffset = stopOffset;
  if (ctx && compiled) {
    const runtime::CompiledFunction* cf = compiled->function(ctx->funcIndex);
    std::optional<uint32_t> pc = cf ? cf->pcAt(ctx->wasmOffset) : std::nullopt;
    // A watch hook runs after the probes of its instruction, and a host call
    // after its call instruction: neither leaves a breakpoint probe pending.
    if (pc && source != StopSource::BreakpointProbe && source != StopSource::HostCall &&
        source != StopSource::Watch &&
        hasBreakpointProbeAt(ctx->funcIndex, *pc,
                             source == StopSource::OtherProbe ? sourceProbe : 0)) {
      skip.active = true;
      skip.func = ctx->funcIndex;
      skip.pc = *pc;
      skip.depth = ctx->callDepth;
      skip.wasmOffset = reportedOffset;
    }
  }
  snapshot.reset();
  state = SessionState::Running;
  ResumeKind kind = resumeKind;
  StepGranularity granularity = resumeGranularity;
  std::optional<std::pair<FileIndex, uint32_t>> guard = std::exchange(guardAfterStop, std::nullopt);
  if (ctx && kind != ResumeKind::Continue)
    startStep(kind, granularity, *ctx);
  else if (ctx && guard)
    startLineGuard(*ctx, guard->first, guard->second);
  return ProbeAction::Continue;
}

Result<void> Session::Impl::requestResume(ResumeKind kind, StepGranularity granularity) {
  {
    std::lock_guard lock(mutex);
    TRY(requireStopped());
    resumeKind = kind;
    resumeGranularity = granularity;
    resumeRequested = true;
    state = SessionState::Running;
    snapshot.reset();
    emit(Event{ContinuedEvent{}});
  }
  cv.notify_all();
  deliver();
  return {};
}

// --------------------------------------------------------------- Session ----

Session::Session() : m_impl(std::make_unique<Impl>()) {}

Session::~Session() {
  {
    // The front end that owns the handler is going away with the session.
    std::lock_guard lock(m_impl->mutex);
    m_impl->handler = nullptr;
    if (m_impl->abandoned && !m_impl->guestFinished) {
      // A timed-out disconnect gave the guest thread up (it is blocked in a
      // host call): it keeps this state, which is leaked, not freed under it.
      m_impl->guest.detach();
      (void)m_impl.release();
      return;
    }
  }
  (void)terminate();
  waitForExit();
  m_impl->joinFinishedGuest();
}

void Session::Impl::joinFinishedGuest() {
  {
    std::lock_guard lock(mutex);
    if (!guestFinished)
      return;
  }
  // Not under `mutex`: the thread's last act is delivering events, which takes it.
  if (guest.joinable())
    guest.join();
}

Result<void> Session::launch(const LaunchConfig& config) {
  m_impl->joinFinishedGuest();
  Result<void> r = guarded([&]() -> Result<void> {
    std::lock_guard lock(m_impl->mutex);
    Result<void> inner = m_impl->launchLocked(config);
    if (!inner.ok()) {
      m_impl->resetRun();
      m_impl->launched = false;
      m_impl->state = SessionState::Idle;
      m_impl->outbox.clear();
    }
    return inner;
  });
  m_impl->deliver();
  return r;
}

Result<void> Session::configurationDone() {
  return guarded([&]() -> Result<void> {
    {
      std::lock_guard lock(m_impl->mutex);
      if (m_impl->state != SessionState::Configuring)
        return m_impl->state == SessionState::Idle
                   ? notLaunched()
                   : Error(ErrorCode::InvalidArgument, "configuration is already done");
      m_impl->configured = true;
    }
    m_impl->cv.notify_all();
    return {};
  });
}

Result<void> Session::terminate() {
  return guarded([&]() -> Result<void> {
    SessionState s;
    {
      std::lock_guard lock(m_impl->mutex);
      s = m_impl->state;
      if (s == SessionState::Idle || s == SessionState::Exited)
        return {};
      m_impl->terminateRequested = true;
    }
    if (s == SessionState::Running)
      m_impl->requestAttention(Attention::Terminate);
    m_impl->cv.notify_all();
    return {};
  });
}

namespace {

Error didNotStop(std::chrono::milliseconds timeout) {
  return Error(ErrorCode::InvalidArgument,
               "the guest did not stop within " + std::to_string(timeout.count()) +
                   " ms (it is blocked in a host call, such as a sleep or a read)");
}

} // namespace

Result<void> Session::disconnect(std::chrono::milliseconds timeout) {
  TRY(terminate());
  if (!waitForExit(timeout)) {
    std::unique_lock lock(m_impl->mutex);
    m_impl->handler = nullptr;
    m_impl->abandoned = true;
    // An event being delivered right now reaches the front end; wait for it,
    // so that no call into the handler outlives this one.
    m_impl->deliveredCv.wait_for(lock, std::chrono::seconds(1),
                                 [&] { return !m_impl->delivering; });
    return didNotStop(timeout);
  }
  m_impl->joinFinishedGuest();
  return {};
}

Result<void> Session::restart(std::chrono::milliseconds timeout) {
  LaunchConfig config;
  {
    std::lock_guard lock(m_impl->mutex);
    if (!m_impl->launched)
      return notLaunched();
    config = m_impl->config;
  }
  {
    // The old run ends without Exited/Terminated: the session goes on.
    std::lock_guard lock(m_impl->mutex);
    m_impl->restarting = true;
  }
  TRY(terminate());
  if (!waitForExit(timeout)) {
    // The old run ends when its host call returns, reported as a terminate.
    std::lock_guard lock(m_impl->mutex);
    m_impl->restarting = false;
    return didNotStop(timeout);
  }
  m_impl->joinFinishedGuest();
  {
    std::lock_guard lock(m_impl->mutex);
    m_impl->restarting = false;
    m_impl->launched = false;
  }
  m_impl->deliver();
  return launch(config);
}

SessionState Session::state() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->state;
}

std::optional<uint32_t> Session::exitCode() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->exitCode;
}

bool Session::waitForExit(std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_impl->mutex);
  auto done = [&] { return m_impl->guestFinished; };
  if (timeout == std::chrono::milliseconds::max())
    m_impl->exitCv.wait(lock, done);
  else if (!m_impl->exitCv.wait_for(lock, timeout, done))
    return false;
  return true;
}

std::optional<Event> Session::nextEvent() {
  std::lock_guard lock(m_impl->mutex);
  if (m_impl->queue.empty())
    return std::nullopt;
  Event e = std::move(m_impl->queue.front());
  m_impl->queue.pop_front();
  return e;
}

std::optional<Event> Session::waitEvent(std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_impl->mutex);
  if (!m_impl->queueCv.wait_for(lock, timeout, [&] { return !m_impl->queue.empty(); }))
    return std::nullopt;
  Event e = std::move(m_impl->queue.front());
  m_impl->queue.pop_front();
  return e;
}

Result<void> Session::resume() {
  return guarded(
      [&] { return m_impl->requestResume(ResumeKind::Continue, StepGranularity::Line); });
}

Result<void> Session::next(StepGranularity granularity) {
  return guarded([&] { return m_impl->requestResume(ResumeKind::Next, granularity); });
}

Result<void> Session::stepIn(StepGranularity granularity) {
  return guarded([&] { return m_impl->requestResume(ResumeKind::StepIn, granularity); });
}

Result<void> Session::stepOut(StepGranularity granularity) {
  return guarded([&] { return m_impl->requestResume(ResumeKind::StepOut, granularity); });
}

Result<void> Session::pause() {
  return guarded([&]() -> Result<void> {
    {
      std::lock_guard lock(m_impl->mutex);
      if (m_impl->state == SessionState::Stopped)
        return {};
      if (m_impl->state != SessionState::Running)
        return m_impl->state == SessionState::Idle
                   ? notLaunched()
                   : Error(ErrorCode::InvalidArgument, "the guest is not running");
    }
    m_impl->requestAttention(Attention::Pause);
    return {};
  });
}

SessionStats Session::stats() const {
  SessionStats s;
  s.breakpointProbeHits = m_impl->breakpointProbeHits.load();
  s.compiledConditionRuns = m_impl->compiledConditionRuns.load();
  s.treeConditionRuns = m_impl->treeConditionRuns.load();
  s.stepProbeCalls = m_impl->stepProbeCalls.load();
  s.safepointHits = m_impl->safepointHits.load();
  return s;
}

std::vector<Thread> Session::threads() const {
  return {Thread{kGuestThreadId, "main"}};
}

const runtime::Module* Session::module() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->compiled ? &m_impl->compiled->module() : nullptr;
}

const ModuleSymbols* Session::symbols() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->symbols.get();
}

std::string Session::modulePath() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->resolvedPath;
}

} // namespace wasmscope::debugger
