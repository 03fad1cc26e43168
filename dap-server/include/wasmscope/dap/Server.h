// The debug adapter as a library: serve one DAP client over a Transport,
// hosting one debugger::Session per client. `wasmscope dap` (cli/DapCommand)
// runs it over stdio or on a 127.0.0.1 port; tests run it over a
// MemoryTransport.
#pragma once

#include "wasmscope/dap/Transport.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <string_view>

namespace wasmscope::dap {

/// A protocol trace (`wasmscope dap --log FILE`): every message in and out,
/// with a timestamp, plus framing errors. Thread-safe.
class ProtocolLog {
public:
  static Result<std::unique_ptr<ProtocolLog>> open(const std::string& path);
  ~ProtocolLog();
  ProtocolLog(const ProtocolLog&) = delete;
  ProtocolLog& operator=(const ProtocolLog&) = delete;

  /// `direction` is "<--" (from the client), "-->" (to it) or "!!" (errors).
  void write(std::string_view direction, std::string_view text);

private:
  explicit ProtocolLog(std::FILE* file) : m_file(file) {}
  std::mutex m_mutex;
  std::FILE* m_file;
};

/// How a server treats its clients.
struct ServerOptions {
  /// When set, a client must send this token in its `launch` (or `attach`)
  /// arguments (`"token": "..."`) before anything but `initialize`; a wrong
  /// or missing one is refused and the connection closed. For servers that
  /// any local user can reach (a TCP port); stdio needs none.
  std::optional<std::string> token;
  /// How long the end of a session waits for the guest thread. A guest
  /// blocked in a host call (a sleep, a read from a pipe) stops only when
  /// the call returns; past this the adapter gives it up (see ClientEnd).
  std::chrono::milliseconds guestStopTimeout{3000};
};

/// How a client's session ended.
enum class ClientEnd : uint8_t {
  Finished, ///< The client disconnected or closed the channel; the guest ended.
  /// The guest thread did not stop within guestStopTimeout (blocked in a host
  /// call). It still runs, detached from the client: the process should
  /// report it and exit rather than serve on.
  GuestAbandoned,
};

/// Serves one client until it sends `disconnect` or closes the channel; the
/// guest (if any) is then terminated. Every request is answered, including
/// `disconnect` and `terminate` before anything waits for the guest. Never
/// throws. `log` may be null.
ClientEnd serveClient(Transport& transport, ProtocolLog* log, const ServerOptions& options = {});

class Listener;

/// Serves the clients of `listener` one at a time, each with serveClient on
/// a thread of its own. A client that connects while another is served gets
/// an `output` event (and an error response to its first request) saying so,
/// and is disconnected. Returns GuestAbandoned once a client's guest had to
/// be abandoned, or an error when the socket fails; never otherwise.
Result<ClientEnd> serveListener(Listener& listener, ProtocolLog* log,
                                const ServerOptions& options);

/// A 128-bit random token from the kernel (getrandom), as 32 hex digits.
Result<std::string> makeToken();

/// Writes `token` and a newline to `path`, readable by its owner only (mode
/// 0600 even when the file existed; a symlink there is refused), for editors
/// to read.
Result<void> writeTokenFile(const std::string& path, const std::string& token);

} // namespace wasmscope::dap
