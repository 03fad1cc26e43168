// The one-pass DWARF reader behind ModuleSymbols::load: walks every compile
// unit's DIE tree through libdwarf and fills ModuleSymbols::Impl. Split by
// area: SymbolsLoader.cpp (units, the walk, functions, scopes, variables),
// LineTable.cpp (line programs), Types.cpp (the type graph).
#pragma once

#include "DieReader.h"
#include "DwarfLists.h"
#include "ObjectAccess.h"
#include "SymbolsImpl.h"

#include <unordered_map>

namespace wasmscope::debugger {

class DwarfLoader {
public:
  DwarfLoader(ModuleSymbols::Impl &impl, DwarfObject &object, std::vector<SymbolWarning> *warnings);
  /// Reads every unit; problems become warnings.
  void loadAll();

  /// Deepest DIE nesting followed; deeper trees are cut with a warning.
  static constexpr int kMaxDepth = 200;

private:
  struct Unit {
    UnitContext ctx;
    uint32_t index = 0; ///< In Impl::compileUnits.
    uint64_t dieOffset = 0;
    uint16_t lineVersion = 0;
    bool hasStmtList = false;
    uint64_t stmtList = 0;
    /// DW_AT_decl_file / DW_AT_call_file / line-table file number -> FileIndex.
    std::vector<FileIndex> fileMap;
    FileIndex file(uint64_t number) const {
      return number < fileMap.size() ? fileMap[size_t(number)] : kNoFile;
    }
  };

  /// Where the walk is: the enclosing function and scope, C++ qualification
  /// and the type whose children are being read.
  struct Context {
    Function *function = nullptr;
    Scope *scope = nullptr;
    std::string prefix; ///< "ns::Class::" for C++ names.
    Type *parentType = nullptr;
    /// Inside an abstract or declared subprogram: record declarations for
    /// later references, create no variables.
    bool declOnly = false;
  };

  /// What a DIE says about a declaration, for DW_AT_abstract_origin and
  /// DW_AT_specification references resolved after the walk.
  struct DeclInfo {
    const char *name = nullptr;
    const char *linkageName = nullptr;
    FileIndex declFile = kNoFile;
    uint32_t declLine = 0;
    uint64_t type = 0;
    uint64_t origin = 0; ///< abstract_origin or specification.
    std::string prefix;
  };

  void warn(const char *section, uint64_t offset, std::string message);
  void loadUnit(Dwarf_Die cuDie, uint16_t version, uint8_t addressSize);
  void readLineTable(Dwarf_Die cuDie, Unit &unit); // LineTable.cpp
  void walkChildren(Dwarf_Die parent, const Context &ctx, int depth);
  void visit(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth);
  void visitFunction(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth);
  void visitScope(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth);
  void visitVariable(DieAttrs &a, const Context &ctx);
  /// Type DIEs and their children (members, enumerators, subranges).
  bool visitType(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth); // Types.cpp
  void visitTypeChild(DieAttrs &a, const Context &ctx);                      // Types.cpp

  /// A static variable whose DW_OP_addr is a linker tombstone.
  bool isDiscardedStatic(const Variable &v) const;
  std::vector<AddressRange> rangesOf(const DieAttrs &a);
  std::vector<LocationEntry> locationOf(const DieAttrs &a);
  DwarfExpression expressionOf(std::span<const uint8_t> bytes, uint64_t dieOffset);
  void recordDecl(const DieAttrs &a, const Context &ctx);
  /// Follows abstract_origin/specification from `offset`, filling what the
  /// DIE itself lacked.
  DeclInfo resolveDecl(uint64_t offset) const;
  void resolveScopes(Scope &scope);
  void finish();

  ModuleSymbols::Impl &m_impl;
  DwarfObject &m_object;
  std::vector<SymbolWarning> *m_warnings;
  ListSections m_lists;
  Unit m_unit;
  std::unordered_map<uint64_t, DeclInfo> m_decls;
  std::vector<std::pair<Function *, uint64_t>> m_functionDies;
  std::vector<RawLocation> m_rawLocations;
  size_t m_warningCount = 0;
};

} // namespace wasmscope::debugger
