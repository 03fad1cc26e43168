// The inspector's whole window: a toolbar (what is shown, the debugger's
// controls and state), the views as tabs, and a status line. It draws into
// one ImGui window covering the viewport and knows nothing of the window
// system, so tests run it on ImGui's null backend.
#pragma once

#include "Views.h"

#include <optional>
#include <string>

namespace wasmscope::gui {

class InspectorWindow {
public:
  InspectorWindow(InspectorModel& model, Fonts fonts);

  /// Draws everything into a viewport of `size` pixels (between NewFrame
  /// and Render).
  void draw(ImVec2 size);
  /// Brings a view to the front (from --view, or a navigation).
  void showView(ViewId view) { m_pending = view; }
  ViewId currentView() const { return m_current; }
  /// A note for the status line (the DAP server's address, ...).
  void setStatusNote(std::string note) { m_statusNote = std::move(note); }

  // The debugger's controls (toolbar buttons and keyboard shortcuts).
  void continueRun();
  void pause();
  void stepOver();
  void stepInto();
  void stepOut();
  void restart();
  void stop();

  /// Where the parts of the last frame were drawn.
  const std::vector<LayoutMark>& marks() const { return m_context.marks(); }
  /// The marks as JSON, for `--layout` (tests check screenshots with it).
  std::string marksJson() const;

  ProfileView& profileView() { return m_profile; }
  MemoryView& memoryView() { return m_memory; }
  AllocationsView& allocationsView() { return m_allocations; }

private:
  void drawToolbar();
  void drawStatusLine();
  void report(const runtime::Result<void>& result);

  ViewContext m_context;
  MemoryView m_memory;
  AllocationsView m_allocations;
  HeapTimelineView m_timeline;
  CallTraceView m_callTrace;
  ProfileView m_profile;
  SourceView m_source;
  DebugView m_debug;
  ModuleView m_module;
  std::optional<ViewId> m_pending;
  ViewId m_current = ViewId::Profile;
  std::string m_statusNote;
  std::string m_lastError;
};

} // namespace wasmscope::gui
