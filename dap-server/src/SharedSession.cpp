// A DAP server for a session another front end owns (see SharedSession.h).
#include "wasmscope/dap/SharedSession.h"

#include "Adapter.h"
#include "Dispatcher.h"
#include "MessageWriter.h"

namespace wasmscope::dap {

Result<std::unique_ptr<SharedSessionServer>>
SharedSessionServer::start(debugger::Session& session, std::unique_ptr<Listener> listener,
                           ServerOptions options, ProtocolLog* log) {
  if (!listener)
    return runtime::Error(runtime::ErrorCode::InvalidArgument, "no listener to serve");
  std::unique_ptr<SharedSessionServer> server(
      new SharedSessionServer(session, std::move(listener), std::move(options), log));
  server->m_thread = std::thread([s = server.get()] { s->acceptLoop(); });
  return server;
}

SharedSessionServer::SharedSessionServer(debugger::Session& session,
                                         std::unique_ptr<Listener> listener,
                                         ServerOptions options, ProtocolLog* log)
    : m_session(session), m_listener(std::move(listener)), m_options(std::move(options)),
      m_log(log) {}

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
  if (m_log)
    m_log->write("!!", "client left the shared session");
}

void SharedSessionServer::onSessionEvent(const debugger::Event& event) {
  std::lock_guard lock(m_mutex);
  if (m_adapter && m_adapter->launched())
    m_adapter->onSessionEvent(event);
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
