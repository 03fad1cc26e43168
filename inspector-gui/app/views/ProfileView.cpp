// The Profile view: the function table (self, total, calls; sortable and
// searchable) above a flame graph of the call paths. Clicking a function
// selects it everywhere (its paths are outlined in the graph, its source
// opens); the graph zooms with the mouse wheel around the cursor, pans by
// dragging, and a double-click zooms to a path.
#include "Views.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace wasmscope::gui {

namespace {

/// Zooms [from, to) by `factor` around `anchor`, kept within [0, total].
void zoomRange(double& from, double& to, double anchor, double factor, double total) {
  double width = std::clamp((to - from) * factor, std::min(total, 10.0), total);
  double t = (anchor - from) / std::max(1e-9, to - from);
  from = anchor - t * width;
  to = from + width;
  if (from < 0) {
    to -= from;
    from = 0;
  }
  if (to > total) {
    from -= to - total;
    to = total;
  }
  from = std::max(0.0, from);
}

std::string percent(uint64_t part, uint64_t whole) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", whole ? 100.0 * double(part) / double(whole) : 0.0);
  return buffer;
}

} // namespace

void ProfileView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  const profiler::Profile* profile = model.profile();
  if (!profile) {
    std::string how = model.isLive()
                          ? "The profile appears when the program stops or ends. Press "
                            "Continue, or set a breakpoint in the Source view."
                          : "Open a profile saved by `wasmscope profile MODULE` "
                            "(`wasmscope inspect prog.profile.json`), or run a module live "
                            "with `wasmscope inspect MODULE`.";
    if (!model.profileError().empty())
      how = "The profiler reported: " + model.profileError();
    context.emptyState("No profile data", how);
    return;
  }
  ImGui::SetNextItemWidth(280);
  ImGui::InputTextWithHint("##search", "Search functions and files", m_search, sizeof m_search);
  ImGui::SameLine();
  ImGui::TextColored(toImVec4(palette::kDimText), "%s instructions in %s functions%s",
                     groupDigits(profile->totals.instructions).c_str(),
                     groupDigits(model.functions().rows().size()).c_str(),
                     model.profileFinal() ? "" : " (so far: the run is not over)");
  float tableHeight = std::floor(ImGui::GetContentRegionAvail().y * 0.42f);
  ImGui::BeginChild("functions", ImVec2(0, tableHeight));
  context.mark("profile.table", ImGui::GetWindowPos(),
               ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth(),
                      ImGui::GetWindowPos().y + ImGui::GetWindowHeight()));
  drawTable(context);
  ImGui::EndChild();
  drawFlameGraph(context);
}

void ProfileView::drawTable(ViewContext& context) {
  InspectorModel& model = context.model();
  FunctionTable& table = model.functions();
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("function table", 7, flags))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Function", ImGuiTableColumnFlags_WidthStretch, 3.0f,
                          int(ProfileColumn::Name));
  ImGui::TableSetupColumn("Self", ImGuiTableColumnFlags_DefaultSort |
                                      ImGuiTableColumnFlags_PreferSortDescending,
                          1.0f, int(ProfileColumn::Self));
  ImGui::TableSetupColumn("Self %", ImGuiTableColumnFlags_NoSort, 0.6f);
  ImGui::TableSetupColumn("Total", ImGuiTableColumnFlags_PreferSortDescending, 1.0f,
                          int(ProfileColumn::Total));
  ImGui::TableSetupColumn("Total %", ImGuiTableColumnFlags_NoSort, 0.6f);
  ImGui::TableSetupColumn("Calls", ImGuiTableColumnFlags_PreferSortDescending, 0.8f,
                          int(ProfileColumn::Calls));
  ImGui::TableSetupColumn("Location", 0, 1.4f, int(ProfileColumn::Location));
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
    if (specs->SpecsCount > 0) {
      m_sortColumn = ProfileColumn(specs->Specs[0].ColumnUserID);
      m_descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
    }
    specs->SpecsDirty = false;
    m_orderVersion = UINT64_MAX;
  }
  if (m_orderVersion != model.profileVersion() || m_orderSearch != m_search) {
    m_order = table.order(m_sortColumn, m_descending, m_search);
    m_orderVersion = model.profileVersion();
    m_orderSearch = m_search;
  }
  uint64_t total = std::max<uint64_t>(1, table.totalInstructions());
  ImGuiListClipper clipper;
  clipper.Begin(int(m_order.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const FunctionTableRow& row = table.rows()[m_order[size_t(i)]];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      bool selected = model.selection().function == row.frame;
      ImGui::PushID(int(row.frame));
      if (ImGui::Selectable(row.name.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns))
        model.selectFunction(row.frame);
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0))
        model.requestView(ViewId::Source);
      ImGui::PopID();
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(groupDigits(row.self).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(percent(row.self, total).c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::TextUnformatted(groupDigits(row.total).c_str());
      ImGui::TableSetColumnIndex(4);
      ImGui::TextUnformatted(percent(row.total, total).c_str());
      ImGui::TableSetColumnIndex(5);
      ImGui::TextUnformatted(groupDigits(row.calls).c_str());
      ImGui::TableSetColumnIndex(6);
      ImGui::TextColored(toImVec4(palette::kDimText), "%s", row.location.c_str());
    }
  }
  ImGui::EndTable();
}

void ProfileView::drawFlameGraph(ViewContext& context) {
  InspectorModel& model = context.model();
  const profiler::Profile& profile = *model.profile();
  FlameGraph& flame = model.flame();
  double total = double(std::max<uint64_t>(1, flame.totalWidth()));
  if (m_flameVersion != model.profileVersion()) {
    m_flameVersion = model.profileVersion();
    m_from = 0;
    m_to = total;
  }
  ImGui::TextColored(toImVec4(palette::kDimText),
                     "Call paths: callers above callees, widest first. Wheel zooms, drag pans, "
                     "double-click zooms to a path.");
  ImGui::SameLine();
  if (ImGui::SmallButton("Reset zoom")) {
    m_from = 0;
    m_to = total;
  }
  float rowHeight = ImGui::GetTextLineHeight() + 6.0f;
  ImGui::BeginChild("flame graph", ImVec2(0, 0), true, ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* list = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  float height = std::max(ImGui::GetContentRegionAvail().y,
                          float(flame.maxDepth()) * rowHeight + rowHeight);
  ImGui::InvisibleButton("flame canvas", ImVec2(width, height));
  context.mark("profile.flame", origin, ImVec2(origin.x + width, origin.y + height));
  bool hovered = ImGui::IsItemHovered();
  double span = std::max(1e-9, m_to - m_from);
  double perPixel = span / width;
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    double anchor = m_from + (io.MousePos.x - origin.x) * perPixel;
    zoomRange(m_from, m_to, anchor, std::pow(0.8, io.MouseWheel), total);
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 2.0f)) {
    double shift = -io.MouseDelta.x * perPixel;
    shift = std::clamp(shift, -m_from, total - m_to);
    m_from += shift;
    m_to += shift;
  }
  span = std::max(1e-9, m_to - m_from);
  perPixel = span / width;

  std::string search(m_search);
  uint32_t hoveredNode = 0;
  std::vector<uint32_t> nodes = flame.visible(uint64_t(m_from), uint64_t(std::ceil(m_to)), perPixel);
  for (uint32_t index : nodes) {
    const FlameNode& node = flame.nodes()[index];
    double x0 = (double(node.start) - m_from) / perPixel;
    double x1 = (double(node.start + node.width) - m_from) / perPixel;
    ImVec2 min(origin.x + float(std::max(x0, -1.0)), origin.y + float(node.depth) * rowHeight);
    ImVec2 max(origin.x + float(std::min(x1, double(width) + 1.0)), min.y + rowHeight - 1.0f);
    const profiler::Frame& frame = profile.frames[node.frame];
    Rgb color = frame.kind == profiler::FrameKind::Host
                    ? palette::kHostFrame
                    : palette::flameColor(nameHash(frame.name));
    bool matches = !search.empty() && containsIgnoringCase(frame.name, search);
    if (!search.empty() && !matches)
      color = palette::blend(color, palette::kPanel, 0.65);
    list->AddRectFilled(min, ImVec2(std::max(min.x + 1.0f, max.x - 1.0f), max.y), toImU32(color));
    if (node.frame == model.selection().function || index == model.selection().flameNode)
      list->AddRect(min, ImVec2(std::max(min.x + 1.0f, max.x - 1.0f), max.y),
                    IM_COL32(255, 255, 255, 255), 0.0f, 0, 2.0f);
    drawClippedLabel(list, min, max, frame.name, textOn(color));
    if (hovered && io.MousePos.x >= min.x && io.MousePos.x < max.x && io.MousePos.y >= min.y &&
        io.MousePos.y < max.y)
      hoveredNode = index;
  }
  if (hoveredNode) {
    const FlameNode& node = flame.nodes()[hoveredNode];
    const profiler::StackNode& stack = profile.stacks[node.stack];
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(profile.describeFrame(node.frame).c_str());
    ImGui::Separator();
    ImGui::Text("total %s instructions (%s of the run)", groupDigits(stack.totalInstructions).c_str(),
                percent(stack.totalInstructions, profile.totals.instructions).c_str());
    ImGui::Text("self  %s instructions", groupDigits(stack.selfInstructions).c_str());
    ImGui::Text("calls %s on this path", groupDigits(stack.calls).c_str());
    ImGui::EndTooltip();
    if (clickedWithoutDrag()) {
      model.selection().flameNode = hoveredNode;
      model.selectFunction(node.frame);
    }
    if (ImGui::IsMouseDoubleClicked(0)) {
      m_from = double(node.start);
      m_to = double(node.start + std::max<uint64_t>(node.width, 1));
    }
  }
  ImGui::EndChild();
}

} // namespace wasmscope::gui
