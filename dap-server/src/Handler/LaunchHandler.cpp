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

const char* describeFileType(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

} // namespace

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
  config.deterministic = args.deterministic;
  // The request thread must never block: a FIFO or a device given as the
  // program would make reading it wait (or never end), so only a regular
  // file is handed to the session. (The session's own module reading will
  // refuse these too once the shared module reader lands.)
  std::filesystem::path program = resolve(args.program, args.cwd);
  struct stat st {};
  if (::stat(program.c_str(), &st) != 0)
    return failure("cannot open '" + program.string() + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return failure("'" + program.string() + "' is " + describeFileType(st.st_mode) +
                   ", not a module file");
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
