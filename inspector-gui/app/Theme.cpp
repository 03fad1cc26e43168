// Style and fonts (see Theme.h).
#include "Theme.h"

#include <sys/stat.h>

namespace wasmscope::gui {

namespace {

bool isFile(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

ImFont* loadFont(const char* const* candidates, float size) {
  ImGuiIO& io = ImGui::GetIO();
  for (const char* const* path = candidates; *path; ++path)
    if (isFile(*path))
      if (ImFont* font = io.Fonts->AddFontFromFileTTF(*path, size))
        return font;
  return nullptr;
}

} // namespace

Fonts applyTheme(float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 0.0f;
  style.ChildRounding = 3.0f;
  style.FrameRounding = 3.0f;
  style.TabRounding = 3.0f;
  style.ScrollbarRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowPadding = ImVec2(8, 8);
  style.FramePadding = ImVec2(8, 4);
  style.ItemSpacing = ImVec2(8, 5);
  style.CellPadding = ImVec2(6, 2);
  style.WindowBorderSize = 0.0f;
  style.ChildBorderSize = 1.0f;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = toImVec4(palette::kBackground);
  c[ImGuiCol_ChildBg] = toImVec4(palette::kBackground);
  c[ImGuiCol_PopupBg] = toImVec4(palette::kPanel, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.25f, 0.27f, 0.31f, 1.0f);
  c[ImGuiCol_Text] = toImVec4(palette::kText);
  c[ImGuiCol_TextDisabled] = toImVec4(palette::kDimText);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.17f, 0.20f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.24f, 0.28f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.28f, 0.33f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.22f, 0.26f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.25f, 0.45f, 0.70f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.20f, 0.50f, 0.85f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.22f, 0.36f, 0.55f, 0.80f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.25f, 0.45f, 0.70f, 0.80f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.25f, 0.50f, 0.80f, 1.0f);
  c[ImGuiCol_Tab] = ImVec4(0.16f, 0.17f, 0.20f, 1.0f);
  c[ImGuiCol_TabHovered] = ImVec4(0.25f, 0.45f, 0.70f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.22f, 0.38f, 0.60f, 1.0f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.16f, 0.17f, 0.20f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.025f);
  c[ImGuiCol_Separator] = ImVec4(0.25f, 0.27f, 0.31f, 1.0f);
  style.ScaleAllSizes(scale);

  static const char* const kSans[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", nullptr};
  static const char* const kMono[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                                      nullptr};
  Fonts fonts;
  fonts.ui = loadFont(kSans, 15.0f * scale);
  fonts.mono = loadFont(kMono, 14.0f * scale);
  if (!fonts.ui) {
    ImFontConfig config;
    config.SizePixels = 13.0f * scale;
    fonts.ui = ImGui::GetIO().Fonts->AddFontDefault(&config);
  }
  if (!fonts.mono)
    fonts.mono = fonts.ui;
  ImGui::GetIO().FontDefault = fonts.ui;
  return fonts;
}

} // namespace wasmscope::gui
