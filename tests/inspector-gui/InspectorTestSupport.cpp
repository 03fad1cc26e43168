// Helpers of the inspector tests (see InspectorTestSupport.h).
#include "InspectorTestSupport.h"

#include <filesystem>

namespace wasmscope::gui::test {

std::string samplePath(const std::string& name) {
#ifdef WASMSCOPE_SAMPLES_DIR
  std::string path = std::string(WASMSCOPE_SAMPLES_DIR) + "/" + name + ".O0.wasm";
  if (std::filesystem::exists(path))
    return path;
#endif
  (void)name;
  return "";
}

std::string sampleSource(const std::string& name) {
  return std::string(WASMSCOPE_SOURCE_DIR) + "/samples/" + name + ".c";
}

RunSnapshot requestHandlerMemoryRun() {
  static RunSnapshot cached = [] {
    RunSnapshot snapshot;
    std::string module = samplePath("request_handler");
    if (module.empty())
      return snapshot;
    LiveRun run;
    LiveOptions options;
    options.config.modulePath = module;
    options.traceEvents = 0;
    options.memory = true;
    if (auto launched = run.launch(std::move(options)); !launched.ok()) {
      snapshot.error = launched.error().message;
      return snapshot;
    }
    if (auto started = run.start(); !started.ok()) {
      snapshot.error = started.error().message;
      return snapshot;
    }
    if (!waitFor<debugger::ExitedEvent>(run, std::chrono::seconds(60))) {
      snapshot.error = "request_handler did not end within 60 s";
      return snapshot;
    }
    return run.latest();
  }();
  return cached;
}

profiler::Profile profileWithTrace(const std::vector<std::string>& frames,
                                   const std::vector<std::tuple<char, uint32_t, uint64_t>>& events,
                                   std::vector<uint32_t> openAtStart) {
  profiler::Profile profile;
  for (const std::string& name : frames) {
    profiler::Frame frame;
    frame.name = name;
    profile.frames.push_back(frame);
    profiler::FunctionStats stats;
    stats.frame = uint32_t(profile.functions.size());
    profile.functions.push_back(stats);
  }
  profile.stacks.push_back({});
  profile.trace.enabled = true;
  profile.trace.openAtStart = std::move(openAtStart);
  for (const auto& [kind, frame, time] : events) {
    profiler::TraceEvent event;
    event.kind = kind == 'E' ? profiler::TraceEventKind::Enter : profiler::TraceEventKind::Exit;
    event.frame = frame;
    event.instructions = time;
    profile.trace.events.push_back(event);
  }
  profile.trace.recorded = profile.trace.events.size();
  profile.trace.capacity = profile.trace.events.size();
  if (!profile.trace.events.empty())
    profile.totals.instructions = profile.trace.events.back().instructions;
  return profile;
}

} // namespace wasmscope::gui::test
