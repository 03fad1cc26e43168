// See DwarfHarness.h.
#include "DwarfHarness.h"

#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <cstring>

namespace wasmscope::debugger::fuzz {

namespace {

/// Frame state for location expressions: a few locals and globals, and
/// 64 KiB of memory whose words point into itself.
class FakeFrame final : public FrameAccess {
public:
  FakeFrame() : m_memory(64 * 1024) {
    for (size_t i = 0; i + 4 <= m_memory.size(); i += 4) {
      uint32_t v = uint32_t((i * 7 + 64) % m_memory.size());
      std::memcpy(m_memory.data() + i, &v, 4);
    }
  }
  std::optional<uint64_t> local(uint32_t index) const override {
    return index < 16 ? std::optional<uint64_t>(0x1000 + 16 * index) : std::nullopt;
  }
  std::optional<uint64_t> global(uint32_t index) const override {
    return index < 4 ? std::optional<uint64_t>(0x8000) : std::nullopt;
  }
  std::optional<uint64_t> operandStack(uint32_t index) const override {
    return index < 8 ? std::optional<uint64_t>(index) : std::nullopt;
  }
  bool readMemory(uint64_t address, std::span<uint8_t> out) const override {
    if (address > m_memory.size() || out.size() > m_memory.size() - address)
      return false;
    if (!out.empty())
      std::memcpy(out.data(), m_memory.data() + address, out.size());
    return true;
  }

private:
  std::vector<uint8_t> m_memory;
};

constexpr size_t kMaxFunctions = 64;
constexpr size_t kMaxTypes = 512;

} // namespace

DwarfRunSummary runUntrustedDwarf(std::span<const uint8_t> bytes) {
  DwarfRunSummary summary;
  auto module = runtime::decodeModule(bytes);
  if (!module.ok())
    return summary;
  summary.decoded = true;
  std::vector<SymbolWarning> warnings;
  auto loaded = ModuleSymbols::load(*module, &warnings);
  if (!loaded.ok())
    return summary;
  const ModuleSymbols& symbols = **loaded;
  summary.hasDwarf = symbols.hasDwarf();
  for (const SymbolWarning& w : warnings)
    (void)w.describe();

  FakeFrame frame;
  const auto& functions = symbols.functions();
  for (size_t i = 0; i < functions.size() && i < kMaxFunctions; ++i) {
    const Function& fn = *functions[i];
    ++summary.functions;
    for (uint32_t pc : {fn.lowPc(), fn.bodyAddress}) {
      (void)symbols.locationAt(pc);
      (void)symbols.functionAt(pc);
      std::vector<InlinedFrame> chain = symbols.inlineChainAt(pc);
      for (uint32_t depth = 0; depth <= chain.size() && depth < 8; ++depth)
        for (const Variable* v : symbols.variablesAt(pc, depth)) {
          (void)symbols.evaluateLocation(*v, pc, frame);
          if (v->type)
            (void)v->type->displayName();
          ++summary.variables;
        }
    }
    (void)symbols.findFunctions(fn.name);
    (void)formatExpression(fn.frameBase);
  }
  for (const Variable& g : symbols.globalVariables()) {
    if (summary.variables > 4 * kMaxFunctions)
      break;
    (void)symbols.evaluateLocation(g, 0, frame);
    ++summary.variables;
  }
  const auto& files = symbols.files();
  for (size_t f = 0; f < files.size() && f < 8; ++f) {
    std::vector<uint32_t> lines = symbols.linesWithCode(FileIndex(f));
    for (size_t i = 0; i < lines.size() && i < 16; ++i)
      (void)symbols.breakpointAddresses(files[f].path, lines[i]);
  }
  (void)symbols.lineTable();
  std::vector<const Type*> types = symbols.types();
  for (size_t i = 0; i < types.size() && i < kMaxTypes; ++i) {
    (void)types[i]->displayName();
    (void)types[i]->stripped();
    if (!types[i]->name.empty())
      (void)symbols.findType(types[i]->name);
    ++summary.types;
  }
  return summary;
}

} // namespace wasmscope::debugger::fuzz
