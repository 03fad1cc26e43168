// Names for what the collectors counted: frames, files and source lines
// (with their inlining chains), each interned once into a Profile. The
// instruction profile and the heap profile share one Symbolizer, so a
// function or line they both mention is one entry of the profile.
#pragma once

#include "wasmscope/profiler/Profile.h"
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Instance.h"
#include "wasmscope/symbols/Symbols.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace wasmscope::profiler {

class Symbolizer {
public:
  /// `symbols` may be null (no DWARF: names from the name section).
  Symbolizer(const runtime::CompiledModule &module, const debugger::ModuleSymbols *symbols,
             Profile &profile);

  const debugger::ModuleSymbols *symbols() const { return m_symbols; }

  FileId file(debugger::FileIndex index);
  /// The frame of wasm function `index` (DWARF name, else the name
  /// section's, else "func[N]").
  FrameId wasmFrame(runtime::FuncIndex index);
  /// The frame of a host function, named after the import it was linked to.
  FrameId hostFrame(const runtime::FunctionInstance *f, const runtime::Instance *instance);
  FrameId truncatedFrame();
  /// The line (with its inlining chain) of the instruction at `offset` in
  /// wasm function `func`.
  LineId line(runtime::FuncIndex func, uint32_t offset);

private:
  FrameId add(Frame frame);
  FrameId inlinedFrame(const debugger::InlinedFrame &in);

  const runtime::CompiledModule &m_module;
  const debugger::ModuleSymbols *m_symbols;
  Profile &m_profile;
  std::map<debugger::FileIndex, FileId> m_files;
  std::map<runtime::FuncIndex, FrameId> m_wasmFrames;
  std::map<const runtime::FunctionInstance *, FrameId> m_hostFrames;
  std::map<std::tuple<std::string, FileId, uint32_t>, FrameId> m_inlinedFrames;
  std::map<std::vector<SourceFrame>, LineId> m_lines;
  FrameId m_truncated = kNone;
};

} // namespace wasmscope::profiler
