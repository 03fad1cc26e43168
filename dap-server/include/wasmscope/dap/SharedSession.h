// Serving DAP for a debugger::Session that another front end owns: the
// desktop inspector runs a program and lets VS Code (or any DAP client)
// attach to the same run, so that both show one paused program.
//
// The client sends `attach` (with the token, on TCP) instead of `launch`.
// From then on every session event the owner forwards here reaches it; a
// stop either front end causes shows in both. Breakpoints stay per front
// end: a client's setBreakpoints replaces only the breakpoints it knows, and
// the owner's reach it as `breakpoint` events (see breakpointsChanged). A
// client that disconnects leaves the run to its owner, unless it asks for
// terminateDebuggee. One client at a time; a second one waits for the first
// to leave. dap-server knows nothing of its owner: the inspector links dap,
// never the other way round.
//
// An owner that does not debug itself (`wasmscope run --debug-port`, whose
// guest runs at full speed until someone attaches) asks for
// SharedSessionPolicy::releaseOnDetach: a client that leaves takes every
// breakpoint and exception filter with it and the guest runs on, so that
// nothing stops a program no one is watching.
#pragma once

#include "wasmscope/dap/Listener.h"
#include "wasmscope/dap/Server.h"
#include "wasmscope/session/Session.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace wasmscope::dap {

class Adapter;

/// How the server treats the session between clients.
struct SharedSessionPolicy {
  /// When a client leaves (disconnect without terminateDebuggee, or a
  /// dropped connection): clear every breakpoint (line, function,
  /// instruction, data) and exception filter, let a run still waiting for
  /// configurationDone start, and resume a stopped guest. A stop that no
  /// client hears of (a pause or step that took effect as its client left)
  /// is resumed too.
  bool releaseOnDetach = false;
};

class SharedSessionServer {
public:
  /// Starts accepting clients of `listener` on a thread of its own. The
  /// session must outlive the server; the owner forwards its events with
  /// onSessionEvent. `log` may be null; it must outlive the server.
  static Result<std::unique_ptr<SharedSessionServer>> start(debugger::Session& session,
                                                            std::unique_ptr<Listener> listener,
                                                            ServerOptions options,
                                                            ProtocolLog* log = nullptr,
                                                            SharedSessionPolicy policy = {});
  /// Closes the client's connection and stops accepting.
  ~SharedSessionServer();
  SharedSessionServer(const SharedSessionServer&) = delete;
  SharedSessionServer& operator=(const SharedSessionServer&) = delete;

  /// Every event of the session, from the owner's event handler (on the
  /// thread that delivers it). Reaches the client once it has attached.
  void onSessionEvent(const debugger::Event& event);
  /// The owner set or cleared breakpoints: the client is told.
  void breakpointsChanged();
  /// Whether a client has attached and is still connected.
  bool clientAttached() const;
  /// "127.0.0.1:4711".
  std::string address() const;

private:
  SharedSessionServer(debugger::Session& session, std::unique_ptr<Listener> listener,
                      ServerOptions options, ProtocolLog* log, SharedSessionPolicy policy);
  void acceptLoop();
  void serve(std::unique_ptr<FdTransport> client);
  /// releaseOnDetach: what a leaving client leaves behind is undone.
  void release();

  debugger::Session& m_session;
  std::unique_ptr<Listener> m_listener;
  ServerOptions m_options;
  ProtocolLog* m_log;
  SharedSessionPolicy m_policy;
  std::atomic<bool> m_stopping{false};
  /// Guards the client's adapter and transport while they exist.
  mutable std::mutex m_mutex;
  Adapter* m_adapter = nullptr;
  FdTransport* m_transport = nullptr;
  std::thread m_thread;
};

} // namespace wasmscope::dap
