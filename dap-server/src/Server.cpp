// One client's session from the first byte to the last, and the protocol
// trace (see Server.h).
#include "wasmscope/dap/Server.h"

#include "Adapter.h"
#include "Dispatcher.h"
#include "MessageWriter.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

namespace wasmscope::dap {

Result<std::unique_ptr<ProtocolLog>> ProtocolLog::open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file)
    return runtime::Error(runtime::ErrorCode::IoError,
                          "cannot open log '" + path + "': " + std::strerror(errno));
  return std::unique_ptr<ProtocolLog>(new ProtocolLog(file));
}

ProtocolLog::~ProtocolLog() {
  std::fclose(m_file);
}

void ProtocolLog::write(std::string_view direction, std::string_view text) {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t seconds = system_clock::to_time_t(now);
  auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
  std::lock_guard lock(m_mutex);
  std::fprintf(m_file, "%s.%03d %.*s %.*s\n", stamp, int(millis), int(direction.size()),
               direction.data(), int(text.size()), text.data());
  std::fflush(m_file);
}

void serveClient(Transport& transport, ProtocolLog* log) {
  MessageWriter writer(transport, log);
  {
    Adapter adapter(writer);
    Dispatcher dispatcher(adapter, log);
    addAllHandlers(dispatcher, adapter);
    while (!dispatcher.finished()) {
      std::optional<Frame> frame = transport.read();
      if (!frame)
        break;
      dispatcher.handle(*frame);
    }
    // Ends the guest (the client is gone, or asked for it) while the writer
    // can still send the last events, without letting a client that no
    // longer reads keep the guest thread waiting.
    writer.dropBackpressure();
    adapter.shutdown();
  }
  writer.stop();
}

} // namespace wasmscope::dap
