// Trap reports for command-line runs (TrapReport.h). A recursion that
// exhausted the stack would print 100000 lines, so runs of identical frames
// are folded and a very deep stack shows its two ends.
#include "TrapReport.h"

#include "CliSupport.h"
#include "wasmscope/symbols/SourcePaths.h"
#include "wasmscope/symbols/Symbols.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace wasmscope::cli {

using namespace wasmscope::runtime;

namespace {

/// The name a backtrace shows: the name section's, else an export's, else
/// the store's, else the index.
std::string functionLabel(debugger::FrameSymbolizer& symbolizer, const FrameInfo& frame) {
  // DWARF: "f at file.c:12:5"
  if (std::string label = symbolizer.label(frame); !label.empty())
    return label;
  std::string name;
  const CompiledModule* compiled =
      frame.function && frame.function->instance ? frame.function->instance->module() : nullptr;
  if (compiled) {
    const Module& module = compiled->module();
    name = module.functionName(frame.funcIndex);
    for (const Export& e : module.exports)
      if (name.empty() && e.kind == ExternKind::Func && e.index == frame.funcIndex)
        name = e.name;
  }
  if (name.empty() && frame.function)
    name = frame.function->name;
  if (name.empty())
    name = "<function " + std::to_string(frame.funcIndex) + ">";
  return name;
}

std::string frameLine(debugger::FrameSymbolizer& symbolizer, size_t index, const FrameInfo& frame) {
  char prefix[64];
  if (frame.function && frame.function->isHost())
    std::snprintf(prefix, sizeof prefix, "  #%-2zu <host>   ", index);
  else
    std::snprintf(prefix, sizeof prefix, "  #%-2zu 0x%06x ", index, frame.wasmOffset);
  return prefix + functionLabel(symbolizer, frame);
}

bool sameLocation(const FrameInfo& a, const FrameInfo& b) {
  return a.function == b.function && a.wasmOffset == b.wasmOffset;
}

} // namespace

void reportTrap(const Error& error, const Store& store, const debugger::SourceMap& sourceMap) {
  constexpr size_t kRepeatsShown = 3;
  constexpr size_t kHeadFrames = 40;
  constexpr size_t kTailFrames = 10;

  reportError("trap: " + error.message);
  const auto& frames = store.lastTrapFrames();
  if (frames.empty()) {
    if (error.offset != kNoOffset) {
      char line[64];
      std::snprintf(line, sizeof line, "  at 0x%06llx", (unsigned long long)error.offset);
      std::cerr << line;
      if (error.funcIndex != kNoIndex)
        std::cerr << " in function " << error.funcIndex;
      std::cerr << '\n';
    }
    return;
  }
  debugger::FrameSymbolizer symbolizer;
  symbolizer.setSourceMap(sourceMap);
  // Lines to print: a frame index, or a "skipped N frames" note.
  std::vector<std::string> lines;
  for (size_t i = 0; i < frames.size();) {
    size_t run = 1;
    while (i + run < frames.size() && sameLocation(frames[i], frames[i + run]))
      ++run;
    size_t shown = std::min(run, kRepeatsShown);
    for (size_t k = 0; k < shown; ++k)
      lines.push_back(frameLine(symbolizer, i + k, frames[i + k]));
    if (run > shown)
      lines.push_back("  ... " + std::to_string(run - shown) + " more identical frame" +
                      (run - shown == 1 ? "" : "s") + " (#" + std::to_string(i + shown) + " to #" +
                      std::to_string(i + run - 1) + ")");
    i += run;
  }
  std::cerr << "backtrace:\n";
  if (lines.size() > kHeadFrames + kTailFrames + 1) {
    size_t omitted = lines.size() - kHeadFrames - kTailFrames;
    lines.erase(lines.begin() + long(kHeadFrames), lines.end() - long(kTailFrames));
    lines.insert(lines.begin() + long(kHeadFrames),
                 "  ... " + std::to_string(omitted) + " lines omitted");
  }
  for (const std::string& line : lines)
    std::cerr << line << '\n';
}

} // namespace wasmscope::cli
