// Lookups across a module's index spaces (spec 2.5.1), where imports come
// before definitions, and into its custom and name sections.
#include "wasmscope/runtime/Module.h"

namespace wasmscope::runtime {

namespace {

/// The import of kind `kind` that has index `index` among imports of that
/// kind. Uses the decoder's table when it is filled (constant time) and falls
/// back to a scan for modules assembled by hand.
const Import& nthImport(const Module& m, const std::vector<uint32_t>& table, ExternKind kind,
                        uint32_t index) {
  if (index < table.size())
    return m.imports[table[index]];
  for (const Import& imp : m.imports) {
    if (imp.kind != kind)
      continue;
    if (index == 0)
      return imp;
    --index;
  }
  // Callers guarantee a valid index; this is unreachable for them.
  static const Import kNone;
  return kNone;
}

} // namespace

TypeIndex Module::funcTypeIndex(FuncIndex f) const {
  if (f < numImportedFuncs)
    return nthImport(*this, funcImports, ExternKind::Func, f).funcType;
  return functions[f - numImportedFuncs];
}

TableType Module::tableType(TableIndex t) const {
  if (t < numImportedTables)
    return nthImport(*this, tableImports, ExternKind::Table, t).table;
  return tables[t - numImportedTables];
}

MemoryType Module::memoryType(MemIndex m) const {
  if (m < numImportedMemories)
    return nthImport(*this, memoryImports, ExternKind::Memory, m).memory;
  return memories[m - numImportedMemories];
}

GlobalType Module::globalType(GlobalIndex g) const {
  if (g < numImportedGlobals)
    return nthImport(*this, globalImports, ExternKind::Global, g).global;
  return globals[g - numImportedGlobals].type;
}

const CustomSection* Module::findCustomSection(std::string_view name) const {
  for (const CustomSection& section : customSections) {
    if (section.name == name)
      return &section;
  }
  return nullptr;
}

std::string Module::functionName(FuncIndex f) const {
  auto it = names.functionNames.find(f);
  return it == names.functionNames.end() ? std::string() : it->second;
}

} // namespace wasmscope::runtime
