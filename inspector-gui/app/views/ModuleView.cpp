// The Module view: the module's layout and interface. A summary line, then
// its sections (offsets and sizes, custom sections by name), imports,
// exports, and functions with their code sizes, signatures and source
// declarations, sortable and filtered by name.
#include "Views.h"

#include <algorithm>
#include <cmath>

namespace wasmscope::gui {

namespace {

constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                        ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY |
                                        ImGuiTableFlags_SizingStretchProp;

void drawSections(const ModuleSummary& module) {
  if (!ImGui::BeginTable("sections", 3, kTableFlags))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Section", 0, 2.0f);
  ImGui::TableSetupColumn("Offset", 0, 1.0f);
  ImGui::TableSetupColumn("Size", 0, 1.0f);
  ImGui::TableHeadersRow();
  uint64_t largest = 1;
  for (const SectionRow& row : module.sections)
    largest = std::max<uint64_t>(largest, row.size);
  for (const SectionRow& row : module.sections) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(row.name.c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(formatAddress(row.offset).c_str());
    ImGui::TableSetColumnIndex(2);
    // A bar shows the section's share of the file.
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float width = ImGui::GetContentRegionAvail().x;
    ImGui::GetWindowDrawList()->AddRectFilled(
        pos, ImVec2(pos.x + width * float(row.size) / float(largest), pos.y + ImGui::GetTextLineHeight()),
        toImU32(palette::kAccent, 70));
    ImGui::Text("%s (%s)", groupDigits(row.size).c_str(), formatBytes(row.size).c_str());
  }
  ImGui::EndTable();
}

void drawImports(const ModuleSummary& module) {
  if (!ImGui::BeginTable("imports", 3, kTableFlags))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Import", 0, 2.0f);
  ImGui::TableSetupColumn("Kind", 0, 0.6f);
  ImGui::TableSetupColumn("Type", 0, 2.0f);
  ImGui::TableHeadersRow();
  for (const ImportRow& row : module.imports) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::Text("%s.%s", row.module.c_str(), row.name.c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(row.kind.c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(row.signature.c_str());
  }
  ImGui::EndTable();
}

void drawExports(const ModuleSummary& module) {
  if (!ImGui::BeginTable("exports", 3, kTableFlags))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Export", 0, 1.5f);
  ImGui::TableSetupColumn("Kind", 0, 0.6f);
  ImGui::TableSetupColumn("Target", 0, 2.0f);
  ImGui::TableHeadersRow();
  for (const ExportRow& row : module.exports) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(row.name.c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(row.kind.c_str());
    ImGui::TableSetColumnIndex(2);
    if (row.target.empty())
      ImGui::Text("%s %u", row.kind.c_str(), row.index);
    else
      ImGui::Text("%s (func %u)", row.target.c_str(), row.index);
  }
  ImGui::EndTable();
}

} // namespace

void ModuleView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  const ModuleSummary* module = model.module();
  if (!module) {
    std::string how = "Run a module with `wasmscope inspect MODULE` to see its sections, "
                      "imports, exports and functions.";
    if (const profiler::Profile* profile = model.profile(); profile && !model.isLive())
      how = "The profile names the module " +
            (profile->run.modulePath.empty() ? std::string("(no path)") : profile->run.modulePath) +
            ", which is not there or has changed since it was profiled (its SHA-256 differs). "
            "Put the profiled module back at that path to see it here.";
    context.emptyState("No module", how);
    return;
  }
  ImGui::Text("%s: %s, %s of code in %s functions (%s imported), %s of debug info", module->name.c_str(),
              formatBytes(module->fileSize).c_str(), formatBytes(module->codeBytes).c_str(),
              groupDigits(module->functions.size()).c_str(), groupDigits(module->imports.size()).c_str(),
              formatBytes(module->debugBytes).c_str());
  if (module->memoryPages || module->memoryMax)
    ImGui::TextColored(toImVec4(palette::kDimText), "Memory: %s pages (%s) initially%s",
                       groupDigits(module->memoryPages).c_str(),
                       formatBytes(module->memoryPages * 65536).c_str(),
                       module->memoryMax
                           ? (", at most " + groupDigits(*module->memoryMax) + " pages").c_str()
                           : ", no maximum");
  float leftWidth = std::floor(ImGui::GetContentRegionAvail().x * 0.42f);
  ImGui::BeginChild("layout", ImVec2(leftWidth, 0), false);
  float third = (ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 3) / 3.0f;
  ImGui::TextUnformatted("Sections");
  ImGui::BeginChild("sections", ImVec2(0, third), true);
  drawSections(*module);
  ImGui::EndChild();
  ImGui::Text("Imports (%zu)", module->imports.size());
  ImGui::BeginChild("imports", ImVec2(0, third), true);
  drawImports(*module);
  ImGui::EndChild();
  ImGui::Text("Exports (%zu)", module->exports.size());
  ImGui::BeginChild("exports", ImVec2(0, 0), true);
  drawExports(*module);
  ImGui::EndChild();
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::BeginChild("functions", ImVec2(0, 0), false);
  context.mark("module.functions", ImGui::GetWindowPos(),
               ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth(),
                      ImGui::GetWindowPos().y + ImGui::GetWindowHeight()));
  ImGui::Text("Functions (%zu)", module->functions.size());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(240);
  ImGui::InputTextWithHint("##filter", "Filter by name", m_filter, sizeof m_filter);
  ImGuiTableFlags flags = kTableFlags | ImGuiTableFlags_Sortable;
  if (ImGui::BeginTable("functions", 5, flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_DefaultSort, 0.4f, int(FunctionColumn::Index));
    ImGui::TableSetupColumn("Function", 0, 2.4f, int(FunctionColumn::Name));
    ImGui::TableSetupColumn("Size", ImGuiTableColumnFlags_PreferSortDescending, 0.6f,
                            int(FunctionColumn::Size));
    ImGui::TableSetupColumn("Code offset", 0, 0.8f, int(FunctionColumn::Offset));
    ImGui::TableSetupColumn("Signature / source", ImGuiTableColumnFlags_NoSort, 2.0f);
    ImGui::TableHeadersRow();
    FunctionColumn column = FunctionColumn::Index;
    bool ascending = true;
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
      column = FunctionColumn(specs->Specs[0].ColumnUserID);
      ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
      specs->SpecsDirty = false;
    }
    std::vector<size_t> order = module->functionOrder(column, ascending, m_filter);
    ImGuiListClipper clipper;
    clipper.Begin(int(order.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const FunctionRow& row = module->functions[order[size_t(i)]];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::Text("%u", row.index);
        ImGui::TableSetColumnIndex(1);
        ImGui::PushID(int(row.index));
        if (ImGui::Selectable(row.name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns) &&
            !row.sourceFile.empty()) {
          model.showSource(row.sourceFile, row.sourceLine);
          model.requestView(ViewId::Source);
        }
        ImGui::PopID();
        ImGui::TableSetColumnIndex(2);
        if (row.imported)
          ImGui::TextColored(toImVec4(palette::kDimText), "import");
        else
          ImGui::TextUnformatted(groupDigits(row.codeSize).c_str());
        ImGui::TableSetColumnIndex(3);
        if (!row.imported)
          ImGui::TextUnformatted(formatAddress(row.codeOffset).c_str());
        ImGui::TableSetColumnIndex(4);
        if (row.sourceFile.empty())
          ImGui::TextColored(toImVec4(palette::kDimText), "%s", row.signature.c_str());
        else
          ImGui::Text("%s  %s:%u", row.signature.c_str(), std::string(fileName(row.sourceFile)).c_str(),
                      row.sourceLine);
      }
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

} // namespace wasmscope::gui
