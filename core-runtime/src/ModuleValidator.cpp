// Module-level validation (spec 3.4 and 3.5 of WebAssembly 2.0): type
// indices, limits, the single memory, constant expressions, exports, the
// start function and segments. Function bodies are left to the compiler,
// which receives the set of functions `ref.func` may name from here.
#include "wasmscope/runtime/ModuleValidator.h"

#include <string>
#include <string_view>
#include <unordered_set>

namespace wasmscope::runtime {

namespace {

Error unknownIndex(ErrorCode code, uint64_t index, uint64_t offset) {
  // The reference interpreter's wording: "unknown global 3".
  return Error(code, std::string(defaultMessage(code)) + " " + std::to_string(index), offset);
}

class ModuleValidator {
public:
  explicit ModuleValidator(const Module& m) : m_module(m) {
    m_context.declaredFuncRefs.assign(m.numFuncs(), false);
  }

  Result<ModuleContext> run() {
    TRY(checkImports());
    TRY(checkFunctions());
    TRY(checkTables());
    TRY(checkMemories());
    TRY(checkGlobals());
    TRY(checkElems());
    TRY(checkDatas());
    TRY(checkStart());
    TRY(checkExports());
    return std::move(m_context);
  }

private:
  /// Offset of the first section with `id`, for errors about entries that
  /// carry no offset of their own.
  uint64_t sectionOffset(uint8_t id) const {
    for (const SectionInfo& s : m_module.sections) {
      if (s.id == id)
        return s.offset;
    }
    return kNoOffset;
  }

  Result<void> checkTypeIndex(TypeIndex t, uint64_t offset) const {
    if (t >= m_module.types.size())
      return unknownIndex(ErrorCode::UnknownType, t, offset);
    return success();
  }

  // Spec 3.2.1 (limits) with the ranges of 3.2.4 and 3.2.5.
  static Result<void> checkLimits(const Limits& limits, uint64_t range, ErrorCode tooLarge,
                                  uint64_t offset) {
    if (limits.min > range)
      return Error(tooLarge, {}, offset);
    if (limits.max) {
      if (*limits.max > range)
        return Error(tooLarge, {}, offset);
      if (limits.min > *limits.max)
        return Error(ErrorCode::SizeMinimumGreaterThanMaximum, {}, offset);
    }
    return success();
  }
  static Result<void> checkTableType(const TableType& t, uint64_t offset) {
    return checkLimits(t.limits, kMaxTableSize, ErrorCode::TableSizeTooLarge, offset);
  }
  static Result<void> checkMemoryType(const MemoryType& t, uint64_t offset) {
    return checkLimits(t.limits, kMaxPages, ErrorCode::MemorySizeTooLarge, offset);
  }

  Result<void> checkImports() const {
    for (const Import& imp : m_module.imports) {
      switch (imp.kind) {
      case ExternKind::Func:
        TRY(checkTypeIndex(imp.funcType, imp.byteOffset));
        break;
      case ExternKind::Table:
        TRY(checkTableType(imp.table, imp.byteOffset));
        break;
      case ExternKind::Memory:
        TRY(checkMemoryType(imp.memory, imp.byteOffset));
        break;
      case ExternKind::Global:
        break;
      }
    }
    return success();
  }

  Result<void> checkFunctions() const {
    uint64_t offset = sectionOffset(3);
    for (TypeIndex t : m_module.functions)
      TRY(checkTypeIndex(t, offset));
    return success();
  }

  Result<void> checkTables() const {
    uint64_t offset = sectionOffset(4);
    for (const TableType& t : m_module.tables)
      TRY(checkTableType(t, offset));
    return success();
  }

  Result<void> checkMemories() const {
    uint64_t offset = sectionOffset(5);
    for (const MemoryType& t : m_module.memories)
      TRY(checkMemoryType(t, offset));
    if (m_module.numMemories() > 1)
      return Error(ErrorCode::MultipleMemories, {},
                   offset != kNoOffset ? offset : sectionOffset(2));
    return success();
  }

  /// The type of a constant expression (spec 3.3.10). `visibleGlobals` is
  /// how many globals it may read: in WebAssembly 2.0 only the imported ones,
  /// in global initialisers and segment offsets alike (data.wast, elem.wast).
  Result<ValType> constExprType(const ConstExpr& e, uint32_t visibleGlobals) {
    switch (e.kind) {
    case ConstExpr::Kind::I32:
      return ValType::I32;
    case ConstExpr::Kind::I64:
      return ValType::I64;
    case ConstExpr::Kind::F32:
      return ValType::F32;
    case ConstExpr::Kind::F64:
      return ValType::F64;
    case ConstExpr::Kind::V128:
      return ValType::V128;
    case ConstExpr::Kind::RefNull:
      return e.refType;
    case ConstExpr::Kind::RefFunc:
      if (e.bits >= m_module.numFuncs())
        return unknownIndex(ErrorCode::UnknownFunction, e.bits, e.offset);
      // Naming a function in a constant expression declares it (C.refs).
      m_context.declaredFuncRefs[e.bits] = true;
      return ValType::FuncRef;
    case ConstExpr::Kind::GlobalGet: {
      if (e.bits >= visibleGlobals)
        return unknownIndex(ErrorCode::UnknownGlobal, e.bits, e.offset);
      GlobalType g = m_module.globalType(GlobalIndex(e.bits));
      if (g.isMutable)
        return Error(ErrorCode::InvalidConstantExpression, {}, e.offset);
      return g.type;
    }
    }
    return Error(ErrorCode::InvalidConstantExpression, {}, e.offset);
  }

  Result<void> checkConstExpr(const ConstExpr& e, ValType expected, uint32_t visibleGlobals) {
    TRY_ASSIGN(ValType actual, constExprType(e, visibleGlobals));
    if (actual != expected)
      return Error(ErrorCode::TypeMismatch, {}, e.offset);
    return success();
  }

  Result<void> checkGlobals() {
    for (const Global& g : m_module.globals)
      TRY(checkConstExpr(g.init, g.type.type, m_module.numImportedGlobals));
    return success();
  }

  // Spec 3.4.6.
  Result<void> checkElems() {
    for (const ElemSegment& seg : m_module.elems) {
      for (const ConstExpr& item : seg.items)
        TRY(checkConstExpr(item, seg.elemType, m_module.numImportedGlobals));
      if (seg.mode != SegmentMode::Active)
        continue;
      if (seg.table >= m_module.numTables())
        return unknownIndex(ErrorCode::UnknownTable, seg.table, seg.byteOffset);
      TRY(checkConstExpr(seg.offset, ValType::I32, m_module.numImportedGlobals));
      if (m_module.tableType(seg.table).elemType != seg.elemType)
        return Error(ErrorCode::TypeMismatch, {}, seg.byteOffset);
    }
    return success();
  }

  // Spec 3.4.7.
  Result<void> checkDatas() {
    for (const DataSegment& seg : m_module.datas) {
      if (seg.mode != SegmentMode::Active)
        continue;
      if (seg.memory >= m_module.numMemories())
        return unknownIndex(ErrorCode::UnknownMemory, seg.memory, seg.byteOffset);
      TRY(checkConstExpr(seg.offset, ValType::I32, m_module.numImportedGlobals));
    }
    return success();
  }

  // Spec 3.4.8: the start function takes and returns nothing.
  Result<void> checkStart() const {
    if (!m_module.start)
      return success();
    uint64_t offset = sectionOffset(8);
    FuncIndex f = *m_module.start;
    if (f >= m_module.numFuncs())
      return unknownIndex(ErrorCode::UnknownFunction, f, offset);
    const FuncType& type = m_module.funcType(f);
    if (!type.params.empty() || !type.results.empty())
      return Error(ErrorCode::StartFunctionInvalid, {}, offset);
    return success();
  }

  // Spec 3.4.9, and export names unique (3.4.10).
  Result<void> checkExports() {
    std::unordered_set<std::string_view> names;
    names.reserve(m_module.exports.size());
    for (const Export& exp : m_module.exports) {
      if (!names.insert(exp.name).second)
        return Error(ErrorCode::DuplicateExportName, {}, exp.byteOffset);
      switch (exp.kind) {
      case ExternKind::Func:
        if (exp.index >= m_module.numFuncs())
          return unknownIndex(ErrorCode::UnknownFunction, exp.index, exp.byteOffset);
        m_context.declaredFuncRefs[exp.index] = true;
        break;
      case ExternKind::Table:
        if (exp.index >= m_module.numTables())
          return unknownIndex(ErrorCode::UnknownTable, exp.index, exp.byteOffset);
        break;
      case ExternKind::Memory:
        if (exp.index >= m_module.numMemories())
          return unknownIndex(ErrorCode::UnknownMemory, exp.index, exp.byteOffset);
        break;
      case ExternKind::Global:
        if (exp.index >= m_module.numGlobals())
          return unknownIndex(ErrorCode::UnknownGlobal, exp.index, exp.byteOffset);
        break;
      }
    }
    return success();
  }

  const Module& m_module;
  ModuleContext m_context;
};

} // namespace

Result<ModuleContext> validateModule(const Module& module) { return ModuleValidator(module).run(); }

} // namespace wasmscope::runtime
