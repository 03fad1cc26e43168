// The state one DAP client shares across requests: its debugger::Session, the
// client's conventions (line and column bases), what was negotiated, and the
// translation of Session events into DAP events. Handlers reach the session
// only through here; nothing in dap-server touches the interpreter.
#pragma once

#include "HandleTable.h"
#include "MessageWriter.h"
#include "Protocol/Requests.h"
#include "Protocol/Responses.h"
#include "Protocol/Types.h"

#include "wasmscope/dap/Server.h"
#include "wasmscope/session/Session.h"

#include <atomic>
#include <map>
#include <vector>
#include <memory>
#include <span>
#include <mutex>
#include <optional>
#include <string>

namespace wasmscope::dap {

/// Error ids in ErrorResponse.body.error.id, by what went wrong.
enum class ErrorId : int {
  MalformedRequest = 1, ///< Not a request envelope (no command, bad seq, ...).
  UnknownCommand = 2,
  InvalidArguments = 3, ///< Arguments failed to parse; message has the path.
  RequestFailed = 4,    ///< The session refused or failed the request.
  InternalError = 5,    ///< An exception escaped a handler (a bug).
  WrongOrder = 6,       ///< Before `initialize` or `launch`, or a second `initialize`.
  NotAuthenticated = 7, ///< A server that needs a token has not been given it.
};

/// What the client said in `initialize`.
struct ClientSettings {
  bool linesStartAt1 = true;
  bool columnsStartAt1 = true;
  bool supportsMemoryReferences = false;
  std::string clientName;
};

/// The last trap the guest stopped on, for `exceptionInfo`.
struct ExceptionStop {
  std::string description;
  std::string text;
};

class Adapter {
public:
  /// `shared`: serve a session another front end owns and has launched (the
  /// inspector), instead of one of the adapter's own: the client attaches to
  /// it, and leaving does not end it (see SharedSession.h).
  Adapter(MessageWriter& writer, const ServerOptions& options = {},
          debugger::Session* shared = nullptr);
  /// Ends the session as shutdown() does.
  ~Adapter();

  MessageWriter& writer() { return m_writer; }
  debugger::Session& session() { return *m_session; }
  ClientSettings& client() { return m_client; }

  /// Forwards a session event as DAP events; called on the guest thread.
  void onSessionEvent(const debugger::Event& event);

  /// Serving a session another front end owns.
  bool shared() const { return m_ownSession == nullptr; }
  /// Shared: tells the client, with `breakpoint` events, of the line
  /// breakpoints it does not know as they are: new ones (the other front
  /// end set them), changed and removed ones. Thread-safe.
  void syncBreakpoints();
  /// Shared: a setBreakpoints that replaces only the breakpoints of
  /// `sourcePath` the client knows (set or was told of); the other front
  /// end's stay. Returns the placement of `requested`, in order.
  runtime::Result<std::vector<debugger::Breakpoint>>
  setSharedBreakpoints(const std::string& sourcePath,
                       const std::vector<debugger::SourceBreakpoint>& requested);

  // Lines and columns, between the client's base and ours (1-based).
  int64_t lineToClient(uint32_t line) const;
  int64_t columnToClient(uint32_t column) const;
  /// 0 when the client's value is below its base.
  uint32_t lineFromClient(int64_t line) const;

  const ServerOptions& options() const { return m_options; }

  /// `initialize` was answered successfully.
  bool initialized() const { return m_initialized; }
  void setInitialized() { m_initialized = true; }
  /// False while the server needs a token (ServerOptions::token) and the
  /// client has not sent it.
  bool authenticated() const { return m_authenticated; }
  /// Checks a client's token: an error (and the connection is to be closed)
  /// when the server needs one and this is not it.
  runtime::Result<void> authenticate(const std::string& token);

  bool launched() const { return m_launched; }
  void setLaunched() { m_launched = true; }
  bool noDebug() const { return m_noDebug; }
  void setNoDebug(bool value) { m_noDebug = value; }
  /// Host fd opened for the guest's stdin (closed with the adapter).
  void setStdinFd(int fd);
  /// Rewinds the guest's stdin file, so that a restarted guest reads it again.
  void rewindStdin();

  std::optional<ExceptionStop> lastException() const;

  /// Client-side numbers for the session's frame ids and variables
  /// references (see HandleTable.h); cleared at every stop.
  HandleTable& frames() { return m_frames; }
  HandleTable& references() { return m_references; }
  /// The session's frame id for a client's, or an error naming it.
  runtime::Result<int64_t> sessionFrame(int64_t clientFrameId) const;
  /// The session's variables reference for a client's, or an error.
  runtime::Result<int64_t> sessionReference(int64_t clientReference) const;

  /// An error unless `threadId` names the guest's thread.
  runtime::Result<void> checkThread(int64_t threadId) const;

  /// Set by `disconnect`: the server stops reading once its response is out.
  bool disconnectRequested() const { return m_disconnect; }
  void requestDisconnect() { m_disconnect = true; }

  /// Ends the session: terminates the guest and waits for its thread, at
  /// most ServerOptions::guestStopTimeout. False when the guest had to be
  /// abandoned (blocked in a host call); the client is told in an `output`
  /// event. Idempotent.
  bool shutdown();

private:
  MessageWriter& m_writer;
  ServerOptions m_options;
  /// The adapter's own session; null when it serves a shared one.
  std::unique_ptr<debugger::Session> m_ownSession;
  debugger::Session* m_session = nullptr;
  /// Shared: the line breakpoints the client knows, by id, as it knows them.
  std::mutex m_syncMutex;
  std::map<int64_t, debugger::Breakpoint> m_known;
  /// Shared: whether the client was told of the current stop (reset by the
  /// next resume), so that a stop reported twice reaches it once.
  std::mutex m_stopMutex;
  bool m_stopSent = false;
  ClientSettings m_client;
  bool m_initialized = false;
  bool m_authenticated = false;
  bool m_guestAbandoned = false;
  std::atomic<bool> m_launched{false};
  std::atomic<bool> m_noDebug{false};
  std::atomic<bool> m_disconnect{false};
  int m_stdinFd = -1;
  HandleTable m_frames;
  HandleTable m_references;
  mutable std::mutex m_mutex; ///< Guards m_lastException.
  std::optional<ExceptionStop> m_lastException;
};

/// The id of the one module in `modules` and in stack frames' `moduleId`.
std::string moduleId();

/// A DAP Source for a path from the debug info ("" gives nullopt). A
/// non-zero `sourceReference` tells the client to ask for its text.
std::optional<protocol::Source> makeSource(const std::string& path, const std::string& name = {},
                                           int64_t sourceReference = 0);
/// A session variable as DAP shows it (its reference mapped for the client).
protocol::Variable toProtocol(const debugger::VariableNode& variable, Adapter& adapter);
/// A session breakpoint as DAP shows it.
protocol::Breakpoint toProtocol(const debugger::Breakpoint& breakpoint, const Adapter& adapter,
                                bool pending);
/// A set*Breakpoints response: the session's breakpoints as DAP shows them.
protocol::SetBreakpointsBody toProtocol(std::span<const debugger::Breakpoint> placed,
                                        const Adapter& adapter);
/// A set*Breakpoints response in a run without debugging: `count` failed
/// breakpoints that say why.
protocol::SetBreakpointsBody breakpointsOff(size_t count);

} // namespace wasmscope::dap
