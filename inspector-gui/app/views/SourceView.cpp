// The Source view: one file, each line with its breakpoint gutter (click to
// set or clear), its number, its instruction count as a heat column, and
// the code. The current line (where the guest stopped) is highlighted.
// Lines are drawn through a list clipper: only the visible ones cost.
#include "Views.h"

#include <algorithm>
#include <cmath>

namespace wasmscope::gui {

void SourceView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  SourceModel& source = model.source();
  std::vector<std::string> files = model.sourceFiles();
  if (files.empty() && source.path().empty()) {
    context.emptyState(
        "No source",
        model.profile() || model.isLive()
            ? "The module has no DWARF line information. Build it with `-g` (clang-19 "
              "--target=wasm32-wasi -g) to see source lines, their instruction counts and "
              "breakpoints here."
            : "Run a module with `wasmscope inspect MODULE`, or open a saved profile, to see "
              "its source with per-line instruction counts.");
    return;
  }
  // The file chooser.
  ImGui::SetNextItemWidth(std::min(520.0f, ImGui::GetContentRegionAvail().x * 0.5f));
  std::string shown = source.path().empty() ? std::string("(choose a file)")
                                            : std::string(fileName(source.path()));
  if (ImGui::BeginCombo("##file", shown.c_str())) {
    for (const std::string& file : files) {
      if (ImGui::Selectable(file.c_str(), file == source.path()))
        model.showSource(file, 1);
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button("Hottest line")) {
    auto hottest = source.hottestLines(1);
    if (!hottest.empty())
      model.showSource(source.path(), hottest.front());
  }
  ImGui::SameLine();
  ImGui::TextColored(toImVec4(palette::kDimText), "%s",
                     source.maxHeat()
                         ? (groupDigits(source.fileInstructions()) + " instructions in this file")
                               .c_str()
                         : (model.isLive() ? "click the gutter to set a breakpoint" : ""));
  if (!m_error.empty())
    context.errorLine(m_error);
  if (!source.error().empty()) {
    context.errorLine(source.error());
    context.emptyState("Source file not readable",
                       "The debug info names " + source.path() +
                           ", which cannot be read here. Run the inspector where the sources "
                           "are, or copy them to that path.");
    return;
  }
  if (!source.loaded())
    return;

  ImGui::BeginChild("source text", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  if (context.fonts().mono)
    ImGui::PushFont(context.fonts().mono);
  float lineHeight = ImGui::GetTextLineHeightWithSpacing();
  if (uint32_t scroll = model.takeSourceScroll(); scroll > 0)
    ImGui::SetScrollY(std::max(0.0f, (float(scroll) - 1) * lineHeight -
                                         ImGui::GetWindowHeight() * 0.35f));
  ImDrawList* list = ImGui::GetWindowDrawList();
  float charWidth = ImGui::CalcTextSize("0").x;
  float gutter = lineHeight;
  float numbers = charWidth * float(std::to_string(source.lineCount()).size() + 1);
  float heatWidth = charWidth * 9;
  uint32_t current = model.currentLine();
  uint64_t maxHeat = std::max<uint64_t>(1, source.maxHeat());
  ImGuiListClipper clipper;
  clipper.Begin(int(source.lineCount()), lineHeight);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      uint32_t line = uint32_t(i + 1);
      ImVec2 pos = ImGui::GetCursorScreenPos();
      float rowWidth = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetWindowWidth());
      if (line == current)
        list->AddRectFilled(pos, ImVec2(pos.x + rowWidth, pos.y + lineHeight),
                            toImU32(palette::kCurrentLine));
      // Gutter: a click sets or clears a breakpoint.
      ImGui::PushID(i);
      if (ImGui::InvisibleButton("gutter", ImVec2(gutter, lineHeight))) {
        auto toggled = model.toggleBreakpoint(line);
        if (!toggled.ok())
          m_error = toggled.error().message;
        else
          m_error.clear();
      }
      bool gutterHovered = ImGui::IsItemHovered();
      ImGui::PopID();
      ImVec2 centre(pos.x + gutter * 0.5f, pos.y + lineHeight * 0.5f);
      float radius = lineHeight * 0.3f;
      if (const GutterBreakpoint* bp = source.breakpointAt(line)) {
        if (bp->verified)
          list->AddCircleFilled(centre, radius, toImU32(palette::kBreakpoint));
        else
          list->AddCircle(centre, radius, toImU32(palette::kBreakpoint), 0, 2.0f);
        if (gutterHovered && !bp->message.empty())
          ImGui::SetTooltip("%s", bp->message.c_str());
      } else if (gutterHovered && model.isLive()) {
        list->AddCircle(centre, radius, toImU32(palette::kBreakpoint, 140), 0, 1.5f);
      }
      if (line == current)
        list->AddTriangleFilled(ImVec2(pos.x + 2, pos.y + 3), ImVec2(pos.x + 2, pos.y + lineHeight - 3),
                                ImVec2(pos.x + gutter - 2, centre.y), toImU32(palette::kPossible));
      // Line number.
      ImGui::SameLine(0, 0);
      std::string number = std::to_string(line);
      ImVec2 numberPos(pos.x + gutter + numbers - charWidth * float(number.size() + 1), pos.y);
      list->AddText(numberPos, toImU32(source.hasCode(line) ? palette::kText : palette::kDimText),
                    number.c_str());
      // Heat.
      uint64_t heat = source.heat(line);
      float heatX = pos.x + gutter + numbers;
      if (line == current)
        context.mark("source.current", pos, ImVec2(pos.x + rowWidth, pos.y + lineHeight));
      if (source.breakpointAt(line))
        context.mark("source.breakpoint", pos, ImVec2(pos.x + gutter, pos.y + lineHeight),
                     std::to_string(line));
      if (heat)
        context.mark("source.heat", ImVec2(heatX, pos.y), ImVec2(heatX + heatWidth, pos.y + lineHeight),
                     std::to_string(line));
      if (heat) {
        double ratio = std::sqrt(double(heat) / double(maxHeat));
        Rgb color = palette::blend(palette::kHeatCold, palette::kHeatHot, ratio);
        list->AddRectFilled(ImVec2(heatX, pos.y + 1),
                            ImVec2(heatX + std::max(2.0f, float(ratio) * (heatWidth - 4)),
                                   pos.y + lineHeight - 1),
                            toImU32(color));
        list->AddText(ImVec2(heatX + 2, pos.y), textOn(color), shortCount(heat).c_str());
      }
      // Code.
      std::string_view text = source.line(line);
      ImGui::SetCursorScreenPos(ImVec2(heatX + heatWidth + charWidth, pos.y));
      ImGui::TextUnformatted(text.data(), text.data() + text.size());
    }
  }
  if (context.fonts().mono)
    ImGui::PopFont();
  ImGui::EndChild();
}

} // namespace wasmscope::gui
