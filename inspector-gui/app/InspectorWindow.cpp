// The window's layout: toolbar, view tabs, status line (see
// InspectorWindow.h).
#include "InspectorWindow.h"

#include "LiveRun.h"

#include "wasmscope/session/Session.h"

#include <cstdio>

namespace wasmscope::gui {

using debugger::SessionState;

namespace {

constexpr const char* kTabLabels[kViewCount] = {"Memory",  "Allocations", "Heap timeline",
                                                "Call trace", "Profile", "Source",
                                                "Debug",   "Module"};

} // namespace

InspectorWindow::InspectorWindow(InspectorModel& model, Fonts fonts) : m_context(model, fonts) {}

void InspectorWindow::report(const runtime::Result<void>& result) {
  m_lastError = result.ok() ? std::string() : result.error().message;
}

void InspectorWindow::continueRun() {
  if (auto* s = m_context.model().session())
    report(s->resume());
}
void InspectorWindow::pause() {
  if (auto* s = m_context.model().session())
    report(s->pause());
}
void InspectorWindow::stepOver() {
  if (auto* s = m_context.model().session())
    report(s->next());
}
void InspectorWindow::stepInto() {
  if (auto* s = m_context.model().session())
    report(s->stepIn());
}
void InspectorWindow::stepOut() {
  if (auto* s = m_context.model().session())
    report(s->stepOut());
}
void InspectorWindow::restart() {
  if (LiveRun* live = m_context.model().live()) {
    m_context.model().console().append(debugger::OutputCategory::Console,
                                       "--- restarting ---\n");
    report(live->restart());
  }
}
void InspectorWindow::stop() {
  if (auto* s = m_context.model().session())
    report(s->terminate());
}

void InspectorWindow::drawToolbar() {
  InspectorModel& model = m_context.model();
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(toImVec4(palette::kAccent), "wasmscope");
  ImGui::SameLine();
  ImGui::TextUnformatted(model.title().c_str());
  if (!model.isLive())
    return;
  SessionState state = model.debug().state();
  bool stopped = state == SessionState::Stopped;
  bool running = state == SessionState::Running;
  bool over = state == SessionState::Exited;
  ImGui::SameLine(0, 24);
  ImGui::BeginDisabled(!stopped);
  if (ImGui::Button("Continue"))
    continueRun();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Continue (F5)");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!running);
  if (ImGui::Button("Pause"))
    pause();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Pause (F6)");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!stopped);
  if (ImGui::Button("Step over"))
    stepOver();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Step over (F10)");
  ImGui::SameLine();
  if (ImGui::Button("Step into"))
    stepInto();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Step into (F11)");
  ImGui::SameLine();
  if (ImGui::Button("Step out"))
    stepOut();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Step out (Shift+F11)");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Restart"))
    restart();
  ImGui::SameLine();
  ImGui::BeginDisabled(over);
  if (ImGui::Button("Stop"))
    stop();
  ImGui::EndDisabled();
  ImGui::SameLine(0, 24);
  Rgb stateColor = stopped ? palette::kPossible : running ? palette::kLive : palette::kDimText;
  ImGui::TextColored(toImVec4(stateColor), "%s", model.debug().summary().c_str());
}

void InspectorWindow::drawStatusLine() {
  InspectorModel& model = m_context.model();
  std::string text;
  if (const profiler::Profile* p = model.profile()) {
    text = groupDigits(p->totals.instructions) + " instructions, " +
           groupDigits(p->totals.calls) + " calls";
    if (!model.profileFinal())
      text += " so far";
  } else if (!model.profileError().empty()) {
    text = "profile: " + model.profileError();
  }
  if (!m_statusNote.empty())
    text += (text.empty() ? "" : "   |   ") + m_statusNote;
  if (!m_lastError.empty()) {
    ImGui::TextColored(toImVec4(palette::kLeaked), "%s", m_lastError.c_str());
    ImGui::SameLine(0, 24);
  }
  ImGui::TextColored(toImVec4(palette::kDimText), "%s", text.c_str());
}

std::string InspectorWindow::marksJson() const {
  auto quote = [](const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\')
        out += '\\';
      if (static_cast<unsigned char>(c) < 0x20)
        continue;
      out += c;
    }
    return out + "\"";
  };
  std::string json = "{\"view\": " + quote(viewName(m_current)) + ", \"marks\": [";
  bool first = true;
  for (const LayoutMark& mark : m_context.marks()) {
    json += first ? "\n  " : ",\n  ";
    first = false;
    char rect[128];
    std::snprintf(rect, sizeof rect, "\"x0\": %.1f, \"y0\": %.1f, \"x1\": %.1f, \"y1\": %.1f",
                  mark.min.x, mark.min.y, mark.max.x, mark.max.y);
    json += "{\"name\": " + quote(mark.name) + ", \"text\": " + quote(mark.text) + ", " + rect + "}";
  }
  return json + "\n]}\n";
}

void InspectorWindow::draw(ImVec2 size) {
  InspectorModel& model = m_context.model();
  m_context.beginFrame();
  if (auto request = model.takeViewRequest())
    m_pending = request;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(size);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                           ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("wasmscope inspector", nullptr, flags);
  drawToolbar();
  ImGui::Separator();
  float statusHeight = ImGui::GetFrameHeightWithSpacing();
  if (ImGui::BeginTabBar("views")) {
    for (int i = 0; i < kViewCount; ++i) {
      ImGuiTabItemFlags tabFlags = 0;
      if (m_pending && int(*m_pending) == i)
        tabFlags |= ImGuiTabItemFlags_SetSelected;
      if (ImGui::BeginTabItem(kTabLabels[i], nullptr, tabFlags)) {
        m_current = ViewId(i);
        ImGui::BeginChild("view", ImVec2(0, -statusHeight), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        switch (ViewId(i)) {
        case ViewId::Memory:
          m_memory.draw(m_context);
          break;
        case ViewId::Allocations:
          m_allocations.draw(m_context);
          break;
        case ViewId::Timeline:
          m_timeline.draw(m_context);
          break;
        case ViewId::CallTrace:
          m_callTrace.draw(m_context);
          break;
        case ViewId::Profile:
          m_profile.draw(m_context);
          break;
        case ViewId::Source:
          m_source.draw(m_context);
          break;
        case ViewId::Debug:
          m_debug.draw(m_context);
          break;
        case ViewId::Module:
          m_module.draw(m_context);
          break;
        }
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  m_pending.reset();
  ImGui::Separator();
  drawStatusLine();
  ImGui::End();
}

} // namespace wasmscope::gui
