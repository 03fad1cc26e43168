// The indexes behind ModuleSymbols, shared by the files that build them
// (SymbolsLoader, LineTable, Functions, Types, Variables) and those that
// query them. Everything here is built once at load and read-only after.
#pragma once

#include "wasmscope/symbols/Symbols.h"

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace wasmscope::debugger {

/// One line-table row as LLDB keeps it (rows at one address collapsed into
/// the last), with the end-of-sequence rows kept as `terminal` entries.
struct LineRow {
  uint32_t address = 0;
  uint32_t line = 0;
  FileIndex file = kNoFile;
  uint16_t column = 0;
  bool isStmt = false;
  bool prologueEnd = false;
  bool epilogueBegin = false;
  bool terminal = false;
  uint32_t cu = 0; ///< Index into compileUnits.
};

/// A type node plus whether its DIE has been read yet (nodes are created on
/// first reference, so forward references need no second pass).
struct TypeSlot {
  Type type;
  bool filled = false;
};

/// Open-addressing map from DIE offsets (never 0, the first unit header
/// sits there) to pointers. Type references are the hottest lookups of the
/// DIE walk after libdwarf itself, and std::unordered_map allocates a node
/// per entry.
template <typename T> class OffsetMap {
public:
  void reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2)
      cap *= 2;
    if (cap > m_slots.size())
      rehash(cap);
  }
  T *find(uint64_t key) const {
    if (m_slots.empty())
      return nullptr;
    for (size_t i = index(key);; i = (i + 1) & (m_slots.size() - 1)) {
      if (m_slots[i].first == key)
        return m_slots[i].second;
      if (m_slots[i].first == 0)
        return nullptr;
    }
  }
  void insert(uint64_t key, T *value) {
    if ((m_count + 1) * 2 > m_slots.size())
      rehash(m_slots.empty() ? 16 : m_slots.size() * 2);
    size_t i = index(key);
    while (m_slots[i].first != 0 && m_slots[i].first != key)
      i = (i + 1) & (m_slots.size() - 1);
    if (m_slots[i].first == 0)
      ++m_count;
    m_slots[i] = {key, value};
  }

private:
  size_t index(uint64_t key) const {
    return size_t((key * 0x9E3779B97F4A7C15ull) >> 20) & (m_slots.size() - 1);
  }
  void rehash(size_t cap) {
    std::vector<std::pair<uint64_t, T *>> old = std::move(m_slots);
    m_slots.assign(cap, {0, nullptr});
    m_count = 0;
    for (const auto &[k, v] : old)
      if (k != 0)
        insert(k, v);
  }
  std::vector<std::pair<uint64_t, T *>> m_slots;
  size_t m_count = 0;
};

/// A function's address range, for functionAt.
struct FunctionRange {
  uint32_t low = 0;
  uint32_t high = 0;
  const Function *function = nullptr;
};

struct ModuleSymbols::Impl {
  const runtime::Module *module = nullptr;
  uint32_t codeSize = 0; ///< Size of the code section contents.
  /// Bytes of memory 0 at instantiation: static data lies below this.
  uint64_t initialMemoryBytes = 0;
  /// An active data segment starts at address 0 (then 0 is no tombstone).
  bool dataAtZero = false;
  bool hasDwarf = false;

  std::vector<CompileUnit> compileUnits;
  std::vector<DebugSection> sections;
  std::vector<SourceFile> files;
  std::unordered_map<std::string, FileIndex> fileByPath;
  /// Source text carried in the line tables (DW_LNCT_LLVM_source).
  std::unordered_map<FileIndex, std::string> embeddedSources;

  // Lines (LineTable.cpp).
  std::vector<LineRow> rows; ///< Address order, terminal rows included.
  mutable std::once_flag locationsOnce;
  mutable std::vector<SourceLocation> locations; ///< lineTable(), built on first use.
  std::vector<uint32_t> rowsByLine; ///< Non-terminal row indexes by (file, line, address).

  // Functions (Functions.cpp).
  std::vector<std::unique_ptr<Function>> functions; ///< By lowPc.
  std::vector<FunctionRange> functionRanges;        ///< By low.
  std::unordered_multimap<std::string, const Function *> functionsByName;

  // Types (Types.cpp).
  std::deque<TypeSlot> types;
  OffsetMap<TypeSlot> typeByOffset;
  std::unordered_map<std::string, std::vector<const Type *>> typesByName;

  std::vector<Variable> globals;

  /// Line sequences as read, before indexLines() sorts and joins them.
  std::vector<std::vector<LineRow>> pendingSequences;

  // Building.
  FileIndex internFile(const std::string &path);
  /// The type node for a DIE, created empty on first reference.
  TypeSlot *slotAt(uint64_t dieOffset);
  Type *typeAt(uint64_t dieOffset) { return &slotAt(dieOffset)->type; }
  void indexLines();
  void indexFunctions();
  void indexTypes();
  /// Points references to a declared struct, union or enum at a definition
  /// of the same name elsewhere in the module.
  void completeDeclarations();
  /// Prologue size as LLDB computes it (Function::GetPrologueByteSize).
  uint32_t bodyAddressOf(const Function &function) const;

  // Queries shared between files.
  /// Index in `rows` of the row covering `address`, or -1.
  int64_t rowIndexAt(uint32_t address) const;
  const Scope *innermostScope(const Function &function, uint32_t address) const;
};

/// Joins DWARF path parts: `dir` then `name` unless `name` is absolute.
std::string joinPath(const std::string &dir, const std::string &name);
/// "./build/./x.c" -> "build/x.c": "." components and doubled slashes go.
std::string normalizePath(const std::string &path);
/// The last component of a path.
std::string baseName(const std::string &path);
/// "0x1a4".
std::string hexString(uint64_t value);

} // namespace wasmscope::debugger
