// One-pass validation and register-code generation for a function body.
// See FunctionCompiler.h for the stack model.
#include "FunctionCompiler.h"

#include "BinaryReader.h"
#include "InstructionFusion.h"
#include "wasmscope/runtime/Numeric.h"

#include <algorithm>
#include <cstring>

namespace wasmscope::runtime {
namespace {

/// The type of an operand popped from a polymorphic (unreachable) stack.
constexpr ValType kUnknown = ValType(0);

constexpr uint8_t kBlock = 0x02, kLoop = 0x03, kIf = 0x04, kElse = 0x05;

bool typesMatch(ValType actual, ValType expected) {
  return actual == expected || actual == kUnknown || expected == kUnknown;
}

bool isValType(uint8_t b) {
  switch (ValType(b)) {
  case ValType::I32:
  case ValType::I64:
  case ValType::F32:
  case ValType::F64:
  case ValType::V128:
  case ValType::FuncRef:
  case ValType::ExternRef:
    return true;
  default:
    return false;
  }
}

/// The compare whose result is the negation of `op`'s, for jump-if-false.
Op complementCompare(Op op) {
  switch (op) {
  case Op::I32Eq: return Op::I32Ne;
  case Op::I32Ne: return Op::I32Eq;
  case Op::I32LtS: return Op::I32GeS;
  case Op::I32GeS: return Op::I32LtS;
  case Op::I32LtU: return Op::I32GeU;
  case Op::I32GeU: return Op::I32LtU;
  case Op::I32GtS: return Op::I32LeS;
  case Op::I32LeS: return Op::I32GtS;
  case Op::I32GtU: return Op::I32LeU;
  case Op::I32LeU: return Op::I32GtU;
  default: return op;
  }
}

/// Fused compare-and-branch opcode for a compare (register or immediate form).
Op fusedBranch(Op cmp, bool imm) {
  switch (cmp) {
#define X(name)                                                                \
  case Op::name:                                                               \
    return imm ? Op::BrIf##name##Imm : Op::BrIf##name;
    INTERNAL_FUSED_COMPARES(X)
#undef X
  default:
    return Op::Nop;
  }
}

bool isFusableCompare(Op op) { return fusedBranch(op, false) != Op::Nop; }

bool isCommutative(Op op) {
  switch (op) {
  case Op::I32Add: case Op::I32Mul: case Op::I32And: case Op::I32Or: case Op::I32Xor:
  case Op::I32Eq: case Op::I32Ne:
  case Op::I64Add: case Op::I64Mul: case Op::I64And: case Op::I64Or: case Op::I64Xor:
  case Op::I64Eq: case Op::I64Ne:
    return true;
  default:
    return false;
  }
}

} // namespace

FunctionCompiler::FunctionCompiler(const Module& module, const ModuleContext& context,
                                   const CompileOptions& options, FuncIndex index,
                                   CompiledFunction& out, const CompiledFunction* functionsBase)
    : m_module(module), m_context(context), m_options(options), m_index(index), m_out(out),
      m_functionsBase(functionsBase), m_type(module.funcType(index)) {}

Error FunctionCompiler::fail(ErrorCode code, std::string message) const {
  return Error(code, std::move(message), m_instrAbsolute, m_index);
}

// --- Abstract stack -------------------------------------------------------

void FunctionCompiler::pushEntry(StackEntry e) {
  e.slot = nextSlot();
  m_stack.push_back(e);
  m_maxSlots = std::max(m_maxSlots, e.slot + slotCount(e.type));
}

void FunctionCompiler::push(ValType type) { pushEntry({type, StackEntry::Kind::Slot}); }

uint32_t FunctionCompiler::pushResult(ValType type) {
  uint32_t slot = nextSlot();
  push(type);
  return slot;
}

Result<StackEntry> FunctionCompiler::popAny() {
  const Ctrl& c = m_ctrls.back();
  if (m_stack.size() == c.height) {
    if (c.unreachable)
      return StackEntry{kUnknown};
    return fail(ErrorCode::TypeMismatch, "type mismatch: operand stack is empty");
  }
  StackEntry e = m_stack.back();
  m_stack.pop_back();
  return e;
}

Result<StackEntry> FunctionCompiler::pop(ValType expected) {
  TRY_ASSIGN(StackEntry e, popAny());
  if (!typesMatch(e.type, expected))
    return fail(ErrorCode::TypeMismatch, std::string("type mismatch: expected ") +
                                             valTypeName(expected) + ", got " +
                                             valTypeName(e.type));
  return e;
}

Result<void> FunctionCompiler::popTypes(const std::vector<ValType>& types) {
  for (size_t i = types.size(); i-- > 0;)
    TRY(pop(types[i]));
  return success();
}

void FunctionCompiler::markUnreachable() {
  Ctrl& c = m_ctrls.back();
  m_stack.resize(c.height);
  c.unreachable = true;
  closeFuelBlock();
  invalidateLast();
}

Result<void> FunctionCompiler::checkLabel(uint32_t depth) {
  if (depth >= m_ctrls.size())
    return fail(ErrorCode::UnknownLabel);
  return success();
}

// --- Emission --------------------------------------------------------------

void FunctionCompiler::emitOp(Op op) {
  invalidateLast();
  m_out.pcToWasm.emplace_back(pc(), m_instrOffset);
  emitWord(uint32_t(op));
}

void FunctionCompiler::emitMove(const StackEntry& e, uint32_t sourceSlot, uint32_t dest) {
  bool vector = e.type == ValType::V128;
  if (e.kind == StackEntry::Kind::Const && vector) {
    emitOp(Op::Const128);
    emitWord(dest);
    emit64(e.bits);
    emit64(e.high);
    return;
  }
  if (e.kind == StackEntry::Kind::Const) {
    bool wide = e.type == ValType::I64 || e.type == ValType::F64 || isRefType(e.type);
    emitOp(wide ? Op::Const64 : Op::Const32);
    emitWord(dest);
    if (wide)
      emit64(e.bits);
    else
      emitWord(uint32_t(e.bits));
    return;
  }
  uint32_t src = e.kind == StackEntry::Kind::Local ? localSlot(e.local) : sourceSlot;
  if (src == dest)
    return;
  emitOp(vector ? Op::Copy128 : Op::Copy);
  emitWord(dest);
  emitWord(src);
}

uint32_t FunctionCompiler::operandSlot(StackEntry& e) {
  switch (e.kind) {
  case StackEntry::Kind::Local:
    return localSlot(e.local);
  case StackEntry::Kind::Const:
    if (emitting())
      emitMove(e, 0, e.slot);
    e.kind = StackEntry::Kind::Slot;
    return e.slot;
  case StackEntry::Kind::Slot:
    break;
  }
  return e.slot;
}

void FunctionCompiler::materialize(uint32_t position) {
  StackEntry& e = m_stack[position];
  if (e.kind == StackEntry::Kind::Slot)
    return;
  if (emitting())
    emitMove(e, 0, e.slot);
  e.kind = StackEntry::Kind::Slot;
}

void FunctionCompiler::materializeAll() {
  for (uint32_t i = m_ctrls.back().height; i < m_stack.size(); ++i)
    materialize(i);
}

void FunctionCompiler::materializeLocal(uint32_t local) {
  for (uint32_t i = 0; i < m_stack.size(); ++i)
    if (m_stack[i].kind == StackEntry::Kind::Local && m_stack[i].local == local)
      materialize(i);
}

void FunctionCompiler::moveTopTo(uint32_t count, uint32_t destSlot) {
  // Destinations lie at or below their sources, so moving upwards never
  // overwrites a source not yet moved.
  uint32_t base = uint32_t(m_stack.size()) - count;
  for (uint32_t i = 0; i < count; ++i) {
    const StackEntry& e = m_stack[base + i];
    emitMove(e, e.slot, destSlot);
    destSlot += slotCount(e.type);
  }
}

void FunctionCompiler::emitBranchTo(uint32_t depth) {
  Ctrl& target = m_ctrls[m_ctrls.size() - 1 - depth];
  if (target.opcode == 0) { // A branch to the function body is a return.
    uint32_t n = m_out.numResults;
    if (n == 1 && m_stack.back().kind != StackEntry::Kind::Const &&
        m_stack.back().type != ValType::V128) {
      StackEntry& e = m_stack.back();
      uint32_t s = operandSlot(e);
      emitOp(Op::Return1);
      emitWord(s);
      return;
    }
    // Results go to slots [0, numResultSlots). Deferred locals there could
    // be overwritten by an earlier move, so make them real first.
    uint32_t base = uint32_t(m_stack.size()) - n;
    for (uint32_t i = base; i < m_stack.size(); ++i)
      if (m_stack[i].kind == StackEntry::Kind::Local &&
          localSlot(m_stack[i].local) < m_out.numResultSlots)
        materialize(i);
    moveTopTo(n, 0);
    emitOp(Op::Return);
    return;
  }
  moveTopTo(uint32_t(target.labelTypes().size()), target.slotHeight);
  emitOp(Op::Br);
  if (target.opcode == kLoop) {
    emitWord(target.loopPc);
  } else {
    target.fixups.push_back(pc());
    emitWord(0);
  }
}

void FunctionCompiler::startBasicBlock() {
  invalidateLast();
  if (!m_options.meterFuel || !emitting())
    return;
  closeFuelBlock();
  if (m_options.countBlocks) {
    emitOp(Op::CountedFuel);
    m_fuelWord = pc();
    emitWord(0);
    emitWord(m_out.firstBlock + uint32_t(m_out.blocks.size()));
    m_out.blocks.push_back({uint32_t(m_out.blockInstructions.size()), 0});
  } else {
    emitOp(Op::Fuel);
    m_fuelWord = pc();
    emitWord(0);
  }
  m_fuelCount = 0;
}

void FunctionCompiler::closeFuelBlock() {
  if (m_fuelWord == UINT32_MAX)
    return;
  m_out.code[m_fuelWord] = m_fuelCount;
  if (m_options.countBlocks)
    m_out.blocks.back().cost = m_fuelCount;
  m_fuelWord = UINT32_MAX;
}

// --- Immediates -------------------------------------------------------------

Result<std::pair<std::vector<ValType>, std::vector<ValType>>>
FunctionCompiler::readBlockType(BinaryReader& r) {
  TRY_ASSIGN(int64_t bt, r.s33());
  if (bt == -64) // 0x40: the empty block type
    return std::pair<std::vector<ValType>, std::vector<ValType>>{};
  if (bt < 0) {
    uint8_t b = uint8_t(bt & 0x7f);
    if (!isValType(b))
      return fail(ErrorCode::MalformedValueType, "malformed value type");
    return std::pair<std::vector<ValType>, std::vector<ValType>>{{}, {ValType(b)}};
  }
  if (uint64_t(bt) >= m_module.types.size())
    return fail(ErrorCode::UnknownType);
  const FuncType& t = m_module.types[size_t(bt)];
  return std::pair{t.params, t.results};
}

Result<uint32_t> FunctionCompiler::readMemArg(BinaryReader& r, uint32_t naturalAlign) {
  TRY_ASSIGN(uint32_t align, r.u32());
  TRY_ASSIGN(uint32_t offset, r.u32());
  TRY(checkMemory(0));
  if (align >= 32 || (1ull << align) > naturalAlign)
    return fail(ErrorCode::AlignmentTooLarge);
  return offset;
}

Result<void> FunctionCompiler::checkMemory(uint32_t index) {
  if (index >= m_module.numMemories())
    return fail(ErrorCode::UnknownMemory, "unknown memory " + std::to_string(index));
  return success();
}

Result<void> FunctionCompiler::checkTable(uint32_t index) {
  if (index >= m_module.numTables())
    return fail(ErrorCode::UnknownTable, "unknown table " + std::to_string(index));
  return success();
}

Result<void> FunctionCompiler::checkData(uint32_t index) {
  // An index past every data segment the module has is unknown whether or
  // not the data count section is there (memory_init.wast); the missing
  // section is the error only for an index that names a segment.
  uint64_t segments = m_module.dataCount ? *m_module.dataCount : m_module.datas.size();
  if (index >= segments)
    return fail(ErrorCode::UnknownDataSegment, "unknown data segment " + std::to_string(index));
  if (!m_module.dataCount)
    return fail(ErrorCode::DataCountSectionRequired);
  return success();
}

// --- Driver ------------------------------------------------------------------

Result<void> FunctionCompiler::compile() {
  const Code& code = m_module.codes[m_index - m_module.numImportedFuncs];
  m_out.index = m_index;
  m_out.typeIndex = m_module.funcTypeIndex(m_index);
  m_out.canonicalType = canonicalTypeId(m_type);
  m_out.numParams = uint32_t(m_type.params.size());
  m_out.numResults = uint32_t(m_type.results.size());
  m_out.localTypes = m_type.params;
  constexpr uint64_t kMaxLocals = 1u << 20;
  if (code.totalLocals + m_type.params.size() > kMaxLocals)
    return Error(ErrorCode::TooManyLocals, "too many locals", code.whole.begin, m_index);
  for (const LocalDecl& d : code.locals)
    m_out.localTypes.insert(m_out.localTypes.end(), d.count, d.type);
  m_out.numLocals = uint32_t(m_out.localTypes.size());
  m_out.localSlots.reserve(m_out.numLocals);
  uint32_t slot = 0;
  for (ValType t : m_out.localTypes) {
    m_out.localSlots.push_back(slot);
    slot += slotCount(t);
  }
  m_out.numLocalSlots = slot;
  m_out.numParamSlots = slotCount(m_type.params);
  m_out.numResultSlots = slotCount(m_type.results);
  m_out.bodyOffset = code.body.begin - m_module.codeSectionOffset;
  m_out.bodyEnd = code.body.end - m_module.codeSectionOffset;

  m_ctrls.push_back(Ctrl{0, {}, m_type.results, 0, m_out.numLocalSlots});
  m_instrAbsolute = code.body.begin;
  m_instrOffset = m_out.bodyOffset;
  startBasicBlock();

  BinaryReader r(m_module.bytes, code.body.begin, code.body.end);
  while (!m_ctrls.empty()) {
    if (r.atEnd())
      return fail(ErrorCode::UnexpectedEnd, "unexpected end of function body");
    m_instrAbsolute = uint32_t(r.pos());
    m_instrOffset = m_instrAbsolute - m_module.codeSectionOffset;
    if (m_stopAt && *m_stopAt == m_instrOffset) {
      m_stackAtStop = m_stack;
      // A local.set about to run may have been folded into the instruction
      // that made its operand: the value then already sits in the local.
      uint8_t next = m_module.bytes[m_instrAbsolute];
      if ((next == 0x21 || next == 0x22) && m_lastDst != UINT32_MAX && !m_stack.empty()) {
        BinaryReader peek(m_module.bytes, m_instrAbsolute + 1, code.body.end);
        auto local = peek.u32();
        if (local.ok() && m_out.code[m_lastDst] == m_stack.back().slot)
          m_stackAtStop->back() = {m_stack.back().type, StackEntry::Kind::Local, *local};
      }
      return success();
    }
    m_out.wasmToPc.emplace_back(m_instrOffset, pc());
    ++m_fuelCount;
    if (m_options.countBlocks && m_fuelWord != UINT32_MAX)
      m_out.blockInstructions.push_back(m_instrOffset);
    TRY_ASSIGN(uint8_t opcode, r.u8());
    TRY(compileInstruction(r, opcode));
  }
  if (!r.atEnd())
    return fail(ErrorCode::SectionSizeMismatch, "section size mismatch: bytes after the function's end");
  closeFuelBlock();
  m_out.frameSlots = std::max({m_out.numLocalSlots, m_maxSlots, m_out.numResultSlots});
  if (!m_stopAt)
    fuseInstructionPairs(m_out);
  return success();
}

Result<std::vector<StackEntry>> FunctionCompiler::stackAt(const Module& module,
                                                          const ModuleContext& context,
                                                          FuncIndex index, uint32_t wasmOffset) {
  CompiledFunction scratch;
  CompileOptions options;
  FunctionCompiler fc(module, context, options, index, scratch, nullptr);
  fc.m_stopAt = wasmOffset;
  TRY(fc.compile());
  if (!fc.m_stackAtStop)
    return Error(ErrorCode::InvalidArgument, "no instruction at that offset");
  return std::move(*fc.m_stackAtStop);
}

// --- Instructions --------------------------------------------------------------

Result<void> FunctionCompiler::compileEnd() {
  Ctrl& c = m_ctrls.back();
  // The results must be exactly what is left above the block's base.
  std::vector<StackEntry> results(c.results.size());
  for (size_t i = c.results.size(); i-- > 0;) {
    TRY_ASSIGN(results[i], pop(c.results[i]));
    results[i].type = c.results[i];
  }
  if (m_stack.size() != c.height)
    return fail(ErrorCode::TypeMismatch, "type mismatch: values remaining on the stack at end of block");
  if (c.opcode == kIf && c.params != c.results)
    return fail(ErrorCode::TypeMismatch, "type mismatch: if without else must leave its parameters");
  for (StackEntry& e : results)
    pushEntry(e);

  if (c.opcode == 0) {
    if (emitting())
      emitBranchTo(0);
    closeFuelBlock();
    m_ctrls.pop_back();
    return success();
  }
  if (emitting())
    materializeAll();
  uint32_t here = pc();
  for (uint32_t word : c.fixups)
    m_out.code[word] = here;
  if (c.elseFixup != UINT32_MAX)
    m_out.code[c.elseFixup] = here;
  uint32_t height = c.height;
  std::vector<ValType> types = c.results;
  m_ctrls.pop_back();
  m_stack.resize(height);
  for (ValType t : types)
    push(t);
  startBasicBlock();
  return success();
}

Result<void> FunctionCompiler::compileInstruction(BinaryReader& r, uint8_t opcode) {
  using Kind = StackEntry::Kind;
  switch (opcode) {
  case 0x00: // unreachable
    if (emitting())
      emitOp(Op::Unreachable);
    markUnreachable();
    return success();
  case 0x01: // nop
    return success();

  case kBlock:
  case kLoop:
  case kIf: {
    TRY_ASSIGN(auto blockType, readBlockType(r));
    auto& [params, results] = blockType;
    StackEntry cond{ValType::I32};
    uint32_t condPos = 0;
    if (opcode == kIf) {
      TRY_ASSIGN(cond, pop(ValType::I32));
      condPos = uint32_t(m_stack.size());
    }
    std::vector<StackEntry> args(params.size());
    for (size_t i = params.size(); i-- > 0;) {
      TRY_ASSIGN(args[i], pop(params[i]));
      args[i].type = params[i];
    }
    for (StackEntry& e : args)
      pushEntry(e);
    uint32_t elseFixup = UINT32_MAX;
    if (emitting()) {
      if (opcode == kIf) {
        // Jump to the else arm when the condition is false, fusing the
        // compare that made it where possible.
        std::optional<LastCompare> cmp;
        if (cond.kind == Kind::Slot && m_lastCmp && m_lastCmp->resultPosition == condPos &&
            m_out.code.size() == m_lastCmp->end) {
          cmp = m_lastCmp;
          m_out.code.resize(cmp->start);
          m_out.pcToWasm.pop_back();
          for (auto it = m_out.wasmToPc.rbegin(); it != m_out.wasmToPc.rend() && it->second > cmp->start; ++it)
            it->second = cmp->start;
        }
        materializeAll();
        if (cmp && cmp->op == Op::I32Eqz) {
          emitOp(Op::BrIf);
          emitWord(cmp->a);
        } else if (cmp) {
          emitOp(fusedBranch(complementCompare(cmp->op), cmp->imm));
          emitWord(cmp->a);
          emitWord(cmp->b);
        } else {
          uint32_t s = operandSlot(cond);
          emitOp(Op::BrUnless);
          emitWord(s);
        }
        elseFixup = pc();
        emitWord(0);
      } else {
        materializeAll();
      }
    }
    Ctrl c{opcode, params, results, uint32_t(m_stack.size() - params.size())};
    c.slotHeight = c.height < m_stack.size() ? m_stack[c.height].slot : nextSlot();
    c.elseFixup = elseFixup;
    c.loopPc = pc();
    // The pc back edges jump to, after any moves materialised above: where
    // an interruption must be able to take effect on every iteration.
    if (opcode == kLoop && emitting())
      m_out.loopHeaders.push_back(c.loopPc);
    m_ctrls.push_back(std::move(c));
    if (opcode != kBlock)
      startBasicBlock();
    else
      invalidateLast();
    return success();
  }

  case kElse: {
    Ctrl& c = m_ctrls.back();
    if (c.opcode != kIf)
      return fail(ErrorCode::IllegalOpcode, "else without a matching if");
    std::vector<StackEntry> results(c.results.size());
    for (size_t i = results.size(); i-- > 0;) {
      TRY_ASSIGN(results[i], pop(c.results[i]));
      results[i].type = c.results[i];
    }
    if (m_stack.size() != c.height)
      return fail(ErrorCode::TypeMismatch, "type mismatch: values remaining on the stack at else");
    for (StackEntry& e : results)
      pushEntry(e);
    if (emitting()) {
      materializeAll();
      emitOp(Op::Br);
      c.fixups.push_back(pc());
      emitWord(0);
    }
    if (c.elseFixup != UINT32_MAX)
      m_out.code[c.elseFixup] = pc();
    c.elseFixup = UINT32_MAX;
    c.opcode = kElse;
    c.unreachable = false;
    m_stack.resize(c.height);
    for (ValType t : c.params)
      push(t);
    startBasicBlock();
    return success();
  }

  case 0x0b: // end
    return compileEnd();

  case 0x0c: { // br
    TRY_ASSIGN(uint32_t depth, r.u32());
    TRY(checkLabel(depth));
    const Ctrl& target = m_ctrls[m_ctrls.size() - 1 - depth];
    std::vector<ValType> types = target.labelTypes();
    std::vector<StackEntry> vals(types.size());
    for (size_t i = types.size(); i-- > 0;) {
      TRY_ASSIGN(vals[i], pop(types[i]));
    }
    for (StackEntry& e : vals)
      m_stack.push_back(e);
    if (emitting())
      emitBranchTo(depth);
    markUnreachable();
    return success();
  }

  case 0x0d: { // br_if
    TRY_ASSIGN(uint32_t depth, r.u32());
    TRY(checkLabel(depth));
    TRY_ASSIGN(StackEntry cond, pop(ValType::I32));
    uint32_t condPos = uint32_t(m_stack.size());
    Ctrl& target = m_ctrls[m_ctrls.size() - 1 - depth];
    std::vector<ValType> types = target.labelTypes();
    std::vector<StackEntry> vals(types.size());
    for (size_t i = types.size(); i-- > 0;) {
      TRY_ASSIGN(vals[i], pop(types[i]));
      vals[i].type = types[i];
    }
    for (StackEntry& e : vals)
      pushEntry(e);
    if (!emitting())
      return success();
    std::optional<LastCompare> cmp;
    if (cond.kind == Kind::Slot && m_lastCmp && m_lastCmp->resultPosition == condPos &&
        m_out.code.size() == m_lastCmp->end) {
      cmp = m_lastCmp;
      m_out.code.resize(cmp->start);
      m_out.pcToWasm.pop_back();
      for (auto it = m_out.wasmToPc.rbegin(); it != m_out.wasmToPc.rend() && it->second > cmp->start; ++it)
        it->second = cmp->start;
    }
    uint32_t n = uint32_t(types.size());
    uint32_t base = uint32_t(m_stack.size()) - n;
    for (uint32_t i = base; i < m_stack.size(); ++i)
      materialize(i);
    bool toFunction = target.opcode == 0;
    bool needsMoves = toFunction || (n > 0 && base != target.height);
    uint32_t condSlot = cmp ? 0 : operandSlot(cond);
    auto emitCondBranch = [&](bool whenTrue) {
      if (cmp && cmp->op == Op::I32Eqz) {
        emitOp(whenTrue ? Op::BrUnless : Op::BrIf);
        emitWord(cmp->a);
      } else if (cmp) {
        emitOp(fusedBranch(whenTrue ? cmp->op : complementCompare(cmp->op), cmp->imm));
        emitWord(cmp->a);
        emitWord(cmp->b);
      } else {
        emitOp(whenTrue ? Op::BrIf : Op::BrUnless);
        emitWord(condSlot);
      }
    };
    if (!needsMoves) {
      emitCondBranch(true);
      if (target.opcode == kLoop) {
        emitWord(target.loopPc);
      } else {
        target.fixups.push_back(pc());
        emitWord(0);
      }
    } else {
      emitCondBranch(false);
      uint32_t skip = pc();
      emitWord(0);
      emitBranchTo(depth);
      m_out.code[skip] = pc();
    }
    startBasicBlock();
    return success();
  }

  case 0x0e: { // br_table
    TRY_ASSIGN(uint32_t count, r.u32());
    if (count > r.remaining())
      return fail(ErrorCode::UnexpectedEnd, "unexpected end: br_table target count");
    std::vector<uint32_t> depths(size_t(count) + 1);
    for (uint32_t& d : depths) {
      TRY_ASSIGN(d, r.u32());
      TRY(checkLabel(d));
    }
    TRY_ASSIGN(StackEntry index, pop(ValType::I32));
    size_t arity = m_ctrls[m_ctrls.size() - 1 - depths.back()].labelTypes().size();
    for (uint32_t d : depths) {
      std::vector<ValType> types = m_ctrls[m_ctrls.size() - 1 - d].labelTypes();
      if (types.size() != arity)
        return fail(ErrorCode::TypeMismatch, "type mismatch: br_table targets differ in arity");
      std::vector<StackEntry> vals(types.size());
      for (size_t i = types.size(); i-- > 0;) {
        TRY_ASSIGN(vals[i], pop(types[i]));
      }
      for (StackEntry& e : vals)
        m_stack.push_back(e);
    }
    if (emitting()) {
      uint32_t n = uint32_t(arity);
      uint32_t base = uint32_t(m_stack.size()) - n;
      for (uint32_t i = base; i < m_stack.size(); ++i)
        materialize(i);
      uint32_t indexSlot = operandSlot(index);
      emitOp(Op::BrTable);
      emitWord(indexSlot);
      emitWord(count);
      uint32_t table = pc();
      for (size_t i = 0; i <= count; ++i)
        emitWord(0);
      std::vector<std::pair<uint32_t, uint32_t>> trampolines; // (word, depth)
      for (size_t i = 0; i <= count; ++i) {
        Ctrl& t = m_ctrls[m_ctrls.size() - 1 - depths[i]];
        bool direct = t.opcode != 0 && (n == 0 || base == t.height);
        if (!direct)
          trampolines.emplace_back(table + uint32_t(i), depths[i]);
        else if (t.opcode == kLoop)
          m_out.code[table + i] = t.loopPc;
        else
          t.fixups.push_back(table + uint32_t(i));
      }
      for (auto [word, depth] : trampolines) {
        m_out.code[word] = pc();
        emitBranchTo(depth);
      }
    }
    markUnreachable();
    return success();
  }

  case 0x0f: { // return
    std::vector<StackEntry> vals(m_type.results.size());
    for (size_t i = vals.size(); i-- > 0;) {
      TRY_ASSIGN(vals[i], pop(m_type.results[i]));
    }
    for (StackEntry& e : vals)
      m_stack.push_back(e);
    if (emitting())
      emitBranchTo(uint32_t(m_ctrls.size() - 1));
    markUnreachable();
    return success();
  }

  case 0x10:   // call
  case 0x11: { // call_indirect
    const FuncType* type;
    uint32_t funcIndex = 0, typeIndex = 0, tableIndex = 0;
    StackEntry index{ValType::I32};
    if (opcode == 0x10) {
      TRY_ASSIGN(funcIndex, r.u32());
      if (funcIndex >= m_module.numFuncs())
        return fail(ErrorCode::UnknownFunction, "unknown function " + std::to_string(funcIndex));
      type = &m_module.funcType(funcIndex);
    } else {
      TRY_ASSIGN(typeIndex, r.u32());
      TRY_ASSIGN(tableIndex, r.u32());
      TRY(checkTable(tableIndex));
      if (typeIndex >= m_module.types.size())
        return fail(ErrorCode::UnknownType);
      if (m_module.tableType(tableIndex).elemType != ValType::FuncRef)
        return fail(ErrorCode::TypeMismatch, "type mismatch: call_indirect on a table of externref");
      type = &m_module.types[typeIndex];
      TRY_ASSIGN(index, pop(ValType::I32));
    }
    std::vector<StackEntry> args(type->params.size());
    for (size_t i = args.size(); i-- > 0;) {
      TRY_ASSIGN(args[i], pop(type->params[i]));
      args[i].type = type->params[i];
    }
    for (StackEntry& e : args)
      pushEntry(e);
    uint32_t argPos = uint32_t(m_stack.size() - args.size());
    if (emitting()) {
      for (uint32_t i = argPos; i < m_stack.size(); ++i)
        materialize(i);
      uint32_t argBase = argPos < m_stack.size() ? m_stack[argPos].slot : nextSlot();
      if (opcode == 0x10 && funcIndex >= m_module.numImportedFuncs && m_functionsBase) {
        auto callee = reinterpret_cast<uint64_t>(m_functionsBase + (funcIndex - m_module.numImportedFuncs));
        m_out.directCalls.push_back(pc());
        emitOp(Op::CallInternal);
        emit64(callee);
        emitWord(argBase);
      } else if (opcode == 0x10) {
        emitOp(Op::Call);
        emitWord(funcIndex);
        emitWord(argBase);
      } else {
        uint32_t indexSlot = operandSlot(index);
        emitOp(Op::CallIndirect);
        emitWord(canonicalTypeId(*type));
        emitWord(tableIndex);
        emitWord(argBase);
        emitWord(indexSlot);
      }
    }
    m_stack.resize(argPos);
    for (ValType t : type->results)
      push(t);
    invalidateLast();
    // Metered code ends a block after each call: a callee that never
    // returns (proc_exit, a trap) then leaves nothing after the call charged,
    // and a fuel budget runs out at the same place with or without counters.
    startBasicBlock();
    return success();
  }

  case 0x1a: // drop
    TRY(popAny());
    return success();

  case 0x1b:   // select
  case 0x1c: { // select t*
    std::optional<ValType> declared;
    if (opcode == 0x1c) {
      TRY_ASSIGN(uint32_t n, r.u32());
      if (n != 1)
        return fail(ErrorCode::InvalidResultArity, "invalid result arity");
      TRY_ASSIGN(uint8_t t, r.u8());
      if (!isValType(t))
        return fail(ErrorCode::MalformedValueType, "malformed value type");
      declared = ValType(t);
    }
    TRY_ASSIGN(StackEntry cond, pop(ValType::I32));
    if (!declared && m_stack.size() == m_ctrls.back().height && !m_ctrls.back().unreachable)
      // Nothing to select between. The text `select (result)` (no result
      // type, "invalid result arity") reaches us like this too: wast2json
      // writes it as a plain select, so the message names both faults.
      return fail(ErrorCode::TypeMismatch,
                  "type mismatch: select has no operands to choose from, only its condition "
                  "(or an empty result type: invalid result arity)");
    TRY_ASSIGN(StackEntry b, pop(declared.value_or(kUnknown)));
    TRY_ASSIGN(StackEntry a, pop(declared.value_or(kUnknown)));
    ValType type = declared.value_or(a.type == kUnknown ? b.type : a.type);
    if (!declared) {
      // Numeric or vector operands only (spec 3.3.2.2).
      if (isRefType(a.type) || isRefType(b.type))
        return fail(ErrorCode::TypeMismatch, "type mismatch: select without a type needs numeric operands");
      if (!typesMatch(a.type, b.type))
        return fail(ErrorCode::TypeMismatch, "type mismatch: select operands differ");
    }
    if (emitting()) {
      uint32_t d = nextSlot();
      uint32_t sa = operandSlot(a), sb = operandSlot(b), sc = operandSlot(cond);
      emitOp(type == ValType::V128 ? Op::Select128 : Op::Select);
      emitWord(d);
      emitWord(sa);
      emitWord(sb);
      emitWord(sc);
      m_lastDst = pc() - 4;
    }
    push(type);
    return success();
  }

  case 0x20: { // local.get
    TRY_ASSIGN(uint32_t x, r.u32());
    if (x >= m_out.numLocals)
      return fail(ErrorCode::UnknownLocal, "unknown local " + std::to_string(x));
    pushEntry({m_out.localTypes[x], Kind::Local, x});
    return success();
  }
  case 0x21:   // local.set
  case 0x22: { // local.tee
    TRY_ASSIGN(uint32_t x, r.u32());
    if (x >= m_out.numLocals)
      return fail(ErrorCode::UnknownLocal, "unknown local " + std::to_string(x));
    ValType type = m_out.localTypes[x];
    TRY_ASSIGN(StackEntry e, pop(type));
    if (emitting() && !(e.kind == Kind::Local && e.local == x)) {
      bool referenced = std::any_of(m_stack.begin(), m_stack.end(), [&](const StackEntry& s) {
        return s.kind == Kind::Local && s.local == x;
      });
      if (e.kind == Kind::Slot && m_lastDst != UINT32_MAX && m_out.code[m_lastDst] == e.slot &&
          !referenced) {
        m_out.code[m_lastDst] = localSlot(x); // The producer writes the local directly.
      } else {
        materializeLocal(x);
        emitMove(e, e.slot, localSlot(x));
      }
    }
    invalidateLast();
    if (opcode == 0x22)
      pushEntry({type, Kind::Local, x});
    return success();
  }
  case 0x23: { // global.get
    TRY_ASSIGN(uint32_t g, r.u32());
    if (g >= m_module.numGlobals())
      return fail(ErrorCode::UnknownGlobal, "unknown global " + std::to_string(g));
    uint32_t d = nextSlot();
    bool vector = m_module.globalType(g).type == ValType::V128;
    if (emitting()) {
      emitOp(vector ? Op::GlobalGet128 : Op::GlobalGet);
      emitWord(d);
      emitWord(g);
      m_lastDst = pc() - 2;
    }
    push(m_module.globalType(g).type);
    return success();
  }
  case 0x24: { // global.set
    TRY_ASSIGN(uint32_t g, r.u32());
    if (g >= m_module.numGlobals())
      return fail(ErrorCode::UnknownGlobal, "unknown global " + std::to_string(g));
    GlobalType gt = m_module.globalType(g);
    if (!gt.isMutable)
      return fail(ErrorCode::GlobalIsImmutable);
    TRY_ASSIGN(StackEntry v, pop(gt.type));
    if (emitting()) {
      uint32_t s = operandSlot(v);
      emitOp(gt.type == ValType::V128 ? Op::GlobalSet128 : Op::GlobalSet);
      emitWord(g);
      emitWord(s);
    }
    return success();
  }
  case 0x25:   // table.get
  case 0x26: { // table.set
    TRY_ASSIGN(uint32_t t, r.u32());
    TRY(checkTable(t));
    ValType elem = m_module.tableType(t).elemType;
    if (opcode == 0x25) {
      TRY_ASSIGN(StackEntry i, pop(ValType::I32));
      if (emitting()) {
        uint32_t d = nextSlot();
        uint32_t si = operandSlot(i);
        emitOp(Op::TableGet);
        emitWord(d);
        emitWord(t);
        emitWord(si);
      }
      push(elem);
    } else {
      TRY_ASSIGN(StackEntry v, pop(elem));
      TRY_ASSIGN(StackEntry i, pop(ValType::I32));
      if (emitting()) {
        uint32_t si = operandSlot(i), sv = operandSlot(v);
        emitOp(Op::TableSet);
        emitWord(t);
        emitWord(si);
        emitWord(sv);
      }
    }
    return success();
  }

#define LOAD_CASE(name, text, code, type, bytes, ctype)                        \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t offset, readMemArg(r, bytes));                         \
    TRY_ASSIGN(StackEntry addr, pop(ValType::I32));                            \
    if (emitting()) {                                                          \
      uint32_t d = nextSlot();                                                 \
      uint32_t sa = operandSlot(addr);                                         \
      emitOp(Op::name);                                                        \
      emitWord(d);                                                             \
      emitWord(sa);                                                            \
      emitWord(offset);                                                        \
      m_lastDst = pc() - 3;                                                    \
    }                                                                          \
    push(ValType::type);                                                       \
    return success();                                                          \
  }
    WASM_LOAD(LOAD_CASE)
#undef LOAD_CASE

#define STORE_CASE(name, text, code, type, bytes, ctype)                       \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t offset, readMemArg(r, bytes));                         \
    TRY_ASSIGN(StackEntry value, pop(ValType::type));                          \
    TRY_ASSIGN(StackEntry addr, pop(ValType::I32));                            \
    if (emitting()) {                                                          \
      uint32_t sa = operandSlot(addr), sv = operandSlot(value);                \
      emitOp(Op::name);                                                        \
      emitWord(sa);                                                            \
      emitWord(sv);                                                            \
      emitWord(offset);                                                        \
    }                                                                          \
    return success();                                                          \
  }
    WASM_STORE(STORE_CASE)
#undef STORE_CASE

  case 0x3f:   // memory.size
  case 0x40: { // memory.grow
    TRY_ASSIGN(uint8_t reserved, r.u8());
    if (reserved != 0)
      return fail(ErrorCode::ZeroByteExpected);
    TRY(checkMemory(0));
    if (opcode == 0x3f) {
      uint32_t d = nextSlot();
      if (emitting()) {
        emitOp(Op::MemorySize);
        emitWord(d);
        m_lastDst = pc() - 1;
      }
    } else {
      TRY_ASSIGN(StackEntry n, pop(ValType::I32));
      if (emitting()) {
        uint32_t d = nextSlot();
        uint32_t sn = operandSlot(n);
        emitOp(Op::MemoryGrow);
        emitWord(d);
        emitWord(sn);
        m_lastDst = pc() - 2;
      }
    }
    push(ValType::I32);
    return success();
  }

  case 0x41: {
    TRY_ASSIGN(int32_t v, r.s32());
    pushEntry({ValType::I32, Kind::Const, 0, uint32_t(v)});
    return success();
  }
  case 0x42: {
    TRY_ASSIGN(int64_t v, r.s64());
    pushEntry({ValType::I64, Kind::Const, 0, uint64_t(v)});
    return success();
  }
  case 0x43: {
    TRY_ASSIGN(uint32_t v, r.fixedU32());
    pushEntry({ValType::F32, Kind::Const, 0, v});
    return success();
  }
  case 0x44: {
    TRY_ASSIGN(uint64_t v, r.fixedU64());
    pushEntry({ValType::F64, Kind::Const, 0, v});
    return success();
  }

#define UNARY_CASE(name, text, code, in, out)                                  \
  case code: {                                                                 \
    TRY_ASSIGN(StackEntry a, pop(ValType::in));                                \
    uint32_t pos = uint32_t(m_stack.size());                                   \
    if (emitting()) {                                                          \
      uint32_t d = nextSlot();                                                 \
      uint32_t sa = operandSlot(a);                                            \
      emitOp(Op::name);                                                        \
      emitWord(d);                                                             \
      emitWord(sa);                                                            \
      m_lastDst = pc() - 2;                                                    \
      if (Op::name == Op::I32Eqz)                                              \
        m_lastCmp = LastCompare{pc() - 3, pc(), Op::name, sa, 0, false, pos};        \
    }                                                                          \
    push(ValType::out);                                                        \
    return success();                                                          \
  }
    WASM_UNARY(UNARY_CASE)
    WASM_TRAPPING_UNARY(UNARY_CASE)
#undef UNARY_CASE

#define BINARY_CASE(name, text, code, in, out)                                 \
  case code:                                                                   \
    return compileBinary(Op::name, ValType::in, ValType::out, false);
    WASM_FLOAT_BINARY(BINARY_CASE)
    WASM_TRAPPING_BINARY(BINARY_CASE)
#undef BINARY_CASE
#define INT_BINARY_CASE(name, text, code, in, out)                             \
  case code:                                                                   \
    return compileBinary(Op::name, ValType::in, ValType::out, true);
    WASM_BINARY(INT_BINARY_CASE)
#undef INT_BINARY_CASE

  case 0xd0: { // ref.null
    TRY_ASSIGN(uint8_t t, r.u8());
    if (!isRefType(ValType(t)))
      return fail(ErrorCode::MalformedReferenceType, "malformed reference type");
    pushEntry({ValType(t), Kind::Const, 0, 0});
    return success();
  }
  case 0xd1: { // ref.is_null
    TRY_ASSIGN(StackEntry a, popAny());
    if (a.type != kUnknown && !isRefType(a.type))
      return fail(ErrorCode::TypeMismatch, "type mismatch: ref.is_null needs a reference");
    if (emitting()) {
      uint32_t d = nextSlot();
      uint32_t sa = operandSlot(a);
      emitOp(Op::RefIsNull);
      emitWord(d);
      emitWord(sa);
      m_lastDst = pc() - 2;
    }
    push(ValType::I32);
    return success();
  }
  case 0xd2: { // ref.func
    TRY_ASSIGN(uint32_t f, r.u32());
    if (f >= m_module.numFuncs())
      return fail(ErrorCode::UnknownFunction, "unknown function " + std::to_string(f));
    if (f >= m_context.declaredFuncRefs.size() || !m_context.declaredFuncRefs[f])
      return fail(ErrorCode::UndeclaredFunctionReference);
    uint32_t d = nextSlot();
    if (emitting()) {
      emitOp(Op::RefFunc);
      emitWord(d);
      emitWord(f);
      m_lastDst = pc() - 2;
    }
    push(ValType::FuncRef);
    return success();
  }

  case 0xfc:
    return compilePrefixed(r);
  case 0xfd:
    return compileSimd(r);

  default:
    return fail(ErrorCode::IllegalOpcode, "illegal opcode 0x" + [&] {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%02x", opcode);
      return std::string(buf);
    }());
  }
}

Result<void> FunctionCompiler::compileBinary(Op op, ValType in, ValType out, bool hasImm) {
  using Kind = StackEntry::Kind;
  TRY_ASSIGN(StackEntry b, pop(in));
  TRY_ASSIGN(StackEntry a, pop(in));
  uint32_t pos = uint32_t(m_stack.size());
  if (!emitting()) {
    push(out);
    return success();
  }
  if (hasImm && a.kind == Kind::Const && b.kind == Kind::Const) {
    pushEntry({out, Kind::Const, 0, foldBinary(op, a.bits, b.bits)});
    return success();
  }
  uint32_t d = nextSlot();
  if (hasImm && a.kind == Kind::Const && b.kind != Kind::Const && isCommutative(op))
    std::swap(a, b);
  uint32_t sa = operandSlot(a);
  bool imm = hasImm && b.kind == Kind::Const;
  uint32_t sb = imm ? 0 : operandSlot(b);
  uint32_t start = pc();
  emitOp(imm ? Op(uint32_t(op) + 1) : op);
  emitWord(d);
  emitWord(sa);
  if (!imm)
    emitWord(sb);
  else if (in == ValType::I64)
    emit64(b.bits);
  else
    emitWord(uint32_t(b.bits));
  m_lastDst = start + 1;
  if (isFusableCompare(op) && (!imm || in == ValType::I32))
    m_lastCmp = LastCompare{start, pc(), op, sa, imm ? uint32_t(b.bits) : sb, imm, pos};
  push(out);
  return success();
}

Result<void> FunctionCompiler::compilePrefixed(BinaryReader& r) {
  TRY_ASSIGN(uint32_t sub, r.u32());
  // Pops `types` (last one on top) and emits `op` with an optional leading
  // destination, the given immediates, then the operands' slots.
  auto emitWith = [&](Op op, std::initializer_list<ValType> types, std::optional<ValType> result,
                      std::initializer_list<uint32_t> immediates) -> Result<void> {
    std::vector<StackEntry> operands(types.size());
    for (size_t i = types.size(); i-- > 0;) {
      TRY_ASSIGN(operands[i], pop(types.begin()[i]));
    }
    if (emitting()) {
      uint32_t d = nextSlot();
      std::vector<uint32_t> slots;
      for (StackEntry& e : operands)
        slots.push_back(operandSlot(e));
      emitOp(op);
      if (result)
        emitWord(d);
      for (uint32_t imm : immediates)
        emitWord(imm);
      for (uint32_t s : slots)
        emitWord(s);
    }
    if (result)
      push(*result);
    return success();
  };
  auto zeroByte = [&]() -> Result<void> {
    TRY_ASSIGN(uint8_t b, r.u8());
    if (b != 0)
      return fail(ErrorCode::ZeroByteExpected);
    return success();
  };
  auto checkElem = [&](uint32_t e) -> Result<void> {
    if (e >= m_module.elems.size())
      return fail(ErrorCode::UnknownElemSegment, "unknown elem segment " + std::to_string(e));
    return success();
  };
  constexpr ValType I32 = ValType::I32;

  switch (sub) {
#define SAT_CASE(name, text, code, in, out)                                    \
  case code:                                                                   \
    return emitWith(Op::name, {ValType::in}, ValType::out, {});
    WASM_SAT_UNARY(SAT_CASE)
#undef SAT_CASE
  case 8: { // memory.init
    TRY_ASSIGN(uint32_t data, r.u32());
    TRY(zeroByte());
    TRY(checkMemory(0));
    TRY(checkData(data));
    return emitWith(Op::MemoryInit, {I32, I32, I32}, std::nullopt, {data});
  }
  case 9: { // data.drop
    TRY_ASSIGN(uint32_t data, r.u32());
    TRY(checkData(data));
    if (emitting()) {
      emitOp(Op::DataDrop);
      emitWord(data);
    }
    return success();
  }
  case 10: // memory.copy
    TRY(zeroByte());
    TRY(zeroByte());
    TRY(checkMemory(0));
    return emitWith(Op::MemoryCopy, {I32, I32, I32}, std::nullopt, {});
  case 11: // memory.fill
    TRY(zeroByte());
    TRY(checkMemory(0));
    return emitWith(Op::MemoryFill, {I32, I32, I32}, std::nullopt, {});
  case 12: { // table.init
    TRY_ASSIGN(uint32_t elem, r.u32());
    TRY_ASSIGN(uint32_t table, r.u32());
    TRY(checkTable(table));
    TRY(checkElem(elem));
    if (m_module.elems[elem].elemType != m_module.tableType(table).elemType)
      return fail(ErrorCode::TypeMismatch, "type mismatch: element segment and table types differ");
    return emitWith(Op::TableInit, {I32, I32, I32}, std::nullopt, {table, elem});
  }
  case 13: { // elem.drop
    TRY_ASSIGN(uint32_t elem, r.u32());
    TRY(checkElem(elem));
    if (emitting()) {
      emitOp(Op::ElemDrop);
      emitWord(elem);
    }
    return success();
  }
  case 14: { // table.copy
    TRY_ASSIGN(uint32_t dst, r.u32());
    TRY_ASSIGN(uint32_t src, r.u32());
    TRY(checkTable(dst));
    TRY(checkTable(src));
    if (m_module.tableType(dst).elemType != m_module.tableType(src).elemType)
      return fail(ErrorCode::TypeMismatch, "type mismatch: tables of different types");
    return emitWith(Op::TableCopy, {I32, I32, I32}, std::nullopt, {dst, src});
  }
  case 15: { // table.grow
    TRY_ASSIGN(uint32_t table, r.u32());
    TRY(checkTable(table));
    ValType elem = m_module.tableType(table).elemType;
    return emitWith(Op::TableGrow, {elem, I32}, I32, {table});
  }
  case 16: { // table.size
    TRY_ASSIGN(uint32_t table, r.u32());
    TRY(checkTable(table));
    return emitWith(Op::TableSize, {}, I32, {table});
  }
  case 17: { // table.fill
    TRY_ASSIGN(uint32_t table, r.u32());
    TRY(checkTable(table));
    ValType elem = m_module.tableType(table).elemType;
    return emitWith(Op::TableFill, {I32, elem, I32}, std::nullopt, {table});
  }
  default:
    return fail(ErrorCode::IllegalOpcode, "illegal opcode 0xfc " + std::to_string(sub));
  }
}

uint64_t FunctionCompiler::foldBinary(Op op, uint64_t a, uint64_t b) {
  switch (op) {
#define I32_FOLD(name, text, code, in, out)                                    \
  case Op::name:                                                               \
    if constexpr (ValType::in == ValType::I32)                                 \
      return numeric::name(uint32_t(a), uint32_t(b));                          \
    else                                                                       \
      return numeric::name(a, b);
    WASM_BINARY(I32_FOLD)
#undef I32_FOLD
  default:
    return 0;
  }
}

} // namespace wasmscope::runtime
