// The Debug view: where the stopped guest is (its stack frames; clicking one
// shows its source and variables), the selected frame's variables as a tree
// (expanded on demand), and the console with the guest's stdout and stderr.
// The controls (continue, pause, steps) are on the window's toolbar, so they
// work from every view.
#include "Views.h"

#include "wasmscope/session/Session.h"

#include <cmath>

namespace wasmscope::gui {

using namespace wasmscope::debugger;

namespace {

void drawVariableTree(ViewContext& context, Session& session, const VariableNode& node, int depth) {
  DebugState& debug = context.model().debug();
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanFullWidth;
  if (node.variablesReference == 0)
    flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
  bool open = ImGui::TreeNodeEx(node.name.c_str(), flags);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextUnformatted(node.value.c_str());
  ImGui::TableSetColumnIndex(2);
  ImGui::TextColored(toImVec4(palette::kDimText), "%s", node.type.c_str());
  if (open && node.variablesReference != 0) {
    if (depth < 12)
      for (const VariableNode& child : debug.children(session, node.variablesReference)) {
        ImGui::PushID(&child);
        drawVariableTree(context, session, child, depth + 1);
        ImGui::PopID();
      }
    ImGui::TreePop();
  }
}

} // namespace

void DebugView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  Session* session = model.session();
  if (!session) {
    context.emptyState("No live session",
                       "This is a saved profile: there is no program to debug. Run "
                       "`wasmscope inspect MODULE [ARGS...]` to debug it live (add "
                       "`--stop-on-entry` to stop before it starts, or click the Source "
                       "view's gutter to set breakpoints).");
    return;
  }
  DebugState& debug = model.debug();
  float consoleHeight = std::floor(ImGui::GetContentRegionAvail().y * 0.42f);
  ImGui::BeginChild("where", ImVec2(0, -consoleHeight - 4), false);
  ImGui::Text("Program: %s", debug.summary().c_str());
  if (!debug.error().empty())
    context.errorLine(debug.error());
  if (debug.state() != SessionState::Stopped) {
    ImGui::TextColored(toImVec4(palette::kDimText),
                       debug.state() == SessionState::Running
                           ? "Frames and variables show while the program is stopped: press "
                             "Pause, or set a breakpoint in the Source view."
                           : "The program is not stopped.");
  } else {
    float framesWidth = std::floor(ImGui::GetContentRegionAvail().x * 0.4f);
    ImGui::BeginChild("frames", ImVec2(framesWidth, 0), true);
    context.mark("debug.frames", ImGui::GetWindowPos(),
                 ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth(),
                        ImGui::GetWindowPos().y + ImGui::GetWindowHeight()));
    ImGui::TextUnformatted("Call stack");
    ImGui::Separator();
    const auto& frames = debug.frames();
    for (size_t i = 0; i < frames.size(); ++i) {
      const StackFrame& frame = frames[i];
      std::string label = frame.name;
      if (frame.inlined)
        label += " [inlined]";
      std::string where = frame.hasSource
                              ? frame.sourceName + ":" + std::to_string(frame.line)
                              : formatAddress(frame.address);
      ImGui::PushID(int(i));
      if (ImGui::Selectable(label.c_str(), debug.selectedFrame() == i))
        model.selectStackFrame(i);
      ImGui::SameLine(framesWidth * 0.6f);
      ImGui::TextColored(toImVec4(frame.hasSource ? palette::kText : palette::kDimText), "%s",
                         where.c_str());
      ImGui::PopID();
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("variables", ImVec2(0, 0), true);
    drawVariables(context);
    ImGui::EndChild();
  }
  ImGui::EndChild();
  drawConsole(context);
}

void DebugView::drawVariables(ViewContext& context) {
  InspectorModel& model = context.model();
  Session& session = *model.session();
  DebugState& debug = model.debug();
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY;
  if (!ImGui::BeginTable("variables", 3, flags))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (const FrameScope& scope : debug.scopes()) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::PushID(scope.name.c_str());
    if (scope.kind == FrameScopeKind::Locals)
      ImGui::SetNextItemOpen(true, ImGuiCond_Once);
    bool open = ImGui::TreeNodeEx(scope.name.c_str(), ImGuiTreeNodeFlags_SpanFullWidth);
    if (open) {
      for (const VariableNode& node : debug.children(session, scope.variablesReference)) {
        ImGui::PushID(&node);
        drawVariableTree(context, session, node, 0);
        ImGui::PopID();
      }
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void DebugView::drawConsole(ViewContext& context) {
  Console& console = context.model().console();
  ImGui::TextUnformatted("Console");
  ImGui::SameLine();
  ImGui::TextColored(toImVec4(palette::kDimText), "(stdout, stderr in red, debugger notes dimmed)");
  ImGui::SameLine();
  if (ImGui::SmallButton("Clear"))
    console.clear();
  ImGui::BeginChild("console", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  context.mark("debug.console", ImGui::GetWindowPos(),
               ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth(),
                      ImGui::GetWindowPos().y + ImGui::GetWindowHeight()));
  if (context.fonts().mono)
    ImGui::PushFont(context.fonts().mono);
  if (console.lines().empty())
    ImGui::TextColored(toImVec4(palette::kDimText), "No output yet.");
  const auto& lines = console.lines();
  ImGuiListClipper clipper;
  clipper.Begin(int(lines.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const ConsoleLine& line = lines[size_t(i)];
      Rgb color = line.category == OutputCategory::Stderr    ? palette::kLeaked
                  : line.category == OutputCategory::Console ? palette::kDimText
                                                             : palette::kText;
      ImGui::PushStyleColor(ImGuiCol_Text, toImVec4(color));
      ImGui::TextUnformatted(line.text.data(), line.text.data() + line.text.size());
      ImGui::PopStyleColor();
    }
  // Follow new output, unless the user scrolled up to read.
  if (console.version() != m_consoleVersion) {
    bool atEnd = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4.0f;
    m_consoleVersion = console.version();
    if (atEnd)
      ImGui::SetScrollHereY(1.0f);
  }
  if (context.fonts().mono)
    ImGui::PopFont();
  ImGui::EndChild();
}

} // namespace wasmscope::gui
