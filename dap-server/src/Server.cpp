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

#include <sys/random.h>

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

ClientEnd serveClient(Transport& transport, ProtocolLog* log, const ServerOptions& options) {
  MessageWriter writer(transport, log);
  bool guestStopped = true;
  {
    Adapter adapter(writer, options);
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
    // longer reads keep the guest thread waiting. `disconnect` was answered
    // before this: it only asked the guest to stop.
    writer.dropBackpressure();
    guestStopped = adapter.shutdown();
    if (!guestStopped && log)
      log->write("!!", "the guest did not stop within " +
                           std::to_string(options.guestStopTimeout.count()) +
                           " ms; it is abandoned");
  }
  writer.stop();
  return guestStopped ? ClientEnd::Finished : ClientEnd::GuestAbandoned;
}

Result<std::string> makeToken() {
  uint8_t bytes[16];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return runtime::Error(runtime::ErrorCode::IoError,
                            std::string("getrandom: ") + std::strerror(errno));
    got += size_t(n);
  }
  static const char* hex = "0123456789abcdef";
  std::string token;
  for (uint8_t b : bytes) {
    token += hex[b >> 4];
    token += hex[b & 15];
  }
  return token;
}

} // namespace wasmscope::dap
