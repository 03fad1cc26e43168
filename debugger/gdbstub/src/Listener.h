// Where the stub waits for LLDB: a TCP port on 127.0.0.1, or a Unix socket
// created with mode 0600. LLDB's gdb-remote connection carries no secret, so
// a loopback port can be reached by every user of the machine; the socket's
// file mode limits it to the user who started wasmscope. One client is
// served at a time; the listener hands out each accepted connection's fd.
#pragma once

#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <memory>
#include <string>

namespace wasmscope::gdbstub {

class Listener {
public:
  /// Listens on 127.0.0.1:`port` (0: a free port, see port()).
  static runtime::Result<std::unique_ptr<Listener>> tcp(uint16_t port);
  /// Creates and listens on a Unix socket at `path`, readable and writable
  /// by its owner only. Fails if anything exists at `path` already.
  static runtime::Result<std::unique_ptr<Listener>> unixSocket(const std::string& path);
  /// Closes the socket (and removes a Unix socket's file).
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  /// Waits for the next client; its connected fd (the caller closes it).
  runtime::Result<int> accept();
  uint16_t port() const { return m_port; }
  /// "127.0.0.1:4711" or the socket path.
  std::string describe() const;
  /// What to type in LLDB to connect.
  std::string connectUrl() const;

private:
  Listener() = default;
  int m_fd = -1;
  uint16_t m_port = 0;
  std::string m_path;
};

} // namespace wasmscope::gdbstub
