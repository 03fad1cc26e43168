// The debug adapter as a library: serve one DAP client over a Transport,
// hosting one debugger::Session per client. `wasmscope dap` (cli/DapCommand)
// runs it over stdio or on a 127.0.0.1 port; tests run it over a
// MemoryTransport.
#pragma once

#include "wasmscope/dap/Transport.h"

#include <cstdio>
#include <memory>
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

/// Serves one client until it sends `disconnect` or closes the channel; the
/// guest (if any) is then terminated. Never throws. `log` may be null.
void serveClient(Transport& transport, ProtocolLog* log);

} // namespace wasmscope::dap
