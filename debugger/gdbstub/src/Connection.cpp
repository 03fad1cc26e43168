// The per-client loop of the gdb-remote stub (see Connection.h).
#include "Connection.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace wasmscope::gdbstub {

// --- Events -------------------------------------------------------------------------

EventQueue::EventQueue() { m_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

EventQueue::~EventQueue() {
  if (m_fd >= 0)
    ::close(m_fd);
}

void EventQueue::push(debugger::Event event) {
  {
    std::lock_guard lock(m_mutex);
    m_events.push_back(std::move(event));
  }
  uint64_t one = 1;
  (void)!::write(m_fd, &one, sizeof one);
}

std::deque<debugger::Event> EventQueue::take() {
  uint64_t count;
  (void)!::read(m_fd, &count, sizeof count);
  std::lock_guard lock(m_mutex);
  std::deque<debugger::Event> out;
  out.swap(m_events);
  return out;
}

// --- The connection -------------------------------------------------------------------

Connection::Connection(int fd, debugger::Session& session, GdbStub& stub, EventQueue& events)
    : m_fd(fd), m_session(session), m_stub(stub), m_events(events) {}

bool Connection::sendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes.remove_prefix(size_t(n));
  }
  return true;
}

bool Connection::sendPacket(std::string_view payload) {
  m_lastPacket = encodePacket(payload);
  return sendRaw(m_lastPacket);
}

bool Connection::onEvents() {
  for (debugger::Event& e : m_events.take()) {
    if (e.is<debugger::ContinuedEvent>()) {
      m_resumed = true;
    } else if (const auto* stopped = e.as<debugger::StoppedEvent>()) {
      // A stop delivered before the resume's Continued event is an old one.
      if (m_awaitingStop && m_resumed) {
        m_awaitingStop = false;
        if (!sendPacket(m_stub.stopReply(*stopped)))
          return false;
      }
    } else if (const auto* output = e.as<debugger::OutputEvent>()) {
      // Console output may only be sent while the client waits for a stop.
      if (m_awaitingStop && output->category != debugger::OutputCategory::Console &&
          !output->text.empty())
        if (!sendPacket("O" + toHex(output->text)))
          return false;
    } else if (const auto* exited = e.as<debugger::ExitedEvent>()) {
      if (m_awaitingStop) {
        m_awaitingStop = false;
        if (!sendPacket(m_stub.exitReply(exited->exitCode)))
          return false;
      }
    }
  }
  return true;
}

bool Connection::onFrame(const Frame& frame, ConnectionEnd& end) {
  switch (frame.kind) {
  case Frame::Kind::Ack:
    return true;
  case Frame::Kind::Nak:
    return m_lastPacket.empty() || sendRaw(m_lastPacket);
  case Frame::Kind::Interrupt:
    if (m_awaitingStop)
      (void)m_session.pause();
    return true;
  case Frame::Kind::BadPacket:
    if (!m_stub.noAckMode())
      return sendRaw("-");
    // Without acks nothing would ever answer it: say what was wrong.
    return sendPacket(m_stub.errorReply(0x01, "malformed packet: " + frame.error));
  case Frame::Kind::Oversized:
    return sendPacket(m_stub.errorReply(0x01, frame.error));
  case Frame::Kind::Packet:
    break;
  }
  if (!m_stub.noAckMode() && !sendRaw("+"))
    return false;
  Result<Request> request = parseRequest(frame.payload);
  if (!request.ok())
    return sendPacket(m_stub.errorReply(0x01, request.error().message));
  Reply reply = m_stub.handle(*request);
  for (const std::string& o : reply.output)
    if (!sendPacket(o))
      return false;
  switch (reply.followup) {
  case Followup::AwaitStop:
    m_awaitingStop = true;
    m_resumed = false;
    return true;
  case Followup::Close:
    sendPacket(reply.payload);
    end = request->kind == RequestKind::Kill ? ConnectionEnd::Killed : ConnectionEnd::Detached;
    return false;
  case Followup::None:
    return sendPacket(reply.payload);
  }
  return true;
}

ConnectionEnd Connection::serve() {
  std::vector<uint8_t> buffer(64 * 1024);
  std::vector<Frame> frames;
  for (;;) {
    pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_events.fd(), POLLIN, 0}};
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return ConnectionEnd::ClientGone;
    }
    if (fds[1].revents & POLLIN)
      if (!onEvents())
        return ConnectionEnd::ClientGone;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t got = ::recv(m_fd, buffer.data(), buffer.size(), 0);
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        return ConnectionEnd::ClientGone;
      frames.clear();
      m_decoder.feed(std::span(buffer.data(), size_t(got)), frames);
      for (const Frame& f : frames) {
        ConnectionEnd end = ConnectionEnd::ClientGone;
        if (!onFrame(f, end))
          return end;
      }
    }
  }
}

} // namespace wasmscope::gdbstub
