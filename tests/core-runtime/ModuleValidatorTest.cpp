// Tests of module-level validation (ModuleValidator.cpp): each rule of spec
// 3.4 outside function bodies, on modules assembled field by field, plus a
// few decoded from bytes to check the offsets errors carry.
#include "wasmscope/runtime/ModuleValidator.h"
#include "wasmscope/runtime/Decoder.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace wasmscope::runtime {
namespace {

ConstExpr constant(ConstExpr::Kind kind, uint64_t bits = 0, uint32_t offset = 0) {
  ConstExpr e;
  e.kind = kind;
  e.bits = bits;
  e.offset = offset;
  return e;
}
ConstExpr i32Const(uint32_t v) { return constant(ConstExpr::Kind::I32, v); }
ConstExpr refFunc(uint32_t f) { return constant(ConstExpr::Kind::RefFunc, f); }
ConstExpr globalGet(uint32_t g, uint32_t offset = 0) {
  return constant(ConstExpr::Kind::GlobalGet, g, offset);
}
ConstExpr refNull(ValType t) {
  ConstExpr e = constant(ConstExpr::Kind::RefNull);
  e.refType = t;
  return e;
}

Export exportOf(const char* name, ExternKind kind, uint32_t index) {
  Export e;
  e.name = name;
  e.kind = kind;
  e.index = index;
  return e;
}

void addImport(Module& m, Import imp) {
  switch (imp.kind) {
  case ExternKind::Func:
    ++m.numImportedFuncs;
    break;
  case ExternKind::Table:
    ++m.numImportedTables;
    break;
  case ExternKind::Memory:
    ++m.numImportedMemories;
    break;
  case ExternKind::Global:
    ++m.numImportedGlobals;
    break;
  }
  m.imports.push_back(std::move(imp));
}
Import globalImport(ValType t, bool isMutable) {
  Import imp;
  imp.module = "env";
  imp.name = "g";
  imp.kind = ExternKind::Global;
  imp.global = {t, isMutable};
  return imp;
}

/// Types [] -> [] and [i32] -> []; two functions, one of each; a funcref
/// table of 10 and a memory of one page.
Module baseModule() {
  Module m;
  m.types = {FuncType{}, FuncType{{ValType::I32}, {}}};
  m.functions = {0, 1};
  m.codes.resize(2);
  m.tables = {TableType{ValType::FuncRef, Limits{10, std::nullopt}}};
  m.memories = {MemoryType{Limits{1, std::nullopt}}};
  return m;
}

struct InvalidCase {
  const char* name;
  std::function<void(Module&)> change;
  ErrorCode code;
  const char* message;
};

class InvalidModuleTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidModuleTest, FailsWithCodeAndMessage) {
  const InvalidCase& c = GetParam();
  Module m = baseModule();
  c.change(m);
  auto r = validateModule(m);
  ASSERT_FALSE(r.ok()) << c.name << " validated";
  EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().describe();
  EXPECT_EQ(r.error().message, c.message) << c.name;
  EXPECT_EQ(r.error().phase(), ErrorPhase::Validate);
}

const InvalidCase kInvalid[] = {
    {"function type index", [](Module& m) { m.functions[1] = 5; }, ErrorCode::UnknownType,
     "unknown type 5"},
    {"imported function type index",
     [](Module& m) {
       Import imp;
       imp.kind = ExternKind::Func;
       imp.funcType = 2;
       addImport(m, imp);
     },
     ErrorCode::UnknownType, "unknown type 2"},
    {"memory minimum above maximum",
     [](Module& m) {
       m.memories[0].limits = {2, 1};
     },
     ErrorCode::SizeMinimumGreaterThanMaximum, "size minimum must not be greater than maximum"},
    {"memory minimum too large",
     [](Module& m) {
       m.memories[0].limits = {65537, std::nullopt};
     },
     ErrorCode::MemorySizeTooLarge, "memory size must be at most 65536 pages (4GiB)"},
    {"memory maximum too large",
     [](Module& m) {
       m.memories[0].limits = {0, 65537};
     },
     ErrorCode::MemorySizeTooLarge, "memory size must be at most 65536 pages (4GiB)"},
    {"table minimum above maximum",
     [](Module& m) {
       m.tables[0].limits = {3, 2};
     },
     ErrorCode::SizeMinimumGreaterThanMaximum, "size minimum must not be greater than maximum"},
    {"two memories", [](Module& m) { m.memories.push_back(m.memories[0]); },
     ErrorCode::MultipleMemories, "multiple memories"},
    {"imported and defined memory",
     [](Module& m) {
       Import imp;
       imp.kind = ExternKind::Memory;
       addImport(m, imp);
     },
     ErrorCode::MultipleMemories, "multiple memories"},
    {"global initialiser of the wrong type",
     [](Module& m) {
       m.globals.push_back({{ValType::I32, false}, constant(ConstExpr::Kind::F32)});
     },
     ErrorCode::TypeMismatch, "type mismatch"},
    {"global initialiser reads a defined global",
     [](Module& m) {
       m.globals.push_back({{ValType::I32, false}, i32Const(0)});
       m.globals.push_back({{ValType::I32, false}, globalGet(0)});
     },
     ErrorCode::UnknownGlobal, "unknown global 0"},
    {"global initialiser reads a mutable import",
     [](Module& m) {
       addImport(m, globalImport(ValType::I32, true));
       m.globals.push_back({{ValType::I32, false}, globalGet(0)});
     },
     ErrorCode::InvalidConstantExpression, "constant expression required"},
    {"global initialiser names an unknown function",
     [](Module& m) {
       m.globals.push_back({{ValType::FuncRef, false}, refFunc(2)});
     },
     ErrorCode::UnknownFunction, "unknown function 2"},
    {"global of externref from ref.null func",
     [](Module& m) {
       m.globals.push_back({{ValType::ExternRef, false}, refNull(ValType::FuncRef)});
     },
     ErrorCode::TypeMismatch, "type mismatch"},
    {"duplicate export name",
     [](Module& m) {
       m.exports.push_back(exportOf("a", ExternKind::Func, 0));
       m.exports.push_back(exportOf("a", ExternKind::Memory, 0));
     },
     ErrorCode::DuplicateExportName, "duplicate export name"},
    {"export of an unknown function",
     [](Module& m) { m.exports.push_back(exportOf("f", ExternKind::Func, 2)); },
     ErrorCode::UnknownFunction, "unknown function 2"},
    {"export of an unknown table",
     [](Module& m) { m.exports.push_back(exportOf("t", ExternKind::Table, 1)); },
     ErrorCode::UnknownTable, "unknown table 1"},
    {"export of an unknown memory",
     [](Module& m) { m.exports.push_back(exportOf("m", ExternKind::Memory, 1)); },
     ErrorCode::UnknownMemory, "unknown memory 1"},
    {"export of an unknown global",
     [](Module& m) { m.exports.push_back(exportOf("g", ExternKind::Global, 0)); },
     ErrorCode::UnknownGlobal, "unknown global 0"},
    {"unknown start function", [](Module& m) { m.start = 2; }, ErrorCode::UnknownFunction,
     "unknown function 2"},
    {"start function with a parameter", [](Module& m) { m.start = 1; },
     ErrorCode::StartFunctionInvalid, "start function"},
    {"element segment for an unknown table",
     [](Module& m) {
       ElemSegment seg;
       seg.table = 1;
       seg.offset = i32Const(0);
       m.elems.push_back(seg);
     },
     ErrorCode::UnknownTable, "unknown table 1"},
    {"element segment offset not i32",
     [](Module& m) {
       ElemSegment seg;
       seg.offset = constant(ConstExpr::Kind::I64);
       m.elems.push_back(seg);
     },
     ErrorCode::TypeMismatch, "type mismatch"},
    {"externref segment into a funcref table",
     [](Module& m) {
       ElemSegment seg;
       seg.offset = i32Const(0);
       seg.elemType = ValType::ExternRef;
       m.elems.push_back(seg);
     },
     ErrorCode::TypeMismatch, "type mismatch"},
    {"element item of the wrong type",
     [](Module& m) {
       ElemSegment seg;
       seg.mode = SegmentMode::Passive;
       seg.items = {i32Const(0)};
       m.elems.push_back(seg);
     },
     ErrorCode::TypeMismatch, "type mismatch"},
    {"element item names an unknown function",
     [](Module& m) {
       ElemSegment seg;
       seg.mode = SegmentMode::Declarative;
       seg.items = {refFunc(9)};
       m.elems.push_back(seg);
     },
     ErrorCode::UnknownFunction, "unknown function 9"},
    {"element offset reads a mutable global",
     [](Module& m) {
       addImport(m, globalImport(ValType::I32, true));
       ElemSegment seg;
       seg.offset = globalGet(0);
       m.elems.push_back(seg);
     },
     ErrorCode::InvalidConstantExpression, "constant expression required"},
    {"data segment for an unknown memory",
     [](Module& m) {
       DataSegment seg;
       seg.memory = 1;
       seg.offset = i32Const(0);
       m.datas.push_back(seg);
     },
     ErrorCode::UnknownMemory, "unknown memory 1"},
    {"data offset reads a defined global",
     [](Module& m) {
       m.globals.push_back({{ValType::I32, false}, i32Const(0)});
       DataSegment seg;
       seg.offset = globalGet(0);
       m.datas.push_back(seg);
     },
     ErrorCode::UnknownGlobal, "unknown global 0"},
    {"data offset not i32",
     [](Module& m) {
       DataSegment seg;
       seg.offset = constant(ConstExpr::Kind::F32);
       m.datas.push_back(seg);
     },
     ErrorCode::TypeMismatch, "type mismatch"},
};

INSTANTIATE_TEST_SUITE_P(ModuleValidator, InvalidModuleTest, ::testing::ValuesIn(kInvalid),
                         [](const ::testing::TestParamInfo<InvalidCase>& info) {
                           std::string name;
                           for (const char* p = info.param.name; *p; ++p)
                             name += std::isalnum(uint8_t(*p)) ? *p : '_';
                           return name;
                         });

TEST(ModuleValidatorTest, BaseModuleIsValid) {
  auto r = validateModule(baseModule());
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->declaredFuncRefs, (std::vector<bool>{false, false}));
}

TEST(ModuleValidatorTest, ValidConstantExpressions) {
  Module m = baseModule();
  addImport(m, globalImport(ValType::I32, false));
  m.globals.push_back({{ValType::I32, true}, globalGet(0)});
  m.globals.push_back({{ValType::ExternRef, false}, refNull(ValType::ExternRef)});
  m.globals.push_back({{ValType::F64, false}, constant(ConstExpr::Kind::F64)});
  ElemSegment seg;
  seg.offset = globalGet(0);
  seg.items = {refNull(ValType::FuncRef), refFunc(0)};
  m.elems.push_back(seg);
  DataSegment data;
  data.offset = globalGet(0);
  m.datas.push_back(data);
  DataSegment passive;
  passive.mode = SegmentMode::Passive;
  m.datas.push_back(passive);
  auto r = validateModule(m);
  EXPECT_TRUE(r.ok()) << r.error().describe();
}

TEST(ModuleValidatorTest, PassiveAndDeclarativeSegmentsNeedNoTable) {
  Module m = baseModule();
  m.tables.clear();
  m.memories.clear();
  ElemSegment passive;
  passive.mode = SegmentMode::Passive;
  passive.table = 7;
  passive.items = {refFunc(1)};
  m.elems.push_back(passive);
  ElemSegment declarative;
  declarative.mode = SegmentMode::Declarative;
  declarative.elemType = ValType::ExternRef;
  declarative.items = {refNull(ValType::ExternRef)};
  m.elems.push_back(declarative);
  DataSegment data;
  data.mode = SegmentMode::Passive;
  m.datas.push_back(data);
  auto r = validateModule(m);
  EXPECT_TRUE(r.ok()) << r.error().describe();
}

TEST(ModuleValidatorTest, DeclaredFunctionReferences) {
  Module m = baseModule();
  m.types.push_back(FuncType{});
  m.functions = {0, 0, 0, 0, 1};
  m.codes.resize(5);
  Import imp;
  imp.kind = ExternKind::Func;
  addImport(m, imp); // function 0
  m.globals.push_back({{ValType::FuncRef, false}, refFunc(1)});
  ElemSegment seg;
  seg.mode = SegmentMode::Declarative;
  seg.items = {refFunc(2)};
  m.elems.push_back(seg);
  m.exports.push_back(exportOf("f", ExternKind::Func, 3));
  m.start = 4; // The start function is not a declaration.
  auto r = validateModule(m);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->declaredFuncRefs, (std::vector<bool>{false, true, true, true, false, false}));
}

TEST(ModuleValidatorTest, ErrorsCarryOffsetsFromTheBinary) {
  std::vector<uint8_t> b = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
      0x05, 0x03, 0x01, 0x00, 0x00,                   // @8 memory section: min 0
      0x07, 0x09, 0x02,                               // @13 export section, 2 exports
      0x01, 'a',  0x02, 0x00,                         // @16 "a": memory 0
      0x01, 'a',  0x02, 0x00,                         // @20 "a" again
  };
  auto m = decodeModule(b);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  auto r = validateModule(*m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::DuplicateExportName);
  EXPECT_EQ(r.error().offset, 20u);

  std::vector<uint8_t> g = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
      0x06, 0x06, 0x01,                               // @8 global section, 1 global
      0x7f, 0x00,                                     // @11 i32, immutable
      0x42, 0x00, 0x0b,                               // @13 i64.const 0 end
  };
  auto mg = decodeModule(g);
  ASSERT_TRUE(mg.ok()) << mg.error().describe();
  auto rg = validateModule(*mg);
  ASSERT_FALSE(rg.ok());
  EXPECT_EQ(rg.error().code, ErrorCode::TypeMismatch);
  EXPECT_EQ(rg.error().offset, 13u);
}

TEST(ModuleValidatorTest, TypeLookupsWithoutDecoderTables) {
  // A hand-built module has no import position tables; lookups still work.
  Module m;
  m.types = {FuncType{}, FuncType{{ValType::I64}, {}}};
  Import f;
  f.kind = ExternKind::Func;
  f.funcType = 1;
  addImport(m, globalImport(ValType::F32, true));
  addImport(m, f);
  m.functions = {0};
  EXPECT_EQ(m.funcTypeIndex(0), 1u);
  EXPECT_EQ(m.funcTypeIndex(1), 0u);
  EXPECT_EQ(m.globalType(0), (GlobalType{ValType::F32, true}));
  EXPECT_EQ(m.funcType(0).toString(), "[i64] -> []");
}

} // namespace
} // namespace wasmscope::runtime
