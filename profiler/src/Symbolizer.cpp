// Symbolizer (Symbolizer.h): frames, files and lines interned into a
// profile, from DWARF through the symbols library, else the name section.
#include "Symbolizer.h"

namespace wasmscope::profiler {

using namespace wasmscope::runtime;

Symbolizer::Symbolizer(const CompiledModule &module, const debugger::ModuleSymbols *symbols,
                       Profile &profile)
    : m_module(module), m_symbols(symbols), m_profile(profile) {}

FileId Symbolizer::file(debugger::FileIndex index) {
  if (!m_symbols || index == debugger::kNoFile)
    return kNone;
  auto [it, inserted] = m_files.try_emplace(index, uint32_t(m_profile.files.size()));
  if (inserted)
    m_profile.files.push_back(m_symbols->filePath(index));
  return it->second;
}

FrameId Symbolizer::wasmFrame(FuncIndex index) {
  auto [it, inserted] = m_wasmFrames.try_emplace(index, kNone);
  if (!inserted)
    return it->second;
  Frame frame;
  frame.kind = FrameKind::Wasm;
  frame.funcIndex = index;
  const Module &m = m_module.module();
  const CompiledFunction *cf = m_module.function(index);
  if (cf)
    frame.address = cf->bodyOffset;
  const debugger::Function *fn = m_symbols && cf ? m_symbols->functionAt(cf->bodyOffset) : nullptr;
  if (fn && fn->fromDwarf && (fn->funcIndex == index || fn->funcIndex == kNoIndex)) {
    frame.name = fn->name;
    frame.file = file(fn->declFile);
    frame.line = fn->declLine;
  } else if (auto name = m.names.functionNames.find(index); name != m.names.functionNames.end()) {
    frame.name = debugger::demangle(name->second);
  }
  if (frame.name.empty())
    frame.name = "func[" + std::to_string(index) + "]";
  it->second = add(std::move(frame));
  return it->second;
}

FrameId Symbolizer::hostFrame(const FunctionInstance *f, const Instance *instance) {
  auto [it, inserted] = m_hostFrames.try_emplace(f, kNone);
  if (!inserted)
    return it->second;
  Frame frame;
  frame.kind = FrameKind::Host;
  // Name it after the import it was linked to.
  const Module &m = m_module.module();
  uint32_t funcImport = 0;
  for (const Import &imp : m.imports) {
    if (imp.kind != ExternKind::Func)
      continue;
    if (instance && instance->function(funcImport) == f) {
      bool wasi = imp.module.rfind("wasi", 0) == 0;
      frame.name = (wasi ? std::string("wasi") : imp.module) + ":" + imp.name;
      frame.funcIndex = funcImport;
      break;
    }
    ++funcImport;
  }
  if (frame.name.empty())
    frame.name = "host:" + (f->name.empty() ? std::string("?") : f->name);
  it->second = add(std::move(frame));
  return it->second;
}

FrameId Symbolizer::truncatedFrame() {
  if (m_truncated == kNone) {
    Frame frame;
    frame.kind = FrameKind::Truncated;
    frame.name = "[more call paths]";
    m_truncated = add(std::move(frame));
  }
  return m_truncated;
}

LineId Symbolizer::line(FuncIndex func, uint32_t offset) {
  std::vector<SourceFrame> chain;
  FrameId physical = wasmFrame(func);
  std::optional<debugger::SourceLocation> loc;
  if (m_symbols)
    loc = m_symbols->locationAt(offset);
  FileId locFile = loc ? file(loc->file) : kNone;
  uint32_t locLine = loc ? loc->line : 0;
  std::vector<debugger::InlinedFrame> inlined;
  if (m_symbols && loc)
    inlined = m_symbols->inlineChainAt(offset);
  if (inlined.empty()) {
    chain.push_back({physical, locFile, locLine});
  } else {
    chain.push_back({inlinedFrame(inlined[0]), locFile, locLine});
    for (size_t i = 1; i < inlined.size(); ++i)
      chain.push_back(
          {inlinedFrame(inlined[i]), file(inlined[i - 1].callFile), inlined[i - 1].callLine});
    chain.push_back({physical, file(inlined.back().callFile), inlined.back().callLine});
  }
  auto [it, inserted] = m_lines.try_emplace(chain, uint32_t(m_profile.lines.size()));
  if (inserted) {
    LineStats stats;
    stats.chain = std::move(chain);
    stats.address = offset;
    m_profile.lines.push_back(std::move(stats));
  } else {
    m_profile.lines[it->second].address = std::min(m_profile.lines[it->second].address, offset);
  }
  return it->second;
}

FrameId Symbolizer::add(Frame frame) {
  m_profile.frames.push_back(std::move(frame));
  return FrameId(m_profile.frames.size() - 1);
}

FrameId Symbolizer::inlinedFrame(const debugger::InlinedFrame &in) {
  FileId declFile = in.scope ? file(in.scope->declFile) : kNone;
  uint32_t declLine = in.scope ? in.scope->declLine : 0;
  auto key = std::make_tuple(in.name, declFile, declLine);
  auto [it, inserted] = m_inlinedFrames.try_emplace(key, kNone);
  if (inserted) {
    Frame frame;
    frame.kind = FrameKind::Inlined;
    frame.name = in.name.empty() ? "[inlined]" : in.name;
    frame.file = declFile;
    frame.line = declLine;
    it->second = add(std::move(frame));
  }
  return it->second;
}

} // namespace wasmscope::profiler
