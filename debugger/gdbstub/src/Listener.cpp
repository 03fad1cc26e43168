// TCP and Unix-socket listening for the gdb-remote stub.
#include "Listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wasmscope::gdbstub {

using runtime::Error;
using runtime::ErrorCode;

namespace {

Error socketError(const std::string& what) {
  return Error(ErrorCode::IoError, what + ": " + std::strerror(errno));
}

} // namespace

runtime::Result<std::unique_ptr<Listener>> Listener::tcp(uint16_t port) {
  std::unique_ptr<Listener> l(new Listener());
  l->m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l->m_fd < 0)
    return socketError("cannot create a socket");
  int one = 1;
  ::setsockopt(l->m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::bind(l->m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return socketError("cannot listen on 127.0.0.1:" + std::to_string(port));
  // A backlog of one: a second client waits until the first is done.
  if (::listen(l->m_fd, 1) != 0)
    return socketError("cannot listen on 127.0.0.1:" + std::to_string(port));
  socklen_t len = sizeof addr;
  ::getsockname(l->m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  l->m_port = ntohs(addr.sin_port);
  return l;
}

runtime::Result<std::unique_ptr<Listener>> Listener::unixSocket(const std::string& path) {
  sockaddr_un addr{};
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    return Error(ErrorCode::InvalidArgument,
                 "socket path '" + path + "' must be 1 to " + std::to_string(sizeof addr.sun_path - 1) +
                     " bytes long");
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0)
    return Error(ErrorCode::InvalidArgument,
                 "'" + path + "' already exists; remove it or choose another path");
  std::unique_ptr<Listener> l(new Listener());
  l->m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l->m_fd < 0)
    return socketError("cannot create a socket");
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  // The file is created by bind with the umask applied: 0177 leaves 0600,
  // so no other user can connect, not even for a moment.
  mode_t old = ::umask(0177);
  int rc = ::bind(l->m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc != 0)
    return socketError("cannot create socket '" + path + "'");
  l->m_path = path;
  if (::listen(l->m_fd, 1) != 0)
    return socketError("cannot listen on '" + path + "'");
  return l;
}

Listener::~Listener() {
  if (m_fd >= 0)
    ::close(m_fd);
  if (!m_path.empty())
    ::unlink(m_path.c_str());
}

runtime::Result<int> Listener::accept() {
  for (;;) {
    int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      if (m_path.empty()) {
        // Small packets both ways: answer each at once.
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      }
      return fd;
    }
    if (errno != EINTR && errno != ECONNABORTED)
      return socketError("cannot accept a connection on " + describe());
  }
}

std::string Listener::describe() const {
  return m_path.empty() ? "127.0.0.1:" + std::to_string(m_port) : m_path;
}

std::string Listener::connectUrl() const {
  return m_path.empty() ? "connect://127.0.0.1:" + std::to_string(m_port)
                        : "unix-connect://" + m_path;
}

} // namespace wasmscope::gdbstub
