// Session events to DAP events, line bases, and the session's lifetime (see
// Adapter.h).
#include "Adapter.h"

#include <unistd.h>

namespace wasmscope::dap {

using namespace wasmscope::debugger;

Adapter::Adapter(MessageWriter& writer, const ServerOptions& options, Session* shared)
    : m_writer(writer), m_options(options),
      m_ownSession(shared ? nullptr : std::make_unique<Session>()),
      m_session(shared ? shared : m_ownSession.get()), m_authenticated(!options.token) {}

Adapter::~Adapter() {
  shutdown();
}

bool Adapter::shutdown() {
  // A shared session is its owner's to end.
  if (m_ownSession) {
    // The guest thread calls onSessionEvent: it must be gone (or detached
    // from us, if it is stuck in a host call) before we are.
    Result<void> ended = m_session->disconnect(m_options.guestStopTimeout);
    if (!ended.ok()) {
      m_guestAbandoned = true;
      protocol::OutputEventBody body;
      body.category = "important";
      body.output = "wasmscope dap: " + ended.error().message +
                    "; the adapter leaves it and exits\n";
      m_writer.sendEvent("output", protocol::toJSON(body));
    }
    m_ownSession.reset(); // An abandoned guest keeps its state (see Session).
    m_session = nullptr;
  }
  // An abandoned guest may be blocked reading its stdin: leave the fd open.
  if (m_stdinFd >= 0 && !m_guestAbandoned) {
    ::close(m_stdinFd);
    m_stdinFd = -1;
  }
  return !m_guestAbandoned;
}

runtime::Result<void> Adapter::authenticate(const std::string& token) {
  if (!m_options.token)
    return runtime::success();
  // Compare without an early exit, so timing does not tell a prefix.
  const std::string& expected = *m_options.token;
  unsigned char difference = token.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i)
    difference |= uint8_t(expected[i]) ^ uint8_t(i < token.size() ? token[i] : 0);
  if (difference != 0)
    return runtime::Error(runtime::ErrorCode::InvalidArgument,
                          token.empty()
                              ? "this adapter needs a token: put the one the server printed when "
                                "it started (`wasmscope dap --port`, `wasmscope run --debug-port`, "
                                "`wasmscope inspect --dap-port`; also in its --token-file) in the "
                                "launch or attach arguments as \"token\" (the connection is "
                                "closed)"
                              : "wrong token (the connection is closed)");
  m_authenticated = true;
  return runtime::success();
}

void Adapter::setStdinFd(int fd) {
  if (m_stdinFd >= 0)
    ::close(m_stdinFd);
  m_stdinFd = fd;
}

void Adapter::rewindStdin() {
  if (m_stdinFd >= 0)
    ::lseek(m_stdinFd, 0, SEEK_SET);
}

int64_t Adapter::lineToClient(uint32_t line) const {
  return m_client.linesStartAt1 || line == 0 ? int64_t(line) : int64_t(line) - 1;
}

int64_t Adapter::columnToClient(uint32_t column) const {
  return m_client.columnsStartAt1 || column == 0 ? int64_t(column) : int64_t(column) - 1;
}

uint32_t Adapter::lineFromClient(int64_t line) const {
  int64_t ours = m_client.linesStartAt1 ? line : line + 1;
  return ours < 1 || ours > int64_t(UINT32_MAX) ? 0 : uint32_t(ours);
}

std::optional<ExceptionStop> Adapter::lastException() const {
  std::lock_guard lock(m_mutex);
  return m_lastException;
}

runtime::Result<void> Adapter::checkThread(int64_t threadId) const {
  if (threadId != kGuestThreadId)
    return runtime::Error(runtime::ErrorCode::InvalidArgument,
                          "unknown thread " + std::to_string(threadId) +
                              " (the guest has one thread, " + std::to_string(kGuestThreadId) +
                              ")");
  return runtime::success();
}

runtime::Result<int64_t> Adapter::sessionFrame(int64_t clientFrameId) const {
  if (auto frame = m_frames.fromClient(clientFrameId))
    return *frame;
  return runtime::Error(runtime::ErrorCode::InvalidArgument,
                        "unknown or stale frame id " + std::to_string(clientFrameId) +
                            " (frame ids are valid until the guest resumes)");
}

runtime::Result<int64_t> Adapter::sessionReference(int64_t clientReference) const {
  if (auto reference = m_references.fromClient(clientReference))
    return *reference;
  return runtime::Error(runtime::ErrorCode::InvalidArgument,
                        "unknown or stale variablesReference " + std::to_string(clientReference) +
                            " (references are valid until the guest resumes)");
}

std::string moduleId() {
  return "0";
}

std::optional<protocol::Source> makeSource(const std::string& path, const std::string& name,
                                           int64_t sourceReference) {
  if (path.empty())
    return std::nullopt;
  protocol::Source source;
  source.path = path;
  source.name = name;
  source.sourceReference = sourceReference;
  if (source.name.empty()) {
    size_t slash = path.find_last_of("/\\");
    source.name = slash == std::string::npos ? path : path.substr(slash + 1);
  }
  return source;
}

protocol::Breakpoint toProtocol(const debugger::Breakpoint& breakpoint, const Adapter& adapter,
                                bool pending) {
  protocol::Breakpoint out;
  out.id = breakpoint.id;
  out.verified = breakpoint.verified;
  out.message = breakpoint.message;
  out.source = makeSource(breakpoint.sourcePath);
  out.line = uint32_t(std::max<int64_t>(0, adapter.lineToClient(breakpoint.line)));
  out.column = uint32_t(std::max<int64_t>(0, adapter.columnToClient(breakpoint.column)));
  if (!breakpoint.addresses.empty())
    out.instructionReference = protocol::formatMemoryReference(breakpoint.addresses.front());
  if (!breakpoint.verified)
    out.reason = pending ? "pending" : "failed";
  return out;
}

protocol::SetBreakpointsBody toProtocol(std::span<const debugger::Breakpoint> placed,
                                        const Adapter& adapter) {
  protocol::SetBreakpointsBody body;
  bool pending = !adapter.launched();
  for (const debugger::Breakpoint& bp : placed)
    body.breakpoints.push_back(toProtocol(bp, adapter, pending));
  return body;
}

protocol::SetBreakpointsBody breakpointsOff(size_t count) {
  protocol::SetBreakpointsBody body;
  protocol::Breakpoint off;
  off.verified = false;
  off.message = "breakpoints are off in a run without debugging";
  off.reason = "failed";
  body.breakpoints.assign(count, off);
  return body;
}

protocol::Variable toProtocol(const debugger::VariableNode& variable, Adapter& adapter) {
  protocol::Variable out;
  out.name = variable.name;
  out.value = variable.value;
  out.type = variable.type;
  out.variablesReference = adapter.references().toClient(variable.variablesReference);
  if (variable.namedVariables)
    out.namedVariables = variable.namedVariables;
  if (variable.indexedVariables)
    out.indexedVariables = variable.indexedVariables;
  if (variable.memoryReference)
    out.memoryReference = protocol::formatMemoryReference(*variable.memoryReference);
  out.evaluateName = variable.evaluateName;
  return out;
}

void Adapter::onSessionEvent(const Event& event) {
  if (shared() && (event.is<StoppedEvent>() || event.is<ContinuedEvent>())) {
    // Attached to a shared session, a stop reaches the client as an event
    // or, when it happened before configurationDone, from that handler;
    // both may carry the same stop, which the client must hear of once.
    // There is one stop between two resumes, so a flag suffices.
    std::lock_guard lock(m_stopMutex);
    bool stop = event.is<StoppedEvent>();
    if (stop && m_stopSent)
      return;
    m_stopSent = stop;
  }
  if (const auto* stopped = event.as<StoppedEvent>()) {
    // Handles from the previous stop are dead now.
    m_frames.clear();
    m_references.clear();
    protocol::StoppedEventBody body;
    body.reason = stopReasonName(stopped->reason);
    body.description = stopped->description;
    body.text = stopped->text;
    body.threadId = stopped->threadId;
    body.hitBreakpointIds = stopped->hitBreakpointIds;
    if (stopped->reason == StopReason::Exception) {
      std::lock_guard lock(m_mutex);
      m_lastException = ExceptionStop{stopped->description, stopped->text};
    }
    m_writer.sendEvent("stopped", protocol::toJSON(body));
  } else if (event.is<ContinuedEvent>()) {
    // Every resume in an adapter of its own is a client request (continue,
    // next, ...), whose response already tells the client; DAP asks
    // adapters not to send `continued` for those. A shared session is also
    // resumed by its other front end, which the client must hear of.
    if (shared())
      m_writer.sendEvent("continued",
                         protocol::toJSON(protocol::ContinuedEventBody{kGuestThreadId, true}));
  } else if (const auto* output = event.as<OutputEvent>()) {
    protocol::OutputEventBody body;
    body.category = outputCategoryName(output->category);
    body.output = output->text;
    body.source = makeSource(output->sourcePath);
    if (body.source && output->line)
      body.line = uint32_t(std::max<int64_t>(1, lineToClient(output->line)));
    m_writer.sendEvent("output", protocol::toJSON(body));
  } else if (const auto* exited = event.as<ExitedEvent>()) {
    m_writer.sendEvent("exited",
                       protocol::toJSON(protocol::ExitedEventBody{int32_t(exited->exitCode)}));
  } else if (event.is<TerminatedEvent>()) {
    m_writer.sendEvent("terminated");
  } else if (const auto* changed = event.as<BreakpointChangedEvent>()) {
    if (shared()) {
      std::lock_guard lock(m_syncMutex);
      if (!m_known.count(changed->breakpoint.id))
        return; // Announced as new by the next sync.
      m_known[changed->breakpoint.id] = changed->breakpoint;
    }
    protocol::BreakpointEventBody body;
    body.reason = "changed";
    body.breakpoint = toProtocol(changed->breakpoint, *this, false);
    m_writer.sendEvent("breakpoint", protocol::toJSON(body));
  }
}

} // namespace wasmscope::dap
