// What the Module view lists about a wasm module: its sections with offsets
// and sizes, imports, exports and functions with their code sizes and
// signatures. Built once from the decoded module; no GUI dependency.
#pragma once

#include "wasmscope/runtime/Module.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {
class ModuleSymbols;
}

namespace wasmscope::gui {

struct SectionRow {
  std::string name;    ///< "type", "code", "custom .debug_info", ...
  uint32_t offset = 0; ///< Of the section's id byte in the file.
  uint32_t size = 0;   ///< Of its contents.
};

struct ImportRow {
  std::string module;
  std::string name;
  std::string kind;      ///< "func", "table", "memory", "global".
  std::string signature; ///< "[i32 i32] -> [i32]" for functions; limits for the rest.
};

struct ExportRow {
  std::string name;
  std::string kind;
  uint32_t index = 0;
  std::string target; ///< The exported function's name, when it has one.
};

struct FunctionRow {
  uint32_t index = 0;  ///< Wasm function index (imports first).
  std::string name;    ///< DWARF, name section, or "func[N]".
  bool imported = false;
  uint32_t codeSize = 0;   ///< Bytes of its body (locals included); 0 for imports.
  uint32_t codeOffset = 0; ///< Code offset (DWARF address) of its body.
  std::string signature;
  std::string sourceFile; ///< Declaring file from DWARF, "" when unknown.
  uint32_t sourceLine = 0;
};

/// Which column the function table is sorted by.
enum class FunctionColumn : uint8_t { Index, Name, Size, Offset };

struct ModuleSummary {
  std::string name;
  uint64_t fileSize = 0;
  std::vector<SectionRow> sections;
  std::vector<ImportRow> imports;
  std::vector<ExportRow> exports;
  std::vector<FunctionRow> functions;
  uint64_t memoryPages = 0;          ///< Initial pages of memory 0.
  std::optional<uint64_t> memoryMax; ///< Maximum pages, when declared.
  uint64_t codeBytes = 0;            ///< Sum of the defined functions' sizes.
  uint64_t debugBytes = 0;           ///< Custom sections named .debug_*.

  /// Builds the summary. `symbols` (may be null) names functions from DWARF.
  static ModuleSummary build(const runtime::Module& module, const debugger::ModuleSymbols* symbols,
                             std::string name);

  /// Indices into `functions` whose name contains `filter` (case-insensitive;
  /// all when empty), sorted by `column`.
  std::vector<size_t> functionOrder(FunctionColumn column, bool ascending,
                                    std::string_view filter) const;
};

/// True when `text` contains `needle`, ignoring ASCII case.
bool containsIgnoringCase(std::string_view text, std::string_view needle);

} // namespace wasmscope::gui
