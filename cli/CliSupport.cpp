// The error convention every subcommand shares (CliSupport.h).
#include "CliSupport.h"

#include <unistd.h>

#include <cerrno>
#include <iostream>

namespace wasmscope::cli {

void reportError(const std::string& message) {
  std::cerr << "wasmscope: error: " << message << '\n';
}

int fail(ExitCode status, const std::string& message) {
  reportError(message);
  return int(status);
}

namespace {
std::string& currentActivity() {
  static std::string activity = "running the command";
  return activity;
}
} // namespace

void setActivity(std::string activity) { currentActivity() = std::move(activity); }

const std::string& activity() { return currentActivity(); }

void writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return;
    }
    bytes.remove_prefix(size_t(n));
  }
}

} // namespace wasmscope::cli
