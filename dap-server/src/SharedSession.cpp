// A DAP server for a session another front end owns (see SharedSession.h).
#include "wasmscope/dap/SharedSession.h"

#include "Adapter.h"
#include "Dispatcher.h"
#include "MessageWriter.h"

#include <algorithm>

namespace wasmscope::dap {

Result<std::unique_ptr<SharedSessionServer>>
SharedSessionServer::start(debugger::Session& session, std::unique_ptr<Listener> listener,
                           ServerOptions options, ProtocolLog* log,
                           SharedSessionPolicy policy) {
  if (!listener)
    return runtime::Error(runtime::ErrorCode::InvalidArgument, "no listener to serve");
  std::unique_ptr<SharedSessionServer> server(
      new SharedSessionServer(session, std::move(listener), std::move(options), log, policy));
  server->m_thread = std::thread([s = server.get()] { s->acceptLoop(); });
  return server;
}

SharedSessionServer::SharedSessionServer(debugger::Session& session,
                                         std::unique_ptr<Listener> listener,
                                         ServerOptions options, ProtocolLog* log,
                                         SharedSessionPolicy policy)
    : m_session(session), m_listener(std::move(listener)), m_options(std::move(options)),
      m_log(log), m_policy(policy) {}

SharedSessionServer::~SharedSessionServer() {
  m_stopping = true;
  {
    std::lock_guard lock(m_mutex);
    if (m_transport)
      m_transport->close();
  }
  if (m_thread.joinable())
    m_thread.join();
}

std::string SharedSessionServer::address() const {
  return m_listener->address();
}

void SharedSessionServer::acceptLoop() {
  while (!m_stopping) {
    Result<std::unique_ptr<FdTransport>> accepted = m_listener->accept(200);
    if (!accepted.ok()) {
      if (m_log)
        m_log->write("!!", "the listening socket failed: " + accepted.error().message);
      return;
    }
    if (*accepted)
      serve(std::move(*accepted));
  }
}

void SharedSessionServer::serve(std::unique_ptr<FdTransport> client) {
  if (m_log)
    m_log->write("!!", "client connected to the shared session");
  MessageWriter writer(*client, m_log);
  {
    Adapter adapter(writer, m_options, &m_session);
    Dispatcher dispatcher(adapter, m_log);
    addAllHandlers(dispatcher, adapter);
    {
      std::lock_guard lock(m_mutex);
      m_adapter = &adapter;
      m_transport = client.get();
    }
    // A stop may have begun closing before the transport was published.
    if (m_stopping)
      client->close();
    while (!dispatcher.finished()) {
      std::optional<Frame> frame = client->read();
      if (!frame)
        break;
      dispatcher.handle(*frame);
    }
    // Events still on their way must not wait for a client that left.
    writer.dropBackpressure();
    std::lock_guard lock(m_mutex);
    m_adapter = nullptr;
    m_transport = nullptr;
  }
  writer.stop();
  client->closeGracefully(200);
  if (m_policy.releaseOnDetach)
    release();
  if (m_log)
    m_log->write("!!", "client left the shared session");
}

void SharedSessionServer::release() {
  using debugger::SessionState;
  if (m_session.state() == SessionState::Exited)
    return;
  // Replacing a file's list with nothing removes its breakpoints; the
  // session applies the change at the guest's next safepoint.
  std::vector<std::string> files;
  for (const debugger::LineBreakpointInfo& info : m_session.lineBreakpoints())
    if (std::find(files.begin(), files.end(), info.requestPath) == files.end())
      files.push_back(info.requestPath);
  for (const std::string& file : files)
    (void)m_session.setBreakpoints(file, {});
  (void)m_session.setFunctionBreakpoints({});
  (void)m_session.setInstructionBreakpoints({});
  (void)m_session.setDataBreakpoints({});
  (void)m_session.setExceptionBreakpoints({});
  // A client that left before configurationDone (with --debug-wait).
  if (m_session.state() == SessionState::Configuring)
    (void)m_session.configurationDone();
  // Stopped at a breakpoint, a step or a pause: a stop that comes later is
  // resumed by onSessionEvent.
  if (m_session.state() == SessionState::Stopped)
    (void)m_session.resume();
}

void SharedSessionServer::onSessionEvent(const debugger::Event& event) {
  {
    std::lock_guard lock(m_mutex);
    if (m_adapter && m_adapter->launched()) {
      m_adapter->onSessionEvent(event);
      return;
    }
  }
  // No client will hear of this stop, or resume it. Outside the lock: the
  // resume's own event may come back here on this thread.
  if (m_policy.releaseOnDetach && event.is<debugger::StoppedEvent>())
    (void)m_session.resume();
}

void SharedSessionServer::breakpointsChanged() {
  std::lock_guard lock(m_mutex);
  if (m_adapter && m_adapter->launched())
    m_adapter->syncBreakpoints();
}

bool SharedSessionServer::clientAttached() const {
  std::lock_guard lock(m_mutex);
  return m_adapter && m_adapter->launched();
}

} // namespace wasmscope::dap
