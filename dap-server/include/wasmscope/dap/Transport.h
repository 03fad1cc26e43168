// The Debug Adapter Protocol's base protocol: each message is a JSON body
// preceded by a `Content-Length: N\r\n\r\n` header. MessageFramer turns an
// arbitrary byte stream into messages (or into "malformed" reports, after
// which it resynchronises on the next header), with every size bounded so
// that a hostile or broken client cannot make the adapter allocate without
// limit. Transport is the blocking read/write interface the server runs on;
// FdTransport implements it over file descriptors (stdio, a socket) and
// MemoryTransport over in-process queues for tests. Listening sockets are in
// Listener.h.
#pragma once

#include "wasmscope/runtime/Result.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace wasmscope::dap {

template <typename T> using Result = runtime::Result<T>;

/// Longest header block accepted (all header lines together).
inline constexpr size_t kMaxHeaderBytes = 8 * 1024;
/// Largest message body accepted. Real DAP requests are a few KiB; a
/// setBreakpoints on a huge file stays well under this.
inline constexpr size_t kMaxContentLength = 16 * 1024 * 1024;

/// What the framer (or a transport) produced.
struct Frame {
  enum class Kind : uint8_t {
    Message,   ///< `text` is one message body.
    Malformed, ///< `text` says what was wrong; those bytes were dropped.
  };
  Kind kind = Kind::Message;
  std::string text;
};

/// Incremental Content-Length framing. Feed bytes as they arrive, then take
/// frames with next() until it returns nothing. Header names are matched
/// case-insensitively, other headers (Content-Type) are ignored, and both
/// "\r\n" and a bare "\n" end a header line.
///
/// A bad header block (conflicting, invalid or oversized Content-Length, no
/// Content-Length) is reported once and dropped whole, through its empty
/// line: nothing in it is taken for the start of another message. A first
/// line that is no header at all is garbage before a header, and only that
/// line is dropped. Either way the framer then skips to the next
/// `Content-Length:` header, passing over the bad message's body.
class MessageFramer {
public:
  void feed(std::string_view bytes);
  /// The next complete frame, or nullopt when more bytes are needed.
  std::optional<Frame> next();
  /// The input ended: a Malformed frame if it ended inside a message (a
  /// partial header or body), which is dropped. Resets the framer.
  std::optional<Frame> finish();
  /// Bytes held, waiting for the rest of a frame (bounded by
  /// kMaxHeaderBytes + kMaxContentLength).
  size_t buffered() const { return m_buffer.size() - m_start; }

private:
  std::optional<Frame> malformed(std::string message);
  void consume(size_t count);
  /// Drops everything before the next "Content-Length:" header at or after
  /// `from`; keeps a possible partial match at the end. True if one was found.
  bool resync(size_t from);

  std::string m_buffer;
  size_t m_start = 0;                 ///< First unconsumed byte of m_buffer.
  std::optional<size_t> m_bodyLength; ///< Set while waiting for a body.
  bool m_discarding = false;          ///< Skipping garbage; reported once.
};

/// Frames a message body: "Content-Length: N\r\n\r\n" + body.
std::string frameMessage(std::string_view body);

/// A bidirectional message channel. read() is called from one thread and
/// write() from one (other) thread; close() from any thread unblocks read().
class Transport {
public:
  virtual ~Transport() = default;
  /// Blocks for the next frame; nullopt when the peer closed the channel or
  /// close() was called.
  virtual std::optional<Frame> read() = 0;
  /// Frames and writes one message body; false when the channel is gone.
  virtual bool write(std::string_view body) = 0;
  /// Unblocks a pending read() and makes later ones return nullopt.
  virtual void close() = 0;
};

/// A transport over file descriptors: stdin/stdout, or one socket for both.
class FdTransport final : public Transport {
public:
  /// `ownsFds`: close the descriptors in the destructor.
  FdTransport(int inFd, int outFd, bool ownsFds);
  ~FdTransport() override;
  FdTransport(const FdTransport&) = delete;
  FdTransport& operator=(const FdTransport&) = delete;

  std::optional<Frame> read() override;
  bool write(std::string_view body) override;
  void close() override;
  /// read() that gives up after `timeoutMs` (-1: never), returning nullopt.
  std::optional<Frame> read(int timeoutMs);
  /// For a socket: stops sending, then reads and drops what the peer still
  /// sends until it closes or `lingerMs` pass, so that closing does not
  /// reset the connection and lose what was written last.
  void closeGracefully(int lingerMs);

private:
  int m_in;
  int m_out;
  bool m_ownsFds;
  bool m_isSocket = false;
  int m_wakePipe[2] = {-1, -1}; ///< close() writes here to end a poll().
  MessageFramer m_framer;
  bool m_closed = false; ///< Reader side only.
};

/// A transport over in-memory queues, for tests: the test pushes client
/// bytes with pushInput() and takes what the adapter wrote with takeOutput().
class MemoryTransport final : public Transport {
public:
  std::optional<Frame> read() override;
  bool write(std::string_view body) override;
  void close() override;

  /// Raw bytes as a client would send them (framing included).
  void pushInput(std::string_view bytes);
  /// Ends the input: read() returns nullopt once the queue is drained.
  void closeInput();
  /// Message bodies written so far, oldest first, removed from the queue.
  std::deque<std::string> takeOutput();
  /// Waits until at least `count` bodies have been written (or the timeout
  /// passes); returns how many there are.
  size_t waitForOutput(size_t count, int timeoutMs);

private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  MessageFramer m_framer;
  bool m_inputClosed = false;
  bool m_closed = false;
  std::deque<std::string> m_output;
};

} // namespace wasmscope::dap
