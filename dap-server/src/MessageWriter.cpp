// The one writer thread for outgoing messages (see MessageWriter.h).
#include "MessageWriter.h"

#include <chrono>
#include <ctime>

namespace wasmscope::dap {

using nlohmann::json;

MessageWriter::MessageWriter(Transport& transport, ProtocolLog* log)
    : m_transport(transport), m_log(log), m_thread([this] { run(); }) {}

MessageWriter::~MessageWriter() {
  stop();
}

void MessageWriter::enqueue(json message) {
  m_queue.push_back(std::move(message));
  m_cv.notify_one();
}

void MessageWriter::sendEvent(std::string_view name, json body) {
  json event = {{"type", "event"}, {"event", name}};
  if (!body.is_null())
    event["body"] = std::move(body);
  std::unique_lock lock(m_mutex);
  if (m_holding) {
    m_held.push_back(std::move(event));
    return;
  }
  m_spaceCv.wait(lock, [&] {
    return m_queue.size() < kMaxQueued || m_holding || m_stopping || !m_connected ||
           !m_backpressure;
  });
  if (m_holding)
    m_held.push_back(std::move(event));
  else
    enqueue(std::move(event));
}

void MessageWriter::dropBackpressure() {
  std::lock_guard lock(m_mutex);
  m_backpressure = false;
  m_spaceCv.notify_all();
}

void MessageWriter::beginRequest() {
  std::lock_guard lock(m_mutex);
  m_holding = true;
}

void MessageWriter::endRequest(json response) {
  std::lock_guard lock(m_mutex);
  enqueue(std::move(response));
  while (!m_held.empty()) {
    enqueue(std::move(m_held.front()));
    m_held.pop_front();
  }
  m_holding = false;
}

void MessageWriter::sendResponse(json response) {
  std::lock_guard lock(m_mutex);
  enqueue(std::move(response));
}

bool MessageWriter::connected() const {
  std::lock_guard lock(m_mutex);
  return m_connected;
}

void MessageWriter::stop() {
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping && !m_thread.joinable())
      return;
    while (!m_held.empty()) {
      m_queue.push_back(std::move(m_held.front()));
      m_held.pop_front();
    }
    m_holding = false;
    m_stopping = true;
    m_cv.notify_one();
    m_spaceCv.notify_all();
  }
  if (m_thread.joinable())
    m_thread.join();
}

void MessageWriter::run() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_cv.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
    if (m_queue.empty())
      return; // Stopping, and everything is written.
    json message = std::move(m_queue.front());
    m_queue.pop_front();
    m_spaceCv.notify_all();
    message["seq"] = m_nextSeq++;
    bool connected = m_connected;
    lock.unlock();
    // Guest output and C strings from guest memory may hold invalid UTF-8:
    // replace it rather than throw.
    std::string text = message.dump(-1, ' ', false, json::error_handler_t::replace);
    if (m_log)
      m_log->write("-->", text);
    bool ok = connected && m_transport.write(text);
    lock.lock();
    if (!ok && m_connected) {
      m_connected = false;
      m_spaceCv.notify_all();
    }
  }
}

} // namespace wasmscope::dap
