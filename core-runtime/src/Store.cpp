// The store: linking, instantiation (spec 4.5.4) with each instance's own
// copy of the code, invocation, limits, and the bookkeeping of probes, hooks
// and fuel. Interruption is in Interrupts.cpp.
#include "wasmscope/runtime/Store.h"

#include "CodeWords.h"
#include "FunctionCompiler.h"
#include "Interpreter.h"

#include <unistd.h>

#include <algorithm>

namespace wasmscope::runtime {

// --- Linker -----------------------------------------------------------------

void Linker::define(std::string module, std::string name, Extern value) {
  m_defs[{std::move(module), std::move(name)}] = value;
}

void Linker::defineInstance(const std::string& module, const Instance& instance) {
  for (const auto& [name, ext] : instance.exports())
    define(module, name, ext);
}

std::optional<Extern> Linker::resolve(std::string_view module, std::string_view name) const {
  auto it = m_defs.find(std::pair<std::string, std::string>(module, name));
  if (it == m_defs.end())
    return std::nullopt;
  return it->second;
}

// --- Instance -----------------------------------------------------------------

std::optional<Extern> Instance::findExport(std::string_view name) const {
  auto it = m_exports.find(name);
  if (it == m_exports.end())
    return std::nullopt;
  return it->second;
}

const CompiledFunction* Instance::code(FuncIndex f) const {
  if (!m_module || f < m_module->module().numImportedFuncs ||
      f - m_module->module().numImportedFuncs >= m_code.size())
    return nullptr;
  return &m_code[f - m_module->module().numImportedFuncs];
}

FunctionInstance* Instance::findFunction(std::string_view exportName) const {
  auto e = findExport(exportName);
  return e && e->kind == ExternKind::Func ? e->asFunc() : nullptr;
}

// --- Store ----------------------------------------------------------------------

Store::Store(ResourceLimits limits) : m_limits(limits), m_interpreter(std::make_unique<Interpreter>(*this)) {}

Store::~Store() {
  if (m_wakeFd >= 0)
    ::close(m_wakeFd);
}

FunctionInstance* Store::createHostFunction(std::string name, FuncType type, HostFunction fn) {
  auto f = std::make_unique<FunctionInstance>();
  f->canonicalType = canonicalTypeId(type);
  f->type = std::move(type);
  f->host = std::move(fn);
  f->name = std::move(name);
  m_functions.push_back(std::move(f));
  return m_functions.back().get();
}

GlobalInstance* Store::createGlobal(GlobalType type, uint64_t value) {
  m_globals.push_back(std::make_unique<GlobalInstance>(GlobalInstance{type, value}));
  return m_globals.back().get();
}

Result<MemoryInstance*> Store::createMemory(const MemoryType& type) {
  if (type.limits.min > m_limits.maxMemoryPages)
    return Error(ErrorCode::MemoryLimitExceeded,
                 "memory limit exceeded: the module asks for " + std::to_string(type.limits.min) +
                     " pages, the limit is " + std::to_string(m_limits.maxMemoryPages));
  TRY_ASSIGN(auto memory, MemoryInstance::create(type, m_limits.maxMemoryPages));
  m_memories.push_back(std::move(memory));
  return m_memories.back().get();
}

Result<TableInstance*> Store::createTable(const TableType& type, uint64_t init,
                                          std::string_view what) {
  uint64_t limit = m_limits.maxTableElements;
  uint64_t used = m_tableElements;
  if (type.limits.min > limit || type.limits.min > limit - used)
    return Error(ErrorCode::TableLimitExceeded,
                 "table limit exceeded: " + std::string(what) + " asks for " +
                     std::to_string(type.limits.min) + " elements, " +
                     (used ? std::to_string(used) + " are in use and " : std::string()) +
                     "the store's tables may hold " + std::to_string(limit) + " in all");
  auto t = std::make_unique<TableInstance>();
  t->type = type;
  t->elems.assign(size_t(type.limits.min), init);
  m_tableElements += type.limits.min;
  m_tables.push_back(std::move(t));
  return m_tables.back().get();
}

int64_t Store::growTable(TableInstance& table, uint64_t delta, uint64_t init) {
  if (delta > m_limits.maxTableElements - std::min(m_tableElements, m_limits.maxTableElements))
    return -1;
  int64_t old = table.grow(delta, init);
  if (old >= 0)
    m_tableElements += delta;
  return old;
}

Instance* Store::adoptInstance(std::unique_ptr<Instance> instance) {
  m_instances.push_back(std::move(instance));
  return m_instances.back().get();
}

namespace {

/// Limits subtyping for imports (spec 4.5.2): the provided entity's current
/// size and maximum must fit the declared ones.
bool limitsMatch(uint64_t actualMin, std::optional<uint64_t> actualMax, const Limits& declared) {
  if (actualMin < declared.min)
    return false;
  if (declared.max)
    return actualMax && *actualMax <= *declared.max;
  return true;
}

/// Points the direct calls of `code`, a copy of the functions at `original`,
/// at the copy's own functions.
void relocateDirectCalls(const CompiledFunction* original, std::vector<CompiledFunction>& code) {
  for (CompiledFunction& f : code) {
    for (uint32_t pc : f.directCalls) {
      uint64_t bits = uint64_t(f.code[pc + 1]) | (uint64_t(f.code[pc + 2]) << 32);
      auto callee = reinterpret_cast<const CompiledFunction*>(bits);
      auto mine = reinterpret_cast<uint64_t>(code.data() + (callee - original));
      f.code[pc + 1] = uint32_t(mine);
      f.code[pc + 2] = uint32_t(mine >> 32);
    }
  }
}

Error linkError(ErrorCode code, const Import& imp, const std::string& why = {}) {
  std::string msg = std::string(defaultMessage(code)) + ": " + imp.module + "." + imp.name;
  if (!why.empty())
    msg += " (" + why + ")";
  return Error(code, msg);
}

} // namespace

Result<Instance*> Store::instantiate(std::shared_ptr<const CompiledModule> compiled,
                                     const Linker& linker, std::string name) {
  const Module& m = compiled->module();
  auto owned = std::make_unique<Instance>();
  Instance& inst = *owned;
  inst.m_module = compiled;
  inst.m_name = std::move(name);
  if (compiled->options().countBlocks) {
    inst.m_blockCounts.assign(compiled->numBlocks(), 0);
    inst.m_blockCounters = inst.m_blockCounts.data();
  }

  // Imports.
  for (const Import& imp : m.imports) {
    std::optional<Extern> ext = linker.resolve(imp.module, imp.name);
    if (!ext)
      return linkError(ErrorCode::UnknownImport, imp);
    if (ext->kind != imp.kind)
      return linkError(ErrorCode::IncompatibleImportType, imp,
                       std::string("expected a ") + externKindName(imp.kind) + ", got a " +
                           externKindName(ext->kind));
    switch (imp.kind) {
    case ExternKind::Func:
      if (ext->asFunc()->type != m.types[imp.funcType])
        return linkError(ErrorCode::IncompatibleImportType, imp,
                         "expected " + m.types[imp.funcType].toString() + ", got " +
                             ext->asFunc()->type.toString());
      inst.m_funcs.push_back(ext->asFunc());
      break;
    case ExternKind::Table: {
      TableInstance* t = ext->asTable();
      if (t->type.elemType != imp.table.elemType ||
          !limitsMatch(t->elems.size(), t->type.limits.max, imp.table.limits))
        return linkError(ErrorCode::IncompatibleImportType, imp);
      inst.m_tables.push_back(t);
      break;
    }
    case ExternKind::Memory: {
      MemoryInstance* mem = ext->asMemory();
      if (!limitsMatch(mem->pages(), mem->type.limits.max, imp.memory.limits))
        return linkError(ErrorCode::IncompatibleImportType, imp);
      inst.m_memories.push_back(mem);
      break;
    }
    case ExternKind::Global:
      if (!(ext->asGlobal()->type == imp.global))
        return linkError(ErrorCode::IncompatibleImportType, imp);
      inst.m_globals.push_back(ext->asGlobal());
      break;
    }
  }

  // The instance's own code: probes set here must not change what other
  // instances of the module (perhaps on other threads) run.
  inst.m_code = compiled->functions();
  relocateDirectCalls(compiled->functions().data(), inst.m_code);

  // Functions, tables, memories.
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    FuncIndex index = m.numImportedFuncs + i;
    auto f = std::make_unique<FunctionInstance>();
    f->type = m.types[m.functions[i]];
    f->code = &inst.m_code[i];
    f->canonicalType = f->code->canonicalType;
    f->instance = &inst;
    f->name = m.functionName(index);
    inst.m_funcs.push_back(f.get());
    m_functions.push_back(std::move(f));
  }
  for (const TableType& t : m.tables) {
    std::string what = "table " + std::to_string(inst.m_tables.size());
    TRY_ASSIGN(TableInstance * table, createTable(t, 0, what));
    inst.m_tables.push_back(table);
  }
  for (const MemoryType& mt : m.memories) {
    TRY_ASSIGN(MemoryInstance * mem, createMemory(mt));
    inst.m_memories.push_back(mem);
  }

  // A constant expression's value as slots hold it; a v128's bytes 8-15 go
  // to `high`.
  auto eval = [&](const ConstExpr& e, uint64_t* high = nullptr) -> uint64_t {
    switch (e.kind) {
    case ConstExpr::Kind::I32:
    case ConstExpr::Kind::F32:
      return uint32_t(e.bits);
    case ConstExpr::Kind::I64:
    case ConstExpr::Kind::F64:
      return e.bits;
    case ConstExpr::Kind::V128:
      if (high)
        *high = e.high;
      return e.bits;
    case ConstExpr::Kind::RefNull:
      return 0;
    case ConstExpr::Kind::RefFunc:
      return reinterpret_cast<uint64_t>(inst.m_funcs[uint32_t(e.bits)]);
    case ConstExpr::Kind::GlobalGet:
      if (high)
        *high = inst.m_globals[uint32_t(e.bits)]->high;
      return inst.m_globals[uint32_t(e.bits)]->value;
    }
    return 0;
  };

  for (const Global& g : m.globals) {
    uint64_t high = 0;
    uint64_t value = eval(g.init, &high);
    GlobalInstance* global = createGlobal(g.type, value);
    global->high = high;
    inst.m_globals.push_back(global);
  }

  for (const Export& e : m.exports) {
    Extern ext;
    switch (e.kind) {
    case ExternKind::Func: ext = Extern::func(inst.m_funcs[e.index]); break;
    case ExternKind::Table: ext = Extern::table(inst.m_tables[e.index]); break;
    case ExternKind::Memory: ext = Extern::memory(inst.m_memories[e.index]); break;
    case ExternKind::Global: ext = Extern::global(inst.m_globals[e.index]); break;
    }
    inst.m_exports.emplace(e.name, ext);
  }

  for (const ElemSegment& seg : m.elems) {
    std::vector<uint64_t> refs;
    refs.reserve(seg.items.size());
    for (const ConstExpr& item : seg.items)
      refs.push_back(eval(item));
    inst.m_elems.push_back(std::move(refs));
  }
  for (const DataSegment& seg : m.datas)
    inst.m_datas.push_back(std::span<const uint8_t>(m.bytes).subspan(seg.bytes.begin, seg.bytes.size()));

  // From here on the instance's effects on imported tables and memories are
  // visible even if a later step traps, so the instance is kept alive.
  Instance* result = adoptInstance(std::move(owned));
  if (m_interruptible)
    installSafepoints(*result); // Before the start function runs.

  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == SegmentMode::Active) {
      TableInstance* t = result->m_tables[seg.table];
      uint64_t offset = uint32_t(eval(seg.offset));
      std::vector<uint64_t>& refs = result->m_elems[i];
      if (offset + refs.size() > t->elems.size())
        return Error(ErrorCode::OutOfBoundsTableAccess, "out of bounds table access", seg.byteOffset);
      std::copy(refs.begin(), refs.end(), t->elems.begin() + offset);
    }
    if (seg.mode != SegmentMode::Passive)
      result->m_elems[i].clear();
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != SegmentMode::Active)
      continue;
    MemoryInstance* mem = result->m_memories[seg.memory];
    uint64_t offset = uint32_t(eval(seg.offset));
    std::span<const uint8_t> bytes = result->m_datas[i];
    if (!mem->inBounds(offset, bytes.size()))
      return Error(ErrorCode::OutOfBoundsMemoryAccess, "out of bounds memory access", seg.byteOffset);
    std::copy(bytes.begin(), bytes.end(), mem->data + offset);
    result->m_datas[i] = {};
  }

  if (m.start) {
    std::vector<Value> none;
    TRY(invoke(*result->m_funcs[*m.start], none));
  }
  return result;
}

Result<std::vector<Value>> Store::invoke(const FunctionInstance& function, std::span<const Value> args) {
  const FuncType& type = function.type;
  if (args.size() != type.params.size())
    return Error(ErrorCode::InvalidArgument, "expected " + std::to_string(type.params.size()) +
                                                 " arguments, got " + std::to_string(args.size()));
  // One slot per value, two for a v128.
  std::vector<uint64_t> slots(std::max(slotCount(type.params), slotCount(type.results)));
  uint32_t slot = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != type.params[i])
      return Error(ErrorCode::InvalidArgument, "argument " + std::to_string(i) + " should be " +
                                                   valTypeName(type.params[i]) + ", got " +
                                                   valTypeName(args[i].type));
    args[i].toSlots(&slots[slot]);
    slot += slotCount(args[i].type);
  }
  TRY(m_interpreter->call(function, slots.data()));
  std::vector<Value> results;
  slot = 0;
  for (ValType t : type.results) {
    results.push_back(Value::fromSlots(t, &slots[slot]));
    slot += slotCount(t);
  }
  return results;
}

// --- Instrumentation --------------------------------------------------------------

CompiledFunction* Store::instanceCode(Instance& instance, FuncIndex func) {
  const CompiledModule* module = instance.module();
  if (module && func >= module->module().numImportedFuncs &&
      func - module->module().numImportedFuncs < instance.m_code.size())
    return &instance.m_code[func - module->module().numImportedFuncs];
  return nullptr;
}

ProbeId Store::installProbe(CompiledFunction& cf, uint32_t pc, uint32_t wasmOffset,
                            ProbeHook hook) {
  ProbeId id = m_nextProbeId++;
  ++m_probeGeneration;
  auto [it, inserted] = cf.probes.try_emplace(pc);
  InstalledProbe& installed = it->second;
  if (inserted)
    installed.originalOp = cf.code[pc];
  // A dormant safepoint's word holds the original opcode; an armed one's
  // the probe opcode already (interrupt() may store it concurrently).
  storeCodeWord(cf, pc, uint32_t(Op::Probe));
  auto probe = m_localProbes.emplace(id, LocalProbe{&cf, pc, wasmOffset, std::move(hook)}).first;
  ProbeSlot slot{wasmOffset, id, &probe->second.hook};
  auto& list = installed.probes;
  list.insert(std::upper_bound(list.begin(), list.end(), slot), slot);
  return id;
}

Result<ProbeId> Store::addLocalProbe(Instance& instance, FuncIndex func, uint32_t wasmOffset,
                                     ProbeHook hook) {
  CompiledFunction* cf = instanceCode(instance, func);
  if (!cf)
    return Error(ErrorCode::InvalidArgument,
                 "function " + std::to_string(func) + " is not defined in this module");
  std::optional<uint32_t> pc = cf->pcAt(wasmOffset);
  if (!pc || *pc >= cf->code.size())
    return Error(ErrorCode::InvalidArgument, "no reachable instruction starts at offset " +
                                                 std::to_string(wasmOffset));
  return installProbe(*cf, *pc, wasmOffset, std::move(hook));
}

Result<std::vector<ProbeId>> Store::addReturnProbes(Instance& instance, FuncIndex func,
                                                    ProbeHook hook) {
  CompiledFunction* cf = instanceCode(instance, func);
  if (!cf)
    return Error(ErrorCode::InvalidArgument,
                 "function " + std::to_string(func) + " is not defined in this module");
  // Walk the internal code, seeing through probes and safepoints already
  // installed, for the return instructions.
  std::vector<uint32_t> returns;
  const std::vector<uint32_t>& code = cf->code;
  for (uint32_t pc = 0; pc < code.size();) {
    uint32_t words[3] = {loadCodeWord(&code[pc]), 0, 0};
    if (words[0] == uint32_t(Op::Probe)) {
      auto it = cf->probes.find(pc);
      if (it == cf->probes.end())
        return Error(ErrorCode::InvalidArgument, "unknown probe in function " + std::to_string(func));
      words[0] = it->second.originalOp;
    }
    if (Op(words[0]) == Op::Return || Op(words[0]) == Op::Return1)
      returns.push_back(pc);
    // br_table's length is in its third word.
    for (uint32_t i = 1; i < 3 && pc + i < code.size(); ++i)
      words[i] = code[pc + i];
    pc += instructionWords(words);
  }
  std::vector<ProbeId> ids;
  for (uint32_t pc : returns)
    ids.push_back(installProbe(*cf, pc, cf->wasmOffsetAt(pc), hook));
  return ids;
}

void Store::removeLocalProbe(ProbeId id) {
  auto it = m_localProbes.find(id);
  if (it == m_localProbes.end())
    return;
  CompiledFunction* cf = it->second.function;
  uint32_t pc = it->second.pc;
  m_localProbes.erase(it);
  ++m_probeGeneration;
  auto installed = cf->probes.find(pc);
  if (installed == cf->probes.end())
    return;
  std::erase_if(installed->second.probes, [&](const ProbeSlot& p) { return p.id == id; });
  if (!installed->second.probes.empty())
    return;
  if (installed->second.safepoint) {
    // Stays dormant, unless interrupt() has armed the safepoints meanwhile.
    std::lock_guard lock(m_armMutex);
    if (!m_armed)
      storeCodeWord(*cf, pc, installed->second.originalOp);
    return;
  }
  storeCodeWord(*cf, pc, installed->second.originalOp);
  cf->probes.erase(installed);
}

void Store::setGlobalProbe(ProbeHook hook) { m_globalProbe = std::move(hook); }

void Store::setFunctionHooks(FunctionHooks hooks) {
  m_functionHooks = std::move(hooks);
  updateHookFlags();
}

void Store::setCallHooks(CallHooks hooks) {
  m_callHooks = std::move(hooks);
  updateHookFlags();
}

void Store::updateHookFlags() {
  m_hasFunctionHooks = bool(m_functionHooks.onEntry) || bool(m_functionHooks.onExit) ||
                       bool(m_callHooks.onCall) || bool(m_callHooks.onReturn);
  m_hasHostHooks = bool(m_callHooks.onHostCall) || bool(m_callHooks.onHostReturn);
}

void Store::clearFunctionHooks() { setFunctionHooks({}); }

void Store::setFuel(uint64_t fuel) {
  m_fuel = int64_t(std::min<uint64_t>(fuel, uint64_t(INT64_MAX)));
  m_fuelStart = uint64_t(m_fuel);
  m_fuelAdded = 0;
}


std::vector<FrameInfo> Store::frames() const { return m_interpreter->frames(); }

// --- Probe context ------------------------------------------------------------------

Value ProbeContext::local(uint32_t i) const {
  const CompiledFunction* cf = function ? function->code : nullptr;
  if (!cf || i >= numLocals)
    return Value::i32(0);
  return Value::fromSlots(cf->localTypes[i], &localSlot(i)->i64);
}

namespace {

/// The operand stack of a frame of `instance`'s function `funcIndex` stopped
/// before `wasmOffset`: where the compiler put each entry (a frame slot, a
/// local, a constant) read from the frame.
std::vector<Value> operandStackOf(const Instance* instance, FuncIndex funcIndex,
                                  uint32_t wasmOffset, Slot* locals, const uint32_t* localSlots) {
  std::vector<Value> out;
  if (!instance || !instance->module() || !locals)
    return out;
  auto localSlot = [&](uint32_t i) { return locals + (localSlots ? localSlots[i] : i); };
  const CompiledModule& cm = *instance->module();
  const CompiledFunction* cf = cm.function(funcIndex);
  auto entries = FunctionCompiler::stackAt(cm.module(), cm.context(), funcIndex, wasmOffset);
  if (!cf || !entries.ok())
    return out;
  for (uint32_t pos = 0; pos < entries->size(); ++pos) {
    const StackEntry& e = (*entries)[pos];
    switch (e.kind) {
    case StackEntry::Kind::Slot:
      out.push_back(Value::fromSlots(e.type, &locals[e.slot].i64));
      break;
    case StackEntry::Kind::Local:
      if (!cf || e.local >= cf->numLocals)
        break;
      out.push_back(Value::fromSlots(e.type, &localSlot(e.local)->i64));
      break;
    case StackEntry::Kind::Const: {
      Value v = Value::fromSlot(e.type, e.bits);
      if (e.type == ValType::V128)
        v.high = e.high;
      out.push_back(v);
      break;
    }
    }
  }
  return out;
}

} // namespace

std::vector<Value> ProbeContext::operandStack() const {
  return operandStackOf(instance, funcIndex, wasmOffset, locals, localSlots);
}

std::vector<Value> FrameInfo::operandStack() const {
  if (!function || function->isHost())
    return {};
  return operandStackOf(function->instance, funcIndex, wasmOffset, locals, localSlots);
}

// --- Host modules ----------------------------------------------------------------------

HostModuleBuilder::HostModuleBuilder(Store& store, std::string name)
    : m_store(store), m_instance(std::make_unique<Instance>()) {
  m_instance->m_name = std::move(name);
}

HostModuleBuilder& HostModuleBuilder::function(std::string name, FuncType type, HostFunction fn) {
  FunctionInstance* f = m_store.createHostFunction(m_instance->m_name + "." + name, std::move(type),
                                                   std::move(fn));
  m_instance->m_funcs.push_back(f);
  m_instance->m_exports.emplace(std::move(name), Extern::func(f));
  return *this;
}

HostModuleBuilder& HostModuleBuilder::global(std::string name, GlobalType type, Value init) {
  GlobalInstance* g = m_store.createGlobal(type, init.toSlot());
  g->high = init.high;
  m_instance->m_globals.push_back(g);
  m_instance->m_exports.emplace(std::move(name), Extern::global(g));
  return *this;
}

HostModuleBuilder& HostModuleBuilder::memory(std::string name, MemoryType type) {
  auto mem = m_store.createMemory(type);
  if (!mem.ok()) {
    m_errors.push_back(mem.error());
    return *this;
  }
  m_instance->m_memories.push_back(*mem);
  m_instance->m_exports.emplace(std::move(name), Extern::memory(*mem));
  return *this;
}

HostModuleBuilder& HostModuleBuilder::table(std::string name, TableType type) {
  auto t = m_store.createTable(type, 0, "table " + m_instance->m_name + "." + name);
  if (!t.ok()) {
    m_errors.push_back(t.error());
    return *this;
  }
  m_instance->m_tables.push_back(*t);
  m_instance->m_exports.emplace(std::move(name), Extern::table(*t));
  return *this;
}

Result<Instance*> HostModuleBuilder::build() {
  if (!m_errors.empty())
    return m_errors.front();
  return m_store.adoptInstance(std::move(m_instance));
}

} // namespace wasmscope::runtime
