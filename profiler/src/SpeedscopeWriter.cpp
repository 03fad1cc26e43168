// speedscope's file format (https://www.speedscope.app/file-format-schema.json):
// a sampled profile whose samples are the call paths weighted by their
// instructions (the same paths as the collapsed stacks), and, when the call
// trace was recorded, an evented profile of it on an instruction time axis.
#include "wasmscope/profiler/Formats.h"

#include "StackPaths.h"

#include <nlohmann/json.hpp>

namespace wasmscope::profiler {

using nlohmann::json;

std::string writeSpeedscope(const Profile &p) {
  json frames = json::array();
  for (const Frame &f : p.frames) {
    json frame = {{"name", f.name}};
    if (f.file != kNone) {
      frame["file"] = p.filePath(f.file);
      if (f.line)
        frame["line"] = f.line;
    }
    frames.push_back(std::move(frame));
  }

  json samples = json::array();
  json weights = json::array();
  uint64_t total = 0;
  for (const WeightedPath &w : weightedPaths(p)) {
    samples.push_back(w.frames);
    weights.push_back(w.weight);
    total += w.weight;
  }
  json profiles = json::array();
  profiles.push_back({{"type", "sampled"},
                      {"name", p.run.module + ": instructions by call path"},
                      {"unit", "none"},
                      {"startValue", 0},
                      {"endValue", total},
                      {"samples", std::move(samples)},
                      {"weights", std::move(weights)}});

  if (p.trace.enabled && (!p.trace.events.empty() || !p.trace.openAtStart.empty())) {
    // The ring may have dropped the start of the run: frames open when the
    // first kept event happened open at the start, and whatever is still
    // open at the end closes there, so every open has its close.
    uint64_t start = p.trace.events.empty() ? 0 : p.trace.events.front().instructions;
    uint64_t end = p.trace.events.empty() ? start : p.trace.events.back().instructions;
    json events = json::array();
    std::vector<FrameId> open;
    for (FrameId f : p.trace.openAtStart) {
      events.push_back({{"type", "O"}, {"frame", f}, {"at", start}});
      open.push_back(f);
    }
    for (const TraceEvent &e : p.trace.events) {
      if (e.kind == TraceEventKind::Enter) {
        events.push_back({{"type", "O"}, {"frame", e.frame}, {"at", e.instructions}});
        open.push_back(e.frame);
      } else if (!open.empty() && open.back() == e.frame) {
        events.push_back({{"type", "C"}, {"frame", e.frame}, {"at", e.instructions}});
        open.pop_back();
      }
    }
    while (!open.empty()) {
      events.push_back({{"type", "C"}, {"frame", open.back()}, {"at", end}});
      open.pop_back();
    }
    std::string name = p.run.module + ": call trace (instructions)";
    if (p.trace.dropped)
      name += ", last " + std::to_string(p.trace.events.size()) + " of " +
              std::to_string(p.trace.recorded) + " events";
    profiles.push_back({{"type", "evented"},
                        {"name", name},
                        {"unit", "none"},
                        {"startValue", start},
                        {"endValue", end},
                        {"events", std::move(events)}});
  }

  json out = {{"$schema", "https://www.speedscope.app/file-format-schema.json"},
              {"shared", {{"frames", std::move(frames)}}},
              {"profiles", std::move(profiles)},
              {"name", p.run.module},
              {"activeProfileIndex", 0},
              {"exporter", "wasmscope"}};
  return out.dump() + "\n";
}

} // namespace wasmscope::profiler
