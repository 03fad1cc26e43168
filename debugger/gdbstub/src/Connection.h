// One client connection: reads packets from the socket, answers them
// through the GdbStub, and turns the session's events into what the client
// waits for after a continue or step (the stop reply, or W when the guest
// exits) plus the guest's output as `O` packets while it runs. Events reach
// the connection through an EventQueue, which the session's event handler
// fills on the guest thread; the connection waits on the socket and the
// queue together, so a stop is answered as soon as it happens.
#pragma once

#include "PacketCodec.h"
#include "Stub.h"

#include <deque>
#include <mutex>

namespace wasmscope::gdbstub {

/// Session events handed from the guest thread to the connection.
class EventQueue {
public:
  EventQueue();
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  /// Any thread.
  void push(debugger::Event event);
  /// Takes every queued event.
  std::deque<debugger::Event> take();
  /// Readable while events are queued (an eventfd).
  int fd() const { return m_fd; }

private:
  std::mutex m_mutex;
  std::deque<debugger::Event> m_events;
  int m_fd = -1;
};

enum class ConnectionEnd : uint8_t {
  ClientGone, ///< The client closed the connection (or it broke).
  Detached,   ///< `D`: the guest runs on without a debugger.
  Killed,     ///< `k`: the guest was terminated.
};

class Connection {
public:
  /// Serves `fd` (not owned) until the client goes, detaches or kills.
  Connection(int fd, debugger::Session& session, GdbStub& stub, EventQueue& events);
  ConnectionEnd serve();

private:
  bool sendRaw(std::string_view bytes);
  bool sendPacket(std::string_view payload);
  /// Handles one frame; false when the connection is to end (`end` says why).
  bool onFrame(const Frame& frame, ConnectionEnd& end);
  /// Handles queued session events; false when sending failed.
  bool onEvents();

  int m_fd;
  debugger::Session& m_session;
  GdbStub& m_stub;
  EventQueue& m_events;
  PacketDecoder m_decoder;
  std::string m_lastPacket; ///< Resent on a '-'.
  bool m_awaitingStop = false;
  /// The session has reported the resume (ContinuedEvent) since the client
  /// asked for it: stops from then on answer it.
  bool m_resumed = false;
};

} // namespace wasmscope::gdbstub
