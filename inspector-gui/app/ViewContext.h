// What every view is drawn with: the data model, the fonts, and the small
// drawing helpers the views share (empty states, clipped labels in flame
// charts, colours from the palette). Views include ImGui; nothing below
// the views does.
#pragma once

#include "InspectorModel.h"
#include "Palette.h"

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::gui {

struct Fonts {
  ImFont* ui = nullptr;   ///< Proportional text (null: ImGui's default).
  ImFont* mono = nullptr; ///< Hex, source and addresses.
};

/// A named rectangle of the last frame (screen pixels): where a view drew a
/// part that tests and the headless layout file (`--layout`) look for.
struct LayoutMark {
  std::string name; ///< "memory.map", "profile.flame", "empty", ...
  std::string text; ///< What it shows, when that matters ("No profile data").
  ImVec2 min;
  ImVec2 max;
};

class ViewContext {
public:
  ViewContext(InspectorModel& model, Fonts fonts) : m_model(model), m_fonts(fonts) {}

  InspectorModel& model() { return m_model; }
  const Fonts& fonts() const { return m_fonts; }

  /// Starts a frame's marks afresh.
  void beginFrame() { m_marks.clear(); }
  /// Records where a part of a view was drawn this frame.
  void mark(std::string name, ImVec2 min, ImVec2 max, std::string text = {}) {
    m_marks.push_back({std::move(name), std::move(text), min, max});
  }
  const std::vector<LayoutMark>& marks() const { return m_marks; }

  /// A view's empty state, centred in the space left: a title and a line
  /// on how to get data (marked "empty", with the title).
  void emptyState(const char* title, const std::string& how);
  /// An error line in the view's colour for problems.
  void errorLine(const std::string& text) const;

private:
  InspectorModel& m_model;
  Fonts m_fonts;
  std::vector<LayoutMark> m_marks;
};

/// ImGui's colour for a palette colour.
inline ImU32 toImU32(Rgb color, uint8_t alpha = 255) {
  return color.packed(alpha);
}
inline ImVec4 toImVec4(Rgb color, float alpha = 1.0f) {
  return ImVec4(color.r / 255.0f, color.g / 255.0f, color.b / 255.0f, alpha);
}

/// Draws `text` inside [min, max] (left-aligned, vertically centred),
/// shortened with ".." to fit, or nothing when not even a letter fits.
void drawClippedLabel(ImDrawList* list, ImVec2 min, ImVec2 max, std::string_view text,
                      ImU32 color);

/// Whether the left button was released this frame without having moved
/// more than `threshold` pixels since it went down: a click, not the end of
/// a pan (ImGui 1.86 keeps IsMouseDragPastThreshold internal).
inline bool clickedWithoutDrag(float threshold = 2.0f) {
  return ImGui::IsMouseReleased(0) &&
         ImGui::GetIO().MouseDragMaxDistanceSqr[0] <= threshold * threshold;
}

/// A stable hash of a name, for flame colours.
uint64_t nameHash(std::string_view name);

/// A black or white text colour readable on `background`.
ImU32 textOn(Rgb background);

} // namespace wasmscope::gui
