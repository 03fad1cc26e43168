// Drawing helpers shared by the views (see ViewContext.h).
#include "ViewContext.h"

#include <algorithm>

namespace wasmscope::gui {

void ViewContext::emptyState(const char* title, const std::string& how) {
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 screen = ImGui::GetCursorScreenPos();
  mark("empty", screen, ImVec2(screen.x + avail.x, screen.y + avail.y), title);
  float wrap = std::min(avail.x - 40.0f, 640.0f);
  ImVec2 titleSize = ImGui::CalcTextSize(title);
  ImVec2 howSize = ImGui::CalcTextSize(how.c_str(), nullptr, false, wrap);
  float height = titleSize.y + ImGui::GetStyle().ItemSpacing.y * 2 + howSize.y;
  ImVec2 start = ImGui::GetCursorPos();
  float y = start.y + std::max(0.0f, (avail.y - height) * 0.4f);
  ImGui::SetCursorPos(ImVec2(start.x + std::max(0.0f, (avail.x - titleSize.x) * 0.5f), y));
  ImGui::TextColored(toImVec4(palette::kText), "%s", title);
  float left = start.x + std::max(0.0f, (avail.x - wrap) * 0.5f);
  ImGui::SetCursorPos(ImVec2(left, ImGui::GetCursorPosY() + ImGui::GetStyle().ItemSpacing.y));
  ImGui::PushStyleColor(ImGuiCol_Text, toImVec4(palette::kEmptyText));
  ImGui::PushTextWrapPos(left + wrap);
  ImGui::TextUnformatted(how.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void ViewContext::errorLine(const std::string& text) const {
  ImGui::PushStyleColor(ImGuiCol_Text, toImVec4(palette::kLeaked));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void drawClippedLabel(ImDrawList* list, ImVec2 min, ImVec2 max, std::string_view text,
                      ImU32 color) {
  float width = max.x - min.x - 6.0f;
  if (width < ImGui::CalcTextSize("W").x || text.empty())
    return;
  std::string shown(text);
  ImVec2 size = ImGui::CalcTextSize(shown.c_str());
  if (size.x > width) {
    // The longest prefix that fits with "..", by binary search.
    float dots = ImGui::CalcTextSize("..").x;
    size_t low = 0, high = shown.size();
    while (low < high) {
      size_t mid = (low + high + 1) / 2;
      if (ImGui::CalcTextSize(shown.c_str(), shown.c_str() + mid).x + dots <= width)
        low = mid;
      else
        high = mid - 1;
    }
    size_t keep = low;
    if (keep == 0)
      return;
    shown = shown.substr(0, keep) + "..";
    size = ImGui::CalcTextSize(shown.c_str());
  }
  float y = min.y + std::max(0.0f, (max.y - min.y - size.y) * 0.5f);
  list->PushClipRect(min, max, true);
  list->AddText(ImVec2(min.x + 3.0f, y), color, shown.c_str());
  list->PopClipRect();
}

uint64_t nameHash(std::string_view name) {
  uint64_t hash = 1469598103934665603ull; // FNV-1a
  for (char c : name) {
    hash ^= uint8_t(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

ImU32 textOn(Rgb background) {
  int luminance = (299 * background.r + 587 * background.g + 114 * background.b) / 1000;
  return luminance > 140 ? IM_COL32(20, 20, 24, 255) : IM_COL32(240, 242, 246, 255);
}

} // namespace wasmscope::gui
