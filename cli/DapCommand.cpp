// `wasmscope dap`: runs the DAP server (dap-server/) over stdio or a loopback
// TCP port. Over stdio the protocol owns stdout, so the process's own fd 1
// is pointed at stderr first: nothing printed by accident can corrupt the
// stream, and guest output reaches the client only as `output` events.
#include "DapCommand.h"

#include "CliSupport.h"

#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/Transport.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <fcntl.h>
#include <iostream>
#include <unistd.h>

namespace wasmscope::cli {

DapCommand::DapCommand(CLI::App& parent) {
  m_app = parent.add_subcommand(
      "dap", "Serve the Debug Adapter Protocol on stdio (as editors start an adapter) or on "
             "127.0.0.1:PORT");
  m_app->add_option("--port", m_options.port,
                    "Listen on 127.0.0.1:PORT instead of stdio and serve one client at a time "
                    "(0 picks a free port; the port is printed on stderr)");
  m_app->add_option("--log", m_options.logPath, "Append a trace of every protocol message to FILE")
      ->type_name("FILE");
  m_app->footer(R"(Exit status:
  0  the client disconnected or closed stdin (the guest's own exit code goes to
     the client in an `exited` event)
  2  usage error, or the port or log file cannot be opened
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

  if (m_options.port) {
    auto listener = dap::TcpListener::listen(*m_options.port);
    if (!listener.ok()) {
      std::cerr << "wasmscope: error: " << listener.error().message << '\n';
      return int(ExitCode::BadInput);
    }
    std::cerr << "wasmscope dap: listening on 127.0.0.1:" << (*listener)->port() << std::endl;
    for (;;) {
      auto client = (*listener)->accept();
      if (!client.ok()) {
        std::cerr << "wasmscope: error: " << client.error().message << '\n';
        return int(ExitCode::BadInput);
      }
      if (log)
        log->write("!!", "client connected");
      dap::serveClient(**client, log.get());
      if (log)
        log->write("!!", "client disconnected");
    }
  }

  int protocolOut = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (protocolOut < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::cerr << "wasmscope: error: cannot set up stdio for the protocol\n";
    return int(ExitCode::BadInput);
  }
  {
    dap::FdTransport transport(STDIN_FILENO, protocolOut, /*ownsFds=*/false);
    dap::serveClient(transport, log.get());
  }
  ::close(protocolOut);
  return int(ExitCode::Ok);
}

} // namespace wasmscope::cli
