// The decoded form of a WebAssembly module (spec 2.5): what the binary
// says, with byte ranges kept so that later layers (the compiler, DWARF,
// the inspector) can find each part in the original bytes.
#pragma once

#include "wasmscope/runtime/Types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::runtime {

/// A byte range [begin, end) into Module::bytes.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
};

/// A constant expression (spec 3.3.10): one value-producing instruction then
/// `end`. The decoder records the instruction; the validator checks it.
struct ConstExpr {
  enum class Kind : uint8_t { I32, I64, F32, F64, V128, RefNull, RefFunc, GlobalGet };
  Kind kind = Kind::I32;
  uint64_t bits = 0;                  ///< Constant bits (a v128's bytes 0-7), or the index.
  uint64_t high = 0;                  ///< A v128 constant's bytes 8-15.
  ValType refType = ValType::FuncRef; ///< For RefNull.
  uint32_t offset = 0;                ///< Byte offset of the expression.
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  TypeIndex funcType = 0; ///< Kind Func.
  TableType table;        ///< Kind Table.
  MemoryType memory;      ///< Kind Memory.
  GlobalType global;      ///< Kind Global.
  uint32_t byteOffset = 0; ///< Of the entry in the import section.
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
  uint32_t byteOffset = 0; ///< Of the entry in the export section.
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  TableIndex table = 0;
  ConstExpr offset; ///< Active only.
  ValType elemType = ValType::FuncRef;
  std::vector<ConstExpr> items; ///< Each a ref.func, ref.null or global.get.
  uint32_t byteOffset = 0;
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;
  MemIndex memory = 0;
  ConstExpr offset; ///< Active only.
  ByteRange bytes;
  uint32_t byteOffset = 0;
};

/// A run of locals of one type, as declared in the binary.
struct LocalDecl {
  uint32_t count = 0;
  ValType type = ValType::I32;
};

/// A function body from the code section. `body` covers the instructions
/// (after the local declarations) up to and including the final `end`.
struct Code {
  std::vector<LocalDecl> locals;
  uint64_t totalLocals = 0; ///< Sum of the declared counts (not params).
  ByteRange whole;          ///< From the body's size field to its end.
  ByteRange body;
};

/// Where a section sits in Module::bytes, for layout views and error offsets.
struct SectionInfo {
  uint8_t id = 0;      ///< Section id (0 custom, 1 type, ... 12 data count).
  uint32_t offset = 0; ///< Of the id byte.
  ByteRange contents;  ///< After the size field.
};

struct CustomSection {
  std::string name;
  ByteRange contents; ///< After the name.
};

/// The "name" custom section (spec 7.4.2).
struct NameSection {
  std::optional<std::string> moduleName;
  std::map<FuncIndex, std::string> functionNames;
  std::map<FuncIndex, std::map<LocalIndex, std::string>> localNames;
};

struct Module {
  std::vector<uint8_t> bytes; ///< The whole binary; ranges index into it.

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<TypeIndex> functions; ///< Type of each defined function.
  std::vector<TableType> tables;    ///< Defined tables.
  std::vector<MemoryType> memories; ///< Defined memories.
  std::vector<Global> globals;      ///< Defined globals.
  std::vector<Export> exports;
  std::optional<FuncIndex> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> dataCount;
  std::vector<Code> codes;
  std::vector<CustomSection> customSections;
  NameSection names;
  /// Every section in file order, custom sections included.
  std::vector<SectionInfo> sections;

  /// Offset of the code section's contents (its function count) in `bytes`.
  /// DWARF addresses for wasm are relative to this.
  uint32_t codeSectionOffset = 0;

  // Counts of imported entities, by kind, filled by the decoder.
  uint32_t numImportedFuncs = 0;
  uint32_t numImportedTables = 0;
  uint32_t numImportedMemories = 0;
  uint32_t numImportedGlobals = 0;

  /// Position in `imports` of each imported function, table, memory and
  /// global, in index-space order (filled by the decoder), so that lookups by
  /// index are constant time.
  std::vector<uint32_t> funcImports;
  std::vector<uint32_t> tableImports;
  std::vector<uint32_t> memoryImports;
  std::vector<uint32_t> globalImports;

  uint32_t numFuncs() const { return numImportedFuncs + uint32_t(functions.size()); }
  uint32_t numTables() const { return numImportedTables + uint32_t(tables.size()); }
  uint32_t numMemories() const { return numImportedMemories + uint32_t(memories.size()); }
  uint32_t numGlobals() const { return numImportedGlobals + uint32_t(globals.size()); }

  /// Type index of any function, imported or defined. Requires a valid index.
  TypeIndex funcTypeIndex(FuncIndex f) const;
  const FuncType& funcType(FuncIndex f) const { return types[funcTypeIndex(f)]; }
  /// Table, memory and global types across the import and definition spaces.
  TableType tableType(TableIndex t) const;
  MemoryType memoryType(MemIndex m) const;
  GlobalType globalType(GlobalIndex g) const;

  /// A custom section's contents by name, if present.
  const CustomSection* findCustomSection(std::string_view name) const;
  /// Name from the name section, or "" when absent.
  std::string functionName(FuncIndex f) const;
};

} // namespace wasmscope::runtime
