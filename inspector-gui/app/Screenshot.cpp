// Screenshots: the last rendered frame, read from the headless framebuffer
// object (or a window's back buffer) with glReadPixels, bottom row first,
// flipped and written as a PNG with stb_image_write from libstb-dev.
#include "App.h"

#include <GLFW/glfw3.h>
#include <GL/glext.h>
#include <stb_image_write.h>

#include <vector>

namespace wasmscope::gui {

runtime::Result<void> App::screenshot(const std::string& path) {
  int width = m_width, height = m_height;
  if (!m_framebuffer)
    glfwGetFramebufferSize(m_window, &width, &height);
  if (width <= 0 || height <= 0)
    return runtime::Error(runtime::ErrorCode::IoError, "the window has no pixels to capture");
  std::vector<unsigned char> pixels(size_t(width) * size_t(height) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  // The framebuffer object is still bound from the frame; a window's frame
  // was swapped to the front.
  glReadBuffer(m_framebuffer ? GL_COLOR_ATTACHMENT0 : GL_FRONT);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  size_t stride = size_t(width) * 3;
  std::vector<unsigned char> row(stride);
  for (int y = 0; y < height / 2; ++y) {
    unsigned char* top = pixels.data() + size_t(y) * stride;
    unsigned char* bottom = pixels.data() + size_t(height - 1 - y) * stride;
    std::copy(top, top + stride, row.data());
    std::copy(bottom, bottom + stride, top);
    std::copy(row.data(), row.data() + stride, bottom);
  }
  stbi_write_png_compression_level = 9;
  if (!stbi_write_png(path.c_str(), width, height, 3, pixels.data(), int(stride)))
    return runtime::Error(runtime::ErrorCode::IoError, "cannot write the screenshot '" + path + "'");
  return {};
}

} // namespace wasmscope::gui
