// The Call trace view: every call of the recorded trace as a flame chart on
// the instruction-time axis (one row per call depth, outermost at the top),
// zoomable with the mouse wheel and draggable, with the selected call's
// stack beside it. Calls narrower than a pixel are drawn as runs
// (CallTraceModel::runs), so a million events draw in a frame.
#include "Views.h"

#include <algorithm>
#include <cmath>

namespace wasmscope::gui {

namespace {

/// Chooses a tick step of 1, 2 or 5 times a power of ten for ~`pixels`.
double tickStep(double perPixel, double pixels) {
  double raw = perPixel * pixels;
  double power = std::pow(10.0, std::floor(std::log10(std::max(raw, 1.0))));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (power * m >= raw)
      return power * m;
  return power * 10.0;
}

} // namespace

void CallTraceView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  CallTraceModel& trace = model.trace();
  const profiler::Profile* profile = model.profile();
  if (!profile || trace.empty()) {
    std::string how;
    if (!profile)
      how = model.isLive() ? "The call trace appears when the program stops or ends."
                           : "Open a profile recorded with `wasmscope profile --trace MODULE`, "
                             "or run a module live with `wasmscope inspect MODULE` (which "
                             "records the last million calls).";
    else
      how = "This profile has no call trace: record one with `wasmscope profile --trace`.";
    context.emptyState("No call trace", how);
    return;
  }
  if (m_version != model.profileVersion()) {
    m_version = model.profileVersion();
    m_from = double(trace.begin());
    m_to = double(std::max(trace.end(), trace.begin() + 1));
  }
  double begin = double(trace.begin());
  double end = double(std::max(trace.end(), trace.begin() + 1));

  ImGui::TextColored(toImVec4(palette::kDimText),
                     "%s calls over %s instructions%s. Wheel zooms, drag pans, click selects.",
                     groupDigits(trace.spans().size()).c_str(),
                     groupDigits(trace.end() - trace.begin()).c_str(),
                     trace.dropped() ? (", the last of " + groupDigits(trace.recorded() / 2) +
                                        " (older calls were dropped)")
                                           .c_str()
                                     : "");
  ImGui::SameLine();
  if (ImGui::SmallButton("Reset zoom")) {
    m_from = begin;
    m_to = end;
  }

  float stackWidth = std::min(360.0f, ImGui::GetContentRegionAvail().x * 0.3f);
  ImGui::BeginChild("chart", ImVec2(-stackWidth - 8.0f, 0), true,
                    ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* list = ImGui::GetWindowDrawList();
  float rowHeight = ImGui::GetTextLineHeight() + 6.0f;
  float rulerHeight = ImGui::GetTextLineHeight() + 6.0f;
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  float height = std::max(ImGui::GetContentRegionAvail().y,
                          rulerHeight + float(trace.depthCount()) * rowHeight + rowHeight);
  ImGui::InvisibleButton("trace canvas", ImVec2(width, height));
  context.mark("calltrace.chart", ImVec2(origin.x, origin.y + rulerHeight),
               ImVec2(origin.x + width, origin.y + height));
  bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  double perPixel = std::max(1e-9, (m_to - m_from) / width);
  if (hovered && io.MouseWheel != 0) {
    double anchor = m_from + (io.MousePos.x - origin.x) * perPixel;
    double span = std::clamp((m_to - m_from) * std::pow(0.8, io.MouseWheel), 10.0, end - begin);
    double t = (anchor - m_from) / (m_to - m_from);
    m_from = std::clamp(anchor - t * span, begin, end - span);
    m_to = m_from + span;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 2.0f)) {
    double shift = std::clamp(-io.MouseDelta.x * perPixel, begin - m_from, end - m_to);
    m_from += shift;
    m_to += shift;
  }
  perPixel = std::max(1e-9, (m_to - m_from) / width);

  // The ruler: instruction counts.
  double step = tickStep(perPixel, 110.0);
  for (double t = std::ceil(m_from / step) * step; t < m_to; t += step) {
    float x = origin.x + float((t - m_from) / perPixel);
    list->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + rulerHeight - 2), IM_COL32(120, 126, 138, 255));
    list->AddText(ImVec2(x + 3, origin.y), toImU32(palette::kDimText), shortCount(uint64_t(t)).c_str());
  }

  // Only the rows the child window shows.
  float top = origin.y + rulerHeight;
  ImVec2 clipMin = ImGui::GetWindowPos();
  ImVec2 clipMax(clipMin.x + ImGui::GetWindowWidth(), clipMin.y + ImGui::GetWindowHeight());
  uint32_t firstDepth = uint32_t(std::max(0.0f, (clipMin.y - top) / rowHeight));
  uint32_t lastDepth = std::min(trace.depthCount(), uint32_t((clipMax.y - top) / rowHeight) + 1);
  uint32_t hoveredSpan = UINT32_MAX;
  std::vector<uint32_t> selectedStack;
  if (model.selection().traceSpan != UINT32_MAX)
    selectedStack = trace.stackOf(model.selection().traceSpan);
  for (uint32_t depth = firstDepth; depth < lastDepth; ++depth) {
    float y = top + float(depth) * rowHeight;
    for (const CallRun& run : trace.runs(depth, uint64_t(m_from), uint64_t(std::ceil(m_to)), perPixel)) {
      const CallSpan& span = trace.spans()[run.span];
      const profiler::Frame& frame = profile->frames[span.frame];
      float x0 = origin.x + float(std::max(-1.0, (double(run.start) - m_from) / perPixel));
      float x1 = origin.x + float(std::min(double(width) + 1.0, (double(run.end) - m_from) / perPixel));
      x1 = std::max(x1, x0 + 1.0f);
      Rgb color = run.count > 1 ? palette::blend(palette::kFlameBase, palette::kPanel, 0.3)
                  : frame.kind == profiler::FrameKind::Host ? palette::kHostFrame
                                                              : palette::flameColor(nameHash(frame.name));
      ImVec2 min(x0, y), max(x1 - (x1 - x0 > 3 ? 1.0f : 0.0f), y + rowHeight - 1);
      list->AddRectFilled(min, max, toImU32(color));
      if (run.count == 1 && std::find(selectedStack.begin(), selectedStack.end(), run.span) !=
                                selectedStack.end())
        list->AddRect(min, max, IM_COL32(255, 255, 255, 255), 0, 0,
                      run.span == model.selection().traceSpan ? 2.0f : 1.0f);
      if (run.count == 1)
        drawClippedLabel(list, min, max, frame.name, textOn(color));
      if (hovered && io.MousePos.y >= min.y && io.MousePos.y < max.y && io.MousePos.x >= min.x &&
          io.MousePos.x < max.x)
        hoveredSpan = run.count == 1 ? run.span
                                     : trace.hit(depth, uint64_t(m_from + (io.MousePos.x - origin.x) * perPixel));
    }
  }
  if (hoveredSpan != UINT32_MAX) {
    const CallSpan& span = trace.spans()[hoveredSpan];
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(profile->describeFrame(span.frame).c_str());
    ImGui::Separator();
    ImGui::Text("%s instructions (from %s to %s)", groupDigits(span.end - span.start).c_str(),
                groupDigits(span.start).c_str(), groupDigits(span.end).c_str());
    if (span.openAtStart)
      ImGui::TextUnformatted("entered before the kept trace begins");
    if (span.openAtEnd)
      ImGui::TextUnformatted("still running when the trace ends");
    ImGui::EndTooltip();
    if (clickedWithoutDrag())
      model.selectTraceSpan(hoveredSpan);
    if (ImGui::IsMouseDoubleClicked(0)) {
      m_from = double(span.start);
      m_to = double(std::max(span.end, span.start + 10));
    }
  }
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::BeginChild("selected stack", ImVec2(0, 0), true);
  ImGui::TextUnformatted("Selected call");
  ImGui::Separator();
  if (selectedStack.empty()) {
    ImGui::TextColored(toImVec4(palette::kDimText), "Click a call to see its stack.");
  } else {
    const CallSpan& selected = trace.spans()[selectedStack.back()];
    ImGui::Text("%s instructions", groupDigits(selected.end - selected.start).c_str());
    ImGui::Text("entered at %s", groupDigits(selected.start).c_str());
    ImGui::Spacing();
    for (size_t i = selectedStack.size(); i-- > 0;) {
      const CallSpan& span = trace.spans()[selectedStack[i]];
      ImGui::PushID(int(i));
      std::string label = "#" + std::to_string(selectedStack.size() - 1 - i) + "  " +
                          profile->describeFrame(span.frame);
      if (ImGui::Selectable(label.c_str(), selectedStack[i] == model.selection().traceSpan))
        model.selectTraceSpan(selectedStack[i]);
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

} // namespace wasmscope::gui
