// `wasmscope dap`: runs the DAP server (dap-server/) over stdio, a loopback
// TCP port or a Unix socket. Over stdio the protocol owns stdout, so the
// process's own fd 1 is pointed at stderr first: nothing printed by accident
// can corrupt the stream, and guest output reaches the client only as
// `output` events.
//
// Anyone on the machine can connect to a TCP port, and the adapter runs code
// and opens files for its client. So in TCP mode a random token is made at
// start (printed on stderr, and written to --token-file for editors) and a
// client must send it in its `launch` arguments. A Unix socket is created
// with mode 0600 instead: only its owner can connect, and no token is asked.
#include "DapCommand.h"

#include "CliSupport.h"

#include "wasmscope/dap/Listener.h"
#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/Transport.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::cli {

namespace {

/// Exit status when a guest had to be left running in a host call.
constexpr int kGuestAbandonedExit = 1;

/// After a guest was abandoned (blocked in a host call), its thread still
/// runs: say so and end the process at once, without running destructors
/// under it.
[[noreturn]] void exitAbandoned(double seconds) {
  std::cerr << "wasmscope: error: the guest did not stop within " << seconds
            << " s after the session ended (it is blocked in a host call); exiting" << std::endl;
  std::_Exit(kGuestAbandonedExit);
}

} // namespace

DapCommand::DapCommand(CLI::App& parent) {
  m_app = parent.add_subcommand(
      "dap", "Serve the Debug Adapter Protocol on stdio (as editors start an adapter), on "
             "127.0.0.1:PORT or on a Unix socket");
  auto* port = m_app->add_option(
      "--port", m_options.port,
      "Listen on 127.0.0.1:PORT instead of stdio and serve one client at a time (0 picks a free "
      "port). The port and an access token are printed on stderr; clients must send the token "
      "in their launch arguments (\"token\")");
  auto* socket = m_app->add_option("--socket", m_options.socketPath,
                                   "Listen on a Unix socket at PATH (created with mode 0600, so "
                                   "only you can connect; no token) and serve one client at a time")
                     ->type_name("PATH");
  port->excludes(socket);
  m_app->add_option("--token-file", m_options.tokenFile,
                    "With --port: also write the token to FILE (mode 0600), for editors")
      ->type_name("FILE")
      ->needs(port);
  m_app->add_option("--log", m_options.logPath, "Append a trace of every protocol message to FILE")
      ->type_name("FILE");
  m_app->add_option("--guest-stop-timeout", m_options.guestStopSeconds,
                    "Seconds to wait, when a session ends, for a guest blocked in a host call "
                    "(default 3)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 3600.0));
  m_app->footer(R"(Exit status:
  0  the client disconnected or closed stdin (the guest's own exit code goes to
     the client in an `exited` event)
  1  a guest blocked in a host call did not stop when its session ended
  2  usage error, or the port, socket, token file or log file cannot be opened
See docs/VSCode.md for the launch arguments and for other DAP clients.)");
}

int DapCommand::execute() {
  // A client that goes away must not kill the adapter with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<dap::ProtocolLog> log;
  if (m_options.logPath) {
    auto opened = dap::ProtocolLog::open(*m_options.logPath);
    if (!opened.ok()) {
      std::cerr << "wasmscope: error: " << opened.error().message << '\n';
      return int(ExitCode::BadInput);
    }
    log = std::move(opened).value();
  }
  dap::ServerOptions options;
  options.guestStopTimeout =
      std::chrono::milliseconds(int64_t(m_options.guestStopSeconds * 1000.0 + 0.5));

  if (m_options.port || m_options.socketPath) {
    std::unique_ptr<dap::Listener> listener;
    if (m_options.port) {
      auto token = dap::makeToken();
      if (!token.ok()) {
        std::cerr << "wasmscope: error: " << token.error().message << '\n';
        return int(ExitCode::BadInput);
      }
      options.token = *token;
      if (m_options.tokenFile)
        if (auto written = dap::writeTokenFile(*m_options.tokenFile, *options.token);
            !written.ok()) {
          std::cerr << "wasmscope: error: " << written.error().message << '\n';
          return int(ExitCode::BadInput);
        }
      auto tcp = dap::TcpListener::listen(*m_options.port);
      if (!tcp.ok()) {
        std::cerr << "wasmscope: error: " << tcp.error().message << '\n';
        return int(ExitCode::BadInput);
      }
      listener = std::move(*tcp);
      std::cerr << "wasmscope: DAP server listening on " << listener->address() << ", token "
                << *options.token << std::endl;
    } else {
      auto unix = dap::UnixListener::listen(*m_options.socketPath);
      if (!unix.ok()) {
        std::cerr << "wasmscope: error: " << unix.error().message << '\n';
        return int(ExitCode::BadInput);
      }
      listener = std::move(*unix);
      std::cerr << "wasmscope: DAP server listening on " << listener->address() << std::endl;
    }
    auto served = dap::serveListener(*listener, log.get(), options);
    listener.reset(); // Removes a Unix socket's file.
    if (!served.ok()) {
      std::cerr << "wasmscope: error: " << served.error().message << '\n';
      return int(ExitCode::BadInput);
    }
    exitAbandoned(m_options.guestStopSeconds); // The only other way it returns.
  }

  int protocolOut = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (protocolOut < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::cerr << "wasmscope: error: cannot set up stdio for the protocol\n";
    return int(ExitCode::BadInput);
  }
  dap::ClientEnd end;
  {
    dap::FdTransport transport(STDIN_FILENO, protocolOut, /*ownsFds=*/false);
    end = dap::serveClient(transport, log.get(), options);
  }
  ::close(protocolOut);
  if (end == dap::ClientEnd::GuestAbandoned)
    exitAbandoned(m_options.guestStopSeconds);
  return int(ExitCode::Ok);
}

} // namespace wasmscope::cli
