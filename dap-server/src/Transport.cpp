// Content-Length framing and the file-descriptor and
// in-memory transports (see Transport.h). Everything read from a client is
// bounded: a header block by kMaxHeaderBytes, a body by kMaxContentLength.
#include "wasmscope/dap/Transport.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::dap {

namespace {

constexpr std::string_view kContentLength = "content-length";

char lower(char c) {
  return char(std::tolower(static_cast<unsigned char>(c)));
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

/// A short, printable excerpt of client bytes for an error message.
std::string excerpt(std::string_view text) {
  constexpr size_t kMax = 40;
  std::string out;
  for (char c : text.substr(0, kMax)) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\' && c != '\'') {
      out += c;
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  if (text.size() > kMax)
    out += "...";
  return out;
}

/// End of the header block (the empty line) and the terminator's length.
std::optional<std::pair<size_t, size_t>> findHeaderEnd(std::string_view text) {
  size_t crlf = text.find("\r\n\r\n");
  size_t lf = text.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos)
    return std::nullopt;
  if (lf < crlf)
    return std::pair{lf, size_t(2)};
  return std::pair{crlf, size_t(4)};
}

} // namespace

void MessageFramer::feed(std::string_view bytes) {
  if (m_start > 0 && (m_start >= m_buffer.size() / 2 || m_start > (1u << 20))) {
    m_buffer.erase(0, m_start);
    m_start = 0;
  }
  m_buffer.append(bytes);
}

void MessageFramer::consume(size_t count) {
  m_start += count;
  if (m_start >= m_buffer.size()) {
    m_buffer.clear();
    m_start = 0;
  }
}

std::optional<Frame> MessageFramer::malformed(std::string message) {
  m_discarding = true;
  return Frame{Frame::Kind::Malformed, std::move(message)};
}

namespace {

/// Blanks allowed between a header's name and its colon when looking for
/// one to resynchronise on.
constexpr size_t kMaxBlanksBeforeColon = 16;

enum class HeaderMatch { None, Partial, Full };

/// Whether `text` at `at` starts a "Content-Length" header name followed by
/// blanks and a colon: Full, or Partial when `text` ends before that could
/// be decided.
HeaderMatch contentLengthAt(std::string_view text, size_t at) {
  size_t i = 0;
  for (; i < kContentLength.size(); ++i) {
    if (at + i >= text.size())
      return HeaderMatch::Partial;
    if (lower(text[at + i]) != kContentLength[i])
      return HeaderMatch::None;
  }
  for (size_t blanks = 0; blanks <= kMaxBlanksBeforeColon; ++blanks, ++i) {
    if (at + i >= text.size())
      return HeaderMatch::Partial;
    char c = text[at + i];
    if (c == ':')
      return HeaderMatch::Full;
    if (c != ' ' && c != '\t')
      return HeaderMatch::None;
  }
  return HeaderMatch::None;
}

} // namespace

bool MessageFramer::resync(size_t from) {
  std::string_view rest(m_buffer.data() + m_start, m_buffer.size() - m_start);
  for (size_t at = from; at < rest.size(); ++at) {
    if (lower(rest[at]) != kContentLength[0])
      continue;
    switch (contentLengthAt(rest, at)) {
    case HeaderMatch::Full:
      consume(at);
      return true;
    case HeaderMatch::Partial:
      // Maybe the start of a header split across reads: keep it.
      consume(at);
      return false;
    case HeaderMatch::None:
      break;
    }
  }
  consume(rest.size());
  return false;
}

std::optional<Frame> MessageFramer::finish() {
  std::string_view rest(m_buffer.data() + m_start, m_buffer.size() - m_start);
  bool onlyBlanks = std::all_of(rest.begin(), rest.end(), [](char c) {
    return c == '\r' || c == '\n' || c == ' ' || c == '\t';
  });
  std::optional<Frame> frame;
  if (m_bodyLength)
    frame = Frame{Frame::Kind::Malformed,
                  "the input ended inside a message: " + std::to_string(rest.size()) + " of its " +
                      std::to_string(*m_bodyLength) + " body bytes arrived"};
  else if (!m_discarding && !onlyBlanks)
    frame = Frame{Frame::Kind::Malformed,
                  "the input ended inside a message header: '" + excerpt(rest) + "'"};
  m_buffer.clear();
  m_start = 0;
  m_bodyLength.reset();
  m_discarding = false;
  return frame;
}

std::optional<Frame> MessageFramer::next() {
  for (;;) {
    std::string_view rest(m_buffer.data() + m_start, m_buffer.size() - m_start);
    if (m_bodyLength) {
      if (rest.size() < *m_bodyLength)
        return std::nullopt;
      Frame frame{Frame::Kind::Message, std::string(rest.substr(0, *m_bodyLength))};
      consume(*m_bodyLength);
      m_bodyLength.reset();
      return frame;
    }
    if (m_discarding) {
      if (!resync(0))
        return std::nullopt;
      m_discarding = false;
      continue;
    }
    // Blank lines between messages are harmless; skip them.
    size_t blanks = 0;
    while (blanks < rest.size() && (rest[blanks] == '\r' || rest[blanks] == '\n'))
      ++blanks;
    if (blanks > 0) {
      consume(blanks);
      continue;
    }

    auto end = findHeaderEnd(rest.substr(0, std::min(rest.size(), kMaxHeaderBytes + 4)));
    if (!end) {
      if (rest.size() <= kMaxHeaderBytes)
        return std::nullopt;
      auto frame = malformed("header longer than " + std::to_string(kMaxHeaderBytes) +
                             " bytes without an empty line: '" + excerpt(rest) + "'");
      resync(1);
      return frame;
    }

    std::string_view block = rest.substr(0, end->first);
    size_t blockSize = end->first + end->second;
    std::optional<uint64_t> length;
    std::string error;
    // Bytes to drop on an error: the whole block, unless its first line is
    // not a header at all (garbage before a header): then only that line.
    size_t discard = blockSize;
    size_t lineStart = 0;
    while (lineStart <= block.size() && error.empty()) {
      size_t lineEnd = block.find('\n', lineStart);
      if (lineEnd == std::string_view::npos)
        lineEnd = block.size();
      std::string_view line = trim(block.substr(lineStart, lineEnd - lineStart));
      bool first = lineStart == 0;
      lineStart = lineEnd + 1;
      if (line.empty())
        continue;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        error = "malformed header line '" + excerpt(line) + "' (expected 'Name: value')";
        if (first)
          discard = std::min(lineEnd + 1, blockSize);
        break;
      }
      std::string_view name = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (!equalsIgnoreCase(name, kContentLength))
        continue;
      bool valid = !value.empty() && std::all_of(value.begin(), value.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; });
      uint64_t parsed = 0;
      for (char c : value) {
        if (!valid || parsed > kMaxContentLength)
          break; // Too large already; no overflow on 20-digit values.
        parsed = parsed * 10 + uint64_t(c - '0');
      }
      if (!valid) {
        error = "invalid Content-Length '" + excerpt(value) + "'";
      } else if (parsed > kMaxContentLength) {
        error = "Content-Length " + excerpt(value) + " exceeds the limit of " +
                std::to_string(kMaxContentLength) + " bytes";
      } else if (length && *length != parsed) {
        error = "conflicting Content-Length headers";
      } else {
        length = parsed;
      }
    }
    if (error.empty() && !length)
      error = "header without Content-Length: '" + excerpt(block) + "'";
    if (!error.empty()) {
      // Nothing inside a bad block is trusted (a second Content-Length in it
      // is not a new message): drop it and look for the next header after
      // it. The bad message's body, if any, is skipped on the way.
      auto frame = malformed(std::move(error));
      consume(discard);
      return frame;
    }
    consume(blockSize);
    m_bodyLength = size_t(*length);
  }
}

std::string frameMessage(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

// ------------------------------------------------------------ FdTransport --

FdTransport::FdTransport(int inFd, int outFd, bool ownsFds)
    : m_in(inFd), m_out(outFd), m_ownsFds(ownsFds) {
  struct stat st {};
  m_isSocket = fstat(m_out, &st) == 0 && S_ISSOCK(st.st_mode);
  if (pipe2(m_wakePipe, O_CLOEXEC | O_NONBLOCK) != 0)
    m_wakePipe[0] = m_wakePipe[1] = -1;
}

FdTransport::~FdTransport() {
  for (int fd : m_wakePipe)
    if (fd >= 0)
      ::close(fd);
  if (m_ownsFds) {
    ::close(m_in);
    if (m_out != m_in)
      ::close(m_out);
  }
}

std::optional<Frame> FdTransport::read() {
  return read(-1);
}

std::optional<Frame> FdTransport::read(int timeoutMs) {
  char buffer[64 * 1024];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  for (;;) {
    if (m_closed)
      return std::nullopt;
    if (auto frame = m_framer.next())
      return frame;
    int wait = -1;
    if (timeoutMs >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return std::nullopt;
      wait = int(left.count());
    }
    pollfd fds[2] = {{m_in, POLLIN, 0}, {m_wakePipe[0], POLLIN, 0}};
    int ready = ::poll(fds, m_wakePipe[0] >= 0 ? 2 : 1, wait);
    if (ready == 0)
      continue; // The deadline is checked above.
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      m_closed = true;
      return std::nullopt;
    }
    if (m_wakePipe[0] >= 0 && (fds[1].revents & POLLIN)) {
      m_closed = true;
      return std::nullopt;
    }
    ssize_t count = ::read(m_in, buffer, sizeof buffer);
    if (count < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (count <= 0) {
      // The client closed its side; a message it left half-sent is reported.
      m_closed = true;
      return m_framer.finish();
    }
    m_framer.feed(std::string_view(buffer, size_t(count)));
  }
}

bool FdTransport::write(std::string_view body) {
  std::string bytes = frameMessage(body);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t count = m_isSocket
                        ? ::send(m_out, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL)
                        : ::write(m_out, bytes.data() + done, bytes.size() - done);
    if (count < 0 && errno == EINTR)
      continue;
    if (count <= 0)
      return false;
    done += size_t(count);
  }
  return true;
}

void FdTransport::closeGracefully(int lingerMs) {
  if (!m_isSocket)
    return;
  ::shutdown(m_out, SHUT_WR);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(lingerMs);
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return;
    pollfd p{m_in, POLLIN, 0};
    int ready = ::poll(&p, 1, int(left.count()));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0 || ::read(m_in, buffer, sizeof buffer) <= 0)
      return;
  }
}

void FdTransport::close() {
  if (m_wakePipe[1] >= 0) {
    char byte = 1;
    [[maybe_unused]] ssize_t ignored = ::write(m_wakePipe[1], &byte, 1);
  }
  if (m_isSocket)
    ::shutdown(m_in, SHUT_RD);
}

// -------------------------------------------------------- MemoryTransport --

std::optional<Frame> MemoryTransport::read() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (m_closed)
      return std::nullopt;
    if (auto frame = m_framer.next())
      return frame;
    if (m_inputClosed) {
      m_closed = true;
      return m_framer.finish();
    }
    m_cv.wait(lock);
  }
}

bool MemoryTransport::write(std::string_view body) {
  std::lock_guard lock(m_mutex);
  m_output.emplace_back(body);
  m_cv.notify_all();
  return true;
}

void MemoryTransport::close() {
  std::lock_guard lock(m_mutex);
  m_closed = true;
  m_cv.notify_all();
}

void MemoryTransport::pushInput(std::string_view bytes) {
  std::lock_guard lock(m_mutex);
  m_framer.feed(bytes);
  m_cv.notify_all();
}

void MemoryTransport::closeInput() {
  std::lock_guard lock(m_mutex);
  m_inputClosed = true;
  m_cv.notify_all();
}

std::deque<std::string> MemoryTransport::takeOutput() {
  std::lock_guard lock(m_mutex);
  return std::exchange(m_output, {});
}

size_t MemoryTransport::waitForOutput(size_t count, int timeoutMs) {
  std::unique_lock lock(m_mutex);
  m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                [&] { return m_output.size() >= count; });
  return m_output.size();
}

} // namespace wasmscope::dap
