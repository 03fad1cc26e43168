// The Heap timeline view: live heap bytes over instruction time, with the
// exact peak and memory.grow events marked. Clicking or dragging in the
// plot scrubs to a moment (on release): the memory map and the allocations table then
// show the live set at that instruction, replayed from the heap log. The
// wheel zooms around the cursor; dragging with the right button pans.
#include "Views.h"

#include <algorithm>
#include <cmath>

namespace wasmscope::gui {

namespace {

/// Zooms [from, to) by `factor` around `anchor`, kept within [lo, hi].
void zoomRange(double& from, double& to, double anchor, double factor, double lo, double hi) {
  double width = std::clamp((to - from) * factor, std::min(hi - lo, 10.0), hi - lo);
  double t = (anchor - from) / std::max(1e-9, to - from);
  from = anchor - t * width;
  to = from + width;
  if (from < lo) {
    to += lo - from;
    from = lo;
  }
  if (to > hi) {
    from -= to - hi;
    to = hi;
  }
  from = std::max(lo, from);
}

} // namespace

void HeapTimelineView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  HeapTimeline& timeline = model.timeline();
  if (timeline.empty()) {
    context.emptyState("No heap timeline", memoryEmptyHow(model));
    return;
  }
  double lo = double(timeline.beginTime());
  double hi = double(std::max(timeline.endTime(), timeline.beginTime() + 1));
  if (m_shown != &timeline.points() || m_to <= m_from || m_to > hi || m_from < lo) {
    m_shown = &timeline.points();
    m_from = lo;
    m_to = hi;
  }
  const profiler::HeapPeak* peak = timeline.peak();
  ImGui::Text("Peak %s bytes in %s blocks at instruction %s", groupDigits(peak->bytes).c_str(),
              groupDigits(peak->blocks).c_str(), groupDigits(peak->time).c_str());
  ImGui::SameLine(0, 24);
  if (timeline.scrubbed()) {
    ImGui::Text("At instruction %s: %s bytes in %s blocks live", groupDigits(*timeline.scrubbed()).c_str(),
                groupDigits(timeline.liveBytes()).c_str(), groupDigits(timeline.liveSet().size()).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("Back to the end"))
      model.clearScrub();
  } else {
    ImGui::TextColored(toImVec4(palette::kDimText),
                       "Click or drag in the plot to see the live set at that moment");
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Go to the peak"))
    model.scrubTo(peak->time);
  ImGui::SameLine();
  if (ImGui::SmallButton("Whole run")) {
    m_from = lo;
    m_to = hi;
  }

  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float height = std::floor(avail.y * 0.5f);
  float width = avail.x;
  ImGui::InvisibleButton("plot", ImVec2(width, height),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  double span = std::max(1e-9, m_to - m_from);
  auto timeAt = [&](float x) { return m_from + double((x - origin.x) / width) * span; };
  auto xOf = [&](double t) { return origin.x + float((t - m_from) / span) * width; };
  if (hovered && io.MouseWheel != 0)
    zoomRange(m_from, m_to, timeAt(io.MousePos.x), io.MouseWheel > 0 ? 0.8 : 1.25, lo, hi);
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(1)) {
    double shift = -double(io.MouseDelta.x / width) * span;
    shift = std::clamp(shift, lo - m_from, hi - m_to);
    m_from += shift;
    m_to += shift;
  }
  // Dragging moves a cursor; the live set is replayed when the button is
  // released (with a million blocks, a replay and the map's rebuild take
  // about a second: not something to do every frame of a drag).
  if (ImGui::IsItemActive() && ImGui::IsMouseDown(0))
    m_dragTime = uint64_t(std::clamp(timeAt(io.MousePos.x), lo, hi));
  if (ImGui::IsItemDeactivated() && m_dragTime) {
    if (!timeline.scrubbed() || *m_dragTime != *timeline.scrubbed())
      model.scrubTo(*m_dragTime);
    m_dragTime.reset();
  }
  ImDrawList* list = ImGui::GetWindowDrawList();
  ImVec2 max(origin.x + width, origin.y + height);
  list->AddRectFilled(origin, max, toImU32(palette::kPanel));
  double scale = double(std::max<uint64_t>(1, timeline.maxBytes())) * 1.08;
  // One column a pixel: the most bytes live within it (peaks survive).
  const auto& points = timeline.points();
  int columns = int(width);
  for (int x = 0; x < columns; ++x) {
    double t0 = m_from + span * double(x) / double(columns);
    double t1 = m_from + span * double(x + 1) / double(columns);
    uint64_t bytes = timeline.bytesAt(uint64_t(t0));
    auto it = std::lower_bound(points.begin(), points.end(), uint64_t(t0),
                               [](const auto& p, uint64_t t) { return p.time < t; });
    for (; it != points.end() && double(it->time) < t1; ++it)
      bytes = std::max(bytes, it->bytes);
    if (!bytes)
      continue;
    float top = max.y - float(double(bytes) / scale) * height;
    list->AddRectFilled(ImVec2(origin.x + float(x), top), ImVec2(origin.x + float(x + 1), max.y),
                        toImU32(palette::kTimelineFill));
  }
  context.mark("timeline.plot", origin, max, std::to_string(points.size()));
  // memory.grow events: a line each, with a tick at the top.
  for (const profiler::GrowEvent& g : timeline.grows()) {
    if (double(g.time) < m_from || double(g.time) > m_to)
      continue;
    float x = std::floor(xOf(double(g.time)));
    list->AddLine(ImVec2(x, origin.y), ImVec2(x, max.y), toImU32(palette::kGrow), 1.0f);
    list->AddTriangleFilled(ImVec2(x - 5, origin.y), ImVec2(x + 5, origin.y),
                            ImVec2(x, origin.y + 8), toImU32(palette::kGrow));
  }
  // The exact peak.
  if (double(peak->time) >= m_from && double(peak->time) <= m_to) {
    float x = std::floor(xOf(double(peak->time)));
    float top = max.y - float(double(peak->bytes) / scale) * height;
    list->AddLine(ImVec2(x, origin.y), ImVec2(x, max.y), toImU32(palette::kPeak), 2.0f);
    list->AddCircleFilled(ImVec2(x, top), 4.0f, toImU32(palette::kPeak));
    std::string label = "peak " + groupDigits(peak->bytes) + " B";
    ImVec2 size = ImGui::CalcTextSize(label.c_str());
    float lx = std::min(x + 6, max.x - size.x - 4);
    list->AddText(ImVec2(lx, origin.y + 4), toImU32(palette::kPeak), label.c_str());
    context.mark("timeline.peak", ImVec2(x - 2, origin.y), ImVec2(x + 2, max.y),
                 std::to_string(peak->time));
  }
  if (timeline.scrubbed()) {
    float x = std::floor(xOf(double(*timeline.scrubbed())));
    list->AddLine(ImVec2(x, origin.y), ImVec2(x, max.y), toImU32(palette::kCursor), 1.0f);
    context.mark("timeline.cursor", ImVec2(x - 1, origin.y), ImVec2(x + 1, max.y),
                 std::to_string(*timeline.scrubbed()));
  }
  if (m_dragTime) {
    float x = std::floor(xOf(double(*m_dragTime)));
    list->AddLine(ImVec2(x, origin.y), ImVec2(x, max.y), toImU32(palette::kCursor, 140), 1.0f);
  }
  if (hovered) {
    double t = std::clamp(timeAt(io.MousePos.x), lo, hi);
    ImGui::BeginTooltip();
    ImGui::Text("instruction %s: %s bytes live", groupDigits(uint64_t(t)).c_str(),
                groupDigits(timeline.bytesAt(uint64_t(t))).c_str());
    ImGui::EndTooltip();
  }

  // The live set at the scrubbed moment (or at the end), by site.
  ImGui::Spacing();
  AllocationsModel& allocations = model.allocations();
  ImGui::TextUnformatted(timeline.scrubbed() ? "Live at the scrubbed moment, by site"
                                             : "At the end, by site (scrub the plot for another moment)");
  if (!ImGui::BeginTable("live set", 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                             ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Bytes", 0, 0.7f);
  ImGui::TableSetupColumn("Blocks", 0, 0.5f);
  ImGui::TableSetupColumn("Site", 0, 3.0f);
  ImGui::TableHeadersRow();
  // By the bytes shown (direct bytes), largest first.
  std::vector<size_t> order = allocations.order(AllocColumn::Bytes, true, "");
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return allocations.rows()[a].bytes > allocations.rows()[b].bytes;
  });
  ImVec2 top = ImGui::GetCursorScreenPos();
  ImGuiListClipper clipper;
  clipper.Begin(int(order.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const AllocationRow& row = allocations.rows()[order[size_t(i)]];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(i);
      if (ImGui::Selectable(groupDigits(row.bytes).c_str(),
                            model.selection().allocationRow == order[size_t(i)],
                            ImGuiSelectableFlags_SpanAllColumns))
        model.selectAllocation(order[size_t(i)], std::nullopt);
      ImGui::PopID();
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(groupDigits(row.blocks).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(row.site.c_str());
    }
  context.mark("timeline.live", top, ImVec2(top.x + width, ImGui::GetCursorScreenPos().y),
               std::to_string(order.size()));
  ImGui::EndTable();
}

} // namespace wasmscope::gui
