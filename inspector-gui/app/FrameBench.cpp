// Frame timings of the views (see FrameBench.h): the same App and
// InspectorWindow as `wasmscope inspect --headless`, timed frame by frame
// with glFinish, so the GPU's (Mesa's) part is counted too.
#include "wasmscope/gui/FrameBench.h"

#include "App.h"
#include "InspectorWindow.h"

#include <algorithm>
#include <chrono>

namespace wasmscope::gui {

namespace {

double msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

runtime::Result<std::vector<FrameTimes>>
benchmarkFrames(std::shared_ptr<const profiler::Profile> profile,
                std::optional<profiler::MemoryLayout> layout, const FrameBenchOptions& options) {
  AppOptions appOptions;
  appOptions.width = options.width;
  appOptions.height = options.height;
  appOptions.visible = false;
  TRY_ASSIGN(std::unique_ptr<App> app, App::create(appOptions));
  InspectorModel model;
  auto built = std::chrono::steady_clock::now();
  model.setMemoryLayout(std::move(layout), 0);
  model.setProfile(std::move(profile));
  double modelMs = msSince(built);
  // One scrub to the middle of the run and back to the end, timed.
  double scrubMs = 0;
  if (model.timeline().endTime() > model.timeline().beginTime()) {
    auto scrubbed = std::chrono::steady_clock::now();
    model.scrubTo((model.timeline().beginTime() + model.timeline().endTime()) / 2);
    scrubMs = msSince(scrubbed);
    model.clearScrub();
  }
  InspectorWindow window(model, app->fonts());

  std::vector<std::pair<std::string, ViewId>> runs;
  for (const std::string& name : options.views) {
    auto view = parseViewName(name);
    if (!view)
      return runtime::Error(runtime::ErrorCode::InvalidArgument, "unknown view '" + name + "'");
    runs.emplace_back(name, *view);
    if (*view == ViewId::Memory && options.zoomTo)
      runs.emplace_back("memory (zoomed)", ViewId::Memory);
  }
  std::vector<FrameTimes> out;
  for (const auto& [name, view] : runs) {
    if (name == "memory (zoomed)") {
      model.selectAddress(*options.zoomTo);
      window.memoryView().centerOnSelection();
    }
    window.showView(view);
    // Two frames to settle (the tab switch, the first layout).
    for (int i = 0; i < 2 && app->beginFrame(); ++i) {
      model.update();
      window.draw(app->size());
      app->endFrame();
      app->finish();
    }
    FrameTimes times;
    times.view = name;
    times.modelMs = modelMs;
    times.scrubMs = scrubMs;
    for (int i = 0; i < options.frames; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (!app->beginFrame())
        break;
      model.update();
      window.draw(app->size());
      double cpu = msSince(start);
      app->endFrame();
      app->finish();
      double total = msSince(start);
      ++times.frames;
      times.meanMs += total;
      times.maxMs = std::max(times.maxMs, total);
      times.meanCpuMs += cpu;
      times.maxCpuMs = std::max(times.maxCpuMs, cpu);
    }
    if (times.frames) {
      times.meanMs /= times.frames;
      times.meanCpuMs /= times.frames;
    }
    out.push_back(times);
  }
  return out;
}

} // namespace wasmscope::gui
