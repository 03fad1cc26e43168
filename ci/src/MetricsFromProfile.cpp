// Instruction metrics from a profile (Metrics.h): the total and the self
// instructions per function above the floor, with stable keys.
#include "wasmscope/ci/Metrics.h"

#include <filesystem>

namespace wasmscope::ci {

std::string relativeToRoot(const std::string &path, const std::string &root) {
  namespace fs = std::filesystem;
  if (path.empty())
    return path;
  fs::path p = fs::path(path).lexically_normal();
  if (root.empty() || !p.is_absolute())
    return p.generic_string();
  fs::path r = fs::path(root).lexically_normal();
  fs::path rel = p.lexically_relative(r);
  if (rel.empty() || *rel.begin() == "..")
    return p.generic_string();
  return rel.generic_string();
}

ScenarioMetrics metricsFromProfile(const profiler::Profile &profile, const MetricOptions &options) {
  ScenarioMetrics metrics;
  metrics.module = std::filesystem::path(profile.run.modulePath).filename().string();
  metrics.exitStatus = profile.run.exitStatus;
  metrics.trap = profile.run.trap;
  metrics.totals[kInstructions] = profile.totals.instructions;

  // Names defined in more than one file get the file in their key.
  std::map<std::string, std::map<std::string, int>> filesByName;
  for (const profiler::FunctionStats &stats : profile.functions) {
    if (stats.frame >= profile.frames.size() || stats.selfInstructions < options.functionFloor)
      continue;
    const profiler::Frame &frame = profile.frames[stats.frame];
    filesByName[frame.name][profile.filePath(frame.file)]++;
  }

  auto &functions = metrics.groups[kFunctions];
  for (const profiler::FunctionStats &stats : profile.functions) {
    if (stats.frame >= profile.frames.size() || stats.selfInstructions < options.functionFloor)
      continue;
    const profiler::Frame &frame = profile.frames[stats.frame];
    if (frame.kind == profiler::FrameKind::Truncated)
      continue;
    std::string file = relativeToRoot(profile.filePath(frame.file), options.sourceRoot);
    std::string key = frame.name;
    if (filesByName[frame.name].size() > 1)
      key += " (" + (file.empty() ? std::string("?") : file) + ")";
    ItemMetrics &item = functions[key];
    // Same key twice (one name, one file, two copies): the counts add up.
    item.file = file;
    item.line = frame.line;
    item.values[kSelfInstructions] += stats.selfInstructions;
  }
  addMemoryMetrics(profile, options, metrics);
  return metrics;
}

} // namespace wasmscope::ci
