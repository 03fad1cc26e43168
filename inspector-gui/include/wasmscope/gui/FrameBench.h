// Frame timings of the inspector's views, for bench/inspector_bench: the
// real window code (GLFW, OpenGL 3.3, Dear ImGui) rendering headless into
// its framebuffer, on a profile handed in. No GUI types here, so the
// benchmark outside inspector-gui/ includes no GUI library.
#pragma once

#include "wasmscope/profiler/MemoryLayout.h"
#include "wasmscope/profiler/Profile.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::gui {

struct FrameTimes {
  std::string view;     ///< "memory", "memory (zoomed)", "allocations", "timeline", ...
  int frames = 0;
  double meanMs = 0;    ///< Whole frame: model update, views, GL render, glFinish.
  double maxMs = 0;
  double meanCpuMs = 0; ///< The views' part: model update and ImGui's frame.
  double maxCpuMs = 0;
  double modelMs = 0;   ///< Building the view models from the profile (once).
  double scrubMs = 0;   ///< A scrub: the live set replayed, map and table rebuilt.
};

struct FrameBenchOptions {
  int frames = 60;
  int width = 1600;
  int height = 1000;
  /// Views to render ("memory", "allocations", "timeline", ...).
  std::vector<std::string> views = {"memory", "allocations", "timeline"};
  /// Also render the memory view zoomed in on the block at this address.
  std::optional<uint64_t> zoomTo;
};

/// Renders `options.frames` frames of each view on `profile` (with the
/// memory layout, if any) and times them. Needs a display (Xvfb).
runtime::Result<std::vector<FrameTimes>>
benchmarkFrames(std::shared_ptr<const profiler::Profile> profile,
                std::optional<profiler::MemoryLayout> layout, const FrameBenchOptions& options);

} // namespace wasmscope::gui
