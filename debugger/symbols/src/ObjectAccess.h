// libdwarf's object-access interface over a wasm module's `.debug_*` custom
// sections, in memory: no ELF, no temporary files. DwarfObject owns the
// Dwarf_Debug and closes it; libdwarf errors come back as values (an error
// handler is installed too, so libdwarf never aborts).
#pragma once

#include "wasmscope/symbols/Symbols.h"

#include <libdwarf.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {

class DwarfObject {
public:
  /// Opens libdwarf over the module's debug sections. nullptr when there are
  /// none, or when libdwarf rejects them (then a warning says why).
  static std::unique_ptr<DwarfObject> open(const runtime::Module &module,
                                           std::vector<SymbolWarning> *warnings);
  ~DwarfObject();
  DwarfObject(const DwarfObject &) = delete;
  DwarfObject &operator=(const DwarfObject &) = delete;

  Dwarf_Debug dbg() const { return m_dbg; }
  /// The raw contents of a debug section, empty when absent.
  std::span<const uint8_t> section(std::string_view name) const;

  /// The message of a libdwarf error, which is then freed.
  std::string takeError(Dwarf_Error error) const;

  struct Section {
    std::string name;
    const uint8_t *data = nullptr;
    uint64_t size = 0;
  };

private:
  DwarfObject() = default;

  std::vector<Section> m_sections; // [0] is an empty null section, as in ELF.
  std::vector<Section> m_own;      // Sections decoded here, hidden from libdwarf.
  Dwarf_Obj_Access_Methods m_methods{};
  Dwarf_Obj_Access_Interface m_interface{};
  Dwarf_Debug m_dbg = nullptr;
};

} // namespace wasmscope::debugger
