// Window, context and frame loop (see App.h).
#include "App.h"

#include "Theme.h"

#include <GLFW/glfw3.h>
#include <GL/glext.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

namespace wasmscope::gui {

namespace {

std::string g_glfwError;

// The framebuffer-object entry points (OpenGL 3.0), from the context.
PFNGLGENFRAMEBUFFERSPROC genFramebuffers = nullptr;
PFNGLBINDFRAMEBUFFERPROC bindFramebuffer = nullptr;
PFNGLDELETEFRAMEBUFFERSPROC deleteFramebuffers = nullptr;
PFNGLGENRENDERBUFFERSPROC genRenderbuffers = nullptr;
PFNGLBINDRENDERBUFFERPROC bindRenderbuffer = nullptr;
PFNGLDELETERENDERBUFFERSPROC deleteRenderbuffers = nullptr;
PFNGLRENDERBUFFERSTORAGEPROC renderbufferStorage = nullptr;
PFNGLFRAMEBUFFERRENDERBUFFERPROC framebufferRenderbuffer = nullptr;
PFNGLCHECKFRAMEBUFFERSTATUSPROC checkFramebufferStatus = nullptr;

template <typename T> bool load(T& function, const char* name) {
  function = reinterpret_cast<T>(glfwGetProcAddress(name));
  return function != nullptr;
}

void onGlfwError(int code, const char* description) {
  g_glfwError = description ? description : ("error " + std::to_string(code));
}

} // namespace

runtime::Result<std::unique_ptr<App>> App::create(const AppOptions& options) {
  using runtime::Error;
  using runtime::ErrorCode;
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit())
    return Error(ErrorCode::IoError,
                 "cannot open a display (" + g_glfwError +
                     "): set DISPLAY, or render headless under Xvfb (`xvfb-run -a wasmscope "
                     "inspect --headless ...`)");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
  // Headless, the window only holds the context: frames go to a
  // framebuffer object of the requested size.
  GLFWwindow* window = glfwCreateWindow(options.visible ? options.width : 64,
                                        options.visible ? options.height : 64,
                                        options.title.c_str(), nullptr, nullptr);
  if (!window) {
    std::string why = g_glfwError;
    glfwTerminate();
    return Error(ErrorCode::IoError, "cannot create an OpenGL 3.3 window (" + why + ")");
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(options.visible ? 1 : 0);

  std::unique_ptr<App> app(new App());
  app->m_window = window;
  app->m_visible = options.visible;
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr; // The layout is fixed; nothing to remember.
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  float scale = 1.0f;
  if (options.visible) {
    float xs = 1.0f, ys = 1.0f;
    glfwGetWindowContentScale(window, &xs, &ys);
    scale = std::max(1.0f, xs);
  }
  app->m_fonts = applyTheme(scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  if (!options.visible)
    TRY(app->createFramebuffer(options.width, options.height));
  return app;
}

runtime::Result<void> App::createFramebuffer(int width, int height) {
  if (!load(genFramebuffers, "glGenFramebuffers") || !load(bindFramebuffer, "glBindFramebuffer") ||
      !load(deleteFramebuffers, "glDeleteFramebuffers") ||
      !load(genRenderbuffers, "glGenRenderbuffers") ||
      !load(bindRenderbuffer, "glBindRenderbuffer") ||
      !load(deleteRenderbuffers, "glDeleteRenderbuffers") ||
      !load(renderbufferStorage, "glRenderbufferStorage") ||
      !load(framebufferRenderbuffer, "glFramebufferRenderbuffer") ||
      !load(checkFramebufferStatus, "glCheckFramebufferStatus"))
    return runtime::Error(runtime::ErrorCode::IoError,
                          "the OpenGL context has no framebuffer objects");
  m_width = width;
  m_height = height;
  genRenderbuffers(1, &m_colorBuffer);
  bindRenderbuffer(GL_RENDERBUFFER, m_colorBuffer);
  renderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  genFramebuffers(1, &m_framebuffer);
  bindFramebuffer(GL_FRAMEBUFFER, m_framebuffer);
  framebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_colorBuffer);
  if (checkFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
    return runtime::Error(runtime::ErrorCode::IoError,
                          "cannot make a " + std::to_string(width) + "x" + std::to_string(height) +
                              " framebuffer to render into");
  return {};
}

App::~App() {
  if (!m_window)
    return;
  if (m_framebuffer) {
    bindFramebuffer(GL_FRAMEBUFFER, 0);
    deleteFramebuffers(1, &m_framebuffer);
    deleteRenderbuffers(1, &m_colorBuffer);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(m_window);
  glfwTerminate();
}

bool App::beginFrame() {
  glfwPollEvents();
  if (glfwWindowShouldClose(m_window))
    return false;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (m_framebuffer) {
    // The backend sized the frame after the (small, hidden) window.
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(m_width), float(m_height));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  }
  ImGui::NewFrame();
  return true;
}

void App::endFrame() {
  ImGui::Render();
  int width = m_width, height = m_height;
  if (m_framebuffer)
    bindFramebuffer(GL_FRAMEBUFFER, m_framebuffer);
  else
    glfwGetFramebufferSize(m_window, &width, &height);
  glViewport(0, 0, width, height);
  Rgb clear = palette::kBackground;
  glClearColor(clear.r / 255.0f, clear.g / 255.0f, clear.b / 255.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (m_visible)
    glfwSwapBuffers(m_window);
}

void App::finish() {
  glFinish();
}

ImVec2 App::size() const {
  if (m_framebuffer)
    return ImVec2(float(m_width), float(m_height));
  int width = 0, height = 0;
  glfwGetWindowSize(m_window, &width, &height);
  return ImVec2(float(width), float(height));
}

bool App::keyPressed(int key) const {
  return ImGui::IsKeyPressed(key, false);
}

bool App::shiftDown() const {
  return ImGui::GetIO().KeyShift;
}

void App::waitEvents(double seconds) {
  glfwWaitEventsTimeout(seconds);
}

} // namespace wasmscope::gui
