// Stops as the user sees them: the snapshot taken when the guest parks, its
// source-level frames (inlined calls as frames of their own), stack traces,
// and FrameEnv, through which evaluation and DWARF location expressions
// read a frame's locals, the globals and linear memory.
//
// After a trap the runtime has unwound, but Store::lastTrapFrames() keeps
// each frame's function, offset and a pointer to its locals in the value
// stack, which nothing overwrites until the next call into the guest; the
// guest thread makes none while parked, so locals read right there.
#include "SessionImpl.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace wasmscope::debugger {

void Session::Impl::takeSnapshot(const ProbeContext* ctx, StopSource source, ProbeId sourceProbe,
                                 const StoppedEvent& event) {
  StopSnapshot s;
  s.epoch = ++stopEpoch;
  s.event = event;
  s.source = source;
  s.sourceProbe = sourceProbe;
  std::vector<runtime::FrameInfo> frames;
  if (ctx) {
    frames = store->frames();
    if (!frames.empty()) {
      // Several wasm instructions can share a pc; the probe knows which.
      frames[0].wasmOffset = ctx->wasmOffset;
    }
    s.operandStack = ctx->operandStack();
    s.hasOperandStack = true;
  } else {
    frames = store->lastTrapFrames();
  }
  s.frames.reserve(frames.size());
  for (const runtime::FrameInfo& f : frames)
    s.frames.push_back({f, f.function && f.function->instance ? f.function->instance : instance});
  snapshot = std::move(s);
}

std::string Session::Impl::functionName(FuncIndex func, uint32_t offset) const {
  if (symbols)
    if (const Function* fn = symbols->functionAt(offset); fn && !fn->name.empty())
      return fn->displayName(); // "main", not wasi-libc's "__main_argc_argv".
  std::string name = compiled->module().functionName(func);
  if (!name.empty())
    return demangle(name);
  return "func[" + std::to_string(func) + "]";
}

const std::vector<SourceFrame>& Session::Impl::sourceFrames() {
  StopSnapshot& s = *snapshot;
  if (s.sourceFrames)
    return *s.sourceFrames;
  std::vector<SourceFrame> out;
  out.reserve(s.frames.size());
  for (size_t i = 0; i < s.frames.size(); ++i) {
    uint32_t offset = s.frames[i].info.wasmOffset;
    std::vector<InlinedFrame> chain;
    if (hasInlines)
      chain = symbols->inlineChainAt(offset);
    for (uint32_t k = 0; k <= chain.size(); ++k) {
      SourceFrame f;
      f.concrete = i;
      f.inlineDepth = k;
      f.inlined = k < chain.size();
      f.name = f.inlined ? chain[k].name : functionName(s.frames[i].info.funcIndex, offset);
      if (k == 0) {
        if (std::optional<SourceLocation> loc = symbols->locationAt(offset); loc && loc->line) {
          f.file = loc->file;
          f.line = loc->line;
          f.column = loc->column;
        }
      } else {
        f.file = chain[k - 1].callFile;
        f.line = chain[k - 1].callLine;
        f.column = chain[k - 1].callColumn;
      }
      out.push_back(std::move(f));
    }
  }
  s.sourceFrames = std::move(out);
  return *s.sourceFrames;
}

Result<size_t> Session::Impl::sourceFrameIndex(FrameId id) const {
  std::optional<size_t> index = handleIndex(id, snapshot->epoch);
  if (!index || !snapshot->sourceFrames || *index >= snapshot->sourceFrames->size())
    return Error(ErrorCode::InvalidArgument,
                 "unknown frame id " + std::to_string(id) + " (frames change when the guest runs)");
  return *index;
}

StackFrame Session::Impl::toStackFrame(const SourceFrame& f, size_t index) {
  const ConcreteFrame& c = snapshot->frames[f.concrete];
  StackFrame out;
  out.id = makeHandle(snapshot->epoch, index);
  out.name = f.name;
  if (f.line && f.file != kNoFile) {
    out.sourcePath = sourcePaths->localPath(f.file);
    if (const SourceFile* file = symbols->file(f.file))
      out.sourceName = file->name;
    out.line = f.line;
    out.column = f.column;
    out.hasSource = true;
    out.sourceReference = sourceReferenceOf(f.file);
  }
  out.funcIndex = c.info.funcIndex;
  out.address = c.info.wasmOffset;
  out.moduleName = moduleName;
  out.inlined = f.inlined;
  return out;
}

std::unique_ptr<FrameEnv> Session::Impl::frameEnv(size_t sourceFrame) {
  const SourceFrame& f = sourceFrames()[sourceFrame];
  const std::vector<runtime::Value>* stack =
      f.concrete == 0 && snapshot->hasOperandStack ? &snapshot->operandStack : nullptr;
  return std::make_unique<FrameEnv>(*this, snapshot->frames[f.concrete], f.inlineDepth, stack,
                                    nullptr);
}

const std::map<std::string, std::pair<const Type*, int64_t>, std::less<>>&
Session::Impl::enumeratorMap() {
  if (!enumerators) {
    enumerators.emplace();
    for (const Type* t : symbols->types())
      if (t->kind == TypeKind::Enum)
        for (const Enumerator& e : t->enumerators)
          enumerators->emplace(e.name, std::pair{t, e.value});
  }
  return *enumerators;
}

std::optional<StoppedEvent> Session::currentStop() const {
  std::lock_guard lock(m_impl->mutex);
  if (m_impl->state != SessionState::Stopped || !m_impl->snapshot)
    return std::nullopt;
  return m_impl->snapshot->event;
}

Result<StackTrace> Session::stackTrace(uint32_t startFrame, uint32_t levels) const {
  std::lock_guard lock(m_impl->mutex);
  try {
    TRY(m_impl->requireStopped());
    const std::vector<SourceFrame>& frames = m_impl->sourceFrames();
    StackTrace out;
    out.totalFrames = uint32_t(frames.size());
    size_t end =
        levels == 0 ? frames.size() : std::min<size_t>(frames.size(), size_t(startFrame) + levels);
    for (size_t i = startFrame; i < end; ++i)
      out.frames.push_back(m_impl->toStackFrame(frames[i], i));
    return out;
  } catch (const std::exception& e) {
    return Error(ErrorCode::InvalidArgument, std::string("internal error: ") + e.what());
  }
}

// ------------------------------------------------------------ FrameEnv ----

FrameEnv::FrameEnv(Session::Impl& session, const ConcreteFrame& frame, uint32_t inlineDepth,
                   const std::vector<runtime::Value>* operandStack, const ProbeContext* ctx)
    : m_session(session), m_frame(frame), m_inlineDepth(inlineDepth), m_operandStack(operandStack),
      m_ctx(ctx) {}

runtime::MemoryInstance* FrameEnv::memory() const {
  runtime::Instance* inst = m_frame.instance ? m_frame.instance : m_session.instance;
  return inst ? inst->memory(0) : nullptr;
}

namespace {

std::vector<uint8_t> littleEndian(uint64_t bits, size_t size) {
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size && i < 8; ++i)
    out[i] = uint8_t(bits >> (8 * i));
  return out;
}

uint64_t slotMask(runtime::ValType type) {
  return type == runtime::ValType::I32 || type == runtime::ValType::F32 ? 0xffffffffull
                                                                        : ~uint64_t(0);
}

} // namespace

EvalValue FrameEnv::locate(const Variable& variable) {
  EvalValue out;
  out.type = variable.type;
  out.location = ValueLocation::OptimizedOut;
  Result<VariableLocation> loc = m_session.symbols->evaluateLocation(variable, pc(), *this);
  if (!loc.ok())
    return out;
  // The type's size comes from the module's DWARF: a hostile one can claim
  // terabytes. Values assembled here (pieces, implicit bytes) are capped at
  // the largest value loadBytes() would read anyway; a value in memory or a
  // wasm slot is not copied here, so its size does not matter.
  uint64_t size = std::clamp<uint64_t>(sizeOf(variable.type), 1, kMaxValueBytes);
  auto fromLocation = [&](const VariableLocation& l, uint64_t bytes, EvalValue& v) -> bool {
    switch (l.kind) {
    case LocationKind::Memory:
      v.location = ValueLocation::Memory;
      v.address = l.address;
      return true;
    case LocationKind::WasmLocal:
      v.location = ValueLocation::WasmLocal;
      v.index = l.index;
      return true;
    case LocationKind::WasmGlobal:
      v.location = ValueLocation::WasmGlobal;
      v.index = l.index;
      return true;
    case LocationKind::WasmOperandStack: {
      std::optional<runtime::Value> entry = operandStackValue(l.index);
      if (!entry)
        return false;
      v.location = ValueLocation::Bytes;
      v.bytes = littleEndian(entry->bits, std::min<uint64_t>(bytes, 8));
      if (bytes > 8) { // A v128 entry holding a vector variable.
        std::vector<uint8_t> high = littleEndian(entry->high, bytes - 8);
        v.bytes.insert(v.bytes.end(), high.begin(), high.end());
      }
      return true;
    }
    case LocationKind::Value:
      v.location = ValueLocation::Bytes;
      v.bytes = littleEndian(l.value, std::min<uint64_t>(bytes, 8));
      return true;
    case LocationKind::ImplicitBytes:
      // loadBytes() pads a short value with zeros to its type's size.
      v.location = ValueLocation::Bytes;
      v.bytes.assign(l.bytes.begin(),
                     l.bytes.begin() + std::min<uint64_t>(l.bytes.size(), bytes));
      return true;
    default:
      return false;
    }
  };
  if (loc->kind == LocationKind::Composite) {
    std::vector<uint8_t> bytes;
    bool any = false;
    for (const VariableLocation& piece : loc->pieces) {
      // Pieces past the variable's size (bounded above) describe nothing.
      if (bytes.size() >= size)
        break;
      uint64_t left = size - bytes.size();
      uint64_t n = piece.pieceSize ? std::min<uint64_t>(piece.pieceSize, left) : left;
      EvalValue part;
      std::vector<uint8_t> partBytes(n, 0);
      if (piece.kind != LocationKind::OptimizedOut && fromLocation(piece, n, part)) {
        Result<std::vector<uint8_t>> read = loadBytes(*this, part, n);
        if (read.ok()) {
          partBytes = std::move(*read);
          any = true;
        }
      }
      bytes.insert(bytes.end(), partBytes.begin(), partBytes.end());
    }
    if (!any)
      return out;
    bytes.resize(size, 0);
    return EvalValue::ofBytes(variable.type, std::move(bytes));
  }
  if (!fromLocation(*loc, size, out))
    out.location = ValueLocation::OptimizedOut;
  return out;
}

Result<EvalValue> FrameEnv::variable(std::string_view name) {
  ModuleSymbols* symbols = m_session.symbols.get();
  if (symbols && symbols->hasDwarf()) {
    std::vector<const Variable*> vars = symbols->variablesAt(pc(), m_inlineDepth);
    for (auto it = vars.rbegin(); it != vars.rend(); ++it)
      if ((*it)->name == name)
        return locate(**it);
    for (const Variable& g : symbols->globalVariables())
      if (g.name == name)
        return locate(g);
    const auto& enums = m_session.enumeratorMap();
    if (auto it = enums.find(name); it != enums.end()) {
      uint64_t size = std::max<uint64_t>(sizeOf(it->second.first), 4);
      return EvalValue::ofBytes(it->second.first, littleEndian(uint64_t(it->second.second), size));
    }
  }
  if (symbols) {
    // A function: its type, and its code address (a code offset, as stack
    // frames and disassembly give addresses) as the value.
    std::vector<const Function*> functions = symbols->findFunctions(name);
    auto fromDwarf = std::find_if(functions.begin(), functions.end(),
                                  [](const Function* f) { return f->fromDwarf; });
    if (fromDwarf != functions.end() || !functions.empty()) {
      const Function* fn = fromDwarf != functions.end() ? *fromDwarf : functions.front();
      return EvalValue::ofBytes(m_session.types->functionType(*fn), littleEndian(fn->lowPc(), 4));
    }
  }
  return Error(ErrorCode::InvalidArgument,
               "no variable named '" + std::string(name) + "' in this frame");
}

Result<EvalValue> FrameEnv::wasmName(std::string_view name) {
  const runtime::CompiledFunction* cf =
      m_frame.info.function ? m_frame.info.function->code : nullptr;
  auto number = [](std::string_view s, std::string_view prefix) -> std::optional<uint32_t> {
    if (s.substr(0, prefix.size()) != prefix || s.size() == prefix.size())
      return std::nullopt;
    uint32_t n = 0;
    auto [p, ec] = std::from_chars(s.data() + prefix.size(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size())
      return std::nullopt;
    return n;
  };
  auto localValue = [&](uint32_t i) -> Result<EvalValue> {
    if (!cf || i >= m_frame.info.numLocals || i >= cf->localTypes.size())
      return Error(ErrorCode::InvalidArgument, "this frame has no wasm local " + std::to_string(i));
    EvalValue v;
    v.type = m_session.types->wasmType(runtime::valTypeName(cf->localTypes[i]));
    v.location = ValueLocation::WasmLocal;
    v.index = i;
    if (!v.type)
      return Error(ErrorCode::InvalidArgument,
                   "wasm local " + std::to_string(i) + " is not a number or a vector");
    return v;
  };
  if (auto i = number(name, "local"))
    return localValue(*i);
  if (auto i = number(name, "global")) {
    runtime::Instance* inst = m_frame.instance ? m_frame.instance : m_session.instance;
    if (!inst || *i >= inst->numGlobals())
      return Error(ErrorCode::InvalidArgument,
                   "the module has no wasm global " + std::to_string(*i));
    EvalValue v;
    v.type = m_session.types->wasmType(runtime::valTypeName(inst->global(*i)->type.type));
    v.location = ValueLocation::WasmGlobal;
    v.index = *i;
    if (!v.type)
      return Error(ErrorCode::InvalidArgument,
                   "wasm global " + std::to_string(*i) + " is not a number or a vector");
    return v;
  }
  const auto& names = m_session.compiled->module().names.localNames;
  if (auto f = names.find(m_frame.info.funcIndex); f != names.end())
    for (const auto& [index, localName] : f->second)
      if (localName == name)
        return localValue(index);
  return Error(ErrorCode::InvalidArgument, "no wasm local or global named '$" + std::string(name) +
                                               "' (try $local0 or $global0)");
}

const Type* FrameEnv::namedType(std::string_view name) {
  return m_session.symbols ? m_session.symbols->findType(name) : nullptr;
}

bool FrameEnv::readMemory(uint64_t address, std::span<uint8_t> out) {
  return static_cast<const FrameEnv*>(this)->readMemory(address, out);
}

bool FrameEnv::readMemory(uint64_t address, std::span<uint8_t> out) const {
  runtime::MemoryInstance* mem = memory();
  if (!mem || !mem->inBounds(address, out.size()))
    return false;
  if (!out.empty())
    std::memcpy(out.data(), mem->data + address, out.size());
  return true;
}

bool FrameEnv::writeMemory(uint64_t address, std::span<const uint8_t> bytes) {
  runtime::MemoryInstance* mem = memory();
  if (!mem || !mem->inBounds(address, bytes.size()))
    return false;
  if (!bytes.empty())
    std::memcpy(mem->data + address, bytes.data(), bytes.size());
  return true;
}

std::optional<runtime::Value> FrameEnv::readWasmLocal(uint32_t index) {
  return wasmLocalValue(index);
}
std::optional<runtime::Value> FrameEnv::readWasmGlobal(uint32_t index) {
  runtime::Instance* inst = m_frame.instance ? m_frame.instance : m_session.instance;
  if (!inst || index >= inst->numGlobals())
    return std::nullopt;
  return inst->global(index)->get();
}

std::optional<runtime::Value> FrameEnv::wasmLocalValue(uint32_t index) const {
  const runtime::CompiledFunction* cf =
      m_frame.info.function ? m_frame.info.function->code : nullptr;
  if (!m_frame.info.locals || !cf || index >= m_frame.info.numLocals ||
      index >= cf->localTypes.size())
    return std::nullopt;
  // Local i is at its own slot only while no v128 local comes before it.
  return runtime::Value::fromSlots(cf->localTypes[index], &m_frame.info.local(index)->i64);
}

std::optional<uint64_t> FrameEnv::local(uint32_t index) const {
  std::optional<runtime::Value> v = wasmLocalValue(index);
  return v ? std::optional<uint64_t>(v->bits) : std::nullopt;
}

std::optional<uint64_t> FrameEnv::global(uint32_t index) const {
  runtime::Instance* inst = m_frame.instance ? m_frame.instance : m_session.instance;
  if (!inst || index >= inst->numGlobals())
    return std::nullopt;
  const runtime::GlobalInstance* g = inst->global(index);
  return g->value & slotMask(g->type.type);
}

std::optional<runtime::Value> FrameEnv::operandStackValue(uint32_t index) const {
  const std::vector<runtime::Value>* stack = m_operandStack;
  if (!stack && m_ctx) {
    if (!m_liveStack)
      m_liveStack = m_ctx->operandStack();
    stack = &*m_liveStack;
  }
  if (!stack || index >= stack->size())
    return std::nullopt;
  return (*stack)[index];
}

std::optional<uint64_t> FrameEnv::operandStack(uint32_t index) const {
  std::optional<runtime::Value> v = operandStackValue(index);
  return v ? std::optional<uint64_t>(v->bits) : std::nullopt;
}

bool FrameEnv::writeWasmLocal(uint32_t index, uint64_t bits) {
  const runtime::CompiledFunction* cf =
      m_frame.info.function ? m_frame.info.function->code : nullptr;
  if (!m_frame.info.locals || index >= m_frame.info.numLocals ||
      (cf && index < cf->localTypes.size() && cf->localTypes[index] == runtime::ValType::V128))
    return false; // A whole v128 is not written from a scalar.
  m_frame.info.local(index)->i64 = bits;
  return true;
}

bool FrameEnv::writeWasmGlobal(uint32_t index, uint64_t bits) {
  runtime::Instance* inst = m_frame.instance ? m_frame.instance : m_session.instance;
  if (!inst || index >= inst->numGlobals())
    return false;
  runtime::GlobalInstance* g = inst->global(index);
  if (g->type.type == runtime::ValType::V128)
    return false;
  g->value = bits & slotMask(g->type.type);
  return true;
}

} // namespace wasmscope::debugger
