// Listening sockets for `wasmscope dap` as a server: TCP on 127.0.0.1 (never
// another address: the adapter runs guest code and reads its memory for
// whoever connects, so it is not for the network) and Unix sockets, created
// with mode 0600 so that only their owner can connect.
#pragma once

#include "wasmscope/dap/Transport.h"

#include <cstdint>
#include <memory>
#include <string>

namespace wasmscope::dap {

/// A socket that clients connect to.
class Listener {
public:
  virtual ~Listener() = default;
  /// Waits up to `timeoutMs` for a client: the connection, nullptr when
  /// none came, or an error when the socket failed.
  virtual Result<std::unique_ptr<FdTransport>> accept(int timeoutMs) = 0;
  /// "127.0.0.1:4711" or the socket's path, for messages.
  virtual std::string address() const = 0;
};

class TcpListener final : public Listener {
public:
  /// Listens on 127.0.0.1:`port`; port 0 picks a free port (see port()).
  static Result<std::unique_ptr<TcpListener>> listen(uint16_t port);
  ~TcpListener() override;
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  uint16_t port() const { return m_port; }
  Result<std::unique_ptr<FdTransport>> accept(int timeoutMs) override;
  std::string address() const override;

private:
  TcpListener(int fd, uint16_t port) : m_fd(fd), m_port(port) {}
  int m_fd;
  uint16_t m_port;
};

class UnixListener final : public Listener {
public:
  /// Creates the socket at `path` with mode 0600. A stale socket left there
  /// by a server that is gone is replaced; any other file, or a socket a
  /// server still listens on, is an error.
  static Result<std::unique_ptr<UnixListener>> listen(const std::string& path);
  /// Closes the socket and removes its file.
  ~UnixListener() override;
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  Result<std::unique_ptr<FdTransport>> accept(int timeoutMs) override;
  std::string address() const override { return m_path; }

private:
  UnixListener(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
  int m_fd;
  std::string m_path;
};

} // namespace wasmscope::dap
