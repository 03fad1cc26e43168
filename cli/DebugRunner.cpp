// Runs a guest in a debug session that a DAP client may attach to (see
// DebugRunner.h). With no client nothing stops: the session sets no probe
// until a client sets breakpoints (its safepoints are dormant code words,
// armed only to apply breakpoint changes or a pause from the server's
// thread), and the server's release-on-detach policy takes a leaving
// client's breakpoints with it. The guest's stdout and stderr stay the
// process's own (an attached client also sees them as `output` events), and
// the exit status is the guest's.
#include "DebugRunner.h"

#include "CliSupport.h"
#include "GuestRunner.h"

#include "wasmscope/dap/Listener.h"
#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/SharedSession.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace wasmscope::cli {

namespace {

/// How long the end of the run waits for an attached client to take its
/// `exited` and `terminated` events and disconnect.
constexpr std::chrono::milliseconds kClientGoodbye{2000};

/// The session's console messages a plain `run` would print too: the trap
/// report with its backtrace, and a failure of the guest thread. Debug-info
/// warnings and logpoint messages are for the client alone.
bool isRunReport(const debugger::OutputEvent& out) {
  return out.sourcePath.empty() &&
         (out.text.starts_with("trap: ") || out.text.starts_with("error: "));
}

} // namespace

debugger::LaunchConfig launchConfigFor(const runtime::LaunchSpec& spec) {
  debugger::LaunchConfig launch;
  launch.modulePath = spec.modulePath;
  launch.cwd = spec.cwd;
  launch.programName = spec.programName;
  launch.args = spec.args;
  launch.env = spec.env;
  for (const runtime::WasiPreopen& p : spec.preopens)
    launch.preopens.push_back({p.hostPath, p.guestPath});
  launch.stdinFd = spec.stdinFd;
  launch.deterministic = spec.deterministic;
  launch.seed = spec.seed;
  launch.fuel = spec.fuel;
  launch.memoryLimitBytes = spec.memoryLimitBytes;
  launch.maxCallDepth = spec.maxCallDepth;
  launch.timeout = spec.timeout;
  return launch;
}

int runWithDebugServer(const runtime::LaunchSpec& spec, const debugger::SourceMap& sourceMap,
                       const DebugEndpoint& endpoint) {
  // A client that goes away must not kill the program with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  // Listen first: a bad port or socket path is a usage error before
  // anything runs.
  std::unique_ptr<dap::Listener> listener;
  dap::ServerOptions serverOptions;
  if (endpoint.port) {
    auto token = dap::makeToken();
    if (!token.ok())
      return fail(ExitCode::BadInput, token.error().message);
    serverOptions.token = *token;
    if (endpoint.tokenFile)
      if (auto written = dap::writeTokenFile(*endpoint.tokenFile, *token); !written.ok())
        return fail(ExitCode::BadInput, written.error().message);
    auto tcp = dap::TcpListener::listen(*endpoint.port);
    if (!tcp.ok())
      return fail(ExitCode::BadInput, tcp.error().message);
    listener = std::move(*tcp);
  } else {
    auto unix = dap::UnixListener::listen(endpoint.socketPath.value_or(""));
    if (!unix.ok())
      return fail(ExitCode::BadInput, unix.error().message);
    listener = std::move(*unix);
  }

  debugger::Session session;
  // The server exists once the session is launched; events before that
  // (debug-info warnings) have no client to reach.
  std::atomic<dap::SharedSessionServer*> server{nullptr};
  debugger::LaunchConfig launch = launchConfigFor(spec);
  launch.sourceMap = sourceMap.pairs();
  launch.onEvent = [&](const debugger::Event& e) {
    if (const auto* out = e.as<debugger::OutputEvent>()) {
      if (out->category == debugger::OutputCategory::Stdout)
        writeAll(STDOUT_FILENO, out->text);
      else if (out->category == debugger::OutputCategory::Stderr)
        writeAll(STDERR_FILENO, out->text);
      else if (isRunReport(*out)) // As `run` words it: "wasmscope: error: trap: ..."
        writeAll(STDERR_FILENO, (out->text.starts_with("trap: ") ? "wasmscope: error: "
                                                                  : "wasmscope: ") +
                                    out->text);
    }
    if (dap::SharedSessionServer* s = server.load())
      s->onSessionEvent(e);
  };
  setActivity("reading and compiling " + spec.modulePath);
  if (auto launched = session.launch(launch); !launched.ok())
    return failLaunch(launched.error());

  dap::SharedSessionPolicy policy;
  policy.releaseOnDetach = true;
  std::string address = listener->address();
  auto started = dap::SharedSessionServer::start(session, std::move(listener), serverOptions,
                                                 nullptr, policy);
  if (!started.ok())
    return fail(ExitCode::BadInput, started.error().message);
  std::unique_ptr<dap::SharedSessionServer> owned = std::move(*started);
  server = owned.get();
  if (serverOptions.token)
    std::cerr << "wasmscope: DAP server listening on " << address << ", token "
              << *serverOptions.token << std::endl;
  else
    std::cerr << "wasmscope: DAP server listening on " << address << std::endl;

  setActivity("running " + spec.modulePath);
  if (endpoint.wait)
    std::cerr << "wasmscope: waiting for a client to attach before running _start" << std::endl;
  else if (auto done = session.configurationDone(); !done.ok()) {
    server = nullptr;
    return fail(ExitCode::BadInput, done.error().message);
  }

  session.waitForExit();
  // The guest thread delivers its last events (output, then exited) after
  // it has finished: join it so that they are all written before we exit.
  (void)session.disconnect();
  // An attached client has its `terminated` event: let it say goodbye.
  auto deadline = std::chrono::steady_clock::now() + kClientGoodbye;
  while (owned->clientAttached() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server = nullptr;
  owned.reset();
  return int(std::min<uint32_t>(session.exitCode().value_or(debugger::kTerminatedExitCode), 255));
}

} // namespace wasmscope::cli
