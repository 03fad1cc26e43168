// The single writer of outgoing messages. Responses come from the request
// thread and events from the session's guest thread; both are queued here and
// written, in queue order, by one thread that also numbers them (`seq`), so
// messages never interleave on the wire and sequence numbers increase in the
// order the client reads them.
//
// While a request is being handled, events are held back and released just
// after its response: a `next` response therefore always precedes the
// `stopped` event it causes, and `initialized` follows the `launch` response.
//
// The queue is bounded: a guest that prints faster than the client reads
// waits in sendEvent (as a program writing to a full pipe would) instead of
// growing the adapter's memory without limit.
#pragma once

#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/Transport.h"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace wasmscope::dap {

class MessageWriter {
public:
  MessageWriter(Transport& transport, ProtocolLog* log);
  /// Flushes what is queued and joins the writer thread.
  ~MessageWriter();
  MessageWriter(const MessageWriter&) = delete;
  MessageWriter& operator=(const MessageWriter&) = delete;

  /// Most messages queued before sendEvent waits for the writer.
  static constexpr size_t kMaxQueued = 4096;

  /// Queues an event; `body` null leaves the body out. Waits while the
  /// queue is full (unless events are held, or the writer is stopping).
  void sendEvent(std::string_view name, nlohmann::json body = nullptr);
  /// Starts handling a request: events are held until endRequest().
  void beginRequest();
  /// Queues the response (its `seq` is filled in), then the held events.
  void endRequest(nlohmann::json response);
  /// Queues a response outside beginRequest/endRequest.
  void sendResponse(nlohmann::json response);
  /// Writes everything queued, then stops the thread. Idempotent.
  void stop();
  /// False once a write failed (the client is gone).
  bool connected() const;
  /// Stops sendEvent from waiting for space (at shutdown, when the guest
  /// thread must be able to finish even if the client has stopped reading).
  void dropBackpressure();

private:
  void enqueue(nlohmann::json message);
  void run();

  Transport& m_transport;
  ProtocolLog* m_log;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;      ///< Wakes the writer.
  std::condition_variable m_spaceCv; ///< Wakes senders waiting for room.
  bool m_backpressure = true;
  std::deque<nlohmann::json> m_queue;
  std::deque<nlohmann::json> m_held;
  bool m_holding = false;
  bool m_stopping = false;
  bool m_connected = true;
  int64_t m_nextSeq = 1;
  std::thread m_thread;
};

} // namespace wasmscope::dap
