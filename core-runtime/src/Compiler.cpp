// Module compilation: module-level validation, then each body through the
// one-pass FunctionCompiler; plus the offset maps between internal code and
// wasm bytes.
#include "wasmscope/runtime/Compiler.h"

#include "BodySkimmer.h"
#include "FunctionCompiler.h"
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/ModuleValidator.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace wasmscope::runtime {

uint32_t canonicalTypeId(const FuncType& type) {
  // Interned for the process: ids stay valid for as long as any store may
  // compare them.
  static std::mutex mutex;
  static std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> ids;
  std::lock_guard lock(mutex);
  auto [it, inserted] = ids.try_emplace({type.params, type.results}, uint32_t(ids.size()));
  return it->second;
}

uint32_t CompiledFunction::wasmOffsetAt(uint32_t pc) const {
  auto it = std::upper_bound(pcToWasm.begin(), pcToWasm.end(), pc,
                             [](uint32_t p, const auto& e) { return p < e.first; });
  if (it == pcToWasm.begin())
    return bodyOffset;
  return std::prev(it)->second;
}

std::optional<uint32_t> CompiledFunction::pcAt(uint32_t wasmOffset) const {
  auto it = std::lower_bound(wasmToPc.begin(), wasmToPc.end(), wasmOffset,
                             [](const auto& e, uint32_t off) { return e.first < off; });
  if (it == wasmToPc.end() || it->first != wasmOffset)
    return std::nullopt;
  return it->second;
}

std::vector<uint32_t> CompiledFunction::instructionOffsets() const {
  std::vector<uint32_t> out;
  out.reserve(wasmToPc.size());
  for (const auto& [offset, pc] : wasmToPc)
    out.push_back(offset);
  return out;
}

CompiledFunction* CompiledModule::function(FuncIndex f) {
  if (f < m_module.numImportedFuncs || f - m_module.numImportedFuncs >= m_functions.size())
    return nullptr;
  return &m_functions[f - m_module.numImportedFuncs];
}

const CompiledFunction* CompiledModule::function(FuncIndex f) const {
  return const_cast<CompiledModule*>(this)->function(f);
}

const CompiledFunction* CompiledModule::functionAt(uint32_t offset) const {
  auto it = std::upper_bound(m_functions.begin(), m_functions.end(), offset,
                             [](uint32_t off, const CompiledFunction& f) { return off < f.bodyOffset; });
  if (it == m_functions.begin())
    return nullptr;
  --it;
  return offset < it->bodyEnd ? &*it : nullptr;
}

namespace {

/// A validation error, unless some function body is also malformed: the
/// spec decodes the whole module before validating any of it.
Error malformedFirst(const Module& module, Error error) {
  if (phaseOf(error.code) != ErrorPhase::Validate)
    return error;
  if (std::optional<Error> malformed = findMalformedBody(module))
    return *malformed;
  return error;
}

} // namespace

Result<std::shared_ptr<CompiledModule>> compileModule(Module module, const CompileOptions& options) {
  Result<ModuleContext> context = validateModule(module);
  if (!context)
    return malformedFirst(module, std::move(context).error());
  auto compiled = std::make_shared<CompiledModule>();
  compiled->m_options = options;
  if (compiled->m_options.countBlocks)
    compiled->m_options.meterFuel = true;
  compiled->m_module = std::move(module);
  const Module& m = compiled->m_module;
  // Each function may declare up to 2^20 locals in a few bytes, and each
  // local costs the host memory (its type, and a frame slot zeroed per
  // call): bound the module's total, not just each function's.
  uint64_t locals = 0;
  for (uint32_t i = 0; i < m.functions.size() && i < m.codes.size(); ++i)
    locals += m.codes[i].totalLocals + m.types[m.functions[i]].params.size();
  if (locals > kMaxModuleLocals)
    return Error(ErrorCode::TooManyLocals,
                 "too many locals: the module's functions declare " + std::to_string(locals) +
                     " in all, more than the " + std::to_string(kMaxModuleLocals) + " allowed");
  // Sized once: direct calls embed pointers into this array.
  compiled->m_functions.resize(m.functions.size());
  uint32_t blocks = 0;
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    CompiledFunction& out = compiled->m_functions[i];
    out.firstBlock = blocks;
    FunctionCompiler fc(m, *context, compiled->m_options, m.numImportedFuncs + i, out,
                        compiled->m_functions.data());
    Result<void> r = fc.compile();
    if (!r)
      return malformedFirst(m, std::move(r).error());
    if (uint64_t(blocks) + out.blocks.size() > UINT32_MAX)
      return Error(ErrorCode::InvalidArgument, "too many basic blocks to count", kNoOffset,
                   out.index);
    blocks += uint32_t(out.blocks.size());
  }
  compiled->m_numBlocks = blocks;
  compiled->m_context = std::move(*context);
  return compiled;
}

Result<std::shared_ptr<CompiledModule>> loadModule(std::span<const uint8_t> bytes,
                                                   const CompileOptions& options) {
  TRY_ASSIGN(Module module, decodeModule(bytes));
  return compileModule(std::move(module), options);
}

} // namespace wasmscope::runtime
