// `who_points_at ADDR [LEN]` (MemoryMonitor.h): the heap profiler's pointer
// search over the leak check's roots and the live blocks, each pointer
// described by where it is held. A word in static data or on the shadow
// stack is named by the C variable whose storage holds it when the DWARF
// says so (globals; the locals of the live frames, found by evaluating
// their locations against the stopped frames); a word in a block gets that
// block's size, leak kind and allocation stack.
#include "HeapText.h"
#include "MemoryMonitor.h"

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <cstring>

namespace wasmscope::gdbstub {

using namespace wasmscope::profiler;
using runtime::Error;
using runtime::ErrorCode;
using runtime::Result;

namespace {

/// A stopped wasm frame as DWARF location expressions read it.
class StoppedFrameAccess final : public debugger::FrameAccess {
public:
  StoppedFrameAccess(const runtime::FrameInfo& frame, const runtime::CompiledFunction* function,
                     runtime::Instance* instance)
      : m_frame(frame), m_function(function), m_instance(instance),
        m_memory(instance ? instance->memory(0) : nullptr) {}

  std::optional<uint64_t> local(uint32_t index) const override {
    if (!m_frame.locals || index >= m_frame.numLocals || !m_function ||
        index >= m_function->localTypes.size())
      return std::nullopt;
    const runtime::Slot* slot = m_frame.local(index);
    if (m_function->localTypes[index] == runtime::ValType::I32 ||
        m_function->localTypes[index] == runtime::ValType::F32)
      return uint64_t(slot->i32);
    return slot->i64;
  }
  std::optional<uint64_t> global(uint32_t index) const override {
    if (!m_instance || index >= m_instance->numGlobals())
      return std::nullopt;
    const runtime::GlobalInstance* g = m_instance->global(index);
    if (g->type.type == runtime::ValType::I32 || g->type.type == runtime::ValType::F32)
      return uint64_t(uint32_t(g->value));
    return g->value;
  }
  std::optional<uint64_t> operandStack(uint32_t) const override { return std::nullopt; }
  bool readMemory(uint64_t address, std::span<uint8_t> out) const override {
    if (!m_memory || address > m_memory->size || out.size() > m_memory->size - address)
      return false;
    std::memcpy(out.data(), m_memory->data + address, out.size());
    return true;
  }

private:
  const runtime::FrameInfo& m_frame;
  const runtime::CompiledFunction* m_function;
  runtime::Instance* m_instance;
  runtime::MemoryInstance* m_memory;
};

/// Memory that `variable` occupies at `pc` in a frame, if it lives in
/// linear memory there.
std::optional<std::pair<uint64_t, uint64_t>> storageOf(const debugger::ModuleSymbols& symbols,
                                                       const debugger::Variable& variable,
                                                       uint32_t pc,
                                                       const debugger::FrameAccess& frame) {
  auto location = symbols.evaluateLocation(variable, pc, frame);
  if (!location.ok() || location->kind != debugger::LocationKind::Memory)
    return std::nullopt;
  uint64_t size = 0;
  if (variable.type)
    if (const debugger::Type* t = variable.type->stripped())
      size = t->byteSize;
  return std::pair{location->address, std::max<uint64_t>(size, 1)};
}

std::string offsetText(uint64_t offset) {
  return offset ? " (+" + std::to_string(offset) + ")" : "";
}

/// Where static-data word `at` is: the C global holding it, if any.
std::string staticPlace(uint32_t at, const debugger::ModuleSymbols* symbols,
                        runtime::Instance* instance) {
  std::string text = "in static data";
  if (!symbols)
    return text;
  // Globals' locations are addresses; no frame is read.
  runtime::FrameInfo none;
  StoppedFrameAccess access(none, nullptr, instance);
  for (const debugger::Variable& v : symbols->globalVariables()) {
    auto storage = storageOf(*symbols, v, 0, access);
    if (storage && at >= storage->first && at < storage->first + storage->second) {
      text += ": the global `" + v.name + "`" + offsetText(at - storage->first);
      if (v.declLine && v.declFile != debugger::kNoFile) {
        const std::string& path = symbols->filePath(v.declFile);
        text += " (" + path.substr(path.find_last_of('/') + 1) + ":" + std::to_string(v.declLine) + ")";
      }
      return text;
    }
  }
  return text;
}

std::string functionName(const debugger::ModuleSymbols* symbols, const runtime::Module& module,
                         const runtime::FrameInfo& frame) {
  if (symbols)
    if (const debugger::Function* f = symbols->functionAt(frame.wasmOffset); f && !f->name.empty())
      return f->displayName();
  std::string name = module.functionName(frame.funcIndex);
  return name.empty() ? "func[" + std::to_string(frame.funcIndex) + "]" : name;
}

/// Where shadow-stack word `at` is: the local C variable of a live frame
/// holding it, if the DWARF locates one there.
std::string stackPlace(uint32_t at, const debugger::ModuleSymbols* symbols,
                       const runtime::CompiledModule& module, LiveFrames frames,
                       runtime::Instance* instance) {
  std::string text = "on the shadow stack (the C stack in linear memory)";
  if (!symbols || !frames)
    return text;
  for (size_t f = 0; f < frames->size(); ++f) {
    const runtime::FrameInfo& frame = (*frames)[f];
    StoppedFrameAccess access(frame, module.function(frame.funcIndex), instance);
    size_t depths = symbols->inlineChainAt(frame.wasmOffset).size();
    for (size_t depth = 0; depth <= depths; ++depth)
      for (const debugger::Variable* v : symbols->variablesAt(frame.wasmOffset, uint32_t(depth))) {
        auto storage = storageOf(*symbols, *v, frame.wasmOffset, access);
        if (storage && at >= storage->first && at < storage->first + storage->second)
          return text + ": `" + v->name + "`" + offsetText(at - storage->first) + " of " +
                 (v->function ? v->function->displayName()
                              : functionName(symbols, module.module(), frame)) +
                 " in wasm frame " + std::to_string(f);
      }
  }
  return text;
}

} // namespace

Result<std::string> MemoryMonitor::whoPointsAt(uint32_t address, uint32_t length,
                                               LiveFrames frames,
                                               const debugger::ModuleSymbols* symbols) {
  uint64_t end = std::min<uint64_t>(uint64_t(address) + length, uint64_t(1) << 32);
  std::lock_guard lock(m_mutex);
  std::string text = "Searching for pointers pointing in " + groupedNumber(end - address) +
                     " bytes from " + memoryAddress(address) + "\n";
  TRY_ASSIGN(Profile profile, current(frames));
  const MemoryProfile& m = *profile.memory;
  if (std::optional<uint32_t> target = m.checkedBlockAt(address)) {
    const CheckedBlock& c = m.checked[*target];
    text += memoryAddress(address) + " is " + groupedNumber(address - c.block.address) +
            " bytes inside " + blockDescription(profile, *target) + "\n" +
            allocationStack(profile, c.block.stack, m_codeBase, "   ");
  } else {
    text += memoryAddress(address) + " is not inside a heap block\n";
  }

  // The pointers: a fresh search mid-run; after the run, the leak check's
  // record of the pointers into blocks (the guest's frames are gone).
  std::vector<PointerRef> pointers;
  uint64_t dropped = 0;
  std::vector<uint32_t> holderToChecked; // A search's block index -> checked index.
  if (frames && m_heap) {
    TRY_ASSIGN(HeapProfiler::PointerSearch search, m_heap->pointersInto(address, end, *frames));
    pointers = std::move(search.pointers);
    dropped = search.dropped;
    for (const HeapBlock& b : search.live)
      holderToChecked.push_back(m.checkedBlockAt(b.address).value_or(UINT32_MAX));
  } else {
    for (const PointerRef& r : m.references)
      if (r.value >= address && r.value < end)
        pointers.push_back(r);
    for (uint32_t i = 0; i < m.checked.size(); ++i)
      holderToChecked.push_back(i);
    text += "(after the run: pointers into heap blocks as the leak check at exit found them)\n";
  }

  runtime::Instance* instance = m_guest ? m_guest->instance() : nullptr;
  const runtime::CompiledModule* module = m_guest ? m_guest->module().get() : nullptr;
  // A wide range can hold every pointer of the program: the first ones
  // make the point, and the reply stays a size LLDB's console takes.
  constexpr size_t kMaxListed = 1000;
  size_t listed = 0;
  for (const PointerRef& r : pointers) {
    if (listed++ == kMaxListed)
      break;
    std::string pointsAt = " points at " + memoryAddress(r.value);
    if (std::optional<uint32_t> into = m.checkedBlockAt(r.value);
        into && r.value != m.checked[*into].block.address)
      pointsAt += " (interior: " + groupedNumber(r.value - m.checked[*into].block.address) +
                  " bytes inside the block at " + memoryAddress(m.checked[*into].block.address) + ")";
    switch (r.source) {
    case RootKind::StaticData:
      text += "*" + memoryAddress(r.location) + pointsAt + "\n  Address " +
              memoryAddress(r.location) + " is " +
              staticPlace(r.location, symbols, instance) +
              "\n";
      break;
    case RootKind::ShadowStack:
      text += "*" + memoryAddress(r.location) + pointsAt + "\n  Address " +
              memoryAddress(r.location) + " is " +
              (module ? stackPlace(r.location, symbols, *module, frames, instance)
                      : std::string("on the shadow stack")) +
              "\n";
      break;
    case RootKind::Global: {
      std::string name;
      if (module)
        if (auto it = module->module().names.globalNames.find(r.from);
            it != module->module().names.globalNames.end())
          name = " (" + it->second + ")";
      text += "wasm global " + std::to_string(r.from) + name + pointsAt + "\n";
      break;
    }
    case RootKind::Local:
    case RootKind::OperandStack: {
      std::string function;
      if (frames && r.from < frames->size() && module)
        function = " (" + functionName(symbols, module->module(), (*frames)[r.from]) + ")";
      text += std::string(r.source == RootKind::Local ? "wasm local " : "operand-stack slot ") +
              std::to_string(r.location) + " of wasm frame " + std::to_string(r.from) + function +
              pointsAt + "\n";
      break;
    }
    case RootKind::Block: {
      uint32_t holder = r.from < holderToChecked.size() ? holderToChecked[r.from] : UINT32_MAX;
      text += "*" + memoryAddress(r.location) + pointsAt + "\n  Address " +
              memoryAddress(r.location) + " is ";
      if (holder == UINT32_MAX) {
        text += "inside a heap block\n";
        break;
      }
      const CheckedBlock& c = m.checked[holder];
      text += groupedNumber(r.location - c.block.address) + " bytes inside " +
              blockDescription(profile, holder) + "\n" +
              allocationStack(profile, c.block.stack, m_codeBase, "     ");
      break;
    }
    }
  }
  text += "found " + groupedNumber(pointers.size() + dropped) + " pointer" +
          (pointers.size() + dropped == 1 ? "" : "s");
  if (pointers.size() + dropped > kMaxListed)
    text += " (the first " + groupedNumber(kMaxListed) + " listed; a smaller LEN narrows the search)";
  return text + "\n";
}

} // namespace wasmscope::gdbstub
