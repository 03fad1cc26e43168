// TCP (127.0.0.1 only) and Unix-socket listeners (see Listener.h).
#include "wasmscope/dap/Listener.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace wasmscope::dap {

using runtime::Error;
using runtime::ErrorCode;

namespace {

Error ioError(std::string message) {
  return Error(ErrorCode::IoError, std::move(message));
}

/// Waits up to `timeoutMs` for a connection on `fd` and accepts it.
Result<int> acceptOn(int fd, int timeoutMs) {
  pollfd p{fd, POLLIN, 0};
  int ready = ::poll(&p, 1, timeoutMs);
  if (ready < 0 && errno != EINTR)
    return ioError(std::string("poll: ") + std::strerror(errno));
  if (ready <= 0)
    return -1;
  int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0) {
    // The peer gave up between poll and accept, or a signal came: no client.
    if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN || errno == EPROTO)
      return -1;
    // Out of descriptors or memory for now: not a reason to stop serving.
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      ::usleep(100 * 1000);
      return -1;
    }
    return ioError(std::string("accept: ") + std::strerror(errno));
  }
  return client;
}

} // namespace

// ------------------------------------------------------------ TcpListener --

Result<std::unique_ptr<TcpListener>> TcpListener::listen(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ioError(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 4) != 0) {
    int err = errno;
    ::close(fd);
    return ioError("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                   std::strerror(err));
  }
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return std::unique_ptr<TcpListener>(new TcpListener(fd, ntohs(address.sin_port)));
}

TcpListener::~TcpListener() {
  ::close(m_fd);
}

std::string TcpListener::address() const {
  return "127.0.0.1:" + std::to_string(m_port);
}

Result<std::unique_ptr<FdTransport>> TcpListener::accept(int timeoutMs) {
  TRY_ASSIGN(int client, acceptOn(m_fd, timeoutMs));
  if (client < 0)
    return std::unique_ptr<FdTransport>();
  // Responses and events are small and latency matters (a `next` ends
  // with a response and a `stopped` event): no Nagle delay.
  int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return std::make_unique<FdTransport>(client, client, true);
}

// ----------------------------------------------------------- UnixListener --

Result<std::unique_ptr<UnixListener>> UnixListener::listen(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path)
    return ioError("socket path '" + path + "' is empty or longer than " +
                   std::to_string(sizeof address.sun_path - 1) + " bytes");
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      return ioError("'" + path + "' exists and is not a socket; not replacing it");
    // A socket file: in use if a server answers, else left over from one.
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool live = probe >= 0 &&
                ::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (probe >= 0)
      ::close(probe);
    if (live)
      return ioError("another server is listening on '" + path + "'");
    ::unlink(path.c_str());
  }

  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ioError(std::string("socket: ") + std::strerror(errno));
  // The file is created with the umask's permissions: make them 0600 from
  // the start, so that no other user can connect even for a moment.
  mode_t old = ::umask(0177);
  int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  int err = errno;
  ::umask(old);
  if (bound != 0 || ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, 4) != 0) {
    if (bound == 0)
      err = errno;
    ::close(fd);
    if (bound == 0)
      ::unlink(path.c_str());
    return ioError("cannot listen on '" + path + "': " + std::strerror(err));
  }
  return std::unique_ptr<UnixListener>(new UnixListener(fd, path));
}

UnixListener::~UnixListener() {
  ::close(m_fd);
  ::unlink(m_path.c_str());
}

Result<std::unique_ptr<FdTransport>> UnixListener::accept(int timeoutMs) {
  TRY_ASSIGN(int client, acceptOn(m_fd, timeoutMs));
  if (client < 0)
    return std::unique_ptr<FdTransport>();
  return std::make_unique<FdTransport>(client, client, true);
}

} // namespace wasmscope::dap
