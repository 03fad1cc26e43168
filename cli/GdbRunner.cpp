// Runs a guest under the gdb-remote stub: the run options become the debug
// session's launch configuration, the guest's stdout and stderr stay the
// terminal's, and the exit status is the guest's as `run` reports it.
#include "GdbRunner.h"

#include "CliSupport.h"
#include "DebugRunner.h"

#include "wasmscope/gdbstub/GdbServer.h"

#include <algorithm>
#include <csignal>
#include <iostream>

namespace wasmscope::cli {

int runUnderGdbStub(const runtime::LaunchSpec& spec, const GdbEndpoint& endpoint) {
  // A client that goes away must not kill wasmscope with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  gdbstub::GdbServerOptions options;
  options.port = endpoint.port;
  options.socketPath = endpoint.socketPath;
  options.profile = endpoint.profile;
  options.memory = endpoint.memory;
  options.allocators = endpoint.allocators;
  options.launch = launchConfigFor(spec);
  options.log = [](std::string_view line) { std::cerr << line << std::endl; };
  options.output = [](int fd, std::string_view bytes) { writeAll(fd, bytes); };

  auto status = gdbstub::serveGdbRemote(std::move(options));
  if (!status.ok())
    return fail(ExitCode::BadInput, status.error().message);
  return int(std::min<uint32_t>(*status, 255));
}

} // namespace wasmscope::cli
