// `launch`: a launch configuration into a debugger::LaunchConfig. The guest
// thread starts and waits for configurationDone; `initialized` follows the
// response, so the client sends its breakpoints next.
#include "Handler/Handlers.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>

namespace wasmscope::dap {

HandlerResult<protocol::NoBody> LaunchHandler::handle(const protocol::LaunchArguments& args) {
  if (m_adapter.launched())
    return failure("the session is already launched; start a new debug session to run again");

  debugger::LaunchConfig config;
  config.modulePath = args.program;
  config.args = args.args;
  config.env = args.env;
  config.cwd = args.cwd;
  for (const auto& dir : args.dirs)
    config.preopens.push_back({dir.host, dir.guest.empty() ? dir.host : dir.guest});
  config.stopOnEntry = args.stopOnEntry;
  config.fuel = args.fuel;
  if (args.maxMemory)
    config.memoryLimitBytes = args.maxMemory->bytes;
  config.maxCallDepth = args.maxCallDepth;
  if (args.timeout)
    config.timeout = args.timeout->value;
  config.deterministic = args.deterministic;
  if (!args.stdinPath.empty()) {
    std::filesystem::path path(args.stdinPath);
    if (path.is_relative() && !args.cwd.empty())
      path = std::filesystem::path(args.cwd) / path;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return failure("cannot open stdin file '" + path.string() + "': " + std::strerror(errno));
    m_adapter.setStdinFd(fd);
    config.stdinFd = fd;
  }
  // The guest thread delivers events here; the adapter outlives the session.
  Adapter* adapter = &m_adapter;
  config.onEvent = [adapter](const debugger::Event& event) { adapter->onSessionEvent(event); };

  m_adapter.setNoDebug(args.noDebug);
  if (auto launched = session().launch(config); !launched.ok())
    return failure(launched.error().message);
  m_adapter.setLaunched();
  // Held by the writer until this response is out.
  m_adapter.writer().sendEvent("initialized");
  return protocol::NoBody{};
}

} // namespace wasmscope::dap
