// The error convention every subcommand shares (CliSupport.h).
#include "CliSupport.h"

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

} // namespace wasmscope::cli
