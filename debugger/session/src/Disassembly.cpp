// Annotated disassembly (see Disassembly.h): runtime::disassembleBody gives
// the wasm text; this adds names and line-table rows and walks across
// function bodies so that a view can scroll from one function into the next.
#include "wasmscope/session/Disassembly.h"

#include "wasmscope/runtime/WasmText.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace wasmscope::debugger {

using runtime::Error;
using runtime::ErrorCode;

namespace {

/// Bytes shown for one instruction; a br_table can be thousands long.
constexpr uint32_t kMaxShownBytes = 16;

std::string hexBytes(const runtime::Module& module, uint32_t address, uint32_t size) {
  std::string out;
  uint64_t begin = uint64_t(module.codeSectionOffset) + address;
  uint32_t shown = std::min(size, kMaxShownBytes);
  char buf[4];
  for (uint32_t i = 0; i < shown && begin + i < module.bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", module.bytes[begin + i]);
    if (!out.empty())
      out += ' ';
    out += buf;
  }
  if (shown < size)
    out += " ...";
  return out;
}

std::string functionLabel(const runtime::Module& module, const ModuleSymbols* symbols,
                          uint32_t funcIndex, uint32_t entry) {
  if (symbols)
    if (const Function* f = symbols->functionAt(entry); f && f->lowPc() == entry)
      return f->displayName();
  std::string name = module.functionName(funcIndex);
  return name.empty() ? "func[" + std::to_string(funcIndex) + "]" : name;
}

/// Code offset of a body's first and one-past-last byte.
uint32_t bodyBegin(const runtime::Module& module, size_t defined) {
  return module.codes[defined].body.begin - module.codeSectionOffset;
}
uint32_t bodyEnd(const runtime::Module& module, size_t defined) {
  return module.codes[defined].body.end - module.codeSectionOffset;
}

/// Disassembled bodies by defined-function index, for one request.
class BodyCache {
public:
  BodyCache(const runtime::Module& module, const ModuleSymbols* symbols)
      : m_module(module), m_symbols(symbols) {}

  /// The body's instructions; empty when it does not decode (padding
  /// stands in for it in a range).
  const std::vector<DisassembledInstruction>& body(size_t defined) {
    auto it = m_bodies.find(defined);
    if (it != m_bodies.end())
      return it->second;
    auto listed = disassembleFunction(m_module, m_symbols,
                                      uint32_t(defined + m_module.numImportedFuncs));
    return m_bodies[defined] = listed.ok() ? std::move(*listed)
                                           : std::vector<DisassembledInstruction>{};
  }

private:
  const runtime::Module& m_module;
  const ModuleSymbols* m_symbols;
  std::map<size_t, std::vector<DisassembledInstruction>> m_bodies;
};

DisassembledInstruction padding(uint32_t address) {
  DisassembledInstruction out;
  out.address = address;
  out.text = "??";
  out.valid = false;
  return out;
}

} // namespace

Result<std::vector<DisassembledInstruction>>
disassembleFunction(const runtime::Module& module, const ModuleSymbols* symbols,
                    uint32_t funcIndex) {
  if (funcIndex >= module.numFuncs())
    return Error(ErrorCode::InvalidArgument, "no function " + std::to_string(funcIndex) +
                                                 " (the module has " +
                                                 std::to_string(module.numFuncs()) + ")");
  if (funcIndex < module.numImportedFuncs)
    return Error(ErrorCode::InvalidArgument,
                 "function " + std::to_string(funcIndex) + " is imported: it has no code here");
  TRY_ASSIGN(auto text, runtime::disassembleBody(module, funcIndex - module.numImportedFuncs));
  std::vector<DisassembledInstruction> out;
  out.reserve(text.size());
  for (auto& ins : text) {
    DisassembledInstruction d;
    d.address = ins.codeOffset;
    d.size = ins.size;
    d.bytes = hexBytes(module, ins.codeOffset, ins.size);
    d.text = std::move(ins.text);
    d.depth = ins.depth;
    if (symbols)
      if (auto row = symbols->locationAt(ins.codeOffset); row && row->line != 0) {
        d.file = row->file;
        d.line = row->line;
        d.column = row->column;
        d.sourcePath = symbols->filePath(row->file);
      }
    out.push_back(std::move(d));
  }
  if (!out.empty())
    out.front().symbol = functionLabel(module, symbols, funcIndex, out.front().address);
  return out;
}

std::vector<DisassembledInstruction> disassembleAround(const runtime::Module& module,
                                                       const ModuleSymbols* symbols,
                                                       uint32_t address, int64_t instructionOffset,
                                                       uint32_t count) {
  count = std::min(count, kMaxDisassembly);
  std::vector<DisassembledInstruction> out;
  const size_t functions = module.codes.size();
  if (count == 0)
    return out;
  if (functions == 0) {
    for (uint32_t k = 0; k < count; ++k)
      out.push_back(padding(address + k));
    return out;
  }
  BodyCache cache(module, symbols);

  // The starting position: body `defined`, instruction `index`; `defined ==
  // functions` is past the end of the code, `index` then counting padding.
  size_t defined = std::lower_bound(module.codes.begin(), module.codes.end(), address,
                                    [&](const runtime::Code& code, uint32_t a) {
                                      return code.body.end - module.codeSectionOffset <= a;
                                    }) -
                   module.codes.begin();
  int64_t index = 0;
  if (defined < functions) {
    const auto& body = cache.body(defined);
    index = std::find_if(body.begin(), body.end(),
                         [&](const DisassembledInstruction& d) {
                           return d.address >= address ||
                                  d.address + d.size > address;
                         }) -
            body.begin();
    // `address` past every instruction's start in an undecodable body: the next body.
    if (index >= int64_t(body.size())) {
      ++defined;
      index = 0;
    }
  }

  // Move by `instructionOffset`; `before` counts padding positions before
  // the first instruction when the move runs out of code going back.
  int64_t offset = instructionOffset;
  int64_t before = 0;
  while (offset < 0) {
    if (index + offset >= 0) {
      index += offset;
      break;
    }
    if (defined == 0) {
      before = -(index + offset);
      index = 0;
      break;
    }
    offset += index + 1;
    --defined;
    index = int64_t(cache.body(defined).size()) - 1;
    if (index < 0) { // an undecodable body: count it as no instructions
      index = 0;
      offset -= 1;
    }
  }
  while (offset > 0 && defined < functions) {
    int64_t size = int64_t(cache.body(defined).size());
    if (index + offset < size) {
      index += offset;
      offset = 0;
      break;
    }
    offset -= size - index;
    ++defined;
    index = 0;
  }
  if (defined >= functions)
    index += offset;

  const uint32_t firstAddress = bodyBegin(module, 0);
  const uint32_t endAddress = bodyEnd(module, functions - 1);
  for (; before > 0 && out.size() < count; --before)
    out.push_back(padding(firstAddress >= before ? uint32_t(firstAddress - before) : 0));
  while (out.size() < count && defined < functions) {
    const auto& body = cache.body(defined);
    for (; index < int64_t(body.size()) && out.size() < count; ++index)
      out.push_back(body[size_t(index)]);
    ++defined;
    index = 0;
  }
  for (uint64_t k = uint64_t(std::max<int64_t>(index, 0)); out.size() < count; ++k)
    out.push_back(padding(uint32_t(std::min<uint64_t>(endAddress + k, UINT32_MAX))));
  return out;
}

} // namespace wasmscope::debugger
