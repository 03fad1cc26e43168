// Symbolicated trap backtraces for `wasmscope run` (and any front end that
// prints a wasm call stack as text).
#include "wasmscope/symbols/Symbols.h"

#include "wasmscope/symbols/SourcePaths.h"

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Instance.h"

#include <cstdio>
#include <functional>

namespace wasmscope::debugger {
namespace {

const runtime::Module *moduleOf(const runtime::FrameInfo &frame) {
  if (frame.function && frame.function->instance && frame.function->instance->module())
    return &frame.function->instance->module()->module();
  return nullptr;
}

std::string where(const ModuleSymbols &symbols, FileIndex file, uint32_t line, uint32_t column,
                  const SourceMap *map) {
  if (file == kNoFile || line == 0)
    return "";
  const std::string &path = symbols.filePath(file);
  std::optional<std::string> local = map ? map->toLocal(path) : std::nullopt;
  std::string s = " at " + (local ? *local : path) + ":" + std::to_string(line);
  if (column)
    s += ":" + std::to_string(column);
  return s;
}

/// Symbols for a frame's module: (module, symbols or null).
using SymbolsFor = std::function<std::pair<const runtime::Module *, const ModuleSymbols *>(
    const runtime::FrameInfo &)>;

std::string format(std::span<const runtime::FrameInfo> frames, const SymbolsFor &symbolsFor,
                   const SourceMap *map) {
  std::string out = "backtrace:\n";
  size_t number = 0;
  auto line = [&](const char *address, const std::string &text) {
    char prefix[48];
    std::snprintf(prefix, sizeof prefix, "  #%-2zu %s ", number++, address);
    out += prefix + text + "\n";
  };
  for (const runtime::FrameInfo &frame : frames) {
    if (frame.function && frame.function->isHost()) {
      line("<host>  ", frame.function->name.empty() ? "<host function>" : frame.function->name);
      continue;
    }
    char address[16];
    std::snprintf(address, sizeof address, "0x%06x", frame.wasmOffset);
    auto [module, symbols] = symbolsFor(frame);
    const Function *fn = symbols ? symbols->functionAt(frame.wasmOffset) : nullptr;
    std::string name = fn ? fn->displayName() : "";
    if (name.empty() && module)
      name = module->functionName(frame.funcIndex);
    if (name.empty() && frame.function)
      name = frame.function->name;
    if (name.empty())
      name = "<function " + std::to_string(frame.funcIndex) + ">";
    if (!symbols || !fn) {
      line(address, name);
      continue;
    }
    auto loc = symbols->locationAt(frame.wasmOffset);
    std::string here = loc ? where(*symbols, loc->file, loc->line, loc->column, map) : "";
    for (const InlinedFrame &inl : symbols->inlineChainAt(frame.wasmOffset)) {
      line(address, (inl.name.empty() ? std::string("<inlined>") : inl.name) + here + " [inlined]");
      here = where(*symbols, inl.callFile, inl.callLine, inl.callColumn, map);
    }
    line(address, name + here);
  }
  return out;
}

} // namespace

std::string formatBacktrace(std::span<const runtime::FrameInfo> frames,
                            const runtime::Module &module, const ModuleSymbols *symbols,
                            const SourceMap *sourceMap) {
  return format(
      frames,
      [&](const runtime::FrameInfo &frame) {
        const runtime::Module *m = moduleOf(frame);
        if (m && m != &module)
          return std::pair<const runtime::Module *, const ModuleSymbols *>(m, nullptr);
        return std::pair<const runtime::Module *, const ModuleSymbols *>(&module, symbols);
      },
      sourceMap);
}

FrameSymbolizer::FrameSymbolizer() = default;

void FrameSymbolizer::setSourceMap(SourceMap map) {
  m_sourceMap = std::make_unique<SourceMap>(std::move(map));
}
FrameSymbolizer::~FrameSymbolizer() = default;

std::string FrameSymbolizer::label(const runtime::FrameInfo &frame) {
  if (frame.function && frame.function->isHost())
    return "";
  const runtime::Module *m = moduleOf(frame);
  if (!m)
    return "";
  const ModuleSymbols *symbols = nullptr;
  bool found = false;
  for (auto &[module, s] : m_loaded)
    if (module == m) {
      symbols = s.get();
      found = true;
    }
  if (!found) {
    auto result = ModuleSymbols::load(*m, nullptr);
    m_loaded.emplace_back(m, result ? std::move(result).value() : nullptr);
    symbols = m_loaded.back().second.get();
  }
  if (!symbols)
    return "";
  const Function *fn = symbols->functionAt(frame.wasmOffset);
  auto loc = symbols->locationAt(frame.wasmOffset);
  if (!fn || !fn->fromDwarf || !loc)
    return "";
  const SourceMap *map = m_sourceMap.get();
  std::string here = where(*symbols, loc->file, loc->line, loc->column, map);
  auto chain = symbols->inlineChainAt(frame.wasmOffset);
  if (chain.empty())
    return fn->displayName() + here;
  std::string out = (chain.front().name.empty() ? "<inlined>" : chain.front().name) + here + " (";
  for (size_t i = 0; i < chain.size(); ++i) {
    std::string caller = i + 1 < chain.size() ? chain[i + 1].name : fn->displayName();
    out += (i ? ", inlined into " : "inlined into ") + caller +
           where(*symbols, chain[i].callFile, chain[i].callLine, chain[i].callColumn, map);
  }
  return out + ")";
}

std::string formatBacktrace(std::span<const runtime::FrameInfo> frames) {
  // Frames may come from several linked modules: load each one's symbols once.
  std::vector<std::pair<const runtime::Module *, std::unique_ptr<ModuleSymbols>>> loaded;
  return format(
      frames,
      [&](const runtime::FrameInfo &frame) {
        const runtime::Module *m = moduleOf(frame);
        if (!m)
          return std::pair<const runtime::Module *, const ModuleSymbols *>(nullptr, nullptr);
        for (auto &[module, symbols] : loaded)
          if (module == m)
            return std::pair<const runtime::Module *, const ModuleSymbols *>(m, symbols.get());
        auto result = ModuleSymbols::load(*m, nullptr);
        loaded.emplace_back(m, result ? std::move(result).value() : nullptr);
        return std::pair<const runtime::Module *, const ModuleSymbols *>(
            m, loaded.back().second.get());
      },
      nullptr);
}

} // namespace wasmscope::debugger
