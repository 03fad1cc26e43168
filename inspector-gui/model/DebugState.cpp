// Following the session's state and reading a stop (see DebugState.h).
#include "DebugState.h"

#include "FunctionTable.h"

namespace wasmscope::gui {

using namespace wasmscope::debugger;

void DebugState::onEvent(const Event& event) {
  ++m_version;
  if (const auto* stopped = event.as<StoppedEvent>()) {
    m_state = SessionState::Stopped;
    m_stop = *stopped;
    m_frames.clear();
    m_scopes.clear();
    m_children.clear();
  } else if (event.is<ContinuedEvent>()) {
    m_state = SessionState::Running;
    m_stop.reset();
    m_frames.clear();
    m_scopes.clear();
    m_children.clear();
  } else if (const auto* exited = event.as<ExitedEvent>()) {
    m_state = SessionState::Exited;
    m_exitCode = exited->exitCode;
    m_stop.reset();
    m_frames.clear();
    m_scopes.clear();
    m_children.clear();
  } else if (event.is<TerminatedEvent>()) {
    m_state = SessionState::Exited;
  }
}

void DebugState::refresh(Session& session) {
  ++m_version;
  m_frames.clear();
  m_scopes.clear();
  m_children.clear();
  m_error.clear();
  auto trace = session.stackTrace();
  if (!trace.ok()) {
    m_error = trace.error().message;
    return;
  }
  m_frames = std::move(trace->frames);
  // The innermost frame with source, as debuggers select it.
  m_selectedFrame = 0;
  for (size_t i = 0; i < m_frames.size(); ++i)
    if (m_frames[i].hasSource) {
      m_selectedFrame = i;
      break;
    }
  selectFrame(session, m_selectedFrame);
}

void DebugState::selectFrame(Session& session, size_t index) {
  ++m_version;
  m_scopes.clear();
  if (index >= m_frames.size())
    return;
  m_selectedFrame = index;
  auto scopes = session.scopes(m_frames[index].id);
  if (!scopes.ok()) {
    m_error = scopes.error().message;
    return;
  }
  m_scopes = std::move(*scopes);
}

const std::vector<VariableNode>& DebugState::children(Session& session,
                                                      VariablesReference reference) {
  auto it = m_children.find(reference);
  if (it != m_children.end())
    return it->second;
  std::vector<VariableNode>& out = m_children[reference];
  // Large arrays are paged by the session; the view shows the first page.
  auto read = session.variables(reference, VariablesFilter::All, 0, 1000);
  if (read.ok())
    out = std::move(*read);
  else
    m_error = read.error().message;
  return out;
}

std::string DebugState::summary() const {
  switch (m_state) {
  case SessionState::Idle:
    return "not started";
  case SessionState::Configuring:
    return "starting";
  case SessionState::Running:
    return "running";
  case SessionState::Exited:
    return m_exitCode ? "exited with status " + std::to_string(*m_exitCode) : "exited";
  case SessionState::Stopped:
    break;
  }
  std::string text = "stopped";
  if (m_stop)
    text += std::string(" (") + stopReasonName(m_stop->reason) + ")";
  if (m_selectedFrame < m_frames.size()) {
    const StackFrame& frame = m_frames[m_selectedFrame];
    text += " in " + frame.name;
    if (frame.hasSource)
      text += " at " + frame.sourceName + ":" + std::to_string(frame.line);
  }
  if (m_stop && m_stop->reason == StopReason::Exception && !m_stop->text.empty())
    text += ": " + m_stop->text;
  return text;
}

} // namespace wasmscope::gui
