// serveGdbRemote: the listener, the session and the client loop (see
// GdbServer.h).
#include "wasmscope/gdbstub/GdbServer.h"

#include "Connection.h"
#include "Listener.h"
#include "MemoryMonitor.h"
#include "MonitorCommands.h"
#include "ProfileMonitor.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace wasmscope::gdbstub {

namespace {

/// Waits (a bounded time) for a pause to take effect; a guest blocked in a
/// host call, such as a read from stdin, stops only when the call returns.
void waitUntilStopped(debugger::Session& session, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  auto moving = [&] {
    debugger::SessionState s = session.state();
    return s == debugger::SessionState::Running || s == debugger::SessionState::Configuring;
  };
  while (moving() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

} // namespace

runtime::Result<uint32_t> serveGdbRemote(GdbServerOptions options) {
  auto log = [&](const std::string& line) {
    if (options.log)
      options.log(line);
  };
  // Listen before anything else runs: creating the Unix socket changes the
  // process's umask for a moment.
  std::unique_ptr<Listener> listener;
  if (options.socketPath) {
    TRY_ASSIGN(listener, Listener::unixSocket(*options.socketPath));
  } else {
    TRY_ASSIGN(listener, Listener::tcp(options.port.value_or(0)));
  }

  EventQueue events;
  // Declared before the session so that it outlives it: the session
  // detaches its observers when the guest goes.
  ProfileMonitor profileMonitor;
  MemoryMonitor memoryMonitor(options.allocators);
  debugger::Session session;
  debugger::LaunchConfig config = options.launch;
  config.stopOnEntry = true;
  MonitorBackends backends;
  if (options.profile) {
    config.countBlocks = true;
    config.observers.push_back(&profileMonitor);
    backends.profile = [&]() -> runtime::Result<std::string> {
      // Profiler::snapshot reads the counters the guest thread writes: only
      // once it is parked. Only this connection's thread resumes it, and it
      // is the one asking, so the guest stays parked while we read.
      debugger::SessionState state = session.state();
      if (state != debugger::SessionState::Stopped && state != debugger::SessionState::Exited)
        return runtime::Error(runtime::ErrorCode::InvalidArgument,
                              "profile: the guest is running; interrupt it first");
      return profileMonitor.summary();
    };
  }
  if (options.memory) {
    config.countBlocks = true;
    config.observers.push_back(&memoryMonitor);
    // The memory commands scan the guest: while it is parked, on this
    // thread under the session's lock (Session::inspectStop, which gives the
    // live frames, the leak check's roots), or after the run from the leak
    // check at exit.
    auto atStop = [&](const char* command,
                      const std::function<runtime::Result<std::string>(LiveFrames)>& answer)
        -> runtime::Result<std::string> {
      debugger::SessionState state = session.state();
      if (state == debugger::SessionState::Exited)
        return answer(nullptr);
      if (state != debugger::SessionState::Stopped)
        return runtime::Error(runtime::ErrorCode::InvalidArgument,
                              std::string(command) + ": the guest is running; interrupt it first");
      runtime::Result<std::string> out =
          runtime::Error(runtime::ErrorCode::InvalidArgument, std::string(command) + ": no stop");
      TRY(session.inspectStop([&](std::span<const runtime::FrameInfo> frames) { out = answer(&frames); }));
      return out;
    };
    backends.leakCheck = [&, atStop](std::string_view args) {
      return atStop("leak_check", [&](LiveFrames frames) { return memoryMonitor.leakCheck(args, frames); });
    };
    backends.blockList = [&, atStop](std::string_view args) {
      return atStop("block_list", [&](LiveFrames frames) { return memoryMonitor.blockList(args, frames); });
    };
    backends.whoPointsAt = [&, atStop](uint32_t address, uint32_t length) {
      const debugger::ModuleSymbols* symbols = session.symbols();
      return atStop("who_points_at", [&](LiveFrames frames) {
        return memoryMonitor.whoPointsAt(address, length, frames, symbols);
      });
    };
  }
  config.onEvent = [&](const debugger::Event& e) {
    if (const auto* out = e.as<debugger::OutputEvent>()) {
      if (options.output)
        options.output(out->category == debugger::OutputCategory::Stdout ? 1 : 2, out->text);
    }
    events.push(e);
  };
  TRY(session.launch(config));
  // A trap stops the guest, so LLDB can look at it; continuing ends the run.
  TRY(session.setExceptionBreakpoints({true}));
  TRY(session.configurationDone());
  // The guest parks at `_start` on its own thread: a client connecting
  // straight away must find it stopped.
  waitUntilStopped(session, std::chrono::seconds(30));
  std::string moduleName = std::filesystem::path(session.modulePath()).filename().string();

  log("wasmscope: " + moduleName + " is stopped before _start, waiting for LLDB on " +
      listener->describe() + "\n  (lldb) process connect --plugin wasm " + listener->connectUrl());

  for (;;) {
    TRY_ASSIGN(int fd, listener->accept());
    log("wasmscope: LLDB connected");
    // A client expects a stopped target.
    if (session.state() == debugger::SessionState::Running) {
      (void)session.pause();
      waitUntilStopped(session, std::chrono::seconds(2));
    }
    ConnectionEnd end;
    {
      GdbStub stub(session, moduleName);
      stub.setMonitorBackends(backends);
      Connection connection(fd, session, stub, events);
      end = connection.serve();
      if (end == ConnectionEnd::ClientGone)
        stub.clearPoints();
    }
    ::close(fd);
    if (end == ConnectionEnd::Killed) {
      log("wasmscope: LLDB killed the guest");
      break;
    }
    if (end == ConnectionEnd::Detached) {
      log("wasmscope: LLDB detached; the guest runs on");
      break;
    }
    if (session.state() == debugger::SessionState::Exited) {
      log("wasmscope: LLDB disconnected");
      break;
    }
    log("wasmscope: LLDB disconnected; waiting for the next client on " + listener->describe());
  }
  session.waitForExit();
  // The guest thread delivers its last events (output, then Exited) after
  // it has finished: join it so that they reach `output` before we return.
  (void)session.disconnect();
  return session.exitCode().value_or(debugger::kTerminatedExitCode);
}

} // namespace wasmscope::gdbstub
