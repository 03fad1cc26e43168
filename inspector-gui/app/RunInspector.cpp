// `wasmscope inspect`: sets up the data (a live run with its profilers, or a
// saved profile), the optional second front end sharing the live session
// (the CLI's DAP server, see SessionShare), and the
// window, then runs the frame loop: interactive until the window closes, or
// headless until the run has stopped or ended and the frames are rendered.
#include "wasmscope/gui/Inspector.h"

#include "App.h"
#include "InspectorWindow.h"
#include "LiveRun.h"

#include <GLFW/glfw3.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <thread>

namespace wasmscope::gui {

using namespace wasmscope::debugger;

namespace {

int fail(const std::string& message) {
  std::cerr << "wasmscope: error: " << message << '\n';
  return 2;
}

/// "file.c:12" into its parts.
std::optional<std::pair<std::string, uint32_t>> parseBreakpoint(const std::string& spec) {
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return std::nullopt;
  uint32_t line = 0;
  const char* begin = spec.data() + colon + 1;
  const char* end = spec.data() + spec.size();
  auto [ptr, ec] = std::from_chars(begin, end, line);
  if (ec != std::errc() || ptr != end || line == 0)
    return std::nullopt;
  return std::make_pair(spec.substr(0, colon), line);
}

/// Headless runs report what the GUI shows on stderr, one line per change,
/// so that tests (and people) can follow a run without seeing it.
class StateLog {
public:
  void onEvent(InspectorModel& model, const Event& event) {
    if (event.is<StoppedEvent>() || event.is<ExitedEvent>())
      m_pending = true;
    (void)model;
  }
  void afterUpdate(InspectorModel& model) {
    if (m_pending) {
      m_pending = false;
      std::cerr << "wasmscope inspect: " << model.debug().summary() << std::endl;
    }
    if (Session* session = model.session()) {
      uint64_t version = session->breakpointsVersion();
      if (version != m_breakpoints) {
        m_breakpoints = version;
        std::string list;
        for (const LineBreakpointInfo& info : session->lineBreakpoints()) {
          std::string path = info.placed.sourcePath.empty() ? info.requestPath
                                                            : info.placed.sourcePath;
          list += (list.empty() ? "" : ", ") + std::string(fileName(path)) + ":" +
                  std::to_string(info.placed.line ? info.placed.line : info.request.line) +
                  (info.placed.verified ? "" : " (unverified)");
        }
        std::cerr << "wasmscope inspect: breakpoints: " << (list.empty() ? "none" : list)
                  << std::endl;
      }
    }
  }

private:
  bool m_pending = false;
  uint64_t m_breakpoints = UINT64_MAX;
};

void handleShortcuts(App& app, InspectorWindow& window) {
  if (app.keyPressed(GLFW_KEY_F5))
    window.continueRun();
  if (app.keyPressed(GLFW_KEY_F6))
    window.pause();
  if (app.keyPressed(GLFW_KEY_F10))
    window.stepOver();
  if (app.keyPressed(GLFW_KEY_F11)) {
    if (app.shiftDown())
      window.stepOut();
    else
      window.stepInto();
  }
}

} // namespace

int runInspector(const InspectorOptions& options) {
  std::optional<ViewId> view;
  if (!options.view.empty()) {
    view = parseViewName(options.view);
    if (!view)
      return fail("unknown view '" + options.view +
                  "' (memory, allocations, timeline, calltrace, profile, source, debug, "
                  "module)");
  }
  std::vector<std::pair<std::string, uint32_t>> breakpoints;
  for (const std::string& spec : options.breakpoints) {
    auto parsed = parseBreakpoint(spec);
    if (!parsed)
      return fail("--break expects FILE:LINE, got '" + spec + "'");
    breakpoints.push_back(*parsed);
  }
  if (!options.launch && !breakpoints.empty())
    return fail("--break needs a module to run (a saved profile has no program)");

  InspectorModel model;
  std::unique_ptr<LiveRun> live;
  std::unique_ptr<SessionShare> share;
  // The guest ends before the DAP server goes (its events reach the server),
  // and the server before the session it serves.
  struct Teardown {
    std::unique_ptr<LiveRun>& live;
    std::unique_ptr<SessionShare>& server;
    ~Teardown() {
      if (live)
        (void)live->session().disconnect(std::chrono::seconds(3));
      server.reset();
      live.reset();
    }
  } teardown{live, share};
  if (options.launch) {
    live = std::make_unique<LiveRun>();
    if (options.shareSession) {
      auto made = options.shareSession(live->session());
      if (!made.ok())
        return fail(made.error().message);
      share = std::move(*made);
      SessionShare* shared = share.get();
      live->setForwarder([shared](const Event& event) { shared->onSessionEvent(event); });
      model.onBreakpointsChanged = [shared] { shared->breakpointsChanged(); };
    }
    LiveOptions liveOptions;
    liveOptions.config = *options.launch;
    liveOptions.config.stopOnEntry = options.stopOnEntry;
    liveOptions.commandLine = options.commandLine;
    liveOptions.memory = options.memory;
    if (auto launched = live->launch(std::move(liveOptions)); !launched.ok())
      return fail(launched.error().message);
    // A trap stops the program where it happened, for inspection.
    (void)live->session().setExceptionBreakpoints(ExceptionFilters{true});
    model.attachLive(*live);
    model.update();
    for (const auto& [file, line] : breakpoints) {
      model.showSource(file, 0);
      // The same path as a click in the gutter, on the file the debug info
      // names (so the Source view shows it).
      std::string path = file;
      if (const ModuleSymbols* symbols = model.symbols())
        if (auto index = symbols->findFile(file))
          path = symbols->filePath(*index);
      model.showSource(path, line);
      if (auto set = model.toggleBreakpoint(line); !set.ok())
        return fail("--break " + file + ":" + std::to_string(line) + ": " + set.error().message);
    }
  } else {
    if (auto opened = model.openProfile(options.profilePath); !opened.ok())
      return fail(opened.error().message);
  }

  AppOptions appOptions;
  appOptions.width = options.width;
  appOptions.height = options.height;
  appOptions.visible = !options.headless;
  appOptions.title = "wasmscope inspector - " + model.title();
  auto created = App::create(appOptions);
  if (!created.ok())
    return fail(created.error().message);
  std::unique_ptr<App> app = std::move(*created);
  InspectorWindow window(model, app->fonts());
  if (view)
    window.showView(*view);
  else if (live)
    window.showView(ViewId::Debug);
  if (options.select)
    model.selection().address = *options.select;

  StateLog log;
  if (options.headless)
    model.onEvent = [&](const Event& event) { log.onEvent(model, event); };
  if (live) {
    if (auto started = live->start(); !started.ok())
      return fail(started.error().message);
  }

  if (!options.headless) {
    while (app->beginFrame()) {
      model.update();
      if (share)
        window.setStatusNote(share->status());
      handleShortcuts(*app, window);
      window.draw(app->size());
      app->endFrame();
    }
    return 0;
  }

  // Headless: frames go on until the run has stopped or ended (a saved
  // profile is there at once), then `frames` more, the last one captured.
  // With a DAP client sharing the run, until the run has ended and the
  // client has left: the client drives it.
  // A stop's snapshot is published before the stop is queued, and the final
  // profile before the exit: once the model has seen either, it is there.
  auto deadline = std::chrono::steady_clock::now() + options.settleTimeout;
  auto settled = [&] {
    if (!live)
      return true;
    SessionState state = model.debug().state();
    if (share)
      return state == SessionState::Exited && !share->clientAttached();
    return state == SessionState::Stopped || state == SessionState::Exited;
  };
  while (!settled()) {
    if (std::chrono::steady_clock::now() > deadline)
      return fail("the program neither stopped nor ended within " +
                  std::to_string(options.settleTimeout.count() / 1000) + " s");
    if (!app->beginFrame())
      break;
    model.update();
    log.afterUpdate(model);
    if (share)
      window.setStatusNote(share->status());
    window.draw(app->size());
    app->endFrame();
    std::this_thread::sleep_for(std::chrono::milliseconds(share ? 30 : 10));
  }
  for (int i = 0; i < std::max(1, options.frames); ++i) {
    if (!app->beginFrame())
      break;
    model.update();
    log.afterUpdate(model);
    window.draw(app->size());
    app->endFrame();
  }
  if (!options.screenshotPath.empty()) {
    app->finish();
    if (auto written = app->screenshot(options.screenshotPath); !written.ok())
      return fail(written.error().message);
  }
  if (!options.layoutPath.empty()) {
    std::ofstream out(options.layoutPath, std::ios::trunc);
    out << window.marksJson();
    if (!out)
      return fail("cannot write the layout '" + options.layoutPath + "'");
  }
  return 0;
}

} // namespace wasmscope::gui
