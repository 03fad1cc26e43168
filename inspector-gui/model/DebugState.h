// The Debug view's model: what the session looks like to the user right
// now (running, stopped where and why, exited with what), and while stopped
// the stack frames and the selected frame's variables, fetched from the
// session once per stop and on expanding a variable. Nothing here touches
// the interpreter: only the Session's requests.
#pragma once

#include "wasmscope/session/Session.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::gui {

class DebugState {
public:
  /// Follows a session event (state, stop reason, exit code).
  void onEvent(const debugger::Event& event);
  /// After a stop: reads frames and the selected frame's scopes. The guest
  /// may have resumed meanwhile (another front end); then it stays empty.
  void refresh(debugger::Session& session);
  /// Selects a frame and reads its variables.
  void selectFrame(debugger::Session& session, size_t index);
  /// The children of a variable (or scope), read once per stop.
  const std::vector<debugger::VariableNode>& children(debugger::Session& session,
                                                      debugger::VariablesReference reference);

  debugger::SessionState state() const { return m_state; }
  void setState(debugger::SessionState state) { m_state = state; }
  const std::optional<debugger::StoppedEvent>& stop() const { return m_stop; }
  std::optional<uint32_t> exitCode() const { return m_exitCode; }
  const std::vector<debugger::StackFrame>& frames() const { return m_frames; }
  size_t selectedFrame() const { return m_selectedFrame; }
  const std::vector<debugger::FrameScope>& scopes() const { return m_scopes; }
  /// Moves with every stop, resume and refresh.
  uint64_t version() const { return m_version; }
  /// A one-line summary: "stopped (breakpoint) in parse_request at
  /// request_handler.c:112", "running", "exited with status 0".
  std::string summary() const;
  /// The last error of a session request, for the view.
  const std::string& error() const { return m_error; }

private:
  debugger::SessionState m_state = debugger::SessionState::Idle;
  std::optional<debugger::StoppedEvent> m_stop;
  std::optional<uint32_t> m_exitCode;
  std::vector<debugger::StackFrame> m_frames;
  size_t m_selectedFrame = 0;
  std::vector<debugger::FrameScope> m_scopes;
  std::map<debugger::VariablesReference, std::vector<debugger::VariableNode>> m_children;
  uint64_t m_version = 0;
  std::string m_error;
};

} // namespace wasmscope::gui
