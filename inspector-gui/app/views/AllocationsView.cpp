// The Allocations view: heap blocks by allocation site and class (the leak
// check's loss records at exit, or the live set by site at a scrubbed
// moment), sortable by each column and filtered by a site substring.
// Below the table, the selected row's source stack (a click opens the
// line), its blocks, and for the selected block the pointers the leak
// check found to it.
#include "Views.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>

namespace wasmscope::gui {

namespace {

Rgb classColor(AllocClass cls) {
  switch (cls) {
  case AllocClass::Definite:
  case AllocClass::Indirect:
    return palette::kLeaked;
  case AllocClass::Possible:
    return palette::kPossible;
  case AllocClass::Reachable:
  case AllocClass::Live:
    return palette::kLive;
  }
  return palette::kLive;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

} // namespace

void AllocationsView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  AllocationsModel& allocations = model.allocations();
  if (!model.profile() || !model.profile()->memory) {
    context.emptyState("No allocation data", memoryEmptyHow(model));
    return;
  }
  ImGui::SetNextItemWidth(280);
  ImGui::InputTextWithHint("##filter", "Filter by site (function or file)", m_filter,
                           sizeof m_filter);
  ImGui::SameLine();
  const profiler::MemoryProfile& m = *model.profile()->memory;
  if (allocations.time())
    ImGui::TextColored(toImVec4(palette::kDimText),
                       "live blocks by site at instruction %s (scrubbed in the Heap timeline)",
                       groupDigits(*allocations.time()).c_str());
  else if (allocations.leakChecked())
    ImGui::TextColored(toImVec4(palette::kDimText),
                       "loss records at exit: %s bytes definitely, %s indirectly, %s possibly "
                       "lost, %s still reachable%s",
                       groupDigits(m.summary.bytes[0]).c_str(), groupDigits(m.summary.bytes[1]).c_str(),
                       groupDigits(m.summary.bytes[2]).c_str(), groupDigits(m.summary.bytes[3]).c_str(),
                       allocations.suppressed()
                           ? (" (" + groupDigits(allocations.suppressed()) + " blocks suppressed)").c_str()
                           : "");
  else
    ImGui::TextColored(toImVec4(palette::kDimText), "live blocks by site at the end (no leak check)");
  if (allocations.empty()) {
    context.emptyState(allocations.leakChecked() ? "No leaks" : "No live blocks",
                       allocations.leakChecked()
                           ? "The leak check found every block freed: nothing to list. The Heap "
                             "timeline shows the blocks live at any moment of the run."
                           : "No block was live then.");
    return;
  }
  float tableHeight = std::floor(ImGui::GetContentRegionAvail().y * 0.5f);
  ImGui::BeginChild("allocation table", ImVec2(0, tableHeight));
  context.mark("allocations.table", ImGui::GetWindowPos(),
               ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth(),
                      ImGui::GetWindowPos().y + ImGui::GetWindowHeight()),
               std::to_string(allocations.rows().size()));
  drawTable(context);
  ImGui::EndChild();
  ImGui::BeginChild("allocation detail", ImVec2(0, 0));
  drawDetail(context);
  ImGui::EndChild();
}

void AllocationsView::drawTable(ViewContext& context) {
  InspectorModel& model = context.model();
  AllocationsModel& allocations = model.allocations();
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("allocations", 5, flags))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Class", 0, 1.0f, int(AllocColumn::Class));
  ImGui::TableSetupColumn("Bytes", ImGuiTableColumnFlags_DefaultSort |
                                       ImGuiTableColumnFlags_PreferSortDescending,
                          0.8f, int(AllocColumn::Bytes));
  ImGui::TableSetupColumn("Indirect", ImGuiTableColumnFlags_NoSort, 0.6f);
  ImGui::TableSetupColumn("Blocks", ImGuiTableColumnFlags_PreferSortDescending, 0.6f,
                          int(AllocColumn::Blocks));
  ImGui::TableSetupColumn("Site", 0, 3.0f, int(AllocColumn::Site));
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
    if (specs->SpecsCount > 0) {
      m_sortColumn = AllocColumn(specs->Specs[0].ColumnUserID);
      m_descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
    }
    specs->SpecsDirty = false;
    m_orderDirty = true;
  }
  // The rows are rebuilt whenever the model is (a new profile or a scrub).
  const void* rows = allocations.rows().data();
  if (m_orderDirty || rows != m_orderRows || allocations.rows().size() != m_orderCount ||
      m_orderFilter != m_filter) {
    m_order = allocations.order(m_sortColumn, m_descending, m_filter);
    m_orderRows = rows;
    m_orderCount = allocations.rows().size();
    m_orderFilter = m_filter;
    m_orderDirty = false;
  }
  ImGuiListClipper clipper;
  clipper.Begin(int(m_order.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      size_t index = m_order[size_t(i)];
      const AllocationRow& row = allocations.rows()[index];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(int(index));
      bool selected = model.selection().allocationRow == index;
      // Suppressed records (expected leaks, hidden by reports) are dimmed.
      ImGui::PushStyleColor(ImGuiCol_Text, toImVec4(row.suppressedBy.empty() ? classColor(row.cls)
                                                                              : palette::kDimText));
      std::string label = allocClassName(row.cls);
      if (!row.suppressedBy.empty())
        label += " (suppressed)";
      if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns))
        model.selectAllocation(index, std::nullopt);
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0))
        model.requestView(ViewId::Memory);
      ImGui::PopID();
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(groupDigits(row.bytes).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(row.indirectBytes ? groupDigits(row.indirectBytes).c_str() : "");
      ImGui::TableSetColumnIndex(3);
      ImGui::TextUnformatted(groupDigits(row.blocks).c_str());
      ImGui::TableSetColumnIndex(4);
      ImGui::TextUnformatted(row.site.c_str());
    }
  }
  ImGui::EndTable();
}

void AllocationsView::drawDetail(ViewContext& context) {
  InspectorModel& model = context.model();
  AllocationsModel& allocations = model.allocations();
  const Selection& selection = model.selection();
  if (!selection.allocationRow || *selection.allocationRow >= allocations.rows().size()) {
    ImGui::TextColored(toImVec4(palette::kDimText),
                       "Select a row for its source stack, its blocks and what points at them.");
    return;
  }
  size_t rowIndex = *selection.allocationRow;
  const AllocationRow& row = allocations.rows()[rowIndex];
  float half = std::floor(ImGui::GetContentRegionAvail().x * 0.5f);
  ImGui::BeginChild("stack", ImVec2(half, 0));
  ImGui::Text("%s: %s bytes in %s blocks", allocClassName(row.cls), groupDigits(row.bytes).c_str(),
              groupDigits(row.blocks).c_str());
  if (!row.suppressedBy.empty())
    ImGui::TextColored(toImVec4(palette::kDimText), "suppressed by %s", row.suppressedBy.c_str());
  ImVec2 stackTop = ImGui::GetCursorScreenPos();
  std::vector<AllocFrame> frames = allocations.stack(rowIndex);
  for (size_t i = 0; i < frames.size(); ++i) {
    ImGui::PushID(int(i));
    std::string text = (i == 0 ? "at " : "by ") + frames[i].text();
    if (ImGui::Selectable(text.c_str(), false) && !frames[i].file.empty()) {
      model.showSource(frames[i].file, frames[i].line);
      model.requestView(ViewId::Source);
    }
    ImGui::PopID();
  }
  context.mark("allocations.stack", stackTop,
               ImVec2(stackTop.x + half, ImGui::GetCursorScreenPos().y),
               frames.size() > 1 ? frames[1].text() : "");
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("blocks");
  ImGui::TextUnformatted("Blocks");
  ImGui::BeginChild("block list", ImVec2(0, std::floor(ImGui::GetContentRegionAvail().y * 0.5f)),
                    true);
  ImGuiListClipper clipper;
  clipper.Begin(int(row.members.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const AllocBlockRef& b = row.members[size_t(i)];
      std::string text = hex(b.block.address) + "  " + groupDigits(b.block.size) + " bytes  #" +
                         groupDigits(b.block.serial);
      ImGui::PushID(i);
      if (ImGui::Selectable(text.c_str(), selection.allocationBlock == size_t(i)))
        model.selectAllocation(rowIndex, size_t(i));
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0))
        model.requestView(ViewId::Memory);
      ImGui::PopID();
    }
  ImGui::EndChild();
  // What points at the selected block (the leak check's scan).
  if (selection.allocationBlock && *selection.allocationBlock < row.members.size()) {
    const AllocBlockRef& b = row.members[*selection.allocationBlock];
    if (b.checked == UINT32_MAX) {
      ImGui::TextColored(toImVec4(palette::kDimText),
                         "No leak check saw this block (freed before the end).");
    } else {
      std::vector<PointerLine> pointers = allocations.pointersTo(b.checked);
      if (pointers.empty())
        ImGui::TextUnformatted("Pointed at by nothing: the leak check found no pointer to it.");
      else
        ImGui::Text("Pointed at by %s:", groupDigits(pointers.size()).c_str());
      ImVec2 top = ImGui::GetCursorScreenPos();
      for (size_t i = 0; i < pointers.size() && i < 200; ++i) {
        const PointerLine& p = pointers[i];
        std::string text = p.from + (p.interior ? " (interior pointer " + hex(p.value) + ")" : "");
        ImGui::PushID(int(i));
        if (ImGui::Selectable(text.c_str(), false) && p.fromBlock) {
          if (auto found = allocations.find(model.profile()->memory->checked[*p.fromBlock].block.address))
            model.selectAllocation(found->first, found->second);
        }
        ImGui::PopID();
      }
      context.mark("allocations.pointers", top,
                   ImVec2(top.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y),
                   std::to_string(pointers.size()));
    }
  }
  ImGui::EndChild();
}

} // namespace wasmscope::gui
