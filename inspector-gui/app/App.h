// The inspector's window: GLFW with an OpenGL 3.3 core context and Dear
// ImGui's GLFW and OpenGL 3 backends. Headless, the window is never shown
// (under Xvfb, Mesa renders in software) and frames are drawn into a
// framebuffer object of the requested size, independent of the X screen's,
// and read back from it for screenshots and frame timings.
#pragma once

#include "ViewContext.h"

#include "wasmscope/runtime/Result.h"

#include <memory>
#include <string>

struct GLFWwindow;

namespace wasmscope::gui {

struct AppOptions {
  int width = 1600;
  int height = 1000;
  bool visible = true;
  std::string title = "wasmscope inspector";
};

class App {
public:
  /// Opens the window and sets up ImGui (style and fonts included). Fails
  /// with a clear message when there is no display or no OpenGL 3.3.
  static runtime::Result<std::unique_ptr<App>> create(const AppOptions& options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  /// Polls events and starts an ImGui frame; false once the window should
  /// close.
  bool beginFrame();
  /// Renders the frame (and shows it, when visible).
  void endFrame();
  /// Waits for the GPU to finish the frame (for timings).
  void finish();
  /// Writes the last rendered frame as a PNG.
  runtime::Result<void> screenshot(const std::string& path);

  const Fonts& fonts() const { return m_fonts; }
  /// The drawable size in pixels.
  ImVec2 size() const;
  /// Whether a key (GLFW_KEY_*) went down this frame, for shortcuts.
  bool keyPressed(int key) const;
  bool shiftDown() const;
  /// Waits for events for up to `seconds` (an idle window sleeps).
  void waitEvents(double seconds);

private:
  App() = default;
  runtime::Result<void> createFramebuffer(int width, int height);

  GLFWwindow* m_window = nullptr;
  bool m_visible = true;
  Fonts m_fonts;
  // Headless: the framebuffer object frames are drawn into.
  unsigned m_framebuffer = 0;
  unsigned m_colorBuffer = 0;
  int m_width = 0;
  int m_height = 0;
};

} // namespace wasmscope::gui
