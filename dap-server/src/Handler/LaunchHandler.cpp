// `launch`: a launch configuration into a debugger::LaunchConfig. The guest
// thread starts and waits for configurationDone; `initialized` follows the
// response, so the client sends its breakpoints next.
#include "Handler/Handlers.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::dap {

namespace {

/// A launch path as the session takes it: relative ones from `cwd`.
std::filesystem::path resolve(const std::string& path, const std::string& cwd) {
  std::filesystem::path p(path);
  if (p.is_relative() && !cwd.empty())
    p = std::filesystem::path(cwd) / p;
  return p;
}

} // namespace

HandlerResult<protocol::NoBody> LaunchHandler::handle(const protocol::LaunchArguments& args) {
  if (m_adapter.shared())
    return failure("this server serves a program already running (`wasmscope inspect` or "
                   "`wasmscope run --debug-port`): attach to it (\"request\": \"attach\", "
                   "with the token) instead of launching");
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
  config.sourceMap = args.sourceMap;
  // The program is read by the shared module reader (runtime::readModuleFile),
  // which refuses a directory, FIFO or device before reading: the request
  // thread never blocks on it.
  if (!args.stdinPath.empty()) {
    std::filesystem::path path = resolve(args.stdinPath, args.cwd);
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
    // writer. Reads are blocking again below, as a program expects.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
      return failure("cannot open stdin file '" + path.string() + "': " + std::strerror(errno));
    struct stat in {};
    if (::fstat(fd, &in) != 0 || S_ISDIR(in.st_mode)) {
      ::close(fd);
      return failure("stdin file '" + path.string() + "' is a directory");
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
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
